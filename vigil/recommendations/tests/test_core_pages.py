"""Pages of recommendations: list, detail, drafting, life-cycle buttons, assessment, issuing."""

import pytest

pytestmark = pytest.mark.django_db


def test_smoke(client_for, make_recommendation, approved_visit):
    rec = make_recommendation()
    visit = approved_visit()
    client = client_for("coordinator")
    for url in (
        "/recommendations/",
        f"/recommendations/{rec.public_id}/",
        "/recommendations/new/",
        "/recommendations/issue/",
        f"/recommendations/issue/{visit.public_id}/",
        f"/recommendations/issue/{visit.public_id}/new/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
