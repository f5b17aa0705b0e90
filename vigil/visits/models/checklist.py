from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vigil.core.models import BaseModel, MultilingualNameMixin, localized_name
from vigil.reference.enums import InstitutionCategory

from ..enums import QuestionKind, Theme


class ChecklistTemplate(MultilingualNameMixin, BaseModel):
    code = models.CharField(_("code"), max_length=60, unique=True)
    category = models.CharField(
        _("institution category"), max_length=20, choices=InstitutionCategory.choices
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ("category", "code")


class ChecklistQuestion(BaseModel):
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=60)
    theme = models.CharField(_("theme"), max_length=2, choices=Theme.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text_kk = models.TextField(_("question (Kazakh)"), blank=True)
    text_ru = models.TextField(_("question (Russian)"), blank=True)
    text_en = models.TextField(_("question (English)"), blank=True)
    options = models.JSONField(
        _("options"),
        default=list,
        blank=True,
        help_text=_('For choice questions: [{"code": ..., "kk": ..., "ru": ..., "en": ...}].'),
    )
    references = models.CharField(
        _("standards"),
        max_length=300,
        blank=True,
        help_text=_("E.g. Nelson Mandela Rules 12–17."),
    )
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_(
            "Questions dropped from a newer version of the template are kept for the "
            "answers already given, but no longer asked."
        ),
    )

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ("template", "theme", "order", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "code"], name="visits_question_code_per_template"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localized_name(self, field="text")


class ChecklistResponse(BaseModel):
    """One checklist filled for one institution during one visit; saved part-way."""

    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.CASCADE, related_name="checklist_responses"
    )
    institution = models.ForeignKey(
        "registry.Institution", on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist response")
        verbose_name_plural = _("checklist responses")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "institution", "template"],
                name="visits_checklist_once_per_visit_institution",
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} · {self.institution}"


class ChecklistAnswer(BaseModel):
    response = models.ForeignKey(
        ChecklistResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(ChecklistQuestion, on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(_("answer"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="visits_answer_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value}"
