from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskFactorCode(models.TextChoices):
    """The terms of the risk score (docs/planning.md gives each one's raw value)."""

    TIME_SINCE_VISIT = "time_since_visit", _("Time since the last visit")
    ILL_TREATMENT_APPEALS = "ill_treatment_appeals", _("Appeals alleging ill-treatment")
    INCIDENTS = "incidents", _("Incidents (reprisals, deaths, self-harm)")
    OPEN_RECOMMENDATIONS = "open_recommendations", _("Open recommendations")
    OVERDUE_RECOMMENDATIONS = "overdue_recommendations", _("Overdue recommendations")
    REPEATED_ISSUES = "repeated_issues", _("Repeated issues")
    POPULATION = "population", _("Number of people held")
    OVERCROWDING = "overcrowding", _("Occupancy (population / capacity)")
    VULNERABILITY = "vulnerability", _("Groups in vulnerable situations held")
    SECURITY = "security", _("Closed or high-security regime")
    ACCESS_OBSTRUCTION = "access_obstruction", _("Previous access obstruction")


class RawUnit(models.TextChoices):
    """What a factor's raw value counts, to show it with its unit."""

    MONTHS = "months", _("months")
    COUNT = "count", _("count")
    PEOPLE = "people", _("people")
    PERCENT = "percent", _("per cent of capacity")
    GROUPS = "groups", _("groups")
    LEVEL = "level", _("level (0-3)")


class VulnerableGroup(models.TextChoices):
    CHILDREN = "children", _("Children")
    DISABILITIES = "disabilities", _("Persons with disabilities")
    PSYCHIATRIC = "psychiatric", _("Psychiatric patients")


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")


class PinKind(models.TextChoices):
    PINNED = "pinned", _("Pinned in")
    EXCLUDED = "excluded", _("Excluded")


class ProposalEventKind(models.TextChoices):
    SOLVED = "solved", _("Computed")
    PIN = "pin", _("Pin changed")
    MOVED = "moved", _("State changed")
    VISITS_CREATED = "visits_created", _("Planned visits created")
