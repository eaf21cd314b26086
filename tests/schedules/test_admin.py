"""The operator's schedules in the admin: changelist, actions, the change form's checks
and preview, and the task page's link back."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from schedules.models import Schedule, ScheduleRun
from schedules.services import schedule_run_now, schedules_fire
from tasks.models import Task
from tests.schedules.helpers import make_schedule, record_usage

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:schedules_schedule_changelist")
ADD = reverse("admin:schedules_schedule_add")


def _form(entity, **fields) -> dict:
    return {"name": "weekly report", "kind": "noop", "params": "{}", "entity": entity.pk,
            "priority": "1", "cron": "0 6 * * 1", "timezone": "Europe/Berlin",
            "interval_seconds": "", "start_at_0": "", "start_at_1": "", "end_at_0": "",
            "end_at_1": "", "enabled": "on", "overlap_policy": "skip",
            "catch_up_policy": "skip", **fields}


def test_schedule_changelist_shows_next_run_last_status_and_30_day_cost(admin_client, entity):
    schedule = make_schedule(entity, name="nightly embed")
    run = schedule_run_now(schedule=schedule)
    record_usage(entity, run.task_public_id, ("file_processor", "pages", 10))

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "nightly embed" in page and schedule.schedule_id in page
    assert "every 60 s" in page
    for heading in ("Next run at", "Last status", "Cost, 30 days (USD)"):
        assert heading in page, heading
    assert ">pending<" in page
    assert ">0.02<" in page


def test_schedule_admin_actions_run_now_pause_resume(admin_client, entity):
    schedule = make_schedule(entity)

    def act(action):
        return admin_client.post(CHANGELIST, {"action": action,
                                              "_selected_action": [schedule.pk]}, follow=True)

    act("run_now_selected")
    assert Task.objects.get().metadata["schedule_id"] == schedule.schedule_id
    act("pause_selected")
    schedule.refresh_from_db()
    assert (schedule.enabled, schedule.next_run_at) == (False, None)
    act("resume_selected")
    schedule.refresh_from_db()
    assert schedule.enabled and schedule.next_run_at is not None


def test_schedule_change_form_refuses_a_bad_cron_naming_what_is_accepted(admin_client, entity):
    response = admin_client.post(ADD, _form(entity, cron="0 25 * * *"))

    assert response.status_code == 200
    assert "five fields" in str(response.context["adminform"].form.errors["cron"])
    assert not Schedule.objects.exists()


def test_schedule_change_form_refuses_bad_params_and_time_zone(admin_client, entity):
    response = admin_client.post(ADD, _form(entity, kind="demo.count", params='{"steps": 0}'))
    assert "steps" in str(response.context["adminform"].form.errors["params"])
    response = admin_client.post(ADD, _form(entity, timezone="Berlin"))
    assert "IANA" in str(response.context["adminform"].form.errors["timezone"])
    assert not Schedule.objects.exists()


def test_schedule_change_form_preview_shows_the_next_five_firings_without_saving(
        admin_client, entity):
    response = admin_client.post(ADD, _form(entity, _preview="Preview"))

    assert response.status_code == 200
    assert not Schedule.objects.exists()
    message = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Preview, nothing saved. Next 5 firings:" in message
    assert message.count("Mon ") == 5 and message.count("06:00:00") == 5


def test_schedule_change_form_saves_through_the_service_and_shows_its_firings(
        admin_client, entity, staff):
    response = admin_client.post(ADD, _form(entity))
    assert response.status_code == 302, response.context["adminform"].form.errors
    schedule = Schedule.objects.get()
    assert schedule.next_run_at is not None and schedule.next_run_at > timezone.now()
    assert schedule.created_by is not None

    page = admin_client.get(reverse("admin:schedules_schedule_change", args=[schedule.pk]))
    text = page.content.decode()
    assert "Next 5 firings" in text
    assert text.count("06:00:00 CE") == 5  # CET or CEST, in Berlin
    assert "Preview next five firings" in text

    changed = admin_client.post(reverse("admin:schedules_schedule_change", args=[schedule.pk]),
                                _form(entity, cron="", interval_seconds="30"))
    assert changed.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.cron, schedule.interval_seconds) == ("", 30)
    assert schedule.next_run_at <= timezone.now() + timedelta(seconds=30)


def test_task_admin_page_links_back_to_its_schedule(admin_client, entity):
    schedule = make_schedule(entity, start_at=timezone.now() + timedelta(seconds=60))
    schedules_fire(now=schedule.next_run_at)
    task = ScheduleRun.objects.get().task

    page = admin_client.get(reverse("admin:tasks_task_change", args=[task.pk])).content.decode()

    assert f"{CHANGELIST}?q={schedule.schedule_id}" in page
    found = admin_client.get(CHANGELIST, {"q": schedule.schedule_id})
    assert list(found.context["cl"].result_list) == [schedule]
