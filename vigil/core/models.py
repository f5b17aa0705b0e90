"""Base model shared by every domain entity."""

import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Public UUID for URLs and the API, never the sequential key; timestamps."""

    public_id = models.UUIDField(
        _("public id"), default=uuid.uuid4, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class MultilingualNameMixin(models.Model):
    """A name in each of the platform's languages; `name` picks the active one."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return localized_name(self)

    def __str__(self) -> str:
        return self.name


NAME_FALLBACK_ORDER = ("ru", "kk", "en")


def localized_name(obj: object, language: str | None = None) -> str:
    """The object's name in `language` (default: active), else the first one filled."""
    lang = (language or get_language() or "ru")[:2]
    for code in (lang, *NAME_FALLBACK_ORDER):
        value = getattr(obj, f"name_{code}", "")
        if value:
            return str(value)
    return ""
