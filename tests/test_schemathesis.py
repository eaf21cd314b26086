"""Every operation of /api/schema/ answers as documented, and no input produces a 500.

schemathesis generates requests from the schema (valid ones and invalid ones) and sends
them to the WSGI application on the test database, as a staff operator and as a member of
an entity. Every check runs: a server error, a status or body the schema does not
document, a wrong Content-Type, an invalid input accepted... each fails the test.

Bounded and deterministic: a few examples per operation, derandomized, no example
database, so a run takes well under a minute and a failure repeats on the next run.
"""
import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
import schemathesis
from schemathesis.specs.openapi.checks import negative_data_rejection
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis.config import SchemathesisConfig

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_literals_from_loaded_modules(monkeypatch):
    """Hypothesis (6.170) mixes into its examples the string and number literals of every
    project module loaded so far, and caches them on first use. Which modules are loaded
    depends on the tests that ran before (the suite runs in a random order), so the same
    test sent other requests in another order: a changed literal in costs/selectors.py, or
    a test that imported it first, made the workflow below send `?priority=`. Left out,
    the requests depend only on the schema. (Private names: hypothesis is pinned.)"""
    from hypothesis.internal.conjecture import providers
    from hypothesis.internal.constants_ast import Constants

    monkeypatch.setattr(providers, "_get_local_constants", Constants)
    monkeypatch.setattr(providers, "CONSTANTS_CACHE", {})

MAX_EXAMPLES = 12

CONFIG = {
    "generation": {
        "mode": "all",  # valid and invalid inputs
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "database": "none",
        "allow-x00": True,
    },
    # Deterministic: no values taken from earlier answers (random ids, times) into later
    # requests, so the same requests are sent on every run.
    "phases": {
        "examples": {"enabled": True, "extra-data-sources": {"responses": False}},
        "coverage": {"enabled": False},
        "fuzzing": {"enabled": True, "extra-data-sources": {"responses": False},
                    "error-feedback": {"enabled": False}},
        "stateful": {"enabled": True},  # test_task_workflow_follows_its_links
    },
    "checks": {
        # A request the schema allows may still be refused for a rule no schema can say:
        # an entity_id that names no entity, a member that is no user, a drawing whose
        # bytes are not of its type. Those refusals are the documented 4xx bodies.
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "400", "401", "402", "403", "404", "409", "413", "415",
                                  "429"],
        },
    },
    # Path ids are drawn from the objects `known_objects` makes half of the time, so the
    # answers about a real task, document, knowledge base and schedule are checked too.
    "dictionaries": {
        "task_ids": {"values": ["task_known", "task_embedding_known"]},
        "doc_ids": {"values": ["doc_known"]},
        "kb_ids": {"values": ["kb_known"]},
        "schedule_ids": {"values": ["schedule_known"]},
        "entity_ids": {"values": ["company_123"]},
    },
    "parameters": {
        "path.task_id": {"dictionary": "task_ids", "probability": 0.5},
        "path.doc_id": {"dictionary": "doc_ids", "probability": 0.5},
        "path.kb_id": {"dictionary": "kb_ids", "probability": 0.5},
        "path.schedule_id": {"dictionary": "schedule_ids", "probability": 0.5},
        "path.entity_id": {"dictionary": "entity_ids", "probability": 0.5},
    },
    "operations": [{
        # A batch answers 200 with each refused item and its reason (docs/api.md): an invalid
        # item is reported in the answer, not by the status.
        "include-path-regex": "/batch/$",
        "checks": {"negative_data_rejection": {"enabled": False}},
    }],
}


def _schema_document() -> dict:
    """The schema as /api/schema/ serves it, as plain JSON (made without a database)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


# Loaded when the module is collected: schemathesis's fixture-based loader
# (`schemathesis.pytest.from_fixture`) does not run under pytest 9.
schema = schemathesis.openapi.from_dict(_schema_document(),
                                        config=SchemathesisConfig.from_dict(CONFIG))
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _many_failed_authentications(settings):
    """The auth checks send hundreds of wrong tokens from one address; past
    AUTH_FAILURE_RATE those are answered 429 (tests/test_throttling.py tests that)."""
    settings.AUTH_FAILURE_RATE = "100000/min"


@pytest.fixture(autouse=True)
def _connections_stay_open():
    """The WSGI handler closes the database connection after each request; the test
    database lives in this test's transaction, so keep it open (as Django's test client does)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def known_objects(entity):
    """A task, a document with its embedding task, a knowledge base and a schedule of
    company_123, under the ids the examples draw from."""
    from embeddings.services import document_submit, knowledge_base_create
    from schedules.services import schedule_create
    from tasks.models import Task
    from tasks.services import task_create

    task_create(kind="noop", entity=entity, task_id="task_known")
    knowledge_base = knowledge_base_create(entity=entity, name="manuals")
    knowledge_base.kb_id = "kb_known"
    knowledge_base.save(update_fields=["kb_id"])
    document = document_submit(entity=entity, knowledge_base=knowledge_base,
                               content="The pump needs oiling every spring.",
                               document_id="doc_known")
    Task.objects.filter(pk=document.task.pk).update(task_id="task_embedding_known")
    schedule = schedule_create(name="hourly", kind="noop", entity=entity, interval_seconds=3600)
    schedule.schedule_id = "schedule_known"
    schedule.save(update_fields=["schedule_id"])


def _token_header(person) -> dict:
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=person)
    return {"Authorization": f"Token {token.key}"}


@pytest.fixture
def staff_headers(db):
    return _token_header(UserFactory(username="operator", is_staff=True, is_superuser=True))


@pytest.fixture
def member_headers(entity):
    member = UserFactory(username="member")
    entity.members.add(member)
    return _token_header(member)


# The users and their tokens are made once per test and shared by its examples.
SHARED_FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def _excluded_checks(case) -> list | None:
    # A multipart form carries every field as text: a "number" or an "object" in a text
    # field is just text there, so a type the schema forbids cannot be sent that way.
    if (case.media_type or "").startswith("multipart/"):
        return [negative_data_rejection]
    return None


def _call_and_validate(case, headers):
    case.call_and_validate(headers=headers, excluded_checks=_excluded_checks(case))


@schema.parametrize()
@SHARED_FIXTURES
def test_api_answers_staff_as_its_schema_says(case, staff_headers, known_objects, sync_jobs):
    _call_and_validate(case, staff_headers)


@schema.parametrize()
@SHARED_FIXTURES
def test_api_answers_a_member_as_its_schema_says(case, member_headers, known_objects, sync_jobs):
    _call_and_validate(case, member_headers)


def test_task_workflow_follows_its_links(member_headers, sync_jobs):
    """The schema's links (core/schema.py TASK_LINKS), followed: create a task, then read
    it, its status, its events and its cost, and cancel it, each answer checked."""
    from hypothesis.stateful import run_state_machine_as_test

    workflow = ["tasks_create", "tasks_retrieve", "tasks_status_retrieve", "tasks_events_retrieve",
                "tasks_cancel_create", "tasks_cost_retrieve"]
    base = schema.include(operation_id=workflow).as_state_machine()
    followed = set()  # operations called with the task_id a created task's answer named

    class TaskWorkflow(base):
        """Each run starts from the same database: its writes are rolled back at teardown
        (hypothesis replays runs, and a task left by one would change the next)."""

        def __init__(self):
            super().__init__()
            self._savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self._savepoint)
            super().teardown()

        def get_call_kwargs(self, case):
            if str((case.path_parameters or {}).get("task_id", "")).startswith("task_"):
                followed.add(case.operation.label)
            return {"headers": member_headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # The token goes as `headers`, so the auth checks know to leave it out.
            transport = {key: value for key, value in kwargs.items() if key != "headers"}
            case.validate_response(response, additional_checks=additional_checks,
                                   excluded_checks=_excluded_checks(case),
                                   headers=kwargs.get("headers"),
                                   transport_kwargs=transport or None, recorder=self.recorder)

    run_state_machine_as_test(TaskWorkflow, settings=settings(
        max_examples=30, stateful_step_count=8, derandomize=True, database=None,
        deadline=None, suppress_health_check=list(HealthCheck)))
    # Which links a bounded run follows depends on the schema; at least a cancel and a read.
    assert "POST /api/tasks/{task_id}/cancel/" in followed, followed
    assert followed & {"GET /api/tasks/{task_id}/", "GET /api/tasks/{task_id}/status/",
                       "GET /api/tasks/{task_id}/cost/", "GET /api/tasks/{task_id}/events/"}, followed
