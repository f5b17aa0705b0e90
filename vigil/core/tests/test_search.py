"""The normalised search: `fold()` in Python and `Folded()` in the database agree, and
`search_filter()` ANDs the words over the OR of the fields, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import Q, Value
from django.db.models.sql import Query
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vigil.audit.models import AuditEvent
from vigil.core.search import (
    FOLD_TABLE,
    MAX_WORDS,
    Folded,
    NormalisedSearchFilter,
    fold,
    normalize,
    search_filter,
    search_words,
)

LATIN = "".join(chr(c) for c in (*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x250)))
CYRILLIC = "".join(chr(c) for c in range(0x400, 0x530))  # Russian, Kazakh and the rest
OTHER = "0123456789 .,;:-–/№()'\"«»\t\n"
ALPHABET = LATIN + CYRILLIC + OTHER


def _database_fold(text: str) -> str:
    """`Folded(Value(text))` evaluated by the test database."""
    compiler = Query(None).get_compiler(connection=connection)
    sql, params = compiler.compile(Folded(Value(text)))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        (value,) = cursor.fetchone()
    return value


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ЖАҢАӨЗЕН", "жанаозен"),
        ("Әйгүл Ғалиһақ Ілияс Ұлытау", "айгул галихак илияс улытау"),
        ("Семёнов ЁЛКИН", "семенов елкин"),
        ('«Айкын» "Tree"', " айкын   tree "),
        ("İstanbul ÀÉ", "istanbul àé"),
    ],
)
def test_fold_examples(text, folded):
    assert fold(text) == folded


def test_normalize_collapses_spaces_and_search_words_are_capped():
    assert normalize("  «Айкын»\t ТАҢ  ") == "айкын тан"
    assert search_words("  «Айкын»  ТАҢ ") == ["айкын", "тан"]
    assert len(search_words(" ".join(f"w{n}" for n in range(20)))) == MAX_WORDS


@given(st.text(alphabet=ALPHABET, max_size=60))
@example("ӘҒҚҢӨҰҮҺІЁ әғқңөұүһіё İ «»")
def test_fold_is_the_table_then_lower(text):
    assert fold(text) == text.translate(str.maketrans(FOLD_TABLE)).lower()


@pytest.mark.django_db
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=60))
@example("ӘҒҚҢӨҰҮҺІЁ әғқңөұүһіё АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ İ ß")
def test_database_fold_equals_python_fold(text):
    assert _database_fold(text) == fold(text)


@pytest.mark.django_db
def test_database_fold_of_a_column_and_of_null():
    AuditEvent.objects.create(action="x", target_label="ҚАРАҒАНДЫ Облысы")
    AuditEvent.objects.create(action="y")
    folded = dict(AuditEvent.objects.annotate(f=Folded("target_label")).values_list("action", "f"))
    assert folded == {"x": "караганды облысы", "y": ""}
    nulls = AuditEvent.objects.annotate(f=Folded(Value(None))).values_list("f", flat=True)
    assert list(nulls) == [None, None]


@pytest.fixture
def events(db):
    labels = {
        "kk": "Тексеру ЖаңаӨзен ұлытау",
        "ru": "Проверка Жанаозён УЛЫТАУ",
        "other": "Проверка Атырау",
        "actor": "",
    }
    made = {
        key: AuditEvent.objects.create(action=key, target_label=label, actor_label="Иван Жаңаев")
        for key, label in labels.items()
    }
    return made


def _found(qs):
    return set(qs.values_list("action", flat=True))


@pytest.mark.parametrize(
    "query",
    [
        "жаңаөзен",
        "ЖАҢАӨЗЕН",
        "Жаңаөзен",
        "жанаозен",
        "ЖАНАОЗЕН",
        "Жанаозён",
        "улытау жанаозен",
        "ҰЛЫТАУ  «ЖаңаӨзен»",
    ],
)
def test_search_filter_finds_every_letter_variant(events, query):
    assert _found(search_filter(AuditEvent.objects.all(), query, ["target_label"])) == {"kk", "ru"}


def test_search_filter_ands_words_over_the_or_of_fields(events):
    qs = AuditEvent.objects.all()
    assert _found(search_filter(qs, "проверка атырау", ["target_label"])) == {"other"}
    assert _found(search_filter(qs, "проверка жанаев", ["target_label"])) == set()
    both = ["target_label", "actor_label"]
    assert _found(search_filter(qs, "проверка жанаев", both)) == {"ru", "other"}
    assert _found(search_filter(qs, "  «» ", both)) == {"kk", "ru", "other", "actor"}


def test_search_filter_escapes_like_wildcards(events):
    AuditEvent.objects.create(action="percent", target_label="100% готово")
    qs = AuditEvent.objects.all()
    assert _found(search_filter(qs, "%", ["target_label"])) == {"percent"}
    assert _found(search_filter(qs, "_", ["target_label"])) == set()


def test_search_filter_also_adds_a_condition_per_word(events):
    qs = AuditEvent.objects.all()
    found = search_filter(qs, "атырау", ["target_label"], also=lambda word: Q(action=word))
    assert _found(found) == {"other"}
    found = search_filter(qs, "KK", ["target_label"], also=lambda word: Q(action=word))
    assert _found(found) == {"kk"}  # the word arrives folded


def test_normalised_search_filter_for_django_filter(events):
    search = NormalisedSearchFilter(fields=["target_label", "actor_label"])
    qs = AuditEvent.objects.all()
    assert _found(search.filter(qs, "ЖАНАОЗЕН")) == {"kk", "ru"}
    assert _found(search.filter(qs, "")) == {"kk", "ru", "other", "actor"}
