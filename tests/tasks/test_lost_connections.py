"""A cluster whose database connections were all dropped while it idled starts the next
task at once: Django's health check (`CONN_HEALTH_CHECKS`), run before the first statement
after django-q2 closes old connections around each task, replaces a dead connection, so the
claim does not wait for its release (DISPATCH_STALE_SECONDS)."""
import pytest
from django.db import connection

from tasks.models import Task, TaskStatus
from tasks.services import task_create
from tests.processes import CHILD_APPLICATION_NAME, wait_for

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="drops the cluster's PostgreSQL connections")


def _drop_cluster_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE application_name = %s", [CHILD_APPLICATION_NAME])
        return cursor.fetchone()[0]


@pytest.mark.processes
def test_a_task_after_every_connection_dropped_starts_at_once(qcluster):
    # Long enough that a start which waited for its claim's release would miss the bound.
    qcluster(Q_WORKERS="1", DISPATCH_STALE_SECONDS="120")
    first = task_create(kind="noop")
    wait_for(lambda: Task.objects.get(pk=first.pk).status == TaskStatus.COMPLETED, 30)

    assert _drop_cluster_connections() >= 1  # the worker's, among the pusher's and others
    task = task_create(kind="noop")
    wait_for(lambda: Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED, 20,
             message="the task after the dropped connections did not complete")
    task.refresh_from_db()
    assert task.attempts == 1
