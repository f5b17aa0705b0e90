"""API v1 for attachments: multipart upload (checked by content, photos cleaned of metadata,
stored encrypted), metadata lists, and the download that decrypts the file and logs it. Same
services and permissions as the pages."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.models import User
from vigil.api.base import VigilViewSet, request_user
from vigil.audit.enums import AccessKind
from vigil.core.files.api import file_download_schema
from vigil.core.files.responses import file_download_response

from ..enums import AttachmentKind
from ..models import Attachment, Finding, Interview, Visit
from ..permissions import (
    can_delete_attachment,
    can_download_attachment,
    findings_visible_to,
    interviews_visible_to,
    working_material_visible_to,
)
from ..selectors.attachments import attachments_listing
from ..services.attachments import (
    MAX_DESCRIPTION_CHARS,
    attachment_delete,
    attachment_read,
    attachment_upload,
)
from .policy import VisitPolicySerializer


class AttachmentAccess(BasePermission):
    """Removal needs `can_delete_attachment` before anything happens; everything else is
    scoped by the queryset (404 outside it) and checked again by the services."""

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method == "DELETE":
            return can_delete_attachment(request.user, obj)  # type: ignore[arg-type]
        return can_download_attachment(request.user, obj)  # type: ignore[arg-type]


@extend_schema_field(OpenApiTypes.UUID)
class _Scoped(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A related object by its public id, among those the caller may see."""


class _VisitField(_Scoped):
    def get_queryset(self) -> QuerySet[Visit]:
        return working_material_visible_to(request_user(self.context))


class _FindingField(_Scoped):
    def get_queryset(self) -> QuerySet[Finding]:
        return findings_visible_to(request_user(self.context))


class _InterviewField(_Scoped):
    def get_queryset(self) -> QuerySet[Interview]:
        return interviews_visible_to(request_user(self.context))


class AttachmentSerializer(VisitPolicySerializer, serializers.ModelSerializer[Attachment]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:attachment-detail", lookup_field="public_id", lookup_url_kwarg="id"
    )
    download_url = serializers.SerializerMethodField(
        help_text=_("Where to download the file (each download is logged).")
    )
    visit = serializers.UUIDField(source="visit.public_id", read_only=True)
    finding = serializers.UUIDField(source="finding.public_id", read_only=True, allow_null=True)
    interview = serializers.UUIDField(source="interview.public_id", read_only=True, allow_null=True)
    file_name = serializers.CharField(
        source="original_name",
        read_only=True,
        help_text=_("A safe name; its extension follows the content."),
    )
    uploaded_by = serializers.CharField(source="uploaded_by.full_name", read_only=True)

    class Meta:
        model = Attachment
        fields = (
            "id",
            "url",
            "download_url",
            "visit",
            "finding",
            "interview",
            "kind",
            "description",
            "file_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "created_at",
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj: Attachment) -> str:
        path = reverse("api:attachment-download", kwargs={"id": obj.public_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AttachmentUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text=_(
            "Photo (JPEG, PNG, WebP) or document (PDF, DOCX, XLSX), checked by content; "
            "photos lose all metadata."
        )
    )
    visit = _VisitField(slug_field="public_id", help_text=_("Id of the visit."))
    finding = _FindingField(
        slug_field="public_id",
        required=False,
        allow_null=True,
        help_text=_("Id of a finding of the visit, to attach the file to it."),
    )
    interview = _InterviewField(
        slug_field="public_id",
        required=False,
        allow_null=True,
        help_text=_("Id of an interview of the visit, to attach the file to it."),
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_DESCRIPTION_CHARS
    )


class AttachmentFilter(django_filters.FilterSet):
    visit = django_filters.UUIDFilter(field_name="visit__public_id", label=_("Visit id"))
    finding = django_filters.UUIDFilter(field_name="finding__public_id", label=_("Finding id"))
    interview = django_filters.UUIDFilter(
        field_name="interview__public_id", label=_("Interview id")
    )
    kind = django_filters.ChoiceFilter(choices=AttachmentKind.choices)

    class Meta:
        model = Attachment
        fields = ("visit", "finding", "interview", "kind")


@extend_schema_view(
    list=extend_schema(
        summary=_("List attachments"),
        description=_(
            "Metadata of the photos and documents the caller may download: those of visits "
            "whose working material they may read; files on an interview only for those who "
            "may read the interview."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show an attachment's metadata"),
        description=_("404 for a file that does not exist or is not visible."),
    ),
    create=extend_schema(
        summary=_("Upload a photo or document"),
        description=_(
            "Multipart. The type is checked by content, not by name (an executable is "
            "refused whatever it is called); photos are re-encoded without EXIF, GPS or any "
            "other metadata; the file is stored encrypted. Audited."
        ),
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
    ),
    destroy=extend_schema(
        summary=_("Remove an attachment"),
        description=_("Its uploader or a planner in scope. Audited."),
    ),
)
class AttachmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    VigilViewSet[Attachment],
):
    """Photos and documents on visits, findings and interviews."""

    denials_logged = True
    denied_kinds = {"download": AccessKind.ATTACHMENT_DOWNLOADED}

    serializer_class = AttachmentSerializer
    permission_classes = [IsAuthenticated, AttachmentAccess]
    filterset_class = AttachmentFilter
    parser_classes = [MultiPartParser]

    def visible_to(self, user: User | None) -> QuerySet[Attachment]:
        return attachments_listing(user).order_by("created_at", "pk")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "create":
            return AttachmentUploadSerializer
        return AttachmentSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        upload = AttachmentUploadSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        attachment = attachment_upload(
            actor=self.actor,
            visit=data["visit"],
            file=data["file"],
            name=data["file"].name or "",
            description=data.get("description", ""),
            finding=data.get("finding"),
            interview=data.get("interview"),
            context=self.request_context,
        )
        body = AttachmentSerializer(
            self.get_queryset().get(pk=attachment.pk), context=self.get_serializer_context()
        ).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Attachment) -> None:
        attachment_delete(actor=self.actor, attachment=instance, context=self.request_context)

    @file_download_schema(_("Download an attachment"))
    @action(detail=True, methods=["get"])
    def download(self, request: Request, id: str | None = None) -> HttpResponse:
        content = attachment_read(
            actor=self.actor, attachment=self.get_object(), context=self.request_context
        )
        return file_download_response(content)
