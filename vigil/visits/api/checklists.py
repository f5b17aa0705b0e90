"""API v1 for checklists: `register(router)` adds their viewsets.

/api/v1/checklist-templates/ — the templates in use, by code, with their questions (not
sensitive: any signed-in account). /api/v1/checklist-responses/ — the checklists of the
visits whose working material the caller may read (never an agency liaison); POST starts
one; POST …/{id}/answers/ saves one answer or a list of them. The same services as the
pages decide who may write and what an answer must be.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.models import User
from vigil.api.base import AuthenticatedRequest, VigilViewSet, VigilViewSetMixin, nested_rows
from vigil.reference.enums import InstitutionCategory
from vigil.registry.models import Institution

from ..enums import QuestionKind, Theme
from ..models import ChecklistAnswer, ChecklistQuestion, ChecklistResponse, ChecklistTemplate
from ..permissions import can_view_working_material, can_work_on_visit, working_material_visible_to
from ..selectors.checklists import (
    answers_of,
    checklist_responses_visible_to,
    checklist_template_detail,
    checklist_templates,
    option_label,
    with_progress,
)
from ..services.checklists import (
    AnswerInput,
    checklist_answer,
    checklist_answers_save,
    checklist_start,
)
from .policy import VisitPolicySerializer

NAME_HELP = _("The name in the request's language (Accept-Language), else the first one filled.")


# ---------------------------------------------------------------- templates


class ChecklistOptionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    label = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text=_("The label in the request's language.")
    )
    kk = serializers.CharField()
    ru = serializers.CharField()
    en = serializers.CharField()

    def get_label(self, obj: dict[str, Any]) -> str:
        return option_label(obj)


class ChecklistQuestionSerializer(serializers.ModelSerializer[ChecklistQuestion]):
    text = serializers.CharField(
        read_only=True, help_text=_("The question in the request's language.")
    )
    options = serializers.SerializerMethodField(
        help_text=_("For choice questions: the options an answer picks from, by code.")
    )

    class Meta:
        model = ChecklistQuestion
        fields = (
            "code",
            "theme",
            "order",
            "kind",
            "text",
            "text_kk",
            "text_ru",
            "text_en",
            "options",
            "references",
        )
        read_only_fields = fields

    @extend_schema_field(ChecklistOptionSerializer(many=True))
    def get_options(self, obj: ChecklistQuestion) -> list[dict[str, Any]]:
        return nested_rows(self, ChecklistOptionSerializer, obj.options or [])


class ChecklistTemplateSerializer(serializers.ModelSerializer[ChecklistTemplate]):
    name = serializers.CharField(read_only=True, help_text=NAME_HELP)
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields: tuple[str, ...] = (
            "code",
            "name",
            "name_kk",
            "name_ru",
            "name_en",
            "category",
            "version",
            "question_count",
        )
        read_only_fields = fields


class ChecklistTemplateDetailSerializer(ChecklistTemplateSerializer):
    questions = ChecklistQuestionSerializer(many=True, read_only=True, source="questions_in_order")

    class Meta(ChecklistTemplateSerializer.Meta):
        fields = (*ChecklistTemplateSerializer.Meta.fields, "questions")
        read_only_fields = fields


class ChecklistTemplateFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        choices=InstitutionCategory.choices, help_text=_("Institution category.")
    )

    class Meta:
        model = ChecklistTemplate
        fields = ("category",)


@extend_schema_view(
    list=extend_schema(
        summary=_("List checklist templates"),
        description=_("The templates in use, one per institution category, without questions."),
    ),
    retrieve=extend_schema(
        summary=_("Show a checklist template"),
        description=_("A template by its code, with its questions in order (theme, then order)."),
    ),
)
class ChecklistTemplateViewSet(VigilViewSetMixin, viewsets.ReadOnlyModelViewSet[ChecklistTemplate]):
    """Checklist templates: structured by theme (T1–T8), questions in kk, ru and en."""

    filterset_class = ChecklistTemplateFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9_-]+"

    def get_queryset(self) -> QuerySet[ChecklistTemplate]:
        if self.action == "retrieve":
            return checklist_template_detail()
        return checklist_templates()

    def get_serializer_class(self) -> type[serializers.BaseSerializer[ChecklistTemplate]]:
        if self.action == "retrieve":
            return ChecklistTemplateDetailSerializer
        return ChecklistTemplateSerializer


# ---------------------------------------------------------------- responses and answers


class ChecklistAnswerSerializer(
    VisitPolicySerializer, serializers.ModelSerializer[ChecklistAnswer]
):
    question = serializers.CharField(source="question.code", read_only=True)
    theme = serializers.ChoiceField(source="question.theme", choices=Theme.choices, read_only=True)
    kind = serializers.ChoiceField(
        source="question.kind", choices=QuestionKind.choices, read_only=True
    )
    value = serializers.JSONField(
        read_only=True,
        help_text=_(
            "yes_no_partial: “yes”, “no” or “partial”; number: 0 or more; single_choice: an "
            "option code; multiple_choice: a list of option codes; text: a text; null: no answer."
        ),
    )
    answered_by = serializers.CharField(source="answered_by.full_name", read_only=True)

    class Meta:
        model = ChecklistAnswer
        fields = ("question", "theme", "kind", "value", "comment", "answered_by", "updated_at")
        read_only_fields = fields


class ChecklistResponseSerializer(
    VisitPolicySerializer, serializers.ModelSerializer[ChecklistResponse]
):
    id = serializers.UUIDField(source="public_id", read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:checklist-response-detail", lookup_field="public_id", lookup_url_kwarg="id"
    )
    visit = serializers.UUIDField(source="visit.public_id", read_only=True)
    visit_reference = serializers.CharField(source="visit.reference", read_only=True)
    institution = serializers.UUIDField(source="institution.public_id", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    template = serializers.CharField(source="template.code", read_only=True)
    template_version = serializers.IntegerField(source="template.version", read_only=True)
    started_by = serializers.CharField(source="started_by.full_name", read_only=True)
    answered = serializers.IntegerField(
        read_only=True, help_text=_("Questions in use that have an answer.")
    )
    total = serializers.IntegerField(read_only=True, help_text=_("Questions in use."))

    class Meta:
        model = ChecklistResponse
        fields: tuple[str, ...] = (
            "id",
            "url",
            "visit",
            "visit_reference",
            "institution",
            "institution_name",
            "template",
            "template_version",
            "started_by",
            "answered",
            "total",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class ChecklistResponseDetailSerializer(ChecklistResponseSerializer):
    answers = serializers.SerializerMethodField()

    class Meta(ChecklistResponseSerializer.Meta):
        fields = (*ChecklistResponseSerializer.Meta.fields, "answers")
        read_only_fields = fields

    @extend_schema_field(ChecklistAnswerSerializer(many=True))
    def get_answers(self, obj: ChecklistResponse) -> list[dict[str, Any]]:
        return ChecklistAnswerSerializer(  # type: ignore[return-value]
            answers_of(obj), many=True, context=self.context
        ).data


class ChecklistStartSerializer(serializers.Serializer[Any]):
    visit = serializers.UUIDField(help_text=_("The visit's id."))
    institution = serializers.UUIDField(help_text=_("The id of one of the visit's institutions."))


class ChecklistAnswerInputSerializer(serializers.Serializer[Any]):
    question = serializers.CharField(max_length=60, help_text=_("The question's code."))
    value = serializers.JSONField(
        allow_null=True,
        help_text=_(
            "yes_no_partial: “yes”, “no” or “partial”; number: 0 or more; single_choice: an "
            "option code; multiple_choice: a list of option codes; text: a text; null clears."
        ),
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("Left out: the comment stays as it is."),
    )


class ChecklistResponseFilter(django_filters.FilterSet):
    visit = django_filters.UUIDFilter(
        field_name="visit__public_id", label=_("Visit"), help_text=_("The visit's id.")
    )
    institution = django_filters.UUIDFilter(
        field_name="institution__public_id",
        label=_("Institution"),
        help_text=_("The institution's id."),
    )

    class Meta:
        model = ChecklistResponse
        fields = ("visit", "institution")


_ANSWERS_REQUEST = PolymorphicProxySerializer(
    component_name="ChecklistAnswersInput",
    serializers=[ChecklistAnswerInputSerializer, ChecklistAnswerInputSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List checklists"),
        description=_(
            "The checklists of the visits whose working material the caller may read: the "
            "visit's team, coordinators, regional representatives in their regions, auditors. "
            "Never an agency liaison."
        ),
    ),
    retrieve=extend_schema(
        summary=_("Show a checklist with its answers"),
        responses=ChecklistResponseDetailSerializer,
    ),
    create=extend_schema(
        summary=_("Start a checklist"),
        description=_(
            "Starts the checklist of one of the visit's institutions (the institution type's "
            "category picks the template), while the visit is on site or debriefed; answers "
            "200 with the one already started, 201 with a new one."
        ),
        request=ChecklistStartSerializer,
        responses={
            200: ChecklistResponseDetailSerializer,
            201: ChecklistResponseDetailSerializer,
        },
    ),
    answers=extend_schema(
        summary=_("Save answers"),
        description=_(
            "One answer, or a list of answers saved all or nothing (errors keyed by "
            "position, e.g. `2.value`). Answering again updates. Allowed to the visit's team "
            "and planners in scope while the visit is on site or debriefed."
        ),
        request=_ANSWERS_REQUEST,
        responses={200: ChecklistAnswerSerializer(many=True)},
    ),
)
class ChecklistResponseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    VigilViewSet[ChecklistResponse],
):
    """Checklists filled during visits, one per visited institution, answered part-way."""

    filterset_class = ChecklistResponseFilter

    def visible_to(self, user: User | None) -> QuerySet[ChecklistResponse]:
        return checklist_responses_visible_to(user).order_by("-created_at", "-id")

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        if self.action == "retrieve":
            return ChecklistResponseDetailSerializer
        if self.action == "create":
            return ChecklistStartSerializer
        if self.action == "answers":
            return ChecklistAnswerInputSerializer
        return ChecklistResponseSerializer

    def _detail(self, response: ChecklistResponse, code: int) -> Response:
        fresh = with_progress(ChecklistResponse.objects.filter(pk=response.pk)).select_related(
            "visit", "institution", "template", "started_by"
        )
        serializer = ChecklistResponseDetailSerializer(
            fresh.get(), context=self.get_serializer_context()
        )
        return Response(serializer.data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = self.actor
        serializer = ChecklistStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visit = (
            working_material_visible_to(user)
            .filter(public_id=serializer.validated_data["visit"])
            .first()
        )
        if visit is None or not can_view_working_material(user, visit):
            raise exceptions.ValidationError({"visit": [_("There is no such visit.")]})
        if not can_work_on_visit(user, visit):
            raise exceptions.PermissionDenied(_("You may not fill in checklists on this visit."))
        institution = (
            Institution.objects.filter(
                pk__in=visit.institutions.values("pk"),
                public_id=serializer.validated_data["institution"],
            )
            .select_related("type")
            .first()
        )
        if institution is None:
            raise exceptions.ValidationError(
                {"institution": [_("This institution is not part of the visit.")]}
            )
        existed = ChecklistResponse.objects.filter(visit=visit, institution=institution).exists()
        response = checklist_start(
            actor=user,
            visit=visit,
            institution=institution,
            context=self.request_context,
        )
        return self._detail(response, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], pagination_class=None)
    def answers(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> Response:
        user = self.actor
        response = self.get_object()
        if not can_work_on_visit(user, response.visit):
            raise exceptions.PermissionDenied(_("You may not fill in checklists on this visit."))
        many = isinstance(request.data, list)
        serializer = ChecklistAnswerInputSerializer(data=request.data, many=many)
        serializer.is_valid(raise_exception=True)
        rows = serializer.validated_data if many else [serializer.validated_data]
        inputs = [
            AnswerInput(question=row["question"], value=row["value"], comment=row.get("comment"))
            for row in rows
        ]
        context = self.request_context
        if many:
            saved = checklist_answers_save(
                actor=user, response=response, answers=inputs, context=context
            )
        else:
            item = inputs[0]
            question = ChecklistQuestion.objects.filter(
                template=response.template_id, code=item.question, is_active=True
            ).first()
            if question is None:
                raise exceptions.ValidationError(
                    {
                        "question": [
                            _("There is no question “%(code)s” in this checklist.")
                            % {"code": item.question}
                        ]
                    }
                )
            saved = [
                checklist_answer(
                    actor=user,
                    response=response,
                    question=question,
                    value=item.value,
                    comment=item.comment,
                    context=context,
                )
            ]
        answers = ChecklistAnswer.objects.filter(
            pk__in=[a.pk for a in saved if a is not None]
        ).select_related("question", "answered_by")
        by_code = {a.question.code: a for a in answers}
        ordered = [by_code[i.question] for i in inputs if i.question in by_code]
        return Response(
            ChecklistAnswerSerializer(ordered, many=True, context={"request": request}).data
        )
