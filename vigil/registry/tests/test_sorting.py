"""The institutions list and its options sort names in alphabet order in Kazakh and Russian
(Kazakh letters in their place, not after Я)."""

import pytest

from vigil.accounts.models import User

pytestmark = pytest.mark.django_db

KK = ["Арман", "Әлем", "Кент", "Қала", "Ұлан", "Үміт", "Ыбырай", "Іле", "Ясное"]
RU = ["Абай", "Бор", "Ёлка", "Жана", "Яр"]


def _order(body: str, names: list[str]) -> list[str]:
    return sorted(names, key=body.index)


@pytest.mark.parametrize(
    ("language", "field", "names"), [("kk", "name_kk", KK), ("ru", "name_ru", RU)]
)
def test_the_list_sorts_names_in_the_alphabet(client_for, make_institution, language, field, names):
    for name in reversed(names):
        make_institution(**{field: name})
    response = client_for("coordinator").get(
        "/registry/institutions/", headers={"accept-language": language}
    )
    assert _order(response.content.decode(), names) == names
    backwards = client_for("coordinator").get(
        "/registry/institutions/?ordering=-name", headers={"accept-language": language}
    )
    assert _order(backwards.content.decode(), names) == names[::-1]


def test_the_participants_list_sorts_names_in_the_alphabet(client_for, users, participants):
    for name, account in zip(
        ("Ясмин Арай", "Әлия Бек", "Ахмет Жан"),
        User.objects.filter(participant__isnull=False).order_by("pk"),
        strict=False,
    ):
        account.full_name = name
        account.save(update_fields=["full_name"])
    body = client_for("coordinator").get("/people/").content.decode()
    assert _order(body, ["Ахмет Жан", "Әлия Бек", "Ясмин Арай"]) == [
        "Ахмет Жан",
        "Әлия Бек",
        "Ясмин Арай",
    ]
