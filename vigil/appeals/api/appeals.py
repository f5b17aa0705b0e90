"""API v1 for appeal handling (`/api/v1/appeals/`): list with the list page's filters,
retrieve, register (staff), and the actions: transition, triage, assign, extend, merge,
content (a logged read) and unseal (a logged reason).

Thin edge: reads come from `..selectors.appeals` (what is not visible answers 404: a liaison
or an administrator gets an empty list), writes go through `..services` (permission-checked,
validated and audited there). Fields a role may not see are dropped by the policy
(`appeal_fields_hidden_from`). Neither what the appellant wrote nor who they are is ever in
the appeal's representation: only the `content` and `unseal` actions give them, logged.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.models import User
from vigil.api.base import (
    UUID_PATTERN,
    AuthenticatedRequest,
    FieldPolicySerializer,
    VigilViewSet,
    fetch_or_404,
    request_user,
)
from vigil.api.exceptions import ErrorSerializer
from vigil.registry.models import Institution
from vigil.registry.permissions import institutions_visible_to
from vigil.visits.enums import ReprisalRisk
from vigil.visits.models import Interview, Visit
from vigil.visits.permissions import visits_visible_to

from ..deadlines import current_due
from ..enums import AppealState, Channel, Disclosure, Urgency
from ..models import AllegationType, Appeal, AppealSubject
from ..permissions import (
    appeal_fields_hidden_from,
    appeals_visible_to,
    assignable_staff,
    can_handle_appeal,
    can_register_appeal,
    handles_appeals,
)
from ..selectors.appeals import AppealFilter, appeal_rows, due_flag
from ..services.appeals import Appellant, appeal_content_read, appeal_register, appellant_reveal
from ..services.handling import (
    appeal_assign,
    appeal_extend,
    appeal_merge,
    appeal_transition,
    appeal_triage,
)

_DENIED = _("You may not do this with this appeal.")
BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="Invalid: `errors` says why.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="The caller may not do this.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such appeal visible to the caller.")


# ---------------------------------------------------------------- serializers


class AppealSerializer(FieldPolicySerializer, serializers.ModelSerializer[Appeal]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    status = serializers.CharField(source="state", read_only=True)
    subject: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    allegation_types: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, allow_null=True
    )
    region: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    visit: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, allow_null=True
    )
    assigned_to: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, allow_null=True
    )
    duplicate_of: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )
    current_due = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    repeat_count = serializers.IntegerField(read_only=True, default=0)

    field_policy = staticmethod(appeal_fields_hidden_from)

    class Meta:
        model = Appeal
        fields = (
            "id",
            "reference",
            "channel",
            "status",
            "received_on",
            "registered_on",
            "due_on",
            "extended_until",
            "extension_reason",
            "current_due",
            "deadline",
            "anonymous",
            "urgency",
            "subject",
            "allegation_types",
            "institution",
            "institution_text",
            "region",
            "summary",
            "consent_scopes",
            "consent_contact",
            "reprisal_risk",
            "visit",
            "assigned_to",
            "forwarded_to",
            "forwarded_on",
            "answered_on",
            "closed_on",
            "duplicate_of",
            "repeat_count",
        )
        read_only_fields = fields

    def get_current_due(self, appeal: Appeal) -> Any:
        due = current_due(appeal)
        return due.isoformat() if due else None

    def get_deadline(self, appeal: Appeal) -> str:
        """ "overdue", "due_today" or "" (not due yet, answered or closed)."""
        return due_flag(appeal)


class _Scoped(serializers.SlugRelatedField[Any]):
    def __init__(self, model: Any, scope: Any, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "public_id")
        super().__init__(queryset=model.objects.none(), **kwargs)
        self._scope = scope

    def get_queryset(self) -> QuerySet[Any]:
        return self._scope(request_user(self.context))  # type: ignore[no-any-return]


def _subjects() -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=AppealSubject.objects.filter(active=True),
        required=False,
        allow_null=True,
    )


def _allegations() -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=AllegationType.objects.filter(active=True),
        many=True,
        required=False,
    )


class AppealTriageSerializer(serializers.Serializer[Any]):
    subject = _subjects()
    allegation_types = _allegations()
    institution = _Scoped(Institution, institutions_visible_to, required=False, allow_null=True)
    institution_text = serializers.CharField(max_length=300, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    summary = serializers.CharField(max_length=300, required=False, allow_blank=True)
    consent_scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=Disclosure.choices), required=False
    )
    consent_contact = serializers.BooleanField(required=False)
    reprisal_risk = serializers.ChoiceField(choices=ReprisalRisk.choices, required=False)


class AppealCreateSerializer(AppealTriageSerializer):
    channel = serializers.ChoiceField(
        choices=[c for c in Channel.choices if c[0] != Channel.WEB_FORM],
        help_text=_("'visit' needs `visit`; other channels are registered by staff."),
    )
    received_on = serializers.DateField(required=False)
    content = serializers.CharField(help_text=_("What the appellant wrote; stored encrypted."))
    name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=_("Sealed.")
    )
    contact = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=_("Sealed.")
    )
    anonymous = serializers.BooleanField(required=False, default=False)
    visit = _Scoped(Visit, visits_visible_to, required=False, allow_null=True)
    interview = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Interview.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("An interview of `visit`."),
    )


class AppealMoveSerializer(serializers.Serializer[Any]):
    move = serializers.CharField(
        help_text=_(
            "register, triage, review, explain, forward, answer, close_resolved, close_unresolved"
        )
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    forwarded_to = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )
    expected_state = serializers.ChoiceField(choices=AppealState.choices, required=False)


class AppealAssignSerializer(serializers.Serializer[Any]):
    assignee = serializers.UUIDField(allow_null=True, help_text=_("A staff member's id; null."))


class AppealExtendSerializer(serializers.Serializer[Any]):
    until = serializers.DateField()
    reason = serializers.CharField()


class AppealMergeSerializer(serializers.Serializer[Any]):
    into = serializers.UUIDField(help_text=_("The open appeal this one duplicates."))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AppealUnsealSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField()


class AppealContentSerializer(serializers.Serializer[Any]):
    content = serializers.CharField()


class AppellantSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    contact = serializers.CharField()


# ---------------------------------------------------------------- the viewset


@extend_schema_view(
    list=extend_schema(
        summary=_("List appeals"),
        description=_(
            "Coordinators and auditors see all; regional representatives those of their "
            "regions; monitors those they registered, are assigned or that come from their "
            "visits; liaisons and administrators none. Filters as the list page: search, "
            "status, channel, subject, allegation, urgency, region, institution, assigned, "
            "visit, due_today, overdue, mine, repeat_writer, received_from, received_to; "
            "ordering: reference, received, due, status, urgency."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show an appeal"), responses={200: AppealSerializer, 404: NOT_FOUND}
    ),
)
class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VigilViewSet[Appeal]):
    """Appeals to the Commissioner, as staff handle them."""

    denials_logged = True

    serializer_class = AppealSerializer
    filterset_class = AppealFilter
    lookup_value_regex = UUID_PATTERN
    denied_message = _DENIED

    def visible_to(self, user: User | None) -> QuerySet[Appeal]:
        if getattr(self, "swagger_fake_view", False):
            return Appeal.objects.none()
        return appeal_rows(user).prefetch_related("allegation_types").select_related("visit")

    def may_create(self, user: User) -> bool:
        return handles_appeals(user)

    def _show(self, appeal: Appeal, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.visible_to(self.actor).filter(pk=appeal.pk).first() or appeal
        return Response(self.get_serializer(fresh).data, status=code)

    def _input(self, serializer_class: Any) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _handled(self) -> Appeal:
        appeal = self.get_object()
        if not can_handle_appeal(self.actor, appeal):
            raise exceptions.PermissionDenied(_DENIED)
        return appeal

    @extend_schema(
        summary=_("Register an appeal (staff)"),
        description=_(
            "Coordinators and regional representatives register appeals received by letter, "
            "hotline, e-government, terminal, relative, lawyer, NGO, anonymously or on their "
            "own initiative; the team of a visit (and the planners in scope) with channel "
            "'visit' and `visit`. The name and contact are sealed, the content encrypted; "
            "neither is in the answer. Audited."
        ),
        request=AppealCreateSerializer,
        responses={201: AppealSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        data = self._input(AppealCreateSerializer)
        visit = data.pop("visit", None)
        if visit is None and (data["channel"] == Channel.VISIT or data.get("interview")):
            raise exceptions.ValidationError({"visit": [_("Name the visit.")]})
        if visit is None and not can_register_appeal(self.actor):
            raise exceptions.PermissionDenied(_DENIED)
        appeal = appeal_register(
            actor=self.actor,
            channel=data.pop("channel"),
            content=data.pop("content"),
            appellant=Appellant(name=data.pop("name", ""), contact=data.pop("contact", "")),
            allegations=data.pop("allegation_types", None),
            received_on=data.pop("received_on", None),
            visit=visit,
            interview=data.pop("interview", None),
            data=data,
            context=self.request_context,
        )
        return self._show(appeal, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Move the appeal along its life cycle"),
        description=_(
            "The moves of the transition table by name, for its handlers (coordinators, "
            "regional representatives in scope, the assignee). 'forward' needs "
            "`forwarded_to`; 'explain', 'answer' and the closing moves need a `note`. "
            "Referral and merge have their own endpoints."
        ),
        request=AppealMoveSerializer,
        responses={200: AppealSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def transition(self, request: AuthenticatedRequest, id: str) -> Response:
        appeal = self.get_object()
        data = self._input(AppealMoveSerializer)
        appeal_transition(
            actor=self.actor,
            appeal=appeal,
            move=data["move"],
            note=data["note"],
            forwarded_to=data["forwarded_to"],
            expected_state=data.get("expected_state"),
            context=self.request_context,
        )
        return self._show(appeal)

    @extend_schema(
        summary=_("Triage: what the appeal is about"),
        description=_("Only the fields sent change. Handlers only. Audited."),
        request=AppealTriageSerializer,
        responses={200: AppealSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def triage(self, request: AuthenticatedRequest, id: str) -> Response:
        appeal = self._handled()
        data = self._input(AppealTriageSerializer)
        allegations = data.pop("allegation_types", None)
        appeal_triage(
            actor=self.actor,
            appeal=appeal,
            data=data,
            allegations=allegations,
            context=self.request_context,
        )
        return self._show(appeal)

    @extend_schema(
        summary=_("Assign the appeal to a staff member"),
        description=_(
            "A coordinator, a regional representative of the appeal's region or a monitor; "
            "null takes it back. Handlers only. Audited."
        ),
        request=AppealAssignSerializer,
        responses={200: AppealSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def assign(self, request: AuthenticatedRequest, id: str) -> Response:
        appeal = self._handled()
        data = self._input(AppealAssignSerializer)
        assignee = None
        if data["assignee"] is not None:
            assignee = assignable_staff(appeal).filter(public_id=data["assignee"]).first()
            if assignee is None:
                raise exceptions.ValidationError(
                    {"assignee": [_("This person cannot handle appeals of this region.")]}
                )
        appeal_assign(
            actor=self.actor, appeal=appeal, assignee=assignee, context=self.request_context
        )
        return self._show(appeal)

    @extend_schema(
        summary=_("Extend the answer's deadline"),
        description=_(
            "With a reason; never beyond the longest extension from the registration "
            "(2 months, from data). Handlers only. Audited."
        ),
        request=AppealExtendSerializer,
        responses={200: AppealSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def extend(self, request: AuthenticatedRequest, id: str) -> Response:
        appeal = self._handled()
        data = self._input(AppealExtendSerializer)
        appeal_extend(
            actor=self.actor,
            appeal=appeal,
            until=data["until"],
            reason=data["reason"],
            context=self.request_context,
        )
        return self._show(appeal)

    @extend_schema(
        summary=_("Merge this appeal into the open one it duplicates"),
        description=_("This appeal becomes MERGED; both timelines note it. Handlers only."),
        request=AppealMergeSerializer,
        responses={200: AppealSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def merge(self, request: AuthenticatedRequest, id: str) -> Response:
        appeal = self._handled()
        data = self._input(AppealMergeSerializer)
        into = fetch_or_404(appeals_visible_to(self.actor), data["into"])
        appeal_merge(
            actor=self.actor,
            duplicate=appeal,
            into=into,
            note=data["note"],
            context=self.request_context,
        )
        return self._show(appeal)

    @extend_schema(
        summary=_("What the appellant wrote (a logged read)"),
        description=_(
            "Handlers, auditors, and monitors for the appeals they see. Each read is kept "
            "in the access log before the text is given."
        ),
        request=None,
        responses={200: AppealContentSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def content(self, request: AuthenticatedRequest, id: str) -> Response:
        appeal = self.get_object()
        text = appeal_content_read(actor=self.actor, appeal=appeal, context=self.request_context)
        return Response(AppealContentSerializer({"content": text}).data)

    @extend_schema(
        summary=_("Unseal the appellant (a logged reason)"),
        description=_(
            "Coordinators and regional representatives in scope; the reason is kept in the "
            "access log before the identity is decrypted. 400 for an anonymous appeal."
        ),
        request=AppealUnsealSerializer,
        responses={200: AppellantSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def unseal(self, request: AuthenticatedRequest, id: str) -> Response:
        appeal = self.get_object()
        data = self._input(AppealUnsealSerializer)
        person = appellant_reveal(
            actor=self.actor, appeal=appeal, reason=data["reason"], context=self.request_context
        )
        return Response(AppellantSerializer({"name": person.name, "contact": person.contact}).data)
