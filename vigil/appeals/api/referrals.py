"""API v1 for referrals: list (the list page's filters), show, make one (consent checked per
kind of disclosure; a coordinator may override with a reason) and move it along its life
cycle. The person referred (the appeal's appellant, the interviewee) is never in the API:
a referral names its appeal by reference and its interview by public id only."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.models import User
from vigil.api.base import UUID_PATTERN, VigilViewSet
from vigil.api.exceptions import ErrorSerializer

from ..enums import Disclosure, ReferralBodyKind
from ..listings.cases import ReferralFilter
from ..models import Referral
from ..permissions import handles_appeals
from ..selectors.cases import referral_list
from ..services.referrals import referral_create, referral_transition
from ._fields import AppealField, InterviewField, read_slug, region_field

_DENIED = _("You may not do this with this referral.")


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    appeal = read_slug("reference")
    interview = read_slug("public_id")
    region = read_slug("code")
    discloses = serializers.ListField(child=serializers.ChoiceField(Disclosure.choices))
    overridden = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "The kinds of `discloses` disclosed without consent (a coordinator's override)."
        ),
    )

    class Meta:
        model = Referral
        fields = (
            "id",
            "reference",
            "appeal",
            "interview",
            "body_kind",
            "body_name",
            "region",
            "discloses",
            "overridden",
            "override_reason",
            "state",
            "sent_on",
            "letter_number",
            "acknowledged_on",
            "register_number",
            "registered_on",
            "refused_on",
            "refusal_reason",
            "outcome_on",
            "outcome",
        )
        read_only_fields = fields


class ReferralCreateSerializer(serializers.Serializer[Any]):
    appeal = AppealField(required=False, allow_null=True)
    interview = InterviewField(required=False, allow_null=True)
    body_kind = serializers.ChoiceField(ReferralBodyKind.choices)
    body_name = serializers.CharField(max_length=300)
    region = region_field(required=False)
    discloses = serializers.ListField(child=serializers.ChoiceField(Disclosure.choices))
    sent_on = serializers.DateField(required=False)
    letter_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    override_reason = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("appeal")) == bool(attrs.get("interview")):
            raise serializers.ValidationError(
                {"appeal": _("Name the appeal or the interview the referral comes from.")}
            )
        return attrs


class ReferralMoveSerializer(serializers.Serializer[Any]):
    move = serializers.ChoiceField(["acknowledge", "register", "refuse", "outcome"])
    on = serializers.DateField(required=False, allow_null=True)
    register_number = serializers.CharField(required=False, allow_blank=True)
    refusal_reason = serializers.CharField(required=False, allow_blank=True)
    outcome = serializers.CharField(required=False, allow_blank=True)


_ERRORS: dict[int | str, Any] = {
    400: OpenApiResponse(ErrorSerializer, description=_("Invalid: `errors` names the fields.")),
    403: OpenApiResponse(ErrorSerializer, description=_("Not allowed for this user.")),
}


@extend_schema_view(
    list=extend_schema(
        summary=_("List referrals"),
        description=_(
            "Coordinators and auditors see all; regional representatives those of their "
            "regions; monitors those of the appeals and visits they see. Filters: search, "
            "status, body_kind, region (code), sent_from, sent_to, overridden."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show a referral"),
        description=_("404 for a referral that does not exist or is not visible."),
    ),
)
class ReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, VigilViewSet[Referral]):
    """Referrals to competent bodies, with consent per kind of disclosure."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    lookup_value_regex = UUID_PATTERN
    denied_message = _DENIED

    def visible_to(self, user: User | None) -> QuerySet[Referral]:
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        return referral_list(user).select_related("interview")

    def may_create(self, user: User) -> bool:
        return handles_appeals(user)

    def _show(self, referral: Referral, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=referral.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        summary=_("Refer an appeal or an interview's allegation"),
        description=_(
            "Those who handle the appeal (or write on the visit). Refused (400, naming the "
            "kind) when it discloses a kind the person did not consent to; a coordinator may "
            "override with `override_reason` (recorded, audited, logged as an access). A "
            "triaged or in-review appeal moves to “referred”."
        ),
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer, **_ERRORS},
    )
    def create(self, request: Request) -> Response:
        serializer = ReferralCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        referral = referral_create(
            actor=self.actor,
            data={
                k: v
                for k, v in data.items()
                if k in ("body_kind", "body_name", "region", "sent_on", "letter_number")
            },
            discloses=data["discloses"],
            appeal=data.get("appeal"),
            interview=data.get("interview"),
            override_reason=data.get("override_reason") or "",
            context=self.request_context,
        )
        return self._show(referral, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Move the referral along its life cycle"),
        description=_(
            "acknowledge, register (needs register_number), refuse (needs refusal_reason), "
            "outcome (needs outcome); by who keeps the referral."
        ),
        request=ReferralMoveSerializer,
        responses={200: ReferralSerializer, **_ERRORS},
    )
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def transition(self, request: Request, id: str) -> Response:
        referral = self.get_object()
        serializer = ReferralMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = referral_transition(
            actor=self.actor,
            referral=referral,
            name=data["move"],
            values={k: data.get(k) for k in ("register_number", "refusal_reason", "outcome")},
            on=data.get("on"),
            context=self.request_context,
        )
        return self._show(referral)
