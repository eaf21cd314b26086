"""The upload and analyze forms and the embedding clients' WebSocket client, end to end in Chromium.

Nothing answers in the endpoints' place: the pages post to the real APIs of a real daphne,
a real qcluster runs the jobs, and every flow runs on both providers (the local one, and
the OpenAI one pointed at testsupport/openai_server.py through the real SDK).

The module's single worker (MAX_CONCURRENT_TASKS=1) is held by a long demo task while a
page opens, and released once the page shows the new task waiting: whatever the page then
shows arrived live, never in the HTML of its first load.
"""
import json
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

from articles.models import Article
from costs.models import RequestRecord
from embeddings.models import Document, KnowledgeBase
from tasks.models import Task, TaskStatus
from tasks.services import task_cancel
from testsupport.analyst import analyst_server
from tests.articles.helpers import SPEC
from tests.factories import EntityFactory
from tests.ledger import lines_of
from tests.pages.conftest import Servers
from tests.pages.test_browser import (
    WEBSOCKET_CLIENT, console_wait, count_task, event_seqs, expect_completed, logged_seqs,
)
from tests.processes import wait_for

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

# Small batches, each report written (no coalescing), so that even a small document shows
# progress between 0 and 100% on the local provider, which embeds in milliseconds.
FLOW_ENV = {"MAX_CONCURRENT_TASKS": "1", "EMBEDDING_BATCH_SIZE": "2", "TASK_PROGRESS_INTERVAL": "0"}
EMBEDDING_SERVICE = {"local": "transformer", "openai": "openai_embedding"}

MANUAL_MD = "# Pump manual\n\n" + "\n\n".join(
    f"## Step {number}\n\nCheck the seal of valve {number}; the housing is cast aluminium, "
    f"the shaft stainless steel. Tighten the flange bolts to {10 + number} Nm."
    for number in range(1, 25))

# The first status the task page shows, read before any live message can change it.
FIRST_STATUS_SCRIPT = """
document.addEventListener('DOMContentLoaded', () => {
  const status = document.querySelector('[data-role=status]');
  if (status && location.pathname.startsWith('/tasks/')) window.__firstStatus = status.textContent.trim();
});
"""


@dataclass
class FlowServers(Servers):
    provider: str
    openai: object | None


@pytest.fixture(params=["local", "openai"])
def provider(request) -> str:
    return request.param


@pytest.fixture
def openai(provider):
    """The test's own OpenAI test server, on the OpenAI provider: the article analyst's
    script answers the chat questions, embeddings as the base server."""
    if provider != "openai":
        yield None
        return
    with analyst_server(latency=0.02) as server:
        yield server


@pytest.fixture
def server_env(openai) -> dict:
    env = dict(FLOW_ENV)
    if openai is not None:
        env.update(AI_PROVIDER="openai", OPENAI_API_KEY="sk-test",
                   OPENAI_BASE_URL=openai.base_url, OPENAI_TIMEOUT="5", RETRY_BASE_DELAY="0.2")
    return env


@pytest.fixture
def servers(servers, provider, openai):
    """This test's daphne and one-worker qcluster, on the local or the OpenAI provider."""
    return FlowServers(**vars(servers), provider=provider, openai=openai)


def worker_hold(entity) -> Task:
    """Occupy the only worker with a demo task that runs until it is cancelled."""
    blocker = count_task(entity, steps=3000, delay=0.1)
    wait_for(lambda: Task.objects.filter(pk=blocker.pk, status=TaskStatus.PROCESSING).exists(),
             timeout=30, message="the blocking task to start")
    return blocker


def worker_release(blocker: Task) -> None:
    task_cancel(task=Task.objects.get(pk=blocker.pk), reason="test releases the worker")


def task_page_opened_waiting(page) -> Task:
    """The task page the form led to, loaded while its task still waited for the worker."""
    page.wait_for_url(re.compile(r"/tasks/task_[0-9a-f]+/$"))
    page.wait_for_load_state("domcontentloaded")
    page.evaluate("window.__notReloaded = true")
    assert page.evaluate("window.__firstStatus") == "pending"
    return Task.objects.get(task_id=page.url.rstrip("/").rsplit("/", 1)[1])


def expect_followed_live_to_completion(page, task: Task) -> None:
    expect_completed(page)
    assert page.evaluate("window.__notReloaded") is True, "the page reloaded"
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    assert sorted(logged_seqs(page)) == event_seqs(task), "the log lost or repeated an event"
    ledger_closed(task)


def ledger_closed(task: Task) -> None:
    """Wait until the worker has closed the attempt's ledger record (it does so just after
    the task completes), so that no test ends while the worker still writes."""
    wait_for(lambda: not RequestRecord.objects.filter(task_id=task.task_id,
                                                      completed_at__isnull=True).exists(),
             timeout=15, message=f"task {task.task_id}'s ledger records to close")


def ledger_services(doc_id: str) -> set[str]:
    return {line.service_type for line in lines_of(RequestRecord.objects.filter(doc_id=doc_id))}


def test_browser_upload_form_runs_a_real_upload_to_completion(page, servers, entity, tmp_path):
    manual = tmp_path / "pump-manual.md"
    manual.write_text(MANUAL_MD)
    page.add_init_script(FIRST_STATUS_SCRIPT)
    page.goto("/upload/")
    blocker = worker_hold(entity)

    page.set_input_files("input[name=file]", str(manual))
    page.fill("textarea[name=metadata]", '{"source": "browser"}')
    page.click("button:has-text('Upload and start')")
    task = task_page_opened_waiting(page)
    worker_release(blocker)

    expect_followed_live_to_completion(page, task)
    document = Document.objects.get(task=task)
    assert document.original_filename == "pump-manual.md"
    assert document.metadata == {"source": "browser"}
    chunks = list(document.chunks.order_by("position").values_list("text", flat=True))
    assert len(chunks) == document.chunk_count > 1
    assert "valve 1;" in chunks[0] and "valve 24;" in chunks[-1]
    assert ledger_services(document.doc_id) == {
        "file_processor", EMBEDDING_SERVICE[servers.provider]}
    expect(page.locator("[data-role=cost-note]")).to_have_text("2 requests recorded")
    if servers.openai is not None:
        embedded = [text for request in servers.openai.requests
                    if request["path"].endswith("/embeddings") for text in request["body"]["input"]]
        assert set(chunks) <= set(embedded)


def test_browser_analyze_form_runs_a_real_analysis_to_completion(page, servers, entity, tmp_path):
    spec = tmp_path / "bracket-spec.txt"
    spec.write_text(SPEC)
    page.add_init_script(FIRST_STATUS_SCRIPT)
    page.goto("/analyze/")
    blocker = worker_hold(entity)

    page.fill("input[name=articleName]", "Mounting bracket MB-200")
    page.fill("textarea[name=description]", "Wall bracket for pumps")
    page.set_input_files("input[name=productSpecification]", str(spec))
    page.click("button:has-text('Analyze')")
    task = task_page_opened_waiting(page)
    worker_release(blocker)

    expect_followed_live_to_completion(page, task)
    article = Article.objects.get(task=task)
    assert (article.article_name, article.description) == (
        "Mounting bracket MB-200", "Wall bracket for pumps")
    assert article.processing_status == "completed"
    assert article.unit_weight == Decimal("2.5")
    parts = list(article.cost_models.values_list("part", flat=True))
    assert len(parts) > 1 and sum(parts) == 100
    assert article.analysis_provider == servers.provider
    if servers.openai is not None:
        assert servers.openai.chat_answer.asked["cost_model"] == 1


def test_browser_seed_001_client_follows_a_real_embedding_task(page, servers, entity, user):
    token, _ = Token.objects.get_or_create(user=user)
    frames = []
    page.on("websocket", lambda socket: socket.on("framereceived", lambda payload: frames.append(payload)))
    page.goto("/")
    blocker = worker_hold(entity)
    content = "\n\n".join(f"Section {number}. The housing is die-cast aluminium; the shaft is "
                          f"steel, rated for {number * 10} hours." for number in range(60))

    created = page.evaluate("""async ({token, content}) => {
        const response = await fetch('/api/v1/embedding-tasks/', {
            method: 'POST',
            headers: {'Authorization': `Bearer ${token}`, 'Content-Type': 'application/json'},
            body: JSON.stringify({document_id: 'manual-7', content, priority: 'high'}),
        });
        return {status: response.status, body: await response.json()};
    }""", {"token": token.key, "content": content})
    assert created["status"] == 200, created
    task_id = created["body"]["task_id"]
    script = (WEBSOCKET_CLIENT
              .replace("localhost:8000", servers.base_url.removeprefix("http://"))
              .replace("abc123-def456-ghi789", task_id))
    page.evaluate(f"(token) => {{ {script} }}", token.key)
    # Subscribed (the first answer is the task's state) before the task may start.
    console_wait(page, lambda console: "Progress: 0%" in console, timeout=20,
                 message="the subscription's first state message")
    worker_release(blocker)

    console_wait(page, lambda console: "Task completed!" in console, timeout=60,
                 message="the embedding WebSocket client to log 'Task completed!'")
    messages = [message for message in map(json.loads, frames) if message.get("task_id") == task_id]
    live_progress = [message["data"]["progress"] for message in messages
                     if message["type"] == "progress_update" and message["event_type"] != "state"]
    assert any(0 < value < 100 for value in live_progress), live_progress
    assert live_progress == sorted(live_progress)
    logged = [float(line.split()[1].rstrip("%")) for line in page.console
              if line.startswith("Progress: ")]
    assert logged == [0.0, *live_progress]
    completed = [message["data"] for message in messages
                 if message["type"] == "task_update" and message["data"]["type"] == "completed"]
    document = Document.objects.get(doc_id="manual-7")
    chunk_ids = [f"chunk_{pk}" for pk in
                 document.chunks.order_by("position").values_list("pk", flat=True)]
    assert len(completed) == 1 and len(chunk_ids) > 2
    assert completed[0]["chunk_ids"] == chunk_ids
    ledger_closed(document.task)
    assert ledger_services("manual-7") == {"file_processor", EMBEDDING_SERVICE[servers.provider]}



def test_browser_upload_form_files_into_the_chosen_entity_knowledge_base_and_priority(
    page, servers, entity, user, tmp_path
):
    other = EntityFactory(entity_id="company_789")
    other.members.add(user)
    manuals = KnowledgeBase.objects.create(entity=other, name="manuals")
    notes = tmp_path / "notes.txt"
    notes.write_text("Keep the pump dry.\n\nStore it below 40 degrees.")
    page.goto("/upload/")

    page.select_option("select[name=entity_id]", "company_789")
    page.set_input_files("input[name=file]", str(notes))
    page.fill("input[name=knowledge_base_id]", manuals.kb_id)
    page.select_option("select[name=priority]", "high")
    page.click("button:has-text('Upload and start')")

    page.wait_for_url(re.compile(r"/tasks/task_[0-9a-f]+/$"))
    task = Task.objects.get(task_id=page.url.rstrip("/").rsplit("/", 1)[1])
    expect_completed(page)
    document = Document.objects.get(task=task)
    assert (document.entity, document.knowledge_base, task.priority_name) == (
        other, manuals, "high")
    assert task.entity == other
    assert set(RequestRecord.objects.filter(doc_id=document.doc_id)
               .values_list("entity__entity_id", flat=True)) == {"company_789"}
    ledger_closed(task)


def test_browser_upload_form_shows_the_real_apis_refusal_in_words(page, servers, entity, tmp_path):
    program = tmp_path / "tool.exe"
    program.write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 4)
    page.goto("/upload/")

    page.set_input_files("input[name=file]", str(program))
    page.click("button:has-text('Upload and start')")

    error = page.locator("[data-role=form-error]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("unsupported file type")
    expect(error).to_contain_text("accepted:")
    expect(page).to_have_url(re.compile(r"/upload/$"))
    expect(page.locator("button:has-text('Upload and start')")).to_be_enabled()
    assert not Document.objects.exists() and not Task.objects.exists()


def test_browser_analyze_form_bills_the_chosen_entity(page, servers, entity, user, tmp_path):
    other = EntityFactory(entity_id="company_789")
    other.members.add(user)
    spec = tmp_path / "spec.md"
    spec.write_text("# Bracket\n\n" + SPEC)
    page.goto("/analyze/")

    page.select_option("select[name=entity_id]", "company_789")
    page.fill("input[name=articleName]", "Bracket for company 789")
    page.set_input_files("input[name=productSpecification]", str(spec))
    page.click("button:has-text('Analyze')")

    page.wait_for_url(re.compile(r"/tasks/task_[0-9a-f]+/$"))
    task = Task.objects.get(task_id=page.url.rstrip("/").rsplit("/", 1)[1])
    expect_completed(page)
    article = Article.objects.get(task=task)
    assert article.entity == other and task.entity == other
    assert article.cost_models.exists()
    ledger_closed(task)


def test_browser_upload_form_names_an_unknown_knowledge_base(page, servers, entity, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Keep the pump dry.")
    page.goto("/upload/")

    page.set_input_files("input[name=file]", str(notes))
    page.fill("input[name=knowledge_base_id]", "kb_nowhere")
    page.click("button:has-text('Upload and start')")

    expect(page.locator("[data-role=form-error]")).to_have_text("Knowledge base kb_nowhere not found")
    assert not Document.objects.exists() and not Task.objects.exists()


def test_browser_analyze_form_shows_why_a_drawing_is_refused(page, servers, entity, tmp_path):
    spec = tmp_path / "spec.txt"
    spec.write_text(SPEC)
    drawing = tmp_path / "drawing.exe"
    drawing.write_bytes(b"MZ\x90\x00")
    page.goto("/analyze/")

    page.fill("input[name=articleName]", "Widget A")
    page.set_input_files("input[name=productSpecification]", str(spec))
    page.set_input_files("input[name=drawing]", str(drawing))
    page.click("button:has-text('Analyze')")

    error = page.locator("[data-role=form-error]")
    expect(error).to_contain_text("drawing 'drawing.exe' is not an accepted drawing type; accepted:")
    expect(page).to_have_url(re.compile(r"/analyze/$"))
    assert not Article.objects.exists() and not Task.objects.exists()
