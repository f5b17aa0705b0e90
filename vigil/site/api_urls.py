"""API v1 (/api/v1/): the explicit list of every app's endpoints.

The router is part of the top floor: it names the viewsets of every app, which the API
framework (`vigil.api`: base viewset, auth, pagination, errors) may not import. A new
endpoint is added here, then `make schema`.
"""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from vigil.analytics.api.reports import AnnualReportViewSet
from vigil.analytics.api.statistics import StatisticsViewSet
from vigil.api.auth import TokenObtainView
from vigil.api.tokens import ApiTokenViewSet, TokenLogoutView
from vigil.api.views import SchemaView
from vigil.appeals.api.accountability import AccountabilityViewSet
from vigil.appeals.api.appeals import AppealViewSet
from vigil.appeals.api.cases import CriminalCaseViewSet
from vigil.appeals.api.funnel import AppealsFunnelViewSet
from vigil.appeals.api.incidents import FollowUpViewSet, IncidentViewSet
from vigil.appeals.api.intake import (
    PartnerIntakeViewSet,
    PublicAppealStatusViewSet,
    PublicAppealViewSet,
)
from vigil.appeals.api.referrals import ReferralViewSet
from vigil.international.api.views import (
    AssessmentViewSet as UnAssessmentViewSet,
)
from vigil.international.api.views import (
    DocumentViewSet,
    LinkViewSet,
    ParagraphViewSet,
    ScaleViewSet,
)
from vigil.people.api import ParticipantViewSet
from vigil.recommendations.api.core import RecommendationViewSet
from vigil.recommendations.api.escalation import RecommendationEscalationViewSet
from vigil.recommendations.api.portal import AuthorityResponseViewSet, ResponseAttachmentViewSet
from vigil.recommendations.api.repeats import RecommendationRepeatViewSet
from vigil.recommendations.api.tallies import RecommendationTallyViewSet
from vigil.reference.api import AgencyViewSet, InstitutionTypeViewSet, RegionViewSet
from vigil.registry.api import InstitutionViewSet
from vigil.visits.api.attachments import AttachmentViewSet
from vigil.visits.api.checklists import ChecklistResponseViewSet, ChecklistTemplateViewSet
from vigil.visits.api.findings import FindingViewSet, NoteViewSet
from vigil.visits.api.interviews import InterviewViewSet
from vigil.visits.api.reports import VisitReportViewSet
from vigil.visits.api.visits import VisitViewSet

app_name = "api"

router = SimpleRouter()
# the caller's own API tokens
router.register("auth/tokens", ApiTokenViewSet, basename="api-token")
# reference data and the registry
router.register("regions", RegionViewSet, basename="region")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("institution-types", InstitutionTypeViewSet, basename="institution-type")
router.register("institutions", InstitutionViewSet, basename="institution")
# people and visits
router.register("participants", ParticipantViewSet, basename="participant")
router.register("visits", VisitViewSet, basename="visit")
router.register("checklist-templates", ChecklistTemplateViewSet, basename="checklist-template")
router.register("checklist-responses", ChecklistResponseViewSet, basename="checklist-response")
router.register("findings", FindingViewSet, basename="finding")
router.register("notes", NoteViewSet, basename="note")
router.register("visit-reports", VisitReportViewSet, basename="visit-report")
router.register("interviews", InterviewViewSet, basename="interview")
router.register("attachments", AttachmentViewSet, basename="attachment")
# analysis
router.register("annual-reports", AnnualReportViewSet, basename="annual-report")
# recommendations
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register(
    "recommendation-escalations",
    RecommendationEscalationViewSet,
    basename="recommendation-escalation",
)
router.register(
    r"recommendations/(?P<recommendation_id>[^/.]+)/responses",
    AuthorityResponseViewSet,
    basename="recommendation-response",
)
router.register("response-attachments", ResponseAttachmentViewSet, basename="response-attachment")
router.register(
    "recommendation-repeats", RecommendationRepeatViewSet, basename="recommendation-repeat"
)
router.register(
    "recommendation-tallies", RecommendationTallyViewSet, basename="recommendation-tally"
)
# appeals: handling
router.register("appeals", AppealViewSet, basename="appeal")
# appeals: intake (the public form and status check, partner intake)
router.register("public/appeals", PublicAppealViewSet, basename="public-appeal")
router.register("public/appeal-status", PublicAppealStatusViewSet, basename="public-appeal-status")
router.register("intake/appeals", PartnerIntakeViewSet, basename="intake-appeal")
# appeals: incidents, follow-ups, funnel
router.register("incidents", IncidentViewSet, basename="incident")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("appeals-funnel", AppealsFunnelViewSet, basename="appeals-funnel")
# appeals: referrals, criminal cases, accountability
router.register("referrals", ReferralViewSet, basename="referral")
router.register("criminal-cases", CriminalCaseViewSet, basename="criminal-case")
router.register("accountability", AccountabilityViewSet, basename="accountability")
# analytics: the dashboard's figures
router.register("statistics", StatisticsViewSet, basename="statistics")
# international: UN documents, paragraphs, assessments, scales, links to the NPM's evidence
router.register("international/documents", DocumentViewSet, basename="un-document")
router.register("international/paragraphs", ParagraphViewSet, basename="un-paragraph")
router.register("international/assessments", UnAssessmentViewSet, basename="un-assessment")
router.register("international/scales", ScaleViewSet, basename="un-scale")
router.register("international/links", LinkViewSet, basename="un-link")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token-obtain"),
    path("auth/logout/", TokenLogoutView.as_view(), name="token-logout"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("", include(router.urls)),
]
