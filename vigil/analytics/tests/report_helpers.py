"""Helpers of the annual report's tests: a report with narrative, the 2021 penitentiary tally
(758 recommendations: 275 implemented, 456 in implementation, 27 not accepted)."""

import datetime
from typing import Any

from vigil.accounts.models import User
from vigil.recommendations.enums import Level, Source, State
from vigil.recommendations.models import Recommendation
from vigil.reference.models import Agency
from vigil.visits.enums import Theme

from ..models import AnnualReport, ReportSection

KK_TEXT = (
    "Ұлттық алдын алу тетігі жиһаз бен төсек-орынның жағдайын, әлеуметтік қызметтерді "
    "және медициналық көмектің сапасын тексерді."
)
RU_TEXT = "Национальный превентивный механизм посетил учреждения всех ведомств."
EN_TEXT = "The National Preventive Mechanism visited the institutions of every agency."


def make_report(year: int, user: User, **titles: str) -> AnnualReport:
    report = AnnualReport.objects.create(
        year=year,
        title_kk=titles.get("kk", f"Ұлттық алдын алу тетігінің {year} жылғы баяндамасы"),
        title_ru=titles.get("ru", f"Доклад национального превентивного механизма за {year} год"),
        title_en=titles.get("en", f"Report of the National Preventive Mechanism for {year}"),
        created_by=user,
    )
    ReportSection.objects.create(
        report=report, key="introduction", text_kk=KK_TEXT, text_ru=RU_TEXT, text_en=EN_TEXT
    )
    ReportSection.objects.create(
        report=report,
        key="penitentiary",
        text_kk="Қылмыстық-атқару жүйесі.\n\nЕкінші абзац.",
        text_ru="Уголовно-исполнительная система.\n\nВторой абзац <b>не разметка</b>.",
        text_en="The penitentiary system.\n\nA second paragraph <b>not markup</b>.",
    )
    return report


def penitentiary_tally_2021(addressee: Agency, user: User, **counts: int) -> None:
    """Bulk-create the 2021 penitentiary tally (758 = 275 + 456 + 27 by default)."""
    wanted = {
        State.IMPLEMENTED_CLAIMED: counts.get("implemented", 275),
        State.IN_IMPLEMENTATION: counts.get("in_implementation", 456),
        State.NOT_ACCEPTED: counts.get("not_accepted", 27),
    }
    issued = datetime.date(2021, 3, 1)
    rows: list[Any] = []
    n = 0
    for state, count in wanted.items():
        for _ in range(count):
            n += 1
            rows.append(
                Recommendation(
                    reference=f"R-2021-{n:04d}",
                    source=Source.THEMATIC_REPORT,
                    addressee=addressee,
                    theme=Theme.T3,
                    level=Level.INSTITUTIONAL,
                    text=f"Recommended action {n}: repair the ventilation of the cells.",
                    issued_on=issued,
                    deadline=datetime.date(2021, 6, 1),
                    state=state,
                    state_changed_on=issued,
                    created_by=user,
                )
            )
    Recommendation.objects.bulk_create(rows)
