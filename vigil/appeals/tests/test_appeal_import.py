"""The import of historical appeals (kind "appeals"): CSV and XLSX, appeals built by the one
creation path (content encrypted, appellants sealed with their fingerprint, no plaintext in
the database), a timeline per appeal and one audit row per file, all-or-nothing with the bad
row and column named, idempotent on the file's own id, the command in a subprocess."""

import csv
import datetime
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from vigil.accounts.models import User
from vigil.appeals.enums import AppealState, Channel, EventKind
from vigil.appeals.importing.appeals import appeals_import, appeals_import_check
from vigil.appeals.models import Appeal, AppealEvent, AppealIdentity, IntakePartner
from vigil.appeals.services.appeals import appeal_content_read, appellant_reveal
from vigil.appeals.services.intake import intake_partner_create
from vigil.audit.models import AuditEvent
from vigil.core.importing import ImportValidationError
from vigil.core.importing.writing import build_xlsx
from vigil.core.sealing import identity_fingerprint
from vigil.core.tests.commands import ManagePy, migrated

HEADER = [
    "source_id",
    "received_on",
    "channel",
    "subject",
    "allegations",
    "urgency",
    "institution",
    "region",
    "state",
    "registered_on",
    "closed_on",
    "summary",
    "content",
    "anonymous",
    "name",
    "contact",
]
SURNAME = "Асқаров"
WROTE = "Күзетші мені ұрды"
PHONE = "701 555"
STATES = [
    (AppealState.CLOSED_RESOLVED, "2023-04-20"),
    (AppealState.CLOSED_UNRESOLVED, "2023-05-02"),
    (AppealState.REGISTERED, ""),
    (AppealState.IN_REVIEW, ""),
    (AppealState.REFERRED, ""),
    (AppealState.RECEIVED, ""),
]


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def appeal_rows(total: int = 6, institution: str = "") -> list[list[Any]]:
    """`total` appeals of 2023 in the states of `STATES` in turn; every third is anonymous,
    every second has no content (its summary stands for it)."""
    rows: list[list[Any]] = []
    for n in range(total):
        state, closed = STATES[n % len(STATES)]
        anonymous = n % 3 == 2
        rows.append(
            [
                f"NPM-2023-{n:04d}",
                f"2023-03-{1 + n % 27:02d}",
                "letter" if n % 2 else "hotline",
                "torture",
                "torture;cruel_treatment" if n % 2 else "",
                "urgent" if n % 4 == 0 else "",
                institution if n % 2 == 0 else "",
                "" if institution and n % 2 == 0 else "KZ-75",
                state,
                "" if state == AppealState.RECEIVED else f"2023-03-{2 + n % 27:02d}",
                closed,
                f"Ill-treatment reported, case {n}",
                "" if n % 2 else f"{WROTE} ({n})",
                "yes" if anonymous else "no",
                "" if anonymous else f"{SURNAME} Ерлан {n}",
                "" if anonymous else f"+7 {PHONE} {n:04d}",
            ]
        )
    return rows


def appeals_file(total: int = 6, institution: str = "", fmt: str = "csv") -> bytes:
    rows = appeal_rows(total, institution)
    return build_xlsx(rows, HEADER) if fmt == "xlsx" else csv_bytes(HEADER, rows)


@pytest.fixture
def reference(appeal_reference: Any, ref: dict[str, Any]) -> dict[str, Any]:
    return ref


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_good_file_imports_appeals_sealed_encrypted_with_timelines(
    reference: Any,
    users: dict[str, User],
    make_institution: Callable[..., Any],
    fmt: str,
) -> None:
    institution = make_institution()
    content = appeals_file(6, institution.external_code, fmt)

    result = appeals_import(actor=users["coordinator"], content=content, file_name=f"a.{fmt}")

    assert (result.created, result.updated, result.unchanged) == (6, 0, 0)
    appeals = {a.external_id: a for a in Appeal.objects.all()}
    assert len(appeals) == 6
    assert all(a.intake_partner_id is None for a in appeals.values())
    assert all(a.reference.startswith("A-2023-") for a in appeals.values())
    first = appeals["NPM-2023-0000"]
    assert first.state == AppealState.CLOSED_RESOLVED
    assert first.closed_on == datetime.date(2023, 4, 20)
    assert first.institution == institution
    assert first.region == institution.region  # the institution's region
    assert first.urgency == "urgent"
    assert first.channel == Channel.HOTLINE
    second = appeals["NPM-2023-0001"]
    assert second.region is not None
    assert second.region.code == "KZ-75"
    assert sorted(second.allegation_types.values_list("code", flat=True)) == [
        "cruel_treatment",
        "torture",
    ]
    received = appeals["NPM-2023-0005"]
    assert received.state == AppealState.RECEIVED
    assert received.registered_on is None
    assert received.due_on is None
    assert appeals["NPM-2023-0002"].anonymous
    assert appeals["NPM-2023-0003"].due_on is not None  # in review: the answer is due

    # the timeline: created (received or registered), then the imported state, via import
    for appeal in appeals.values():
        kinds = list(
            AppealEvent.objects.filter(appeal=appeal).order_by("id").values_list("kind", "to_state")
        )
        first_state = (
            AppealState.RECEIVED if appeal.state == AppealState.RECEIVED else AppealState.REGISTERED
        )
        expected: list[tuple[str, str]] = [(EventKind.CREATED, first_state)]
        if appeal.state != first_state:
            expected.append((EventKind.STATE_CHANGED, appeal.state))
        assert kinds == expected
    assert AppealEvent.objects.exclude(data__via="import").count() == 0

    # sealed identities with their fingerprint, encrypted content
    assert AppealIdentity.objects.count() == 4  # two anonymous
    coordinator = users["coordinator"]
    revealed = appellant_reveal(actor=coordinator, appeal=first, reason="Test: reply")
    assert (revealed.name, revealed.contact) == (f"{SURNAME} Ерлан 0", f"+7 {PHONE} 0000")
    assert first.identity.fingerprint == identity_fingerprint(f"{SURNAME} Ерлан 0")
    assert appeal_content_read(actor=coordinator, appeal=first) == f"{WROTE} (0)"
    # no content written: the summary stands for it
    assert appeal_content_read(actor=coordinator, appeal=second) == (
        "Ill-treatment reported, case 1"
    )
    _assert_no_plaintext()

    audit = AuditEvent.objects.get(action="appeal.imported")
    assert audit.data["created"] == 6
    assert audit.data["rows"] == 6


def _assert_no_plaintext() -> None:
    """Every table, as raw bytes and text: no name, contact or content in clear."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                blob = " ".join(
                    bytes(v).decode("utf-8", "replace")
                    if isinstance(v, bytes | memoryview)
                    else str(v)
                    for v in row
                )
                for needle in (SURNAME, WROTE, PHONE):
                    assert needle not in blob, (table, needle)


def test_a_second_import_changes_nothing(reference: Any) -> None:
    content = appeals_file(12)
    appeals_import(actor=None, content=content, file_name="a.csv")
    before = list(Appeal.objects.order_by("pk").values_list("reference", "updated_at"))
    events = AppealEvent.objects.count()

    again = appeals_import(actor=None, content=content, file_name="a.csv")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 12)
    assert list(Appeal.objects.order_by("pk").values_list("reference", "updated_at")) == before
    assert AppealEvent.objects.count() == events
    assert AppealIdentity.objects.count() == 8
    assert AuditEvent.objects.filter(action="appeal.imported").count() == 2


def test_a_partners_id_is_not_the_files_id(reference: Any) -> None:
    """The same id sent by a partner NGO is another appeal: only appeals without a partner
    are matched (the unique constraint treats their NULL partners as distinct)."""
    partner, _token = intake_partner_create(name="Kazakhstan Bureau", kind=IntakePartner.Kind.NGO)
    appeals_import(actor=None, content=appeals_file(1), file_name="a.csv")
    Appeal.objects.update(intake_partner=partner)

    result = appeals_import(actor=None, content=appeals_file(1), file_name="a.csv")

    assert result.created == 1
    assert Appeal.objects.filter(external_id="NPM-2023-0000").count() == 2


def test_bad_rows_import_nothing_and_are_named(reference: Any) -> None:
    rows = appeal_rows(6)
    rows[1][2] = "pigeon"  # row 3: unknown channel
    rows[0][10] = ""  # row 2: closed without its date
    rows[2][6] = "NO-SUCH-PLACE"  # row 4: unknown institution

    with pytest.raises(ImportValidationError) as caught:
        appeals_import(actor=None, content=csv_bytes(HEADER, rows), file_name="bad.csv")

    messages = [str(issue) for issue in caught.value.plan.errors]
    assert any(m.startswith("row 2, column closed_on:") for m in messages), messages
    assert any(m.startswith("row 3, column channel:") and "pigeon" in m for m in messages)
    assert any(
        m.startswith("row 4, column institution:") and "NO-SUCH-PLACE" in m for m in messages
    )
    assert not Appeal.objects.exists()
    assert not AppealIdentity.objects.exists()
    assert not AuditEvent.objects.filter(action="appeal.imported").exists()


@pytest.mark.parametrize(
    ("column", "value", "named"),
    [
        ("state", "merged", "state"),
        ("registered_on", "2023-03-05", "registered_on"),  # a received appeal
        ("closed_on", "2023-03-01", "closed_on"),  # an open state has no closing date
        ("received_on", "", "received_on"),
        ("anonymous", "maybe", "anonymous"),
        ("allegations", "torture;flogging", "allegations"),
        ("subject", "weather", "subject"),
        ("region", "KZ-99", "region"),
        ("summary", "x" * 301, "summary"),
        ("source_id", "", "source_id"),
    ],
)
def test_a_cell_refused_names_its_column(
    reference: Any, column: str, value: str, named: str
) -> None:
    row = dict(zip(HEADER, appeal_rows(6)[5], strict=True))  # a received appeal
    row[column] = value
    plan = appeals_import_check(content=csv_bytes(HEADER, [list(row.values())]), file_name="x.csv")
    assert [(e.row, e.column) for e in plan.errors] == [(2, named)]


def test_anonymous_with_a_name_and_duplicate_ids_are_refused(reference: Any) -> None:
    rows = appeal_rows(3)
    rows[0][13] = "yes"  # named, yet anonymous
    rows[2][0] = rows[1][0]
    plan = appeals_import_check(content=csv_bytes(HEADER, rows), file_name="x.csv")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "anonymous"), (4, "source_id")]


def test_empty_state_and_defaults(reference: Any) -> None:
    content = csv_bytes(
        ["source_id", "received_on", "closed_on", "summary"],
        [["H-1", "2023-01-10", "2023-02-01", "Closed"], ["H-2", "10.01.2023", "", "Open"]],
    )
    appeals_import(actor=None, content=content, file_name="x.csv")
    closed, open_ = Appeal.objects.get(external_id="H-1"), Appeal.objects.get(external_id="H-2")
    assert (closed.state, closed.channel) == (AppealState.CLOSED_RESOLVED, Channel.LETTER)
    assert (open_.state, open_.registered_on) == (
        AppealState.REGISTERED,
        datetime.date(2023, 1, 10),
    )


# --- the command, as a user runs it --------------------------------------------------------


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> ManagePy:
    return migrated(tmp_path_factory.mktemp("appeal-commands"))


def test_import_appeals_command(manage: ManagePy, tmp_path: Path) -> None:
    path = tmp_path / "appeals.xlsx"
    path.write_bytes(appeals_file(6, fmt="xlsx"))

    dry = manage.ok("import_appeals", str(path), "--dry-run")
    assert "6 would be created" in dry.stdout
    assert manage.count("appeals_appeal") == 0

    done = manage.ok("import_appeals", str(path))
    assert "6 created, 0 updated, 0 unchanged" in done.stdout
    again = manage.ok("import_appeals", str(path))
    assert "0 created, 0 updated, 6 unchanged" in again.stdout
    assert manage.count("appeals_appeal") == 6
    assert manage.count("appeals_appealidentity") == 4


def test_import_appeals_command_refuses_a_bad_file(manage: ManagePy, tmp_path: Path) -> None:
    rows = appeal_rows(2)
    for n, row in enumerate(rows):
        row[0] = f"BAD-{n}"
    rows[1][2] = "pigeon"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(HEADER, rows))

    result = manage("import_appeals", str(path))

    assert result.returncode != 0
    assert "row 3, column channel" in result.stderr
    assert manage.count("appeals_appeal", "external_id = ?", ("BAD-0",)) == 0
