"""The committed Python client (clients/python/) is the schema's, and works against a live server.

The client is imported from the working tree (clients/python on sys.path), so `make test`
needs no install step for it; `pip install ./clients/python` is what integrators run.
"""
import filecmp
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from tests.processes import start_daphne

ROOT = Path(__file__).resolve().parent.parent
CLIENT = ROOT / "clients" / "python"
HAND_WRITTEN = {"ledger.py"}
sys.path.insert(0, str(CLIENT))

TEXT = "\n\n".join(f"Section {i}. The housing is die-cast aluminium; the shaft is steel."
                   for i in range(40))


def test_committed_schema_is_the_generated_schema(tmp_path):
    """Fails when an endpoint changed and scripts/client_generate.sh was not run."""
    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--validate", "--fail-on-warn",
                 "--file", str(target))
    live = json.loads(target.read_text())
    committed = json.loads((CLIENT / "schema.json").read_text())
    assert committed == live, ("clients/python/schema.json is not the schema the code "
                               "generates: run scripts/client_generate.sh")


def _tree(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


def test_committed_client_is_generated_from_the_committed_schema(tmp_path):
    """The generated modules are exactly what openapi-python-client makes of schema.json."""
    out = tmp_path / "taskledger_client"
    subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path",
         str(CLIENT / "schema.json"), "--meta", "none", "--config",
         str(CLIENT / "generate.yml"), "--output-path", str(out), "--fail-on-warning"],
        check=True, capture_output=True, cwd=tmp_path)
    committed = CLIENT / "taskledger_client"
    assert _tree(committed) - HAND_WRITTEN == _tree(out)
    differing = [name for name in sorted(_tree(out))
                 if not filecmp.cmp(out / name, committed / name, shallow=False)]
    assert not differing, f"regenerate the client (scripts/client_generate.sh): {differing}"


def _docs_example() -> str:
    text = (ROOT / "docs" / "client.md").read_text()
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


@pytest.fixture
def running_server(qcluster, user):
    """daphne and one django-q2 cluster on the test database; the member's token."""
    qcluster()
    daphne, port = start_daphne()
    yield f"http://127.0.0.1:{port}", Token.objects.create(user=user).key
    daphne.stop()


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_client_docs_example_uploads_watches_and_prints_the_final_cost(
        running_server, entity, tmp_path, capsys):
    base_url, token = running_server
    path = tmp_path / "manual.txt"
    path.write_text(TEXT)

    exec(_docs_example(), {"BASE_URL": base_url, "TOKEN": token, "ENTITY_ID": "company_123",
                           "PATH": path})

    printed = capsys.readouterr().out.strip().splitlines()[-1]
    match = re.fullmatch(r"manual\.txt cost \$(\d+\.\d{6})", printed)
    assert match, printed
    from costs.models import RequestRecord
    from django.db.models import Sum

    from embeddings.models import Document

    task_id = Document.objects.get(original_filename="manual.txt").task.task_id
    total = RequestRecord.objects.filter(task_id=task_id).aggregate(total=Sum("cost"))["total"]
    assert total > 0
    assert match.group(1) == f"{float(total):.6f}"


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_client_creates_a_task_reads_status_and_cost_and_lists_its_requests(running_server, entity):
    from taskledger_client import AuthenticatedClient
    from taskledger_client.api.requests import requests_list
    from taskledger_client.api.tasks import tasks_create, tasks_status_retrieve
    from taskledger_client.ledger import Ledger
    from taskledger_client.models import PaginatedRequestRecordList, TaskCreateRequest, TaskCreated

    base_url, token = running_server
    client = AuthenticatedClient(base_url=base_url, token=token, prefix="Token",
                                 raise_on_unexpected_status=True)

    created = tasks_create.sync(client=client, body=TaskCreateRequest(kind="noop"))
    assert isinstance(created, TaskCreated), created
    assert created.status == "pending" and created.estimated_cost_usd is not None

    ledger = Ledger(client)
    events = []
    ended = ledger.wait(created.task_id, on_progress=events.append, timeout=60)
    assert ended.status == "completed"
    assert events[-1]["event_type"] == "task_completed"

    status = tasks_status_retrieve.sync(created.task_id, client=client)
    assert status.status == "completed" and status.progress == 100

    cost = ledger.cost(created.task_id, wait=True, timeout=60)
    assert cost.final is True and cost.task_id == created.task_id
    assert cost.total_cost_usd >= 0 and cost.reserved is False

    records = requests_list.sync(client=client, task_id=created.task_id)
    assert isinstance(records, PaginatedRequestRecordList), records
    assert records.total >= 1
    assert {record.task_id for record in records.requests} == {created.task_id}
