"""List pages and API list endpoints run a constant number of queries whatever the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vigil.accounts.enums import Role
from vigil.accounts.models import User
from vigil.audit.enums import AccessKind, AuditAction
from vigil.audit.services import access_record, audit_record
from vigil.reference.enums import AgencyLevel, InstitutionCategory
from vigil.reference.models import Agency, InstitutionType, Region


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(n, users, ref):
    for i in range(n):
        user = User.objects.create_user(
            email=f"grow{i}-{User.objects.count()}@test.vigil",
            password="x-pass-12345",
            full_name=f"Grow {i}",
            role=Role.REGIONAL,
        )
        user.regions.set([ref["astana"], ref["almaty"]])
        audit_record(
            actor=users["admin"], action=AuditAction.USER_CREATED, target=user, data={"i": i}
        )
        access_record(actor=users["coordinator"], kind=AccessKind.INTERVIEW_READ, target=user)
        code = f"ZZ-{Region.objects.count():03d}"
        Region.objects.create(code=code, name_en=code, predecessor=ref["karaganda"])
        agency = Agency.objects.create(
            code=f"AG-{code}",
            level=AgencyLevel.REGIONAL_DEPARTMENT,
            parent=ref["kuis"],
            name_en=code,
        )
        InstitutionType.objects.create(
            code=f"T-{code}", category=InstitutionCategory.SOCIAL, agency=agency, name_en=code
        )


@pytest.mark.parametrize(
    ("actor", "path"),
    [
        ("auditor", "/audit/"),
        ("auditor", "/audit/access/"),
        ("admin", "/accounts/users/"),
        ("monitor", "/api/v1/regions/"),
        ("monitor", "/api/v1/agencies/"),
        ("monitor", "/api/v1/institution-types/"),
    ],
)
def test_constant_queries(client_for, users, ref, actor, path):
    client = client_for(actor)
    client.get(path)  # warm-up: session and language
    _grow(2, users, ref)
    few = _queries(client, path)
    _grow(15, users, ref)
    assert _queries(client, path) == few
