"""The columns of a file of historical recommendations, and what each accepts."""

from django.utils.translation import gettext_lazy as _

REQUIRED_COLUMNS: tuple[str, ...] = (
    "external_ref",
    "text",
    "addressee",
    "theme",
    "issued_on",
    "status",
)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "institution",
    "deadline",
    "status_date",
    "level",
    "source",
    "source_document",
)
IMPORT_COLUMNS: tuple[str, ...] = (
    "external_ref",
    "text",
    "addressee",
    "institution",
    "theme",
    "issued_on",
    "deadline",
    "status",
    "status_date",
    "level",
    "source",
    "source_document",
)
TEMPLATE_COLUMNS: tuple[str, ...] = IMPORT_COLUMNS[:9]
"""The columns of the downloadable template (the optional extras are documented apart)."""

COLUMN_NOTES = {
    "external_ref": _(
        "Your reference for the recommendation (up to 64 characters); rows are matched on it, "
        "so importing the same file again changes nothing."
    ),
    "text": _("The recommended action."),
    "addressee": _("Code of the agency it was addressed to, e.g. MVD-KUIS."),
    "institution": _("External code of the institution concerned (may be empty)."),
    "theme": _("Theme of the taxonomy, T1 to T8."),
    "issued_on": _("Date issued: YYYY-MM-DD or DD.MM.YYYY (an Excel date cell is fine)."),
    "deadline": _("Deadline for the answer (may be empty); not before the issue date."),
    "status": _(
        "A life-cycle status (e.g. awaiting_response, no_response, implemented_verified) or "
        "the official tally: implemented, in_implementation, not_accepted."
    ),
    "status_date": _("Date of the status (may be empty: the issue date)."),
    "level": _("urgent_individual, institutional, systemic or legislative (empty: institutional)."),
    "source": _("visit_report, thematic_report, annual_report or un_body (empty: annual_report)."),
    "source_document": _("The report or document it comes from (may be empty)."),
}
