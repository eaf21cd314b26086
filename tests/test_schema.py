"""The OpenAPI schema documents every endpoint and its errors; its docs pages are self-hosted."""
import pytest
import yaml
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    target = tmp_path_factory.mktemp("schema") / "schema.yaml"
    # --fail-on-warn: an endpoint the generator cannot describe fails the suite.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    return yaml.safe_load(target.read_text())


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_schema_every_operation_lists_its_errors(schema):
    operations = list(_operations(schema))
    assert len(operations) > 10
    for path, method, operation in operations:
        responses = operation["responses"]
        assert "401" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        error = responses["401"]["content"]["application/json"]["schema"]["$ref"]
        assert error.endswith("/Error")


def test_schema_lists_each_route_once_and_the_seed_paths(schema):
    paths = set(schema["paths"])
    assert not any(path.startswith("/api/v1/") for path in paths)
    assert {"/api/requests/", "/api/tasks/{task_id}/cost/", "/api/tasks/"} <= paths
    parameters = {p["name"] for p in schema["paths"]["/api/requests/"]["get"]["parameters"]}
    assert {"task_id", "doc_id", "entity_id", "since", "until", "page", "page_size"} <= parameters


def test_schema_and_docs_are_served_without_a_cdn(client):
    assert client.get("/api/schema/").status_code == 200
    for page in ("/api/docs/", "/api/redoc/"):
        html = client.get(page).content.decode()
        assert "drf_spectacular_sidecar" in html, page
        assert "cdn.jsdelivr" not in html and "unpkg.com" not in html, page
