import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.models import Task, TaskEvent, TaskEventType, TaskPriority, TaskStatus
from tasks.services import task_cancel, task_create
from tasks.transitions import task_lock
from tests.admin_csv import admin_csv_export
from tests.factories import EntityFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:tasks_task_changelist")
EVENTS_CHANGELIST = reverse("admin:tasks_taskevent_changelist")


def change_url(task):
    return reverse("admin:tasks_task_change", args=[task.pk])


def listed(response) -> set[str]:
    return {task.task_id for task in response.context["cl"].result_list}


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in get_messages(response.wsgi_request)]


def run_action(client, action, tasks):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [task.pk for task in tasks]}
    )


def set_status(task, status):
    Task.objects.filter(pk=task.pk).update(status=status)
    task.refresh_from_db()


# --- changelist -------------------------------------------------------------------------


def test_task_changelist_shows_columns(admin_client):
    task = task_create(kind="noop", entity=EntityFactory(entity_id="acme"), priority="high")
    Task.objects.filter(pk=task.pk).update(progress=0.42, attempts=2, max_attempts=4)

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    content = response.content.decode()
    for text in (task.task_id, "noop", "acme", "high", "42%", "2/4", "pending"):
        assert text in content
    assert 'value="42"' in content  # the progress bar
    assert "_facets" not in content  # per-filter counts would scan the table


def test_task_changelist_filters(admin_client):
    acme, globex = EntityFactory(entity_id="acme"), EntityFactory(entity_id="globex")
    noop_acme = task_create(kind="noop", entity=acme, priority="low")
    count_globex = task_create(kind="demo.count", entity=globex, priority="critical")
    cancelled = task_create(kind="noop", entity=globex)
    task_cancel(task=cancelled)

    assert listed(admin_client.get(CHANGELIST, {"status__exact": "cancelled"})) == {
        cancelled.task_id
    }
    assert listed(admin_client.get(CHANGELIST, {"kind": "demo.count"})) == {
        count_globex.task_id
    }
    assert listed(admin_client.get(CHANGELIST, {"priority__exact": TaskPriority.LOW})) == {
        noop_acme.task_id
    }
    assert listed(admin_client.get(CHANGELIST, {"entity_id": "globex"})) == {
        count_globex.task_id, cancelled.task_id
    }
    # Filters combine with the date hierarchy.
    year = noop_acme.created_at.year
    assert listed(
        admin_client.get(CHANGELIST, {"created_at__year": year, "kind": "noop"})
    ) == {noop_acme.task_id, cancelled.task_id}
    assert listed(admin_client.get(CHANGELIST, {"created_at__year": year - 1})) == set()


def test_task_changelist_kind_filter_offers_registered_kinds(admin_client):
    response = admin_client.get(CHANGELIST)

    content = response.content.decode()
    assert "?kind=noop" in content
    assert "?kind=demo.count" in content
    assert "?kind=group" in content


def test_task_changelist_search_matches_whole_task_and_entity_ids(admin_client):
    acme, globex = EntityFactory(entity_id="acme"), EntityFactory(entity_id="globex")
    first = task_create(kind="noop", entity=acme)
    second = task_create(kind="noop", entity=acme)
    third = task_create(kind="noop", entity=globex)

    assert listed(admin_client.get(CHANGELIST, {"q": first.task_id})) == {first.task_id}
    assert listed(admin_client.get(CHANGELIST, {"q": "acme"})) == {
        first.task_id, second.task_id
    }
    assert listed(admin_client.get(CHANGELIST, {"q": f" {third.task_id}  {first.task_id} "})) == {
        first.task_id, third.task_id
    }
    # Whole ids only: a fragment would need a scan.
    assert listed(admin_client.get(CHANGELIST, {"q": first.task_id[:-2]})) == set()
    assert listed(admin_client.get(CHANGELIST, {"q": "acm"})) == set()


def test_task_changelist_entity_filter_offers_entity_ids(admin_client):
    acme = EntityFactory(entity_id="company_123")

    content = admin_client.get(CHANGELIST).content.decode()

    assert "?entity_id=company_123" in content
    assert f"entity__id__exact={acme.pk}" not in content


def test_task_changelist_search_matches_metadata_as_the_api_does(admin_client):
    acme = EntityFactory(entity_id="acme")
    wanted = task_create(kind="noop", entity=acme, metadata={"customer": "acme", "order": 7})
    other = task_create(kind="noop", entity=acme, metadata={"customer": "globex", "order": 7})
    task_create(kind="noop", entity=EntityFactory(entity_id="globex"),
                metadata={"customer": "acme"})

    assert listed(admin_client.get(CHANGELIST, {"q": "metadata.order=7"})) == {
        wanted.task_id, other.task_id}
    assert listed(admin_client.get(CHANGELIST, {"q": "metadata.customer=acme acme"})) == {
        wanted.task_id}
    assert listed(admin_client.get(CHANGELIST, {"q": "metadata.customer=acme metadata.order=7"})) \
        == {wanted.task_id}


def test_task_changelist_search_combines_with_filters(admin_client):
    acme = EntityFactory(entity_id="acme")
    pending = task_create(kind="noop", entity=acme)
    cancelled = task_create(kind="noop", entity=acme)
    task_cancel(task=cancelled)

    response = admin_client.get(CHANGELIST, {"q": "acme", "status__exact": "pending"})

    assert listed(response) == {pending.task_id}


def test_task_changelist_queries_do_not_grow_with_rows(admin_client):
    def queries_for_page():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(CHANGELIST).status_code == 200
        return captured.captured_queries

    for index in range(3):
        task_create(kind="noop", entity=EntityFactory(entity_id=f"few_{index}"))
    few = queries_for_page()
    for index in range(12):
        task_create(kind="noop", entity=EntityFactory(entity_id=f"many_{index}"))
    many = queries_for_page()

    assert len(many) == len(few)


def test_task_changelist_counts_filtered_tasks_once(admin_client):
    task_create(kind="noop")
    task_create(kind="demo.count")

    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(CHANGELIST, {"kind": "noop"})

    assert response.status_code == 200
    task_counts = [
        query["sql"] for query in captured.captured_queries
        if "COUNT(" in query["sql"].upper() and '"tasks_task"' in query["sql"]
    ]
    assert len(task_counts) == 1, task_counts


# --- change page ------------------------------------------------------------------------


def test_task_change_page_shows_events_oldest_first(admin_client):
    task = task_create(kind="noop")
    task_cancel(task=task, reason="operator said so")
    TaskEvent.objects.create(task=task, event_type=TaskEventType.RETRYING, data={"n": 1})

    response = admin_client.get(change_url(task))

    assert response.status_code == 200
    content = response.content.decode()
    cancelled_at = content.index(TaskEventType.CANCELLED)
    retrying_at = content.index(TaskEventType.RETRYING)
    assert cancelled_at < retrying_at
    assert "operator said so" in content
    assert f"?task__id__exact={task.pk}" in content


def test_task_change_page_shows_only_the_newest_events(admin_client):
    task = task_create(kind="noop")
    events = TaskEvent.objects.bulk_create(
        TaskEvent(task=task, event_type=TaskEventType.PROGRESS, data={"n": n}) for n in range(205)
    )
    ids = list(TaskEvent.objects.filter(task=task).order_by("id").values_list("id", flat=True))
    assert len(ids) == len(events)

    content = admin_client.get(change_url(task)).content.decode()

    assert content.count('class="task-event"') == 200
    assert f'id="task-event-{ids[4]}"' not in content
    assert f'id="task-event-{ids[5]}"' in content
    assert f'id="task-event-{ids[-1]}"' in content
    assert content.index(f'id="task-event-{ids[5]}"') < content.index(f'id="task-event-{ids[-1]}"')
    assert "See all events" in content


def test_task_change_page_is_read_only(admin_client):
    task = task_create(kind="noop", priority="low")

    page = admin_client.get(change_url(task))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()

    response = admin_client.post(
        change_url(task), {"status": "completed", "priority": TaskPriority.CRITICAL}
    )

    assert response.status_code == 403
    task.refresh_from_db()
    assert (task.status, task.priority) == (TaskStatus.PENDING, TaskPriority.LOW)


def test_task_add_is_not_permitted(admin_client):
    assert admin_client.get(reverse("admin:tasks_task_add")).status_code == 403
    assert admin_client.post(reverse("admin:tasks_task_add"), {"kind": "noop"}).status_code == 403
    assert Task.objects.count() == 0
    assert reverse("admin:tasks_task_add") not in admin_client.get(CHANGELIST).content.decode()


def test_task_admin_redirects_non_staff_to_login(client):
    task = task_create(kind="noop")
    client.force_login(UserFactory(username="member", is_staff=False))

    for url in (CHANGELIST, change_url(task), EVENTS_CHANGELIST):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_task_admin_redirects_anonymous_to_login(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# --- actions ----------------------------------------------------------------------------


def test_cancel_action_cancels_pending_and_reports_refusals(admin_client, admin_user):
    pending = task_create(kind="noop")
    completed = task_create(kind="noop")
    set_status(completed, TaskStatus.COMPLETED)

    response = run_action(admin_client, "cancel_selected", [pending, completed])

    assert response.status_code == 302
    pending.refresh_from_db()
    completed.refresh_from_db()
    assert pending.status == TaskStatus.CANCELLED
    assert completed.status == TaskStatus.COMPLETED
    assert pending.events.get().data["reason"] == "cancelled by admin in the admin"
    assert messages_of(response) == [
        ("success", "1 task cancelled."),
        ("warning", f"1 task refused: Task {completed.task_id} is already completed; only "
                    "pending or processing tasks can be cancelled."),
    ]
    assert LogEntry.objects.filter(object_id=str(pending.pk), user=admin_user).exists()


def test_cancel_action_asks_running_tasks_to_stop(admin_client):
    running = task_create(kind="noop")
    set_status(running, TaskStatus.PROCESSING)

    response = run_action(admin_client, "cancel_selected", [running])

    running.refresh_from_db()
    assert (running.status, running.cancel_requested) == (TaskStatus.PROCESSING, True)
    assert messages_of(response) == [
        ("success", "1 task asked to stop at the next progress report."),
    ]


def test_retry_action_requeues_cancelled_and_reports_refusals(admin_client):
    cancelled = task_create(kind="noop")
    task_cancel(task=cancelled)
    failed = task_create(kind="noop")
    set_status(failed, TaskStatus.FAILED)
    pending = task_create(kind="noop")

    response = run_action(admin_client, "retry_selected", [cancelled, failed, pending])

    for task in (cancelled, failed, pending):
        task.refresh_from_db()
    assert cancelled.status == TaskStatus.PENDING
    assert failed.status == TaskStatus.PENDING
    assert cancelled.events.last().event_type == TaskEventType.RETRYING
    assert messages_of(response) == [
        ("success", "2 tasks queued again."),
        ("warning", f"1 task refused: Task {pending.task_id} is pending; only failed or "
                    "cancelled tasks can be retried."),
    ]


@pytest.mark.parametrize("priority", list(TaskPriority))
def test_set_priority_actions_change_priority(admin_client, priority):
    other = TaskPriority.HIGH if priority != TaskPriority.HIGH else TaskPriority.LOW
    tasks = [task_create(kind="noop", priority=other) for _ in range(2)]
    untouched = task_create(kind="noop", priority=other)

    response = run_action(admin_client, f"set_priority_{priority.label}", tasks)

    assert [Task.objects.get(pk=task.pk).priority for task in tasks] == [priority, priority]
    assert Task.objects.get(pk=untouched.pk).priority == other
    assert messages_of(response) == [("success", f"2 tasks set to {priority.label} priority.")]


def test_action_over_all_matching_tasks_uses_the_filter(admin_client):
    noop = task_create(kind="noop")
    count = task_create(kind="demo.count")

    response = admin_client.post(
        f"{CHANGELIST}?kind=noop",
        {"action": "set_priority_critical", "select_across": "1",
         "_selected_action": [noop.pk]},
    )

    assert response.status_code == 302
    assert Task.objects.get(pk=noop.pk).priority == TaskPriority.CRITICAL
    assert Task.objects.get(pk=count.pk).priority == TaskPriority.NORMAL


def test_actions_need_change_permission(client):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="tasks", codename="view_task")
    )
    client.force_login(viewer)
    task = task_create(kind="noop")

    page = client.get(CHANGELIST)
    response = run_action(client, "cancel_selected", [task])

    assert page.status_code == 200
    assert "cancel_selected" not in page.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING
    # A viewer may export, so the form is processed: an action not offered is refused.
    assert response.status_code == 302
    assert "export_csv" in page.content.decode()


def test_bulk_delete_action_is_not_offered(admin_client):
    task_create(kind="noop")

    content = admin_client.get(CHANGELIST).content.decode()

    assert "delete_selected" not in content
    assert "cancel_selected" in content


# --- delete -----------------------------------------------------------------------------


def test_delete_finished_task_goes_through_the_service(admin_client):
    task = task_create(kind="noop")
    task_cancel(task=task)
    delete_url = reverse("admin:tasks_task_delete", args=[task.pk])

    confirm = admin_client.get(delete_url)
    assert confirm.status_code == 200
    assert "1 task event<" in confirm.content.decode()

    response = admin_client.post(delete_url, {"post": "yes"})

    assert response.status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()
    assert not TaskEvent.objects.filter(task_id=task.pk).exists()


def test_delete_unfinished_task_is_refused(admin_client):
    task = task_create(kind="noop")
    delete_url = reverse("admin:tasks_task_delete", args=[task.pk])

    assert delete_url not in admin_client.get(change_url(task)).content.decode()
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Task.objects.filter(pk=task.pk).exists()


def test_delete_refused_by_the_service_reports_why(admin_client, monkeypatch):
    """A task retried after the confirmation page loaded is refused under lock, not a 500."""
    task = task_create(kind="noop")
    task_cancel(task=task)
    delete_url = reverse("admin:tasks_task_delete", args=[task.pk])
    # The admin's permission check sees the task cancelled; the service, under its lock,
    # finds it pending again (as if retried in between).
    def lock_after_retry(pk):
        Task.objects.filter(pk=pk).update(status=TaskStatus.PENDING)
        return task_lock(pk)

    monkeypatch.setattr("tasks.services.task_lock", lock_after_retry)

    response = admin_client.post(delete_url, {"post": "yes"})

    assert response.status_code == 302
    assert response.url == change_url(task)
    assert Task.objects.filter(pk=task.pk).exists()
    assert messages_of(response) == [
        ("error", f"Task {task.task_id} is pending; only completed, failed or cancelled "
                  "tasks can be deleted (cancel it first)"),
    ]


# --- events -----------------------------------------------------------------------------


def test_event_changelist_filters_by_type_and_searches_by_task_id(admin_client):
    first = task_create(kind="noop")
    second = task_create(kind="noop")
    task_cancel(task=first)
    task_cancel(task=second)
    TaskEvent.objects.create(task=first, event_type=TaskEventType.PROGRESS, data={"n": 1})

    def listed_events(params):
        response = admin_client.get(EVENTS_CHANGELIST, params)
        assert response.status_code == 200
        events = response.context["cl"].result_list
        return [(event.task.task_id, event.event_type) for event in events]

    assert listed_events({"q": first.task_id}) == [
        (first.task_id, TaskEventType.PROGRESS), (first.task_id, TaskEventType.CANCELLED),
    ]
    assert listed_events({"event_type__exact": TaskEventType.CANCELLED}) == [
        (second.task_id, TaskEventType.CANCELLED), (first.task_id, TaskEventType.CANCELLED),
    ]
    assert listed_events({"task__id__exact": second.pk}) == [
        (second.task_id, TaskEventType.CANCELLED),
    ]


def test_events_are_read_only(admin_client):
    task = task_create(kind="noop")
    task_cancel(task=task)
    event = task.events.get()
    event_url = reverse("admin:tasks_taskevent_change", args=[event.pk])

    assert admin_client.get(event_url).status_code == 200
    assert admin_client.post(event_url, {"event_type": "task_failed"}).status_code == 403
    assert admin_client.get(reverse("admin:tasks_taskevent_add")).status_code == 403
    delete_url = reverse("admin:tasks_taskevent_delete", args=[event.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.event_type == TaskEventType.CANCELLED


# --- export and links ---------------------------------------------------------------------


def export_tasks(client, *, selected, select_across=False, query=""):
    return admin_csv_export(client, f"{CHANGELIST}{query}", selected=selected,
                            filename="tasks-", select_across=select_across)


def test_task_export_csv_of_selected_tasks(admin_client):
    acme = EntityFactory(entity_id="acme")
    chosen = task_create(kind="noop", entity=acme, priority="high")
    Task.objects.filter(pk=chosen.pk).update(attempts=2, error_message="=cmd")
    task_create(kind="noop", entity=acme)

    rows = export_tasks(admin_client, selected=[chosen])

    assert len(rows) == 1
    row = rows[0]
    assert row["task_id"] == chosen.task_id and row["kind"] == "noop"
    assert row["status"] == "pending" and row["priority"] == "high"
    assert row["entity_id"] == "acme" and row["attempts"] == "2"
    assert row["error_message"] == "'=cmd"  # a spreadsheet would run it as a formula
    assert row["created_at"].endswith("Z") and row["completed_at"] == ""


def test_task_export_csv_select_across_takes_every_filtered_task(admin_client, monkeypatch):
    monkeypatch.setattr("tasks.exports.EXPORT_BATCH", 2)
    acme, other = EntityFactory(entity_id="acme"), EntityFactory(entity_id="other")
    acme_tasks = [task_create(kind="noop", entity=acme) for _ in range(5)]
    task_create(kind="noop", entity=other)

    rows = export_tasks(admin_client, selected=acme_tasks[:1], select_across=True,
                        query="?entity_id=acme")

    assert {row["task_id"] for row in rows} == {task.task_id for task in acme_tasks}


def test_task_export_csv_needs_only_view_permission(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(content_type__app_label="tasks", codename="view_task")
    )
    client.force_login(viewer)
    task = task_create(kind="noop")

    response = client.post(CHANGELIST, {"action": "export_csv", "index": "0",
                                        "_selected_action": [task.pk]})

    assert response.status_code == 200
    assert task.task_id in b"".join(response.streaming_content).decode()


def test_task_change_page_links_to_its_ledger_records(admin_client):
    task = task_create(kind="noop")

    content = admin_client.get(change_url(task)).content.decode()

    assert f"/admin/costs/requestrecord/?q={task.task_id}" in content
