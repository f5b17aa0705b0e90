"""Names sort in alphabet order, Kazakh letters in their place (Ә after А, Қ after К, І after
Ы …), the same in Python and on the database (SQLite here, PostgreSQL with DATABASE_URL)."""

import datetime
import random

import pytest

from vigil.core.collation import KAZAKH_ALPHABET, SortKey, alphabetical, sort_key
from vigil.core.models import CalendarDay

# In alphabet order: Kazakh and Russian names mixed, upper and lower case.
NAMES = [
    "Абай",
    "Әлия",
    "Бекзат",
    "Ғалым",
    "Дина",
    "Ерлан",
    "Ёлка",
    "Жанар",
    "Ирина",
    "Кирилл",
    "Қанат",
    "қасым",
    "Нина",
    "Ңа",
    "Олег",
    "Өмірзақ",
    "Сәкен",
    "Сергей",
    "Ульяна",
    "Ұлан",
    "Үміт",
    "Фарида",
    "Хасен",
    "Һибатулла",
    "Ыбырай",
    "Іңкәр",
    "Юлия",
    "Ясмин",
]


def test_the_alphabet_holds_every_russian_letter():
    russian = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    assert [c for c in KAZAKH_ALPHABET if c in russian] == list(russian)
    assert len(KAZAKH_ALPHABET) == 42


def test_python_order_follows_the_kazakh_alphabet():
    shuffled = NAMES[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == NAMES
    assert sort_key("Сәкен") < sort_key("Сергей") < sort_key("Я")
    assert sort_key(None) == ""


def test_latin_names_sort_among_themselves_without_case():
    assert sorted(["bob", "Alice", "Carl"], key=sort_key) == ["Alice", "bob", "Carl"]


@pytest.mark.django_db
def test_the_database_orders_as_python_does():
    shuffled = NAMES[:]
    random.Random(11).shuffle(shuffled)
    start = datetime.date(2030, 1, 1)
    CalendarDay.objects.bulk_create(
        CalendarDay(
            country="KZ",
            date=start + datetime.timedelta(days=n),
            kind="holiday",
            name_kk=name,
            name_ru=name,
        )
        for n, name in enumerate(shuffled)
    )
    ascending = CalendarDay.objects.order_by(SortKey("name_kk"), "pk")
    assert list(ascending.values_list("name_kk", flat=True)) == NAMES
    descending = CalendarDay.objects.order_by(*alphabetical(["-name_ru"], {"name_ru"}), "pk")
    assert list(descending.values_list("name_ru", flat=True)) == NAMES[::-1]
    keys = CalendarDay.objects.annotate(key=SortKey("name_kk")).values_list("name_kk", "key")
    assert all(key == sort_key(name) for name, key in keys)


def test_alphabetical_leaves_other_terms_alone():
    terms = alphabetical(["region__code", "-name_kk"], {"name_kk"})
    assert terms[0] == "region__code"
    assert terms[1].descending
