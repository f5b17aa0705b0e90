"""Appeals, referrals, criminal cases (art. 146), accountability, incidents and reprisal
follow-ups, with their reference data and timelines."""

from .appeal import Appeal, AppealAttachment, AppealIdentity
from .case import AccountabilityRecord, CaseClassification, CriminalCase, Suspect
from .incident import FollowUpContact, Incident
from .intake import IntakePartner
from .reference import AllegationType, AppealSubject, InvestigatingBody, TimeLimit
from .referral import Referral
from .timeline import AppealEvent, CaseEvent, ReferralEvent

__all__ = [
    "AccountabilityRecord",
    "AllegationType",
    "Appeal",
    "AppealAttachment",
    "AppealEvent",
    "AppealIdentity",
    "AppealSubject",
    "CaseClassification",
    "CaseEvent",
    "CriminalCase",
    "FollowUpContact",
    "Incident",
    "IntakePartner",
    "InvestigatingBody",
    "Referral",
    "ReferralEvent",
    "Suspect",
    "TimeLimit",
]
