"""The analysis clients' curl steps and polling client (docs/articles.md) against a live
TaskLedger."""
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from tests.articles.helpers import SPEC
from tests.articles.test_workers import _openai_env
from tests.processes import start_daphne

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]
HERE = Path(__file__).resolve().parent


@pytest.fixture
def live(qcluster, openai_server, user, tmp_path):
    env = _openai_env(openai_server)
    qcluster(**env)
    daphne, port = start_daphne(**env)
    base = f"http://127.0.0.1:{port}"
    spec = tmp_path / "spec.txt"
    spec.write_text(SPEC)
    yield base, Token.objects.create(user=user).key, spec
    daphne.stop()


def _curl(*args) -> dict:
    done = subprocess.run(["curl", "-sS", "--fail-with-body", *args], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_seed_003_curl_steps_against_live_server(live):
    base, token, spec = live
    auth = ["-H", f"Authorization: Token {token}"]
    # 2. Test the analyze endpoint
    article = _curl("-X", "POST", f"{base}/api/analyze", *auth, "-F", "articleName=Test Widget",
                    "-F", "description=Test description", "-F", f"productSpecification=@{spec}")
    # The contract: an article is created with status processing.
    assert article["article_name"] == "Test Widget" and article["processing_status"] == "processing"
    # 3. Poll for status
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        status = _curl(f"{base}/api/articles/{article['id']}/status", *auth)
        seen.append((status["processing_status"], status["progress_text"]))
        if status["processing_status"] in ("completed", "failed"):
            break
        time.sleep(0.1)
    assert status["processing_status"] == "completed", seen
    assert {state for state, _ in seen} <= {"processing", "completed"}, seen
    # 4. Get full article
    full = _curl(f"{base}/api/articles/{article['id']}", *auth)
    assert full["unit_weight"] == 2.5 and len(full["cost_models"]) == 4
    assert sum(line["part"] for line in full["cost_models"]) == 100
    events = _curl(f"{base}/api/tasks/{full['task_id']}/events", *auth)
    texts = [e["data"]["text"] for e in events["events"] if e["event_type"] == "progress_update"]
    assert texts == ["extracting text", "extracting metadata", "generating cost model", "saving"]
    cost = _curl(f"{base}/api/tasks/{full['task_id']}/cost", *auth)
    assert cost["total_cost_usd"] > 0 and cost["request_count"] == 2  # the POST and the attempt


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_seed_003_polling_client_runs_against_live_server(live):
    base, token, spec = live
    done = subprocess.run(["node", str(HERE / "analysis_client.mjs"), base, token, str(spec)],
                          capture_output=True, text=True, timeout=150)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] and result["article"]["processing_status"] == "completed"
    assert result["article"]["article_name"] == "Widget A"
    assert result["article"]["unit_weight"] == 2.5


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_seed_003_polling_client_as_the_operator_bills_the_default_entity(
    qcluster, openai_server, staff, tmp_path
):
    """The client knows no entity; the operator belongs to none: the default entity pays."""
    from costs.models import RequestRecord

    env = _openai_env(openai_server)
    qcluster(**env)
    daphne, port = start_daphne(**env)
    spec = tmp_path / "spec.txt"
    spec.write_text(SPEC)
    try:
        done = subprocess.run(
            ["node", str(HERE / "analysis_client.mjs"), f"http://127.0.0.1:{port}",
             Token.objects.create(user=staff).key, str(spec)],
            capture_output=True, text=True, timeout=150)
    finally:
        daphne.stop()
    assert done.returncode == 0, done.stdout + done.stderr
    article = json.loads(done.stdout)["article"]
    assert article["processing_status"] == "completed" and article["entity_id"] == "default"
    records = RequestRecord.objects.filter(task_id=article["task_id"])
    assert records.filter(cost__gt=0).exists()  # the LLM's tokens were paid for
    assert set(records.values_list("entity__entity_id", flat=True)) == {"default"}
