"""The server-rendered pages as a person reaches them: login, dashboard, task page, forms."""
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from costs.services import request_record_close, request_record_open, usage_record
from tasks.events import task_event_record
from tasks.models import Task, TaskEventType, TaskStatus
from tasks.services import task_create
from tests.budgets.helpers import budget_make
from tests.factories import EntityFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/upload/", "/analyze/"]


@pytest.fixture
def browser(user):
    client = Client()
    client.force_login(user)
    return client


def make_task(entity, *, kind="demo.count", **fields) -> Task:
    task = task_create(kind=kind, entity=entity)
    if fields:
        Task.objects.filter(pk=task.pk).update(**fields)
        task.refresh_from_db()
    return task


def spend(entity, *, task_id="", created_at=None, **usage):
    """A finished record with one usage line per service=quantity (priced by the defaults)."""
    record = request_record_open(operation_type="file_upload", endpoint="/x", method="POST",
                                 entity=entity, task_id=task_id, created_at=created_at)
    units = {"file_processor": "pages", "transformer": "chunks"}
    for service, quantity in usage.items():
        usage_record(record=record, service_type=service, unit=units[service], quantity=quantity)
    request_record_close(record=record, status_code=200)
    return record


# --- login ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [*PAGES, "/tasks/task_x/"])
def test_pages_require_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={path}")


def test_login_page_logs_in_and_goes_to_the_dashboard(client, user):
    assert "Log in" in client.get("/login/").content.decode()
    response = client.post("/login/", {"username": "member", "password": "pw-123456"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_page_wrong_password_says_so(client, user):
    response = client.post("/login/", {"username": "member", "password": "wrong"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_login_page_follows_next(client, user, entity):
    task = make_task(entity)
    response = client.post(f"/login/?next=/tasks/{task.task_id}/", {
        "username": "member", "password": "pw-123456", "next": f"/tasks/{task.task_id}/",
    })
    assert response["Location"] == f"/tasks/{task.task_id}/"


def test_logout_ends_the_session(browser):
    response = browser.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert browser.get("/").status_code == 302


# --- dashboard --------------------------------------------------------------------------


def test_dashboard_lists_own_recent_tasks_with_progress_not_foreign_ones(browser, entity, other_entity):
    running = make_task(entity, status=TaskStatus.PROCESSING, progress=0.42, progress_text="step 4")
    failed = make_task(entity, status=TaskStatus.FAILED, error_message="disk full")
    foreign = make_task(other_entity)

    page = browser.get("/").content.decode()

    assert f'data-task-id="{running.task_id}"' in page
    assert 'aria-valuenow="42"' in page and "Running: step 4" in page
    assert "Failed: disk full" in page and failed.task_id in page
    assert foreign.task_id not in page


def test_dashboard_shows_only_the_twenty_newest_tasks(browser, entity):
    tasks = [make_task(entity) for _ in range(22)]
    page = browser.get("/").content.decode()
    assert tasks[-1].task_id in page and tasks[2].task_id in page
    assert tasks[0].task_id not in page and tasks[1].task_id not in page


def test_dashboard_queue_status_counts_waiting_tasks_per_priority(browser, entity, other_entity):
    make_task(entity, priority=3)
    make_task(entity, priority=3)
    make_task(entity, priority=0)
    make_task(entity, status=TaskStatus.PROCESSING)
    make_task(other_entity, priority=3)

    response = browser.get("/")

    queue = response.context["queue"]
    assert queue["queue_by_priority"] == {"critical": 2, "high": 0, "normal": 0, "low": 1}
    assert queue["active_tasks"] == 1
    page = response.content.decode()
    assert '<td data-priority="critical">2</td>' in page
    assert '<td data-priority="low">1</td>' in page


def test_dashboard_cost_today_by_service_counts_today_and_own_entity_only(
    browser, entity, other_entity
):
    spend(entity, file_processor=10, transformer=45)  # $0.02 + $0.135
    spend(entity, transformer=100)  # $0.30
    spend(entity, created_at=timezone.now() - timedelta(days=2), file_processor=1000)
    spend(other_entity, file_processor=500)

    response = browser.get("/")

    costs = response.context["costs"]
    assert [(s["service_type"], str(s["cost_usd"].normalize())) for s in costs["services"]] == [
        ("transformer", "0.435"), ("file_processor", "0.02"),
    ]
    assert costs["total_cost_usd"] == Decimal("0.455")
    page = response.content.decode()
    assert '<tr data-service="transformer"><th>transformer</th><td class="money">$0.4350</td>' in page
    assert "$0.4550" in page


def test_dashboard_cost_today_says_nothing_spent(browser):
    assert "Nothing has been spent today." in browser.get("/").content.decode()


def test_dashboard_budget_cards_show_own_entitys_budgets_only(browser, entity, other_entity):
    mine, theirs = budget_make(entity, "0.050", period="day"), budget_make(other_entity, "1")
    spend(entity, transformer=3)  # $0.009
    page = browser.get("/").content.decode()
    assert f'data-budget="{mine.pk}"' in page and f'data-budget="{theirs.pk}"' not in page
    assert "company_123 · day · hard · $0.05" in page
    assert '<td class="money" data-role="spent">$0.0090</td>' in page
    assert '<td class="money" data-role="remaining">$0.0410</td>' in page


def test_dashboard_without_budgets_has_no_budget_card(browser):
    assert 'id="budgets"' not in browser.get("/").content.decode()


def test_dashboard_staff_sees_every_entitys_tasks(client, staff, entity, other_entity):
    mine, theirs = make_task(entity), make_task(other_entity)
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert mine.task_id in page and theirs.task_id in page


def test_dashboard_start_form_offers_api_creatable_kinds_and_priorities(browser):
    page = browser.get("/").content.decode()
    assert 'id="start-task"' in page and 'data-api="/api/tasks/"' in page
    assert '<option value="demo.count" selected' in page and '<option value="noop"' in page
    assert "<option selected>normal</option>" in page
    # One entity: it is sent hidden rather than asked for.
    assert '<input type="hidden" name="entity_id" value="company_123">' in page


def test_dashboard_asks_which_entity_when_the_user_has_several(browser, user, other_entity):
    other_entity.members.add(user)
    page = browser.get("/").content.decode()
    assert '<select name="entity_id">' in page
    assert '<option value="company_456">' in page


def test_dashboard_loads_its_scripts_and_live_urls(browser):
    page = browser.get("/").content.decode()
    for script in ("tasks/api.js", "tasks/live.js", "tasks/dashboard.js"):
        assert f'src="/static/{script}"' in page
    assert '"websocket": "/ws/tasks/"' in page
    assert '"stream": "/api/tasks/{task_id}/stream"' in page


# --- task page --------------------------------------------------------------------------


def test_task_page_renders_state_events_and_live_resume_point(browser, entity):
    task = make_task(entity, status=TaskStatus.PROCESSING, progress=0.5, progress_text="halfway",
                     attempts=1, processed_units=5, total_units=10)
    started = task_event_record(task=task, event_type=TaskEventType.STARTED, data={"attempt": 1})
    progress = task_event_record(task=task, event_type=TaskEventType.PROGRESS,
                                 data={"text": "halfway", "value": 0.5})

    response = browser.get(f"/tasks/{task.task_id}/")

    page = response.content.decode()
    assert 'aria-valuenow="50"' in page and "Running: halfway" in page
    assert "5 of 10" in page and "1 of 4" in page
    assert f'<li data-seq="{progress.id}" class="event-progress_update">' in page
    assert "Started (attempt 1)" in page and "50%: halfway" in page
    # Newest first.
    assert page.index(f'data-seq="{progress.id}"') < page.index(f'data-seq="{started.id}"')
    state = json.loads(page.split('id="task-state" type="application/json">')[1].split("</script>")[0])
    assert state["last_seq"] == progress.id and state["task_id"] == task.task_id
    assert state["status"] == "processing" and state["progress"] == 50.0
    assert 'data-action="cancel"' in page
    assert 'data-action="retry" hidden' in page


def test_task_page_failed_task_shows_its_error_in_words_and_offers_retry(browser, entity):
    task = make_task(entity, status=TaskStatus.FAILED, attempts=4, progress=0.3,
                     error_message="rate limited by OpenAI (gave up after 4 attempts)")
    task_event_record(task=task, event_type=TaskEventType.FAILED,
                      data={"error": task.error_message, "retry_count": 3})

    page = browser.get(f"/tasks/{task.task_id}/").content.decode()

    assert 'class="progress is-failed"' in page
    assert "This task failed: rate limited by OpenAI (gave up after 4 attempts)" in page
    assert "Failed: rate limited by OpenAI" in page
    assert 'data-action="cancel" hidden' in page
    assert 'data-action="retry" >' in page or 'data-action="retry">' in page


def test_task_page_cost_breakdown_by_service(browser, entity):
    task = make_task(entity)
    spend(entity, task_id=task.task_id, file_processor=10, transformer=45)

    response = browser.get(f"/tasks/{task.task_id}/")

    assert response.context["cost"]["breakdown_by_service"] == {
        "file_processor": Decimal("0.02"), "transformer": Decimal("0.135"),
    }
    page = response.content.decode()
    assert "$0.155000" in page
    assert '<tr data-service="transformer"><th>transformer</th><td class="money">$0.135000</td>' in page
    assert "1 request recorded" in page


def test_task_page_without_cost_says_nothing_recorded(browser, entity):
    page = browser.get(f"/tasks/{make_task(entity).task_id}/").content.decode()
    assert "Nothing recorded yet." in page and "$0.000000" in page


def test_task_page_foreign_or_unknown_task_is_404(browser, other_entity):
    foreign = make_task(other_entity)
    for task_id in (foreign.task_id, "task_missing"):
        response = browser.get(f"/tasks/{task_id}/")
        assert response.status_code == 404
        page = response.content.decode()
        assert "belongs to an entity you are not a member of" in page
        assert foreign.task_id not in page


def test_unknown_page_is_a_product_404_and_api_404_stays_json(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Back to the dashboard" in response.content.decode()
    assert client.get("/api/no-such-thing/").json()["code"] == "not_found"


def test_task_page_staff_sees_any_task(client, staff, other_entity):
    client.force_login(staff)
    assert client.get(f"/tasks/{make_task(other_entity).task_id}/").status_code == 200


def test_task_page_event_log_shows_the_latest_hundred(browser, entity):
    task = make_task(entity, status=TaskStatus.PROCESSING)
    events = [
        task_event_record(task=task, event_type=TaskEventType.PROGRESS, data={"value": i / 150})
        for i in range(150)
    ]
    page = browser.get(f"/tasks/{task.task_id}/").content.decode()
    assert page.count("<li data-seq=") == 100
    assert f'data-seq="{events[-1].id}"' in page and f'data-seq="{events[49].id}"' not in page


# --- forms ------------------------------------------------------------------------------


def test_upload_form_targets_the_upload_endpoint_with_its_fields(browser):
    page = browser.get("/upload/").content.decode()
    assert 'data-api="/api/entities/{entity_id}/files"' in page
    assert 'data-redirect="/tasks/{task_id}/"' in page
    assert 'enctype="multipart/form-data"' in page
    for field in ('type="file" name="file" required', 'name="knowledge_base_id"',
                  'name="priority"', 'name="metadata"'):
        assert field in page
    assert '<input type="hidden" name="entity_id" value="company_123">' in page
    assert 'src="/static/tasks/forms.js"' in page


def test_upload_form_without_an_entity_explains_why(client, db):
    client.force_login(UserFactory(username="loner"))
    page = client.get("/upload/").content.decode()
    assert "You belong to no entity" in page and 'id="upload-form"' not in page


def test_upload_form_lists_only_the_users_entities(browser, user, other_entity):
    EntityFactory(entity_id="company_789").members.add(user)
    page = browser.get("/upload/").content.decode()
    assert '<option value="company_123">' in page and '<option value="company_789">' in page
    assert "company_456" not in page


def test_analyze_form_targets_the_analyze_endpoint_with_seed_003s_fields(browser):
    page = browser.get("/analyze/").content.decode()
    assert 'data-api="/api/analyze"' in page and 'enctype="multipart/form-data"' in page
    for field in ('name="articleName" required', 'name="description"',
                  'type="file" name="productSpecification" required', 'type="file" name="drawing"'):
        assert field in page


def test_static_files_are_served(browser):
    for name in ("app.css", "api.js", "live.js", "task_page.js", "dashboard.js", "forms.js"):
        response = browser.get(f"/static/tasks/{name}")
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content if response.streaming else [response.content])
