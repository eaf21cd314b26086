"""The schedule API as an integrator sees it: routes, answers, refusals, tenancy, cost."""
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from schedules.models import Schedule, ScheduleRun
from schedules.services import schedule_run_now, schedules_fire
from tasks.models import Task, TaskStatus
from tests.factories import UserFactory
from tests.schedules.helpers import make_schedule, record_usage

pytestmark = pytest.mark.django_db

PREFIXES = ["/api", "/api/v1"]


def money(value) -> Decimal:
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return Decimal(str(value))


def _create(api, **body):
    body = {"name": "report", "kind": "noop", **body}
    if "cron" not in body and "interval_seconds" not in body:
        body["interval_seconds"] = 3600
    return api.post("/api/schedules", body, format="json")


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("slash", ["", "/"])
def test_schedule_routes_resolve_under_both_prefixes(api, entity, prefix, slash):
    base = f"{prefix}/schedules"
    created = api.post(f"{base}{slash}", {"name": "r", "kind": "noop", "interval_seconds": 60},
                       format="json")
    assert created.status_code == 201, created.json()
    schedule_id = created.json()["schedule_id"]
    one = f"{base}/{schedule_id}"

    assert api.get(f"{base}{slash}").json()["total"] == 1
    assert api.get(f"{one}{slash}").json()["schedule_id"] == schedule_id
    assert api.patch(f"{one}{slash}", {"name": "renamed"}, format="json").json()["name"] == "renamed"
    assert api.post(f"{one}/pause{slash}").json()["enabled"] is False
    assert api.post(f"{one}/resume{slash}").json()["enabled"] is True
    assert api.post(f"{one}/run-now{slash}").status_code == 201
    assert api.get(f"{one}/runs{slash}").json()["total"] == 1
    assert api.get(f"{one}/cost{slash}").status_code in (200, 202)
    assert api.delete(f"{one}{slash}").status_code == 204
    assert api.get(f"{one}{slash}").status_code == 404


def test_schedule_create_answers_the_schedule_with_its_next_firing(api, entity):
    start = timezone.now() + timedelta(hours=1)
    response = _create(api, cron="0 6 * * 1", timezone="Europe/Berlin", priority="high",
                       params={}, start_at=start.isoformat())

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["schedule_id"].startswith("sched_")
    assert (body["kind"], body["priority"], body["entity_id"]) == ("noop", "high", "company_123")
    assert (body["cron"], body["timezone"], body["interval_seconds"]) == (
        "0 6 * * 1", "Europe/Berlin", None)
    assert (body["overlap_policy"], body["catch_up_policy"], body["enabled"]) == (
        "skip", "skip", True)
    schedule = Schedule.objects.get(schedule_id=body["schedule_id"])
    assert schedule.next_run_at >= start
    local = schedule.next_run_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.weekday(), local.hour, local.minute) == (0, 6, 0)
    assert body["last_run_at"] is None and body["last_run_status"] is None
    assert body["last_run_cost_usd"] is None and body["cost_last_30_days_usd"] == 0


@pytest.mark.parametrize(("body", "field", "says"), [
    ({"cron": "61 * * * *"}, "cron", "five fields"),
    ({"cron": "0 6 * *"}, "cron", "five fields"),
    ({"cron": "0 6 * * 1", "timezone": "Mars/Olympus"}, "timezone", "IANA time zone"),
    ({"cron": "0 6 * * 1", "interval_seconds": 60}, "cron", "not both"),
    ({"cron": ""}, "cron", "not neither"),
    ({"interval_seconds": 0}, "interval_seconds", ">= 1"),
    ({"interval_seconds": 60, "start_at": "2026-06-01T00:00:00Z",
      "end_at": "2026-05-01T00:00:00Z"}, "end_at", "later than start_at"),
    ({"kind": "no.such.kind"}, "kind", "kind must be one of"),
    ({"kind": "demo.count", "params": {"steps": 0}}, "params", "steps"),
    ({"kind": "demo.count", "params": {"stepz": 3}}, "params", "accepted: steps"),
    ({"priority": "urgent"}, "priority", "low, normal, high, critical"),
    ({"overlap_policy": "queue"}, "overlap_policy", "skip, allow"),
    ({"catch_up_policy": "all"}, "catch_up_policy", "skip, one"),
    ({"cron": "0 0 30 2 *"}, "cron", "never fires"),
])
def test_schedule_create_bad_input_is_400_naming_the_field(api, entity, body, field, says):
    response = _create(api, **body)

    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    assert field in errors, errors
    assert says in str(errors[field]), errors
    assert not Schedule.objects.exists()


def test_schedule_update_checks_the_merged_fields_and_replans(api, entity):
    schedule = make_schedule(entity, interval_seconds=3600)
    url = f"/api/schedules/{schedule.schedule_id}"

    bad = api.patch(url, {"cron": "not cron"}, format="json")
    assert bad.status_code == 400 and "cron" in bad.json()["errors"]
    bad = api.patch(url, {"params": {"steps": 3}}, format="json")  # noop takes none
    assert bad.status_code == 400 and "params" in bad.json()["errors"]

    response = api.patch(url, {"cron": "*/5 * * * *"}, format="json")
    assert response.status_code == 200, response.json()
    schedule.refresh_from_db()
    assert (schedule.cron, schedule.interval_seconds) == ("*/5 * * * *", None)
    assert schedule.next_run_at.minute % 5 == 0 and schedule.next_run_at.second == 0


def test_schedule_tenancy_other_entities_schedules_are_404(api, entity, other_entity):
    mine = make_schedule(entity)
    theirs = make_schedule(other_entity, name="theirs")

    listed = api.get("/api/schedules").json()
    assert [s["schedule_id"] for s in listed["schedules"]] == [mine.schedule_id]
    base = f"/api/schedules/{theirs.schedule_id}"
    for method, path in [("get", ""), ("patch", ""), ("delete", ""), ("post", "/run-now"),
                         ("post", "/pause"), ("post", "/resume"), ("get", "/runs"),
                         ("get", "/cost")]:
        response = getattr(api, method)(base + path, {}, format="json")
        assert response.status_code == 404, (method, path, response.json())
        assert response.json()["detail"] == f"Schedule {theirs.schedule_id} not found"
    assert api.get("/api/schedules/sched_nope").status_code == 404
    assert not Task.objects.exists()
    theirs.refresh_from_db()
    assert theirs.enabled is True


def test_schedule_create_for_an_entity_not_ones_own_is_404(api, entity, other_entity):
    response = _create(api, entity_id=other_entity.entity_id)
    assert response.status_code == 404
    assert not Schedule.objects.exists()


def test_schedule_run_now_creates_a_task_carrying_the_schedule(api, entity):
    created = _create(api, kind="demo.count", params={"steps": 2}, priority="critical").json()
    schedule = Schedule.objects.get(schedule_id=created["schedule_id"])

    response = api.post(f"/api/schedules/{schedule.schedule_id}/run-now")

    assert response.status_code == 201
    run = response.json()
    assert (run["trigger"], run["outcome"], run["status"]) == ("manual", "fired", "pending")
    task = Task.objects.get(task_id=run["task_id"])
    assert (task.kind, task.params, task.entity, task.priority_name) == (
        "demo.count", {"steps": 2, "delay_seconds": 0.1, "report": True, "fail_attempts": 0,
                       "fail_at_step": 1, "failure": "retryable"}, entity, "critical")
    assert task.metadata["schedule_id"] == schedule.schedule_id
    assert task.metadata["scheduled_for"] == run["task"]["metadata"]["scheduled_for"]
    body = api.get(f"/api/schedules/{schedule.schedule_id}").json()
    assert body["last_run_task_id"] == task.task_id and body["last_run_status"] == "pending"
    assert body["last_run_at"] is not None


def test_schedule_pause_stops_firing_and_resume_starts_from_now(api, entity):
    schedule = make_schedule(entity, interval_seconds=60,
                             start_at=timezone.now() - timedelta(hours=2))
    url = f"/api/schedules/{schedule.schedule_id}"

    paused = api.post(f"{url}/pause").json()
    assert (paused["enabled"], paused["next_run_at"]) == (False, None)
    assert schedules_fire(now=timezone.now() + timedelta(hours=1)) == 0

    resumed = api.post(f"{url}/resume").json()
    schedule.refresh_from_db()
    assert resumed["enabled"] is True
    assert timezone.now() <= schedule.next_run_at <= timezone.now() + timedelta(seconds=60)


def test_schedule_runs_list_newest_first_with_their_tasks(api, entity):
    schedule = make_schedule(entity, interval_seconds=60,
                             start_at=timezone.now() - timedelta(minutes=10))
    first_due = schedule.next_run_at
    assert schedules_fire(now=first_due) == 1
    Task.objects.update(status=TaskStatus.COMPLETED)  # so the next one is not an overlap
    ScheduleRun.objects.update(status=TaskStatus.COMPLETED)
    assert schedules_fire(now=first_due + timedelta(seconds=60)) == 1

    body = api.get(f"/api/schedules/{schedule.schedule_id}/runs").json()

    assert body["total"] == 2
    due = [run["scheduled_for"] for run in body["runs"]]
    assert due == sorted(due, reverse=True)
    assert [run["task"]["task_id"] for run in body["runs"]] == [
        run["task_id"] for run in body["runs"]]
    assert api.get(f"/api/schedules/{schedule.schedule_id}/runs?status=x").status_code == 400


def test_schedule_cost_sums_its_runs_in_the_window_in_a_task_costs_shape(api, entity):
    schedule = make_schedule(entity)
    runs = [schedule_run_now(schedule=schedule) for _ in range(3)]
    Task.objects.update(status=TaskStatus.COMPLETED)
    ScheduleRun.objects.update(status=TaskStatus.COMPLETED)
    record_usage(entity, runs[0].task_public_id, ("file_processor", "pages", 10))
    record_usage(entity, runs[1].task_public_id, ("file_processor", "pages", 5),
                 ("transformer", "chunks", 45))
    record_usage(entity, "task_not_of_this_schedule", ("file_processor", "pages", 100))
    old = ScheduleRun.objects.filter(pk=runs[2].pk)
    old.update(scheduled_for=timezone.now() - timedelta(days=40))
    record_usage(entity, runs[2].task_public_id, ("file_processor", "pages", 1000))

    response = api.get(f"/api/schedules/{schedule.schedule_id}/cost")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert list(body) == ["schedule_id", "since", "until", "run_count", "total_cost_usd",
                          "period_start", "period_end", "breakdown_by_service",
                          "request_count", "final"]
    assert money(body["total_cost_usd"]) == Decimal("0.165")  # 15 pages and 45 chunks
    assert {k: money(v) for k, v in body["breakdown_by_service"].items()} == {
        "file_processor": Decimal("0.03"), "transformer": Decimal("0.135")}
    assert (body["run_count"], body["request_count"], body["final"]) == (2, 2, True)

    wide = api.get(f"/api/schedules/{schedule.schedule_id}/cost",
                   {"since": (timezone.now() - timedelta(days=60)).date().isoformat()}).json()
    assert money(wide["total_cost_usd"]) == Decimal("2.165")
    answer = api.get(f"/api/schedules/{schedule.schedule_id}").json()
    assert money(answer["cost_last_30_days_usd"]) == Decimal("0.165")
    assert money(answer["last_run_cost_usd"]) == Decimal("0.145")  # runs[1], the latest


def test_schedule_cost_is_202_while_a_run_is_open_and_refuses_bad_windows(api, entity):
    schedule = make_schedule(entity)
    schedule_run_now(schedule=schedule)
    url = f"/api/schedules/{schedule.schedule_id}/cost"

    assert api.get(url).status_code == 202
    bad = api.get(url, {"since": "yesterday"})
    assert bad.status_code == 400 and "since" in bad.json()["errors"]
    bad = api.get(url, {"since": "2026-02-01", "until": "2026-01-01"})
    assert bad.status_code == 400 and "until" in bad.json()["errors"]
    bad = api.get(url, {"from": "2026-01-01"})
    assert bad.status_code == 400 and "from" in bad.json()["detail"]


def test_schedule_staff_sees_every_entitys_schedules(staff_api, entity, other_entity):
    make_schedule(entity)
    make_schedule(other_entity)
    assert staff_api.get("/api/schedules").json()["total"] == 2


def test_schedule_member_of_two_entities_must_name_one(entity, other_entity, client_for):
    member = UserFactory(username="two_hats")
    entity.members.add(member)
    other_entity.members.add(member)
    api = client_for(member)

    response = _create(api)
    assert response.status_code == 400 and "entity_id" in response.json()["detail"]
    assert _create(api, entity_id=other_entity.entity_id).json()["entity_id"] == "company_456"


def test_schedule_api_requests_are_recorded_for_the_schedules_entity(api, entity):
    from costs.models import RequestRecord

    schedule_id = _create(api).json()["schedule_id"]
    api.post(f"/api/schedules/{schedule_id}/pause")

    records = RequestRecord.objects.filter(operation_type__startswith="schedule_")
    assert {(r.operation_type, r.entity_id) for r in records} == {
        ("schedule_create", entity.pk), ("schedule_pause", entity.pk)}


def test_schedule_list_reads_its_summaries_in_a_fixed_number_of_queries(
        api, entity):
    """Each schedule's last run and costs come with the page, not in queries of their own."""
    def listed():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            body = api.get("/api/schedules/").json()
        return body, len(queries)

    for _ in range(2):
        record_usage(entity, schedule_run_now(schedule=make_schedule(entity)).task_public_id,
                     ("file_processor", "pages", 10))
    _, few = listed()
    for _ in range(6):
        record_usage(entity, schedule_run_now(schedule=make_schedule(entity)).task_public_id,
                     ("file_processor", "pages", 10))
    body, many = listed()

    assert body["total"] == 8
    assert {money(s["cost_last_30_days_usd"]) for s in body["schedules"]} == {Decimal("0.02")}
    assert {money(s["last_run_cost_usd"]) for s in body["schedules"]} == {Decimal("0.02")}
    assert many == few
