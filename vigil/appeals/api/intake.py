"""Appeals from outside, by API: the public form and status check (no authentication,
rate-limited per address like the pages) and the partner intake of terminal operators and
partner NGOs (`Authorization: Intake <token>`, valid on this one endpoint only).

- `POST /api/v1/public/appeals/` → 201 {reference, secret, status}
- `POST /api/v1/public/appeal-status/` → 200 {status, label}; 404 with one body for an
  unknown number and a wrong secret alike
- `POST /api/v1/intake/appeals/` → 201 the first time, 200 with the same reference for the
  same `external_id` again (the secret only the first time)
"""

from typing import Any, NoReturn

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.api.base import VigilViewSetMixin
from vigil.api.exceptions import ErrorSerializer
from vigil.reference.models import Region
from vigil.registry.models import Institution

from ..enums import Channel, Disclosure, PublicStatus
from ..models import Appeal, IntakePartner
from ..services.appeals import MAX_CONTENT_CHARS, Appellant, appeal_submit
from ..services.intake import (
    PARTNER_CHANNELS,
    appeal_status_check,
    intake_partner_by_token,
    intake_partner_touch,
    public_appeal_submit,
    public_regions,
    public_status,
)
from ..throttling import PublicRateThrottle, Scope

NOT_FOUND = _("No appeal has this reference number and secret.")
TOO_MANY_APPEALS = _(
    "Too many appeals were sent from this connection in a minute; wait a minute and send again."
)
TOO_MANY_CHECKS = _("Too many status checks from this connection in a minute; wait a minute.")


# --- authentication of partners --------------------------------------------------------------


class IntakeTokenAuthentication(BaseAuthentication):
    """`Authorization: Intake <token>`: an active `IntakePartner`. Used by the partner intake
    endpoint only, so the token opens nothing else, and users' tokens and sessions do not
    open that endpoint."""

    keyword = "Intake"

    def authenticate(self, request: Request) -> tuple[AnonymousUser, IntakePartner] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid intake token header."))
        try:
            token = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid intake token header.")) from None
        partner = intake_partner_by_token(token)
        if partner is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked intake token."))
        return AnonymousUser(), partner

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class IntakeTokenScheme(OpenApiAuthenticationExtension):
    target_class = IntakeTokenAuthentication
    name = "intakeToken"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "A partner's intake token (`manage.py intake_partner create`), sent as "
                "`Intake <token>`; valid only on POST /api/v1/intake/appeals/."
            ),
        }


class IsIntakePartner(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, IntakePartner)


# --- serializers -----------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class OpenRegionField(serializers.SlugRelatedField[Region]):
    """A region by its code, among those valid today."""

    def get_queryset(self) -> Any:
        return public_regions()


class _AppealIn(serializers.Serializer[Any]):
    content = serializers.CharField(max_length=MAX_CONTENT_CHARS, help_text=_("What happened."))
    institution_text = serializers.CharField(
        max_length=300, required=False, default="", allow_blank=True
    )
    region = OpenRegionField(
        slug_field="code",
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A region's code, e.g. KZ-71."),
    )
    name = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    contact = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    anonymous = serializers.BooleanField(required=False, default=False)
    consent = serializers.ListField(
        child=serializers.ChoiceField(choices=Disclosure.choices),
        required=False,
        default=list,
        help_text=_("What may be passed on to a competent body."),
    )
    consent_contact = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["anonymous"] and (attrs["name"].strip() or attrs["contact"].strip()):
            raise serializers.ValidationError(
                {"anonymous": [_("An anonymous appeal has no name or contact.")]}
            )
        return attrs


class PublicAppealSerializer(_AppealIn):
    institution_text = serializers.CharField(
        max_length=300, help_text=_("Where it happened, as the person names it.")
    )


class PublicAppealCreatedSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    secret = serializers.CharField(help_text=_("Shown once: needed to check the status."))
    status = serializers.ChoiceField(choices=PublicStatus.choices)


class StatusCheckSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(max_length=40)
    secret = serializers.CharField(max_length=40)


class PublicStatusSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=PublicStatus.choices)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields: dict[str, serializers.Field[Any, Any, Any, Any]] = super().get_fields()
        # "label" is also an attribute of every serializer: added here, not declared.
        fields["label"] = serializers.CharField(help_text=_("The status in plain words."))
        return fields


class PartnerAppealSerializer(_AppealIn):
    external_id = serializers.CharField(
        max_length=100, help_text=_("The sender's own id: the same id again makes no new appeal.")
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        required=False,
        help_text=_("Limited by the partner's kind: terminal → terminal, NGO → NGO."),
    )
    received_on = serializers.DateField(required=False)
    institution = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Institution.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("An institution's public id, when the sender knows it."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        partner = self.context["partner"]
        allowed = PARTNER_CHANNELS[partner.kind]
        channel = attrs.get("channel") or allowed[0]
        if channel not in allowed:
            raise serializers.ValidationError(
                {"channel": [_("This partner may not submit through this channel.")]}
            )
        attrs["channel"] = channel
        received_on = attrs.get("received_on")
        if received_on is not None and received_on > timezone.localdate():
            raise serializers.ValidationError(
                {"received_on": [_("The appeal cannot be received in the future.")]}
            )
        if attrs["institution"] is None and not attrs["institution_text"].strip():
            raise serializers.ValidationError(
                {"institution_text": [_("Name the institution, or give its public id.")]}
            )
        return attrs


class PartnerAppealResultSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    secret = serializers.CharField(
        allow_null=True,
        help_text=_("The status-check secret, to print for the person; only when created."),
    )
    status = serializers.ChoiceField(choices=PublicStatus.choices)
    created = serializers.BooleanField()


def _submit_data(attrs: dict[str, Any]) -> dict[str, Any]:
    return {
        "institution": attrs.get("institution"),
        "institution_text": attrs["institution_text"],
        "region": attrs["region"],
        "anonymous": attrs["anonymous"],
        "consent_scopes": list(attrs["consent"]),
        "consent_contact": attrs["consent_contact"] and not attrs["anonymous"],
    }


# --- views -----------------------------------------------------------------------------------


class _PublicViewSet(VigilViewSetMixin, viewsets.ViewSet):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (PublicRateThrottle,)
    throttle_scope = Scope.APPEAL
    throttle_message: Any = TOO_MANY_APPEALS

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise exceptions.Throttled(wait, detail=str(self.throttle_message))


class PublicAppealViewSet(_PublicViewSet):
    """The public appeal form as an endpoint: no authentication; the 11th submission a
    minute from one address is refused (429) and stores nothing."""

    @extend_schema(
        operation_id="public_appeal_submit",
        tags=["public"],
        request=PublicAppealSerializer,
        responses={201: PublicAppealCreatedSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = PublicAppealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attrs = serializer.validated_data
        appeal, secret = public_appeal_submit(
            data=_submit_data(attrs),
            content=attrs["content"],
            appellant=Appellant(name=attrs["name"], contact=attrs["contact"]),
            context=self.request_context,
        )
        body = {"reference": appeal.reference, "secret": secret, "status": public_status(appeal)}
        return Response(PublicAppealCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class PublicAppealStatusViewSet(_PublicViewSet):
    """The status check: the public status only. An unknown number and a wrong secret get
    the same 404."""

    throttle_scope = Scope.STATUS
    throttle_message = TOO_MANY_CHECKS

    @extend_schema(
        operation_id="public_appeal_status",
        tags=["public"],
        request=StatusCheckSerializer,
        responses={
            200: PublicStatusSerializer,
            404: OpenApiResponse(
                ErrorSerializer, description="No appeal with this number and secret."
            ),
        },
    )
    def create(self, request: Request) -> Response:
        serializer = StatusCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = appeal_status_check(
            reference=serializer.validated_data["reference"],
            secret=serializer.validated_data["secret"],
        )
        if found is None:
            return Response({"detail": str(NOT_FOUND)}, status=status.HTTP_404_NOT_FOUND)
        return Response(PublicStatusSerializer({"status": found, "label": found.label}).data)


class PartnerIntakeViewSet(VigilViewSetMixin, viewsets.ViewSet):
    """A terminal operator or a partner NGO submits an appeal with its intake token. The
    same `external_id` again answers 200 with the first appeal's reference (no new appeal,
    no secret); the first time 201 with the secret to print."""

    authentication_classes = (IntakeTokenAuthentication,)
    permission_classes = (IsIntakePartner,)
    throttle_classes = (PublicRateThrottle,)
    throttle_scope = Scope.PARTNER

    @extend_schema(
        operation_id="intake_appeal_submit",
        tags=["intake"],
        request=PartnerAppealSerializer,
        responses={200: PartnerAppealResultSerializer, 201: PartnerAppealResultSerializer},
    )
    def create(self, request: Request) -> Response:
        partner = request.auth
        if not isinstance(partner, IntakePartner):  # refused by the permission already
            raise exceptions.NotAuthenticated
        serializer = PartnerAppealSerializer(data=request.data, context={"partner": partner})
        serializer.is_valid(raise_exception=True)
        attrs = serializer.validated_data
        intake_partner_touch(partner)
        try:
            appeal, secret, created = appeal_submit(
                channel=attrs["channel"],
                data=_submit_data(attrs),
                content=attrs["content"],
                appellant=Appellant(name=attrs["name"], contact=attrs["contact"]),
                partner=partner,
                external_id=attrs["external_id"],
                received_on=attrs.get("received_on"),
                context=self.request_context,
            )
        except IntegrityError:
            # The same id sent twice at once: the other request made it.
            found = Appeal.objects.filter(
                intake_partner=partner, external_id=attrs["external_id"]
            ).first()
            if found is None:
                raise
            appeal, secret, created = found, "", False
        body = {
            "reference": appeal.reference,
            "secret": secret or None,
            "status": public_status(appeal),
            "created": created,
        }
        return Response(
            PartnerAppealResultSerializer(body).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
