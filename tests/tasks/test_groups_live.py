"""A group made with its children in one call, followed over SSE and costed, against a
running TaskLedger (daphne + qcluster)."""
import json
import subprocess

import pytest
from rest_framework.authtoken.models import Token

from tests.processes import start_daphne

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]


def curl(*args) -> str:
    done = subprocess.run(["curl", "-sS", "--fail-with-body", *args], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_group_created_followed_and_costed_against_a_live_server(qcluster, user, entity):
    qcluster()
    daphne, port = start_daphne()
    base = f"http://127.0.0.1:{port}"
    auth = ["-H", f"Authorization: Token {Token.objects.create(user=user).key}"]
    child = {"kind": "demo.count", "params": {"steps": 3, "delay_seconds": 0.05}}
    try:
        group = json.loads(curl(*auth, "-H", "Content-Type: application/json", "-d",
                                json.dumps({"kind": "group", "children": [child, child],
                                            "metadata": {"operation": "nightly"}}),
                                f"{base}/api/tasks/"))
        # The stream ends after the group's terminal event.
        stream = curl(*auth, "--max-time", "50", f"{base}{group['stream_url']}")
        cost = json.loads(curl(*auth, f"{base}/api/tasks/{group['task_id']}/cost?wait=30"))
        listed = json.loads(curl(*auth, f"{base}/api/tasks/?parent_id={group['task_id']}"))
        found = json.loads(curl(*auth, f"{base}/api/tasks/?kind=group&metadata.operation=nightly"))
    finally:
        daphne.stop()

    events = [json.loads(line[len("data: "):]) for line in stream.splitlines()
              if line.startswith("data: ")]
    assert len(group["children"]) == 2
    progress = [e["data"] for e in events if e["event_type"] == "progress_update"]
    assert progress[-1]["processed_units"] == 2 and progress[-1]["total_units"] == 2
    assert events[-1]["event_type"] == "task_completed"
    assert cost["final"] is True and cost["subtask_count"] == 2
    assert "breakdown_by_service" in cost
    assert {task["task_id"] for task in listed["tasks"]} == set(group["children"])
    assert [task["task_id"] for task in found["tasks"]] == [group["task_id"]]
