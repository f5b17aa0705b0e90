"""The shared data set of the authorization matrix: the demo data, an account for every column
of the table and one object of every kind a route takes, with the sample arguments of each
route (`Sample.page_url`, `Sample.api_url`)."""

import datetime
import io
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model, QuerySet
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY
from PIL import Image

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.accounts.services import user_create
from vigil.accounts.tokens import api_token_issue
from vigil.accounts.twofactor.services import confirmed_device, enrolment_preset
from vigil.analytics.models import AnnualReport, ReportBuild
from vigil.analytics.opendata.datasets import published_years
from vigil.appeals.enums import Disclosure
from vigil.appeals.models import (
    AccountabilityRecord,
    Appeal,
    AppealAttachment,
    CriminalCase,
    FollowUpContact,
    Incident,
    Referral,
)
from vigil.appeals.services.handling import appeal_attachment_upload
from vigil.appeals.services.referrals import kinds_without_consent
from vigil.appeals.services.retention import appeal_hold_change
from vigil.core.models import ImportBatch
from vigil.people.models import ConflictDeclaration, ParticipantAbsence
from vigil.planning.models import CoverageRule
from vigil.recommendations.enums import Source, State
from vigil.recommendations.models import Recommendation, ResponseAttachment
from vigil.recommendations.services.responses import response_submit
from vigil.reference.enums import AgencyLevel, RegionKind
from vigil.reference.models import Agency, InstitutionType, Region
from vigil.reference.selectors import agency_subtree_ids
from vigil.visits.enums import VisitState
from vigil.visits.models import (
    Attachment,
    AttachmentCustody,
    ChecklistResponse,
    Finding,
    InternalNote,
    Interview,
    TeamMember,
    Visit,
)
from vigil.visits.models.checklist import ChecklistQuestion, ChecklistTemplate
from vigil.visits.services.attachments import attachment_upload
from vigil.visits.services.retention import visit_hold_change

from .matrix_un import un_follow_up

# The columns of the table, in its order, and what each means.
COLUMNS: dict[str, str] = {
    "anon": "anonymous",
    "admin": "administrator",
    "coord": "coordinator",
    "reg": "regional representative of the objects' regions",
    "reg✗": "regional representative of another region",
    "mon": "monitor on the visit's team (the appeal assigned to them)",
    "mon✗": "monitor on no team",
    "liai": "agency liaison of the objects' agency",
    "liai✗": "agency liaison of another agency",
    "aud": "auditor",
}
# Objects a route may be asked about instead of the usual one (`route [variant]` in the table).
VARIANTS = ("planned",)


def first[M: Model](queryset: QuerySet[M]) -> M:
    found = queryset.order_by("pk").first()
    assert found is not None, queryset.model
    return found


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG")
    return out.getvalue()


def _user(email: str, role: Role, **scope: Any) -> User:
    return user_create(actor=None, email=email, full_name=email, role=role, **scope)


@dataclass
class Sample:
    """The accounts of the columns and an object of every kind."""

    users: dict[str, User | None]
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def sign_in(self, client: Client, column: str) -> None:
        """Sign the column's account in; an account with an authenticator (the monitor's) has
        entered its code in this session, as after a real sign-in."""
        user = self.users[column]
        if user is None:
            return
        client.force_login(user)
        device = confirmed_device(user)
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    # ------------------------------------------------------------------ pages

    def page_url(self, name: str, params: list[str], variant: str = "") -> str:
        namespace, _, view = name.rpartition(":")
        values: dict[str, Any] = {
            "year": self.visit.planned_start.year,
            "visit_id": self.reported_visit.public_id,
            "response_id": self.checklist.public_id,
            "interview_id": self.interview.public_id,
            "conflict_id": self.conflict.public_id,
            "absence_id": self.absence.public_id,
            "appeal_id": self.appeal.public_id,
            "attachment_id": self._attachment_for(namespace).public_id,
            "kind": "acknowledgement",
            "dataset": "visits",
            "build_id": self.annual_build.public_id,
            "fmt": "pdf" if "letter" in view or view == "followup_report" else "csv",
            "code": self.question_code,
            "uidb64": urlsafe_base64_encode(force_bytes(self.users["mon"].pk)),  # type: ignore[union-attr]
            "token": default_token_generator.make_token(self.users["mon"]),  # type: ignore[arg-type]
            "token_id": self.api_token.public_id,
            "link_id": self.un_link.public_id,
            "form_id": "vigil-0-0",
            "institution_id": self.checklist.institution.public_id,
        }
        if namespace == "opendata":
            values["year"] = published_years()[0]
        if namespace.startswith("analytics"):
            values["year"] = self.annual_build.report.year
        if view.startswith("checklist_template"):
            values["code"] = self.checklist_code
        if view in ("issue_visit", "issue_visit_all", "visit_recommendation_create"):
            values["visit_id"] = self.reported_visit.public_id
        elif view in ("create_from_visit", "incident_create_for_visit"):
            values["visit_id"] = self.visit.public_id
        if "public_id" in params:
            values["public_id"] = self._public_id(namespace, view, variant)
        url = reverse(name, kwargs={p: values[p] for p in params})
        return url + ("?rec=" + str(self.refused.public_id) if view == "escalate" else "")

    def _attachment_for(self, namespace: str) -> Any:
        return {
            "visits": self.attachment,
            "recommendations": self.response_attachment,
            "appeals": self.appeal_attachment,
        }.get(namespace, self.attachment)

    def _public_id(self, namespace: str, view: str, variant: str) -> Any:
        if view == "import_preview":
            return self.imports[namespace].public_id
        if namespace == "visits":
            if view in ("finding_detail", "finding_edit", "finding_delete"):
                return self.finding.public_id
            if view.startswith("checklist"):
                return self.checklist.visit.public_id
            if view.startswith("report"):
                return self.reported_visit.public_id
            return (self.planned_visit if variant == "planned" else self.visit).public_id
        if namespace == "recommendations":
            if view in ("edit", "delete", "issue"):
                return self.draft.public_id
            if view.startswith("escalation"):
                return self.escalation.public_id
            return self.recommendation.public_id
        if namespace.startswith("appeals"):
            return self._appeals_object(view).public_id
        if namespace == "international":
            # a paragraph's routes take the paragraph (its creation: the document)
            on_paragraph = view.startswith(("paragraph_", "assessment_"))
            if on_paragraph and view != "paragraph_create":
                return self.un_paragraph.public_id
            return self.un_document.public_id
        by_namespace = {
            "accounts": self.users["mon"],
            "registry": self.institution,
            "people": self.conflict.participant,
            "planning": self.coverage_rule,
        }
        return by_namespace[namespace].public_id

    def _appeals_object(self, view: str) -> Any:
        prefixes = (
            ("referral_create", self.appeal),
            ("referral_from_interview", self.interview),
            ("referral_", self.referral),
            ("case_", self.case),
            ("accountability_", self.accountability),
            ("incident_", self.incident),
            ("follow_up_", self.follow_up),
        )
        return next((obj for prefix, obj in prefixes if view.startswith(prefix)), self.appeal)

    # ------------------------------------------------------------------ API

    def api_body(self, path: str, method: str) -> str:
        """The JSON body of a write: a valid one for the creations whose scope (a visit, an
        appeal) is named in the body, so that the answer shows who may write there; else
        empty (`{}`: the checks made before validation)."""
        if method not in ("POST", "PUT", "PATCH"):
            return ""
        visit = str(self.visit.public_id)
        bodies: dict[str, dict[str, Any]] = {
            "/api/v1/findings/": {
                "visit": visit,
                "institution": str(self.institution.public_id),
                "theme": "T1",
                "severity": "minor",
                "title": "Matrix finding",
                "description": "Observed during the visit.",
            },
            "/api/v1/notes/": {"visit": visit, "text": "Observation."},
            "/api/v1/appeals/": {"channel": "visit", "visit": visit, "content": "A complaint."},
            "/api/v1/referrals/": {
                "appeal": str(self.appeal.public_id),
                "body_kind": "prosecutor",
                "body_name": "Prosecutor's office",
                "discloses": self.consented,
            },
        }
        return json.dumps(bodies.get(path, {}) if method == "POST" else {})

    def api_url(self, path: str, variant: str = "") -> str:
        """The schema's path with the sample's values in its parameters."""
        resource = path.removeprefix("/api/v1/").split("/")[0]
        visit = self.planned_visit if variant == "planned" else self.visit
        ids: dict[str, Any] = {
            "accountability": self.accountability.public_id,
            "appeals": self.appeal.public_id,
            "attachments": self.attachment.public_id,
            "checklist-responses": self.checklist.public_id,
            "criminal-cases": self.case.public_id,
            "auth": self.api_token.public_id,
            "findings": self.finding.public_id,
            "follow-ups": self.follow_up.public_id,
            "incidents": self.incident.public_id,
            "institutions": self.institution.public_id,
            "interviews": self.interview.public_id,
            "notes": self.note.public_id,
            "participants": self.conflict.participant.public_id,
            "recommendation-escalations": self.escalation.public_id,
            "recommendations": self.recommendation.public_id,
            "referrals": self.referral.public_id,
            "response-attachments": self.response_attachment.public_id,
            "visits": visit.public_id,
        }
        if resource == "recommendations" and re.search(r"\{id\}/(issue/)?$", path):
            ids["recommendations"] = self.draft.public_id
        if resource == "international":  # /api/v1/international/<kind>/...
            resource = "international/" + path.removeprefix("/api/v1/").split("/")[1]
            ids.update(
                {
                    "international/documents": self.un_paragraph.document.public_id,
                    "international/paragraphs": self.un_paragraph.public_id,
                    "international/assessments": self.un_assessment.public_id,
                    "international/links": self.un_link.public_id,
                }
            )
        values: dict[str, Any] = {
            "id": ids.get(resource),
            "code": {
                "agencies": self.institution.agency.code,
                "regions": self.institution.region.code,
                "institution-types": self.institution.type.code,
                "checklist-templates": self.checklist_code,
                "international/scales": "implementation-1-3",
            }.get(resource),
            "year": self.annual_build.report.year,
            "build_id": self.annual_build.public_id,
            "visit_id": self.reported_visit.public_id,
            "conflict_id": self.conflict.public_id,
            "recommendation_id": self.recommendation.public_id,
        }
        if resource == "recommendations" and "{recommendation_id}" in path:
            values["id"] = self.response.public_id
        return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def build_sample() -> Sample:
    """On the demo data: the accounts of the columns, and the objects chosen (or completed)
    so that each account stands where its column says."""
    liaison = User.objects.get(email="liaison@demo.vigil")
    subtree = agency_subtree_ids(liaison.agency)
    other_region = Region.objects.create(
        code="ZZ-99", kind=RegionKind.REGION, name_en="Elsewhere", name_ru="Где-то", name_kk="Басқа"
    )
    other_agency = Agency.objects.create(
        code="ELSEWHERE",
        level=AgencyLevel.MINISTRY,
        name_en="Elsewhere",
        name_ru="Где-то",
        name_kk="Басқа",
    )
    # A visit on site with an interview, at an institution of the liaison's agency.
    interview = first(
        Interview.objects.filter(
            visit__state=VisitState.ON_SITE, visit__institutions__agency__in=subtree
        )
    )
    visit = interview.visit
    lead = visit.team.get(is_lead=True).participant
    reported = first(Visit.objects.filter(state=VisitState.REPORT_APPROVED))
    TeamMember.objects.get_or_create(visit=reported, participant=lead)
    users: dict[str, User | None] = {
        "anon": None,
        "admin": User.objects.get(email="admin@demo.vigil"),
        "coord": User.objects.get(email="coordinator@demo.vigil"),
        "reg": _user(
            "regional-all@matrix.test",
            Role.REGIONAL,
            regions=list(Region.objects.exclude(pk=other_region.pk)),
        ),
        "reg✗": _user("regional-other@matrix.test", Role.REGIONAL, regions=[other_region]),
        "mon": lead.user,
        "mon✗": _user("monitor-other@matrix.test", Role.MONITOR),
        "liai": liaison,
        "liai✗": _user("liaison-other@matrix.test", Role.LIAISON, agency=other_agency),
        "aud": User.objects.get(email="auditor@demo.vigil"),
    }
    coordinator = users["coord"]
    assert coordinator is not None
    appeal = first(
        Appeal.objects.filter(identity__isnull=False, state__in=("triaged", "in_review"))
    )
    Appeal.objects.filter(pk=appeal.pk).update(assigned_to=lead.user)
    appeal.refresh_from_db()
    recommendation = first(
        Recommendation.objects.filter(addressee__in=subtree, state=State.AWAITING_RESPONSE)
    )
    kept = ResponseAttachment.objects.filter(response__recommendation=recommendation).first()
    response = kept.response if kept is not None else None
    if response is None:
        response = response_submit(
            actor=coordinator,
            recommendation=recommendation,
            responding_agency=recommendation.addressee,
            letter_number="M-1",
            letter_date=datetime.date.today(),  # noqa: DTZ011 - a letter's date
            measures="Measures.",
            claimed_status=State.IN_IMPLEMENTATION,
            attachments=[SimpleUploadedFile("letter.png", png())],
        )
        recommendation.refresh_from_db()
    checklist = first(ChecklistResponse.objects.filter(visit__in=(visit, reported)))
    conflict = first(ConflictDeclaration.objects.select_related("participant"))
    sample = Sample(users=users)
    sample.objects.update(
        visit=visit,
        planned_visit=first(
            Visit.objects.filter(state=VisitState.PLANNED, institutions__agency__in=subtree)
        ),
        reported_visit=reported,
        interview=interview,
        institution=first(visit.institutions.filter(agency__in=subtree)),
        finding=first(Finding.objects.filter(visit__in=(visit, reported))),
        note=InternalNote.objects.filter(visit=visit).first()
        or InternalNote.objects.create(visit=visit, author=lead.user, text="Observation."),
        checklist=checklist,
        checklist_code=first(ChecklistTemplate.objects.all()).code,
        question_code=first(ChecklistQuestion.objects.filter(template=checklist.template)).code,
        conflict=conflict,
        absence=ParticipantAbsence.objects.create(
            participant=conflict.participant,
            starts_on=datetime.date(2030, 7, 1),
            ends_on=datetime.date(2030, 7, 20),
        ),
        coverage_rule=first(CoverageRule.objects.all()),
        recommendation=recommendation,
        response=response,
        draft=_draft(recommendation),
        escalation=first(Recommendation.objects.filter(source=Source.ESCALATION)),
        refused=first(Recommendation.objects.filter(state=State.NOT_ACCEPTED)),
        appeal=appeal,
        referral=first(Referral.objects.filter(appeal__isnull=False)),
        case=first(CriminalCase.objects.filter(classifications__isnull=False)),
        accountability=first(AccountabilityRecord.objects.all()),
        incident=first(Incident.objects.all()),
        follow_up=first(FollowUpContact.objects.filter(done_on__isnull=True)),
        attachment=Attachment.objects.filter(visit=visit, custody__isnull=False).first()
        or attachment_upload(
            actor=coordinator,
            visit=visit,
            file=SimpleUploadedFile("photo.png", png()),
            name="photo.png",
        ),
        response_attachment=first(ResponseAttachment.objects.filter(response=response)),
        appeal_attachment=AppealAttachment.objects.filter(appeal=appeal).first()
        or appeal_attachment_upload(
            actor=coordinator,
            appeal=appeal,
            file=SimpleUploadedFile("scan.png", png()),
            name="scan.png",
        ),
        annual_build=_annual_build(visit.planned_start.year),
        imports={
            namespace: ImportBatch.objects.create(
                kind=kind,
                uploaded_by=coordinator,
                file_name="import.csv",
                file_format=ImportBatch.FileFormat.CSV,
                content=b"",
            )
            for namespace, kind in (
                ("registry", "institutions"),
                ("recommendations", "recommendations"),
                ("appeals:appeal_import", "appeals"),
                ("appeals:case_import", "criminal_cases"),
                ("appeals:accountability_import", "accountability"),
                ("international", "un_recommendations"),
                ("visits:submission_import", "checklist_submissions"),
            )
        },
    )
    assert sample.institution.type_id in InstitutionType.objects.values_list("pk", flat=True)
    _two_factor_tokens_and_holds(sample, coordinator)
    un_follow_up(sample, coordinator)
    return sample


def _two_factor_tokens_and_holds(sample: Sample, coordinator: User) -> None:
    """The monitor's API token and authenticator; legal holds on the visit and the appeal
    (their hold pages offer to lift them)."""
    monitor = sample.users["mon"]
    assert monitor is not None
    sample.objects["api_token"], _key = api_token_issue(user=monitor, name="field laptop")
    enrolment_preset(user=monitor, secret=b"0123456789abcdefghij", data={})
    visit_hold_change(actor=coordinator, visit=sample.visit, place=True, reason="Case 1.")
    appeal_hold_change(actor=coordinator, appeal=sample.appeal, place=True, reason="Case 1.")
    assert AttachmentCustody.objects.filter(attachment=sample.attachment).exists()
    # What the appeal's author consented to pass on (a valid referral's `discloses`).
    sample.objects["consented"] = [
        kind for kind in Disclosure.values if not kinds_without_consent(sample.appeal, [kind])
    ]
    assert sample.consented


def _draft(recommendation: Recommendation) -> Recommendation:
    """A draft like the sample recommendation (the demo data has none)."""
    draft = Recommendation.objects.get(pk=recommendation.pk)
    draft.pk = None
    draft.public_id = uuid.uuid4()
    draft.reference = f"{recommendation.reference}-D"
    draft.external_ref = None
    draft.state = State.DRAFT
    draft.save()
    return draft


def _annual_build(year: int) -> ReportBuild:
    """The year's annual report (the demo has none) with a build waiting to start."""
    report, _ = AnnualReport.objects.get_or_create(
        year=year, defaults={"title_kk": "Баяндама", "title_ru": "Доклад", "title_en": "Report"}
    )
    return ReportBuild.objects.create(report=report, language="ru")
