"""The upload flow and cost patterns (curl) and the embedding clients' Python client, against a
running TaskLedger (daphne + qcluster) on both providers, with the authentication header added."""
import asyncio
import json
import subprocess

import pytest
from rest_framework.authtoken.models import Token

from embeddings.models import KnowledgeBase
from tests.embeddings.conftest import API_KEY
from testsupport.files import pdf_bytes
from testsupport.openai_server import OpenAITestServer
from tests.processes import start_daphne, wait_for

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

TEXT = "\n\n".join(f"Section {i}. The housing is die-cast aluminium; the shaft is steel."
                   for i in range(300))


@pytest.fixture(params=["local", "openai"])
def live(request, qcluster, user, tmp_path):
    """A running TaskLedger on the test database with the given provider; yields (url, token)."""
    env = {}
    server = None
    if request.param == "openai":
        server = OpenAITestServer().start()
        env = {"AI_PROVIDER": "openai", "OPENAI_API_KEY": API_KEY,
               "OPENAI_BASE_URL": server.base_url}
    qcluster(**env)
    daphne, port = start_daphne(**env)
    url = f"http://127.0.0.1:{port}"
    token = Token.objects.create(user=user).key
    yield url, token, request.param
    daphne.stop()
    if server:
        server.stop()


def curl(*args) -> dict:
    result = subprocess.run(["curl", "-sS", "--fail-with-body", *args], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_seed_000_upload_flow_and_client_patterns(live, tmp_path):
    url, token, provider = live
    auth = ["-H", f"Authorization: Token {token}"]
    files = []
    for i, (name, data) in enumerate([("manual.txt", TEXT.encode()),
                                      ("spec.pdf", pdf_bytes(["Shaft: steel", "Housing: alu"])),
                                      ("notes.md", b"# Notes\n\nKeep dry.")]):
        path = tmp_path / name
        path.write_bytes(data)
        files.append(path)

    # Upload: the answer comes at once with task_id and doc_id.
    uploads = [curl(*auth, "-F", f"file=@{path}", f"{url}/api/entities/company_123/files")
               for path in files]
    assert all(u["success"] and u["task_id"] and u["doc_id"] for u in uploads)

    def completed(task_id):
        status = curl(*auth, f"{url}/api/tasks/{task_id}")["status"]
        assert status not in ("failed", "cancelled")
        return status == "completed"

    for u in uploads:
        wait_for(lambda: completed(u["task_id"]), 60, 0.3, f"task {u['task_id']}")

    # Pattern 1: cost after completion.
    embedding_service = "transformer" if provider == "local" else "openai_embedding"
    cost = curl(*auth, f"{url}/api/tasks/{uploads[0]['task_id']}/cost")
    assert set(cost["breakdown_by_service"]) == {"file_processor", embedding_service}
    assert cost["total_cost_usd"] > 0
    assert cost["request_count"] == 2  # the upload request and the job's attempt

    # Pattern 2: all uploads of the entity.
    listed = curl(*auth, f"{url}/api/requests?entity_id=company_123&task_type=upload")
    task_costs = [curl(*auth, f"{url}/api/tasks/{u['task_id']}/cost")["total_cost_usd"]
                  for u in uploads]
    assert sum(r["total_cost_usd"] for r in listed["requests"]) == pytest.approx(sum(task_costs))
    assert {r["task_id"] for r in listed["requests"]} == {u["task_id"] for u in uploads}

    # Pattern 3: costs of one document.
    by_doc = curl(*auth, f"{url}/api/requests?doc_id={uploads[1]['doc_id']}")
    assert by_doc["total"] == 2
    services = [s for r in by_doc["requests"] for s in r["services_used"]]
    pages = next(s for s in services if s["service_type"] == "file_processor")
    assert pages["breakdown"]["pages"] == 2  # the PDF's two pages

    # Pattern 4: batch total.
    assert sum(task_costs) == pytest.approx(
        sum(curl(*auth, f"{url}/api/tasks/{u['task_id']}/cost")["total_cost_usd"] for u in uploads))
    doc_cost = curl(*auth, f"{url}/api/documents/{uploads[0]['doc_id']}/cost")
    assert doc_cost["total_cost_usd"] == pytest.approx(cost["total_cost_usd"])


EMBEDDING_CLIENT = '''
import asyncio
import aiohttp

async def process_document():
    # Create embedding task
    async with aiohttp.ClientSession() as session:
        # Submit task
        async with session.post(
            "{url}/api/v1/embedding-tasks/",
            headers={{"Authorization": f"Bearer {{token}}"}},
            json={{
                "document_id": document_id,
                "knowledge_base_id": kb_id,
                "content": document_content,
                "priority": "high"
            }}
        ) as response:
            result = await response.json()
            task_id = result["task_id"]

        # Monitor progress
        while True:
            async with session.get(
                f"{url}/api/v1/embedding-tasks/{{task_id}}",
                headers={{"Authorization": f"Bearer {{token}}"}}
            ) as response:
                progress = await response.json()
                print(f"Progress: {{progress['progress']}}%")

                if progress["status"] in ["completed", "failed"]:
                    break

            await asyncio.sleep(2)

        return progress
'''


def test_seed_001_python_client(live, entity):
    url, token, provider = live
    kb = KnowledgeBase.objects.create(entity=entity, name="manuals")
    namespace = {"token": token, "document_id": "123e4567-e89b-12d3-a456-426614174000",
                 "kb_id": kb.kb_id, "document_content": TEXT}
    exec(EMBEDDING_CLIENT.format(url=url), namespace)

    progress = asyncio.run(asyncio.wait_for(namespace["process_document"](), 90))

    assert progress["status"] == "completed", progress
    assert progress["progress"] == 100
    assert progress["processed_chunks"] == progress["total_chunks"] > 1
    assert progress["document_id"] == "123e4567-e89b-12d3-a456-426614174000"

    async def queue_and_metrics():
        import aiohttp

        headers = {"Authorization": f"Bearer {token}"}
        async with aiohttp.ClientSession(headers=headers) as session:
            async with session.get(f"{url}/api/v1/embedding-tasks/queue/status") as r:
                queue = await r.json()
            async with session.get(f"{url}/api/v1/metrics/embedding-tasks") as r:
                metrics = await r.json()
            async with session.get(f"{url}/api/knowledge-bases/{kb.kb_id}/search",
                                   params={"q": "steel shaft", "k": 3}) as r:
                search = await r.json()
        return queue, metrics, search

    queue, metrics, search = asyncio.run(queue_and_metrics())
    assert queue["status_counts"]["completed"] == 1
    assert metrics["success_rate"] == 100.0 and metrics["completed"] == 1
    assert len(search["results"]) == 3
    assert search["results"][0]["document_id"] == "123e4567-e89b-12d3-a456-426614174000"


@pytest.mark.parametrize("live", ["local"], indirect=True)
def test_seed_001_words_on_rest_websocket_and_sse(live, entity):
    """An embedding client sends priority `HIGH` and reads processed_chunks / total_chunks on
    every channel: the embedding task's REST answer, its WebSocket and its SSE stream."""
    url, token, _ = live
    kb = KnowledgeBase.objects.create(entity=entity, name="manuals")

    async def client():
        import aiohttp

        headers = {"Authorization": f"Bearer {token}"}
        async with aiohttp.ClientSession(headers=headers) as session:
            async with session.post(f"{url}/api/v1/embedding-tasks/", json={
                    "knowledge_base_id": kb.kb_id, "content": TEXT, "priority": "HIGH"}) as r:
                assert r.status == 200, await r.text()
                task_id = (await r.json())["task_id"]
            while True:
                async with session.get(f"{url}/api/v1/embedding-tasks/{task_id}") as r:
                    progress = await r.json()
                if progress["status"] in ("completed", "failed"):
                    break
                await asyncio.sleep(0.2)
            async with session.get(f"{url}/api/tasks/{task_id}") as r:
                task = await r.json()
            ws_url = url.replace("http", "ws") + f"/api/v1/ws/embedding-tasks?token={token}"
            async with session.ws_connect(ws_url) as ws:
                await ws.send_json({"action": "subscribe", "task_id": task_id})
                messages = []
                while not messages or messages[-1]["type"] != "task_update" \
                        or messages[-1]["data"]["type"] != "completed":
                    messages.append(await ws.receive_json(timeout=10))
            async with session.get(f"{url}{task['stream_url']}") as r:
                sse = [json.loads(line[len("data: "):]) for line in (await r.text()).splitlines()
                       if line.startswith("data: ")]
        return progress, task, messages, sse

    progress, task, messages, sse = asyncio.run(asyncio.wait_for(client(), 90))

    assert progress["status"] == "completed" and progress["priority"] == "high"
    assert task["priority"] == "high"
    assert task["processed_chunks"] == task["total_chunks"] == progress["total_chunks"] > 1
    assert task["processed_units"] == task["total_units"] == task["total_chunks"]
    ws_progress = [m["data"] for m in messages if m["type"] == "progress_update"]
    sse_progress = [e["data"] for e in sse if e["event_type"] == "progress_update"]
    assert ws_progress and sse_progress
    for data in ws_progress + sse_progress:
        assert data["processed_chunks"] == data["processed_units"]
        assert data["total_chunks"] == data["total_units"]
    assert ws_progress[-1]["processed_chunks"] == ws_progress[-1]["total_chunks"] == task["total_chunks"]
