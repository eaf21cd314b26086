"""Reading the persisted events that the relay fans out (embedded mode)."""
import pytest

from tasks.live.selectors import live_events_for
from tasks.models import TaskEvent
from tasks.services import task_create_many

pytestmark = pytest.mark.django_db


def test_live_events_for_more_tasks_than_one_query_can_name():
    # 1,500 followed tasks: one OR-ed condition per task was one expression tree deeper
    # than SQLite allows (1,000), and the relay then read nothing for anybody.
    tasks = task_create_many([{"kind": "noop"} for _ in range(1500)])
    first = TaskEvent.objects.bulk_create(
        [TaskEvent(task=task, event_type="task_started", data={}) for task in tasks])
    second = TaskEvent.objects.bulk_create(
        [TaskEvent(task=task, event_type="task_completed", data={}) for task in tasks])
    # Even tasks are followed from the start, odd ones after their first event.
    cursors = {task.pk: 0 if n % 2 == 0 else first[n].id for n, task in enumerate(tasks)}

    events = live_events_for(cursors=cursors)

    expected = {e.id for n, e in enumerate(first) if n % 2 == 0} | {e.id for e in second}
    assert {event["seq"] for event in events} == expected
    assert [event["seq"] for event in events] == sorted(expected)  # oldest first
    assert {event["task_id"] for event in events} == {task.task_id for task in tasks}
