"""The XLSX writer of exports and import templates: what openpyxl (and so Excel) reads back."""

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from vigil.core.importing.reading import detect_format
from vigil.core.importing.writing import build_xlsx

# Spreadsheets know no time zones: exports write naive local times.
NAIVE_DAY = datetime.datetime(2027, 1, 20)  # noqa: DTZ001
NAIVE_MORNING = datetime.datetime(2027, 1, 20, 9, 30)  # noqa: DTZ001


def _read(content: bytes, read_only: bool = False):  # type: ignore[no-untyped-def]
    workbook = load_workbook(io.BytesIO(content), read_only=read_only)
    return workbook.worksheets[0]


def test_values_come_back_as_written():
    rows: list[list[Any]] = [
        ["Учреждение <№ 1> & «Ко»", 120, 1.5, Decimal("2.25"), True, datetime.date(2027, 1, 20)],
        ["  spaces kept  ", None, 0, -3, False, NAIVE_MORNING],
        ["Қазақ әріптері: ә ғ қ ң ө ұ ү һ і", None, None, None, None, None],
    ]
    header = ["name", "capacity", "ratio", "amount", "active", "on"]
    sheet = _read(build_xlsx(rows, header, title="institutions"))
    assert sheet.title == "institutions"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == header
    assert values[1] == [
        "Учреждение <№ 1> & «Ко»",
        120,
        1.5,
        2.25,
        True,
        NAIVE_DAY,
    ]
    assert values[2] == [
        "  spaces kept  ",
        None,
        0,
        -3,
        False,
        NAIVE_MORNING,
    ]
    assert values[3] == ["Қазақ әріптері: ә ғ қ ң ө ұ ү һ і", None, None, None, None, None]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet["F2"].number_format == "yyyy-mm-dd"


def test_text_is_never_a_formula_and_illegal_characters_go():
    rows = [['=HYPERLINK("x")', "+7 777", "@SUM(A1)", "a\x01b"]]
    sheet = _read(build_xlsx(rows, ["a", "b", "c", "d"]))
    assert [c.value for c in sheet[2]] == ['\'=HYPERLINK("x")', "'+7 777", "'@SUM(A1)", "ab"]
    assert all(c.data_type == "s" for c in sheet[2])


def test_many_columns_and_the_read_only_reader():
    header = [f"c{i}" for i in range(30)]
    content = build_xlsx([list(range(30))], header)
    assert detect_format(content, "export.xlsx") == "xlsx"
    sheet = _read(content, read_only=True)
    assert list(next(sheet.iter_rows(min_row=2, values_only=True))) == list(range(30))


def test_aware_datetimes_are_refused():
    moment = datetime.datetime(2027, 1, 20, tzinfo=datetime.UTC)
    with pytest.raises(TypeError):
        build_xlsx([[moment]], ["at"])
