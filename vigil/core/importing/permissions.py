"""Who sees an uploaded import file: its uploader, and everyone who may import that kind
(only its uploader for a kind with `private_batches`)."""

from django.db.models import QuerySet

from ..models import ImportBatch
from .kinds import Actor, import_kind


def import_batches_visible_to(user: Actor, kind: str) -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.filter(kind=kind).select_related("uploaded_by", "applied_by")
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    hooks = import_kind(kind)
    if hooks.may_import(user) and not hooks.private_batches:
        return qs
    return qs.filter(uploaded_by=user)
