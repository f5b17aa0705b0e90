"""Every list page and API list with a search parameter finds the same rows for a query in
any letter case and with Kazakh letters or their Russian look-alikes (SQLite and PostgreSQL).

Each list gets three rows: one whose text is written with Kazakh letters in mixed case, one
with Russian look-alikes (and ё), one that shares words but not all of them. Every variant of
the query finds the first two and never the third.

It lives with the site, on top, because it reaches every app's lists.
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.audit.models import AuditEvent
from vigil.people.enums import Profession
from vigil.people.models import Participant

KK_TEXT = "Тексеру ЖаңаӨзен ұлытау ӘЙГҮЛ ғалиҺақ Ілияс"
RU_TEXT = "Проверка Жанаозён УЛЫТАУ айгул Галихак илияс"
OTHER_TEXT = "Проверка Атырау улытау айгул"
TEXTS = {"kk": KK_TEXT, "ru": RU_TEXT, "other": OTHER_TEXT}
MARK = {"kk": "SRCHKKQ", "ru": "SRCHRUQ", "other": "SRCHOTQ"}

KK_QUERY = "жаңаөзен ұлытау әйгүл ғалиһақ ілияс"
RU_QUERY = "жанаозен улытау айгул галихак илияс"
QUERIES = [
    variant for query in (KK_QUERY, RU_QUERY) for variant in (query, query.upper(), query.title())
] + ["ЖаңаӨзен", "жанаозён", "  «ЖАНАОЗЕН»  "]


def _text(key: str) -> str:
    return f"{TEXTS[key]} {MARK[key]}"


def _institutions(make_institution: Callable[..., Any]) -> dict[str, Any]:
    made = {}
    for key in TEXTS:
        made[key] = make_institution(
            external_code=MARK[key],
            name_kk=_text(key) if key != "ru" else f"Мекеме {MARK[key]}",
            name_ru=_text(key) if key != "kk" else f"Учреждение {MARK[key]}",
            name_en=f"Institution {MARK[key]}",
        )
    return made


def _registry(make_institution: Callable[..., Any], **_: Any) -> None:
    _institutions(make_institution)


def _visits(make_institution: Callable[..., Any], make_visit: Callable[..., Any], **_: Any) -> None:
    for key, institution in _institutions(make_institution).items():
        make_visit(institution=institution, reference=f"T-{MARK[key]}")


def _participants(**_: Any) -> None:
    for key in TEXTS:
        user = User.objects.create_user(
            email=f"{MARK[key].lower()}@test.vigil",
            password="x-pass-12345",
            full_name=_text(key),
            role=Role.MONITOR,
        )
        Participant.objects.create(
            user=user,
            profession=Profession.LAWYER,
            organisation=f"Organisation {MARK[key]}",
            accredited_from=datetime.date(2020, 1, 1),
        )


def _users(**_: Any) -> None:
    for key in TEXTS:
        User.objects.create_user(
            email=f"{MARK[key].lower()}@test.vigil",
            password="x-pass-12345",
            full_name=_text(key),
            role=Role.MONITOR,
        )


def _recommendations(make_recommendation: Callable[..., Any], **_: Any) -> None:
    for key in TEXTS:
        make_recommendation(reference=f"R-{MARK[key]}", text=_text(key))


def _audit_targets(**_: Any) -> None:
    for key in TEXTS:
        AuditEvent.objects.create(
            action="user.updated", actor_label="Иван", target_id=MARK[key], target_label=_text(key)
        )


def _audit_actors(**_: Any) -> None:
    for key in TEXTS:
        AuditEvent.objects.create(
            action="user.updated", actor_label=_text(key), target_label=f"Target {MARK[key]}"
        )


# (id, actor, path, search parameter, rows)
LISTS: list[tuple[str, str, str, str, Callable[..., None]]] = [
    ("registry page", "coordinator", "/registry/institutions/", "search", _registry),
    ("registry export", "coordinator", "/registry/institutions/?export=csv", "search", _registry),
    ("registry API", "coordinator", "/api/v1/institutions/", "search", _registry),
    ("institution picker", "coordinator", "/registry/institution-options/", "q", _registry),
    ("visits page", "coordinator", "/visits/", "q", _visits),
    ("visits API", "coordinator", "/api/v1/visits/", "q", _visits),
    ("people page", "coordinator", "/people/", "search", _participants),
    ("participants API", "coordinator", "/api/v1/participants/", "search", _participants),
    ("recommendations page", "coordinator", "/recommendations/", "search", _recommendations),
    ("recommendations API", "coordinator", "/api/v1/recommendations/", "search", _recommendations),
    ("portal page", "liaison", "/recommendations/portal/", "search", _recommendations),
    ("audit page, target", "auditor", "/audit/", "target", _audit_targets),
    ("audit page, actor", "auditor", "/audit/", "actor", _audit_actors),
    ("user management", "admin", "/accounts/users/", "q", _users),
]


@pytest.mark.parametrize(
    ("actor", "path", "parameter", "rows"), [case[1:] for case in LISTS], ids=[c[0] for c in LISTS]
)
def test_every_list_search_ignores_case_and_kazakh_letters(
    client_for, make_institution, make_visit, make_recommendation, actor, path, parameter, rows
):
    rows(
        make_institution=make_institution,
        make_visit=make_visit,
        make_recommendation=make_recommendation,
    )
    client = client_for(actor)
    for query in QUERIES:
        response = client.get(path, {parameter: query})
        assert response.status_code == 200, query
        body = response.content.decode()
        found = {key for key, mark in MARK.items() if mark in body}
        assert found == {"kk", "ru"}, f"{query!r} found {sorted(found)}"
    unfiltered = client.get(path, {parameter: "улытау"}).content.decode()
    assert all(mark in unfiltered for mark in MARK.values())  # the rows are all listed
