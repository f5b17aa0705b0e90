"""The choices of appeals, referrals, criminal cases (art. 146), accountability records,
incidents and reprisal follow-ups. Subject categories, allegation types, investigating bodies
and time limits are data (`models/reference.py`), not choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    VISIT = "visit", _("During a visit")
    LETTER = "letter", _("Letter")
    WEB_FORM = "web_form", _("Public form on the website")
    E_GOVERNMENT = "e_government", _("E-government portal")
    TERMINAL = "terminal", _("Electronic terminal in an institution")
    HOTLINE = "hotline", _("Hotline")
    RELATIVE = "relative", _("Through a relative")
    LAWYER = "lawyer", _("Through a lawyer")
    NGO = "ngo", _("Through an NGO")
    ANONYMOUS = "anonymous", _("Anonymous")
    OWN_INITIATIVE = "own_initiative", _("Own initiative")


class AppealState(models.TextChoices):
    RECEIVED = "received", _("Received")
    REGISTERED = "registered", _("Registered")
    TRIAGED = "triaged", _("Triaged")
    IN_REVIEW = "in_review", _("In review")
    REFERRED = "referred", _("Referred")
    EXPLAINED = "explained", _("Explained")
    OUT_OF_MANDATE = "out_of_mandate", _("Out of mandate")
    RESPONSE_RECEIVED = "response_received", _("Response received")
    CLOSED_RESOLVED = "closed_resolved", _("Closed: resolved")
    CLOSED_UNRESOLVED = "closed_unresolved", _("Closed: unresolved")
    MERGED = "merged", _("Merged into another appeal")


CLOSED_APPEAL_STATES: frozenset[str] = frozenset(
    {AppealState.CLOSED_RESOLVED, AppealState.CLOSED_UNRESOLVED, AppealState.MERGED}
)
"""States in which an appeal is no longer handled (no deadline, no duplicate alert)."""


class PublicStatus(models.TextChoices):
    """What the public status check says: a plain word per stage, nothing else."""

    RECEIVED = "received", _("Received: waiting to be registered")
    IN_PROGRESS = "in_progress", _("Registered: being examined")
    REFERRED = "referred", _("Passed to the competent body")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    IMMEDIATE = "immediate", _("Immediate danger to a person")


class Disclosure(models.TextChoices):
    """What a referral passes on; the person consents to each kind apart."""

    IDENTITY = "identity", _("Identity of the person")
    ALLEGATION = "allegation", _("The allegation")
    MEDICAL = "medical", _("Medical evidence")


class ReferralBodyKind(models.TextChoices):
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    INTERNAL_SECURITY = "internal_security", _("Internal security")
    HEALTH = "health", _("Health body")
    CHILD_PROTECTION = "child_protection", _("Child-protection body")
    COURT = "court", _("Court")
    OTHER = "other", _("Other body")


class ReferralState(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REGISTERED = "registered", _("Registered")
    REFUSED = "refused", _("Refused")
    OUTCOME_RECEIVED = "outcome_received", _("Outcome received")


class CasePart(models.IntegerChoices):
    PART_1 = 1, _("Part 1: cruel, inhuman or degrading treatment")
    PART_2 = 2, _("Part 2: torture")
    PART_3 = 3, _("Part 3: aggravated")
    PART_4 = 4, _("Part 4: especially aggravated")


class CaseState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    REGISTERED = "registered", _("Registered")
    REGISTRATION_REFUSED = "registration_refused", _("Registration refused")
    INVESTIGATION = "investigation", _("Under investigation")
    CHARGED = "charged", _("Charged")
    IN_COURT = "in_court", _("In court")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    FINAL = "final", _("Final")
    TERMINATED = "terminated", _("Terminated")
    SUSPENDED = "suspended", _("Suspended")


class TerminationGround(models.TextChoices):
    LACK_OF_EVIDENCE = "lack_of_evidence", _("Lack of evidence")
    NO_CRIME = "no_crime", _("No elements of a crime")
    RECLASSIFIED = "reclassified", _("Reclassified under another article")
    AMNESTY = "amnesty", _("Amnesty or limitation period")
    DEATH = "death", _("Death of the suspect")
    OTHER = "other", _("Other grounds")


class ForensicStatus(models.TextChoices):
    NOT_REQUESTED = "not_requested", _("Not requested")
    REQUESTED = "requested", _("Requested")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class ForensicResult(models.TextChoices):
    CONSISTENT = "consistent", _("Consistent with the allegation")
    PARTLY = "partly", _("Partly consistent")
    NOT_CONSISTENT = "not_consistent", _("Not consistent")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


class Responsibility(models.TextChoices):
    DISCIPLINARY = "disciplinary", _("Disciplinary")
    ADMINISTRATIVE = "administrative", _("Administrative")
    CRIMINAL = "criminal", _("Criminal")


class Initiative(models.TextChoices):
    COMMISSIONER_REPRESENTATIVE = "commissioner", _("Commissioner's representative")
    NPM_PARTICIPANT = "npm_participant", _("NPM participant")
    OTHER = "other", _("Other")


class IncidentKind(models.TextChoices):
    REPRISAL = "reprisal", _("Reprisal")
    ACCESS_OBSTRUCTION = "access_obstruction", _("Access obstruction")
    DEATH_IN_CUSTODY = "death_in_custody", _("Death in custody")
    SELF_HARM = "self_harm", _("Self-harm")


class FollowUpOutcome(models.TextChoices):
    NO_CONCERN = "no_concern", _("Reached: no concern")
    CONCERN = "concern", _("Reached: concern raised")
    REPRISAL_REPORTED = "reprisal_reported", _("Reached: reprisal reported")
    UNREACHABLE = "unreachable", _("Could not be reached")


class EventKind(models.TextChoices):
    """What a timeline (appeal, referral, case) records."""

    CREATED = "created", _("Created")
    STATE_CHANGED = "state_changed", _("Status changed")
    EDITED = "edited", _("Edited")
    ASSIGNED = "assigned", _("Assigned")
    EXTENDED = "extended", _("Deadline extended")
    MERGED = "merged", _("Merged")
    LETTER = "letter", _("Letter generated")
    REFERRED = "referred", _("Referred")
    CONSENT_OVERRIDDEN = "consent_overridden", _("Consent overridden")
    RECLASSIFIED = "reclassified", _("Reclassified")
    REMINDER = "reminder", _("Reminder sent")
    NOTE = "note", _("Note")


class TimeLimitCode(models.TextChoices):
    """The time limits of appeal handling; their lengths are data (`TimeLimit`)."""

    ANSWER = "answer", _("Answer to the appellant")
    EXTENSION_MAX = "extension_max", _("Longest extension of the answer")
    OUT_OF_MANDATE = "out_of_mandate", _("Forwarding of an appeal outside the mandate")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    MONTHS = "months", _("months")
