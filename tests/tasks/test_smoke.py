import pytest

from tasks.models import Task, TaskStatus
from tasks.services import task_create
from tests.processes import wait_for


@pytest.mark.processes
def test_qcluster_runs_task_to_completion(qcluster):
    qcluster()
    task = task_create(kind="demo.count", params={"steps": 3, "delay_seconds": 0.05})
    wait_for(lambda: Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED, 30)
    task.refresh_from_db()
    assert task.result == {"steps": 3, "attempt": 1}
    assert task.events.first().event_type == "task_started"
