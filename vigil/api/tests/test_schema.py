"""The OpenAPI schema: served to signed-in users, committed, and documented errors."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from conftest import ALL_ACTORS

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
SCHEMA_URL = "/api/v1/schema/"


def generate(path: Path) -> str:
    """What `make schema` runs (see the Makefile): validated, and no warning allowed."""
    call_command(
        "spectacular",
        "--file",
        str(path),
        "--validate",
        "--fail-on-warn",
        "--lang",
        "en",
    )
    return path.read_text()


@pytest.fixture(scope="module")
def schema_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    return generate(tmp_path_factory.mktemp("schema") / "openapi.yaml")


@pytest.fixture(scope="module")
def schema(schema_text: str) -> dict:
    return yaml.safe_load(schema_text)


def test_committed_schema_is_up_to_date(schema_text):
    committed = COMMITTED.read_text() if COMMITTED.exists() else ""
    assert schema_text == committed, (
        "docs/openapi.yaml differs from the API: run make schema and commit the result"
    )


@pytest.mark.parametrize("actor", ALL_ACTORS)
def test_schema_endpoint_matrix(client_for, actor):
    response = client_for(actor).get(SCHEMA_URL)
    if actor == "anonymous":
        assert response.status_code in (401, 403)
        assert response.json() == {"detail": "Authentication credentials were not provided."}
    else:
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.oai.openapi")
        served = yaml.safe_load(response.content)
        assert "/api/v1/institutions/{id}/" in served["paths"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_schema_endpoint_is_read_only(client_for, method):
    assert getattr(client_for("admin"), method)(SCHEMA_URL).status_code == 405


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_its_errors_with_the_error_body(schema):
    error_ref = "#/components/schemas/Error"
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        errors = {code for code in responses if code.startswith("4")}
        # The token endpoint and the public appeal form and status check need no login.
        public = path == "/api/v1/auth/token/" or path.startswith("/api/v1/public/")
        assert public or "403" in errors, (method, path)
        if "{" in path or method == "get":
            assert "404" in errors, (method, path)
        if method in ("post", "put", "patch"):
            assert "400" in errors, (method, path)
        for code in errors:
            schema_ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert schema_ref == error_ref, (method, path, code)
    token = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert {"200", "400", "429"} <= token.keys()


def test_no_operation_exposes_integer_keys(schema):
    institution = schema["components"]["schemas"]["Institution"]["properties"]
    assert institution["id"] == {"type": "string", "format": "uuid", "readOnly": True}
    assert "pk" not in institution


# Deleting is offered only where a mistake must be undoable, or to revoke one's own API token;
# never for reference data, institutions, visits, interviews, responses or anything else that
# carries history.
DELETABLE = {
    "/api/v1/attachments/{id}/",
    "/api/v1/findings/{id}/",
    "/api/v1/recommendations/{id}/",
    "/api/v1/auth/tokens/{id}/",
    "/api/v1/international/links/{id}/",  # a paragraph's link made by mistake
}


def test_delete_is_offered_only_where_intended(schema):
    deletable = {path for path, method, _ in _operations(schema) if method == "delete"}
    assert deletable <= DELETABLE


def test_read_only_fields_say_when_they_may_be_null_or_blank(schema):
    """A read-only field whose source goes through a nullable relation or ends in a nullable
    column says null, and a choice its column may leave blank lists "" (vigil.api.schema)."""
    components = schema["components"]["schemas"]
    recommendation = components["Recommendation"]["properties"]
    assert recommendation["visit"]["nullable"] is True  # a nullable relation
    assert recommendation["visit_reference"]["nullable"] is True  # through one
    assert recommendation["repeat_of_reference"]["nullable"] is True
    assert "nullable" not in recommendation["reference"]
    assert "nullable" not in recommendation["addressee_name"]  # a required relation
    blank = {"$ref": "#/components/schemas/BlankEnum"}
    assert blank in recommendation["claimed_status"]["oneOf"]
    assert "oneOf" not in recommendation["state"]
    case = components["Case"]["properties"]  # a plain serializer naming its Meta.model
    assert case["final_on"]["nullable"] is True
    assert "nullable" not in case["reported_on"]
