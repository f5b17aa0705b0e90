"""The base of every v1 API module: viewsets, the request's user, the fields a role may see.

- `VigilViewSet` (with `VigilViewSetMixin` for `viewsets.ViewSet`): fetch-and-authorize by
  public id (a UUID) from the subclass's `visible_to(user)` policy, answering 404 alike for
  what does not exist and what the caller may not see; the signed-in `actor` and the audit
  `request_context`; errors of Django and of the services translated in one place
  (`handle_exception`, then the project's one error shape, `vigil.api.exceptions`).
- `FieldPolicySerializer` drops from a serializer the fields its app's policy hides from the
  caller (`field_policy(user) -> frozenset[str]`, from the app's `permissions.py`), so a
  serializer never decides by itself who may read a field. The schema lists those fields as
  optional: they are absent from the answers of the roles the policy names.

Only Django, DRF, `vigil.audit` and `vigil.accounts` are imported here: the domain apps build
on this module, never the other way round.
"""

import copy
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar, cast

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.audit.enums import AccessKind
from vigil.core.reveal import denied_opening_record, denied_record

UUID_PATTERN = r"[0-9a-fA-F-]{36}"
"""A public id in a URL (`lookup_value_regex`)."""
CHANGES = frozenset({"update", "partial_update", "destroy"})
"""The viewset actions that change the object fetched (`VigilViewSet.may_change`)."""


class AuthenticatedRequest(Request):
    """A request past `IsAuthenticated` (every v1 endpoint but the token's): its user is a
    signed-in `User`. For typing the `request` of a viewset's actions; DRF builds them."""

    user: User  # type: ignore[assignment]


def public_id_or_404(value: object) -> uuid.UUID:
    """A public id from a URL; anything that is not a UUID answers 404, like an unknown one."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise exceptions.NotFound() from None


def fetch_or_404[M: Model](queryset: QuerySet[M], public_id: object) -> M:
    """The object with this public id among `queryset` (what the caller may see): 404 for one
    that does not exist and for one that is not visible alike."""
    found = queryset.filter(public_id=public_id_or_404(public_id)).first()
    if found is None:
        raise exceptions.NotFound()
    return found


class VigilViewSetMixin:
    """What every v1 viewset shares; mixed into `viewsets.ViewSet` or `GenericViewSet`."""

    denied_message: str | Promise = cast(Promise, exceptions.PermissionDenied.default_detail)
    """The 403 message for a service's refusal that gives no reason of its own."""

    @property
    def actor(self) -> User:
        """The signed-in user (the permission classes have refused anyone else)."""
        return cast(User, self._request().user)

    def _request(self) -> Request:
        return cast(APIView, self).request

    @property
    def request_context(self) -> RequestContext:
        """Who asked, from where: for the audit rows the services write."""
        return RequestContext.from_request(self._request())

    def handle_exception(self, exc: Exception) -> Response:
        """Errors translated in one place: a service's refusal (Django's `PermissionDenied`)
        is a 403 with its reason, else `denied_message`; Django's `ValidationError` and
        `Http404` become DRF's by `vigil.api.exceptions.exception_handler`, which gives every
        error the one shape."""
        if isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied(str(exc) if exc.args else str(self.denied_message))
        return super().handle_exception(exc)  # type: ignore[misc,no-any-return]

    @contextmanager
    def denied_as(self, message: object) -> Iterator[None]:
        """Within the block a service's refusal answers 403 with `message`, whatever its own."""
        try:
            yield
        except DjangoPermissionDenied:
            raise exceptions.PermissionDenied(str(message)) from None


class VigilViewSet[M: Model](VigilViewSetMixin, viewsets.GenericViewSet[M]):
    """A viewset over a model with public ids: `visible_to(user)` is the one list policy
    (the app's `<entities>_visible_to`, with what the answers need joined); `get_object()`
    fetches by the `id` in the URL among those, answering 404 for missing and forbidden."""

    lookup_field = "public_id"
    lookup_url_kwarg = "id"

    def visible_to(self, user: User | None) -> QuerySet[M]:
        raise NotImplementedError

    def may_create(self, user: User) -> bool:
        """The app's policy on whether the user's role creates these objects at all, asked
        for `create` before the body is read: who may not gets 403 whatever it sends. Where
        the body names the scope (a visit, an appeal), the services decide on it."""
        return True

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.action == "create" and not self.may_create(self.actor):
            raise exceptions.PermissionDenied(str(self.denied_message))

    def may_change(self, user: User, obj: M) -> bool:
        """The app's policy on replacing, changing or deleting `obj`, asked as soon as it is
        fetched for `update`, `partial_update` or `destroy`, before the body is read: who may
        not gets 403 whatever it sends. The services decide again (also on what depends on
        the body or the object's state); a viewset whose services do all of it keeps this."""
        return True

    def get_queryset(self) -> QuerySet[M]:
        user = self.request.user if self.request is not None else None
        return self.visible_to(user if isinstance(user, User) else None)

    denials_logged = False
    """True for sensitive records (interviews, appeals, files, visits under embargo): a 404 on
    one that exists is logged as a denied opening (`vigil.core.reveal`)."""

    denied_kinds: ClassVar[dict[str, AccessKind]] = {}
    """With `denials_logged`: what a refused action on an object (a 403 of the object
    permission, e.g. an auditor asking for an interview's content) is logged as, by action;
    any other refused action as a sensitive record opened."""

    def check_object_permissions(self, request: Request, obj: Any) -> None:
        try:
            super().check_object_permissions(request, obj)
        except exceptions.PermissionDenied:
            if self.denials_logged and request.user.is_authenticated:
                denied_record(
                    actor=self.actor,
                    kind=self.denied_kinds.get(self.action or "", AccessKind.RECORD_OPENED),
                    target=obj,
                    context=self.request_context,
                )
            raise

    def get_object(self) -> M:
        public_id = public_id_or_404(self.kwargs[self.lookup_url_kwarg])
        try:
            obj = cast(M, super().get_object())
        except Http404:
            if self.denials_logged:
                denied_opening_record(
                    self.get_queryset().model,
                    actor=self.actor,
                    context=self.request_context,
                    public_id=public_id,
                )
            raise
        if self.action in CHANGES and not self.may_change(self.actor, obj):
            raise exceptions.PermissionDenied(str(self.denied_message))
        return obj


_SHOW_EVERY_FIELD = "vigil.api.every_field"
"""Context key set only by the schema extension below: every field, for the documentation."""


def request_user(context: Mapping[str, Any]) -> User | None:
    """The signed-in user of a serializer's request, or None."""
    user = getattr(context.get("request"), "user", None)
    return user if isinstance(user, User) else None


# No docstrings on these bases: the schema would give them to every serializer built on them.
class FieldPolicySerializer(serializers.Serializer[Any]):
    # A serializer whose fields the app's policy may hide from the caller (deny by default:
    # without a request, every field the policy may hide is dropped). Nested serializers read
    # the request from the outermost one's context. `field_policy(user)`: the fields hidden
    # from the user; for None (nobody signed in) every field the policy may hide.

    field_policy: ClassVar["staticmethod[[User | None], frozenset[str]]"]

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields: dict[str, serializers.Field[Any, Any, Any, Any]] = super().get_fields()
        if self.context.get(_SHOW_EVERY_FIELD):
            return fields
        hidden = type(self).field_policy(request_user(self.context))
        return {name: field for name, field in fields.items() if name not in hidden}

    @classmethod
    def hideable_fields(cls) -> frozenset[str]:
        return cls.field_policy(None)


def nested_rows(
    parent: serializers.BaseSerializer[Any], child: type[serializers.BaseSerializer[Any]], rows: Any
) -> list[dict[str, Any]]:
    """`rows` as `child` shows them, inside a method field of `parent`. One `child` is built per
    `parent` (with its context) and reused for every row of a list: building a serializer per
    row (its fields copied, its field policy asked) cost most of a list's time."""
    made: dict[type[Any], serializers.BaseSerializer[Any]] = parent.__dict__.setdefault(
        "_nested_serializers", {}
    )
    if child not in made:
        made[child] = child(context=parent.context)
    serializer = made[child]
    return [serializer.to_representation(row) for row in rows]


class FieldPolicySerializerSchema(OpenApiSerializerExtension):
    """Documents every field of a `FieldPolicySerializer`; those the policy may hide are not
    required (the description of the endpoint or docs/permissions.md says for whom)."""

    target_class = FieldPolicySerializer
    match_subclasses = True

    def get_name(self, auto_schema: AutoSchema, direction: str) -> str | None:
        return None

    def map_serializer(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        target = self.target
        if isinstance(target, type):
            target = target()
        # A fresh copy with the same arguments that shows every field.
        every_field = copy.deepcopy(target)
        every_field._context = {_SHOW_EVERY_FIELD: True}
        every_field.partial = target.partial  # set by the generator for PATCH bodies
        schema: dict[str, Any] = auto_schema._map_basic_serializer(every_field, direction)
        hideable = type(target).hideable_fields()
        required = [name for name in schema.get("required", []) if name not in hideable]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)
        return schema


class ScopedField(serializers.SlugRelatedField[Any]):
    """A related object named by its public id, among those the caller may see: a subclass
    sets `model` and `scope(user)` (the owning app's `<entities>_visible_to`), so a write
    can never link to an object its author may not see (it reads as "does not exist")."""

    model: Any = None

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "public_id")
        super().__init__(queryset=self.model.objects.none(), **kwargs)

    def scope(self, user: User | None) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.scope(request_user(self.context))
