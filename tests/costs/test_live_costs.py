"""The cost clients (docs/api.md) against a running TaskLedger (daphne + qcluster): the total they
print is the task's whole cost, never the cost before its work ran."""
import contextlib
import io
import time
from decimal import Decimal

import httpx2 as httpx  # the HTTP client the openai SDK brings
import pytest
from django.db.models import Sum
from rest_framework.authtoken.models import Token

from costs.models import RequestRecord
from tests.processes import start_daphne

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

TEXT = "\n\n".join(f"Section {i}. The housing is die-cast aluminium; the shaft is steel."
                   for i in range(60))

COST_CLIENT_PATTERN_1 = '''
# Client uploads file, gets task_id
response = client.post(f"/api/entities/company_123/files", files={"file": file})
task_id = response.json()["task_id"]

# Poll for cost information
while True:
    cost_response = client.get(f"/api/tasks/{task_id}/cost")
    if cost_response.status_code == 200:
        cost_data = cost_response.json()
        print(f"Cost: ${cost_data['total_cost_usd']:.4f}")
        print(f"Services: {cost_data['breakdown_by_service']}")
        break
    time.sleep(1)
'''

# Cost pattern 4 (docs/api.md, Client contract) with `wait`: one call per task, no polling.
COST_CLIENT_PATTERN_4 = '''
task_ids = []
for file in files:
    response = client.post(
        f"/api/entities/{entity_id}/files",
        files={"file": file}
    )
    task_ids.append(response.json()["task_id"])

# Get total cost for all uploads
total_cost = 0.0
for task_id in task_ids:
    cost_data = client.get(f"/api/tasks/{task_id}/cost", params={"wait": 60}).json()
    total_cost += cost_data["total_cost_usd"]

print(f"Total batch cost: ${total_cost:.4f}")
'''


@pytest.fixture
def client(qcluster, user):
    qcluster()
    daphne, port = start_daphne()
    token = Token.objects.create(user=user).key
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=90,
                      headers={"Authorization": f"Token {token}"}) as client:
        yield client
    daphne.stop()


def run_client(code: str, **names) -> tuple[dict, str]:
    namespace = {"time": time, **names}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, namespace)
    return namespace, out.getvalue()


def ledger_total(task_ids) -> Decimal:
    return RequestRecord.objects.filter(task_id__in=task_ids).aggregate(total=Sum("cost"))["total"]


def test_seed_000_pattern_1_prints_the_whole_cost_of_the_upload(client, entity, tmp_path):
    path = tmp_path / "manual.txt"
    path.write_text(TEXT)

    with path.open("rb") as file:
        namespace, printed = run_client(COST_CLIENT_PATTERN_1, client=client, file=file)

    total = ledger_total([namespace["task_id"]])
    assert total > 0
    assert printed.splitlines()[0] == f"Cost: ${float(total):.4f}"
    assert namespace["cost_data"]["final"] is True
    assert set(namespace["cost_data"]["breakdown_by_service"]) == {"file_processor", "transformer"}


def test_seed_000_pattern_4_with_wait_totals_every_upload_in_one_call_each(
    client, entity, tmp_path
):
    files = []
    for i in range(3):
        path = tmp_path / f"part-{i}.txt"
        path.write_text(TEXT * (i + 1))
        files.append(path.open("rb"))
    try:
        namespace, printed = run_client(COST_CLIENT_PATTERN_4, client=client, files=files,
                                        entity_id="company_123")
    finally:
        for file in files:
            file.close()

    total = ledger_total(namespace["task_ids"])
    assert total > 0
    assert printed.strip() == f"Total batch cost: ${float(total):.4f}"
