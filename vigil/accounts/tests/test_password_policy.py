"""The password policy (AUTH_PASSWORD_VALIDATORS): at least 12 characters, not like the
account's e-mail or name, not common, not only digits; on the change-password and
user-creation pages, the error next to the field."""

import pytest
from django.urls import reverse

from conftest import PASSWORD
from vigil.accounts.models import User


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pw-1", "at least 12 characters"),
        ("password1234", "too common"),
        ("483920175539", "entirely numeric"),
        ("test.monitor@test", "too similar"),
    ],
)
def test_change_password_page_applies_the_policy(password, message, client_for):
    response = client_for("monitor").post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["new_password2"])


def test_user_creation_page_applies_the_policy(client_for, ref):
    url = reverse("accounts:user_create")
    data = {"email": "new.person@test.vigil", "full_name": "Aigerim Nurlanovna", "role": "monitor"}
    short = client_for("admin").post(url, {**data, "password": "eleven-char"})
    assert "at least 12 characters" in " ".join(short.context["form"].errors["password"])
    similar = client_for("admin").post(url, {**data, "password": "aigerimnurlanovna"})
    assert "too similar" in " ".join(similar.context["form"].errors["password"])
    assert not User.objects.filter(email=data["email"]).exists()
    ok = client_for("admin").post(url, {**data, "password": "violet-harbour-17"})
    assert ok.status_code == 302
    assert User.objects.get(email=data["email"]).check_password("violet-harbour-17")
