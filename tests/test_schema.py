"""The OpenAPI schema documents every endpoint and its errors; its docs pages are self-hosted."""
import re

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


def _blank_allowed(parameter: dict) -> bool:
    """Whether a query parameter's schema lets it be sent blank (`?name=`)."""
    if parameter.get("allowEmptyValue"):
        return True
    schema = parameter.get("schema", {})
    if "enum" in schema:
        return "" in schema["enum"]
    if "anyOf" in schema:
        return any(re.search(option.get("pattern", "(?!)"), "") for option in schema["anyOf"])
    if schema.get("type") != "string":
        return False
    return re.search(schema.get("pattern", ""), "") is not None and not schema.get("minLength")


@pytest.mark.django_db
def test_a_blank_query_parameter_is_accepted_exactly_where_the_schema_says(schema, admin_client):
    """A blank choice (`?priority=`) lists every task and a blank number (`?minutes=`) is its
    default: where the API takes a blank value the schema must allow it, and only there."""
    checked = set()
    for path, method, operation in _operations(schema):
        if method != "get" or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            response = admin_client.get(f"{path}?{parameter['name']}=")
            assert response.status_code in (200, 400), (path, parameter["name"], response)
            assert (response.status_code == 200) == _blank_allowed(parameter), (
                path, parameter, response.status_code, response.content[:300])
            checked.add((path, parameter["name"]))
    assert {("/api/tasks/", "priority"), ("/api/tasks/", "status"),
            ("/api/metrics/embedding-tasks/", "minutes")} <= checked, checked
