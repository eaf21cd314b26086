"""TaskLedger's django-q2 broker: claims bounded by the hand-off queue's room, and django-q2's
own calls (its scheduler's) run as tracked tasks."""
import pytest
from django.db import connection
from django_q.signing import SignedPackage
from django_q.tasks import async_task

from tasks.broker import EXECUTE, TaskTableBroker
from tasks.jobs import CALL_KIND
from tasks.models import Task, TaskStatus
from tasks.runner import task_run
from tasks.sentinel import HandOffQueue
from tasks.services import task_create

pytestmark = pytest.mark.django_db

CALLS = []


def called_by_django_q(*args, **kwargs):
    CALLS.append((args, kwargs))
    return len(CALLS)


def _broker(capacity: int, waiting: int = 0) -> TaskTableBroker:
    broker = TaskTableBroker(list_key="test")
    broker.hand_off, broker.owner = HandOffQueue(maxsize=capacity), "cafe0001"
    for _ in range(waiting):
        broker.hand_off.put({"already": "handed off"})
    return broker


def test_dequeue_claims_only_what_the_hand_off_queue_has_room_for():
    tasks = [task_create(kind="noop", priority=p) for p in ("low", "critical", "normal", "high")]
    broker = _broker(capacity=3, waiting=1)
    messages = broker.dequeue()
    assert len(messages) == 2
    packages = [SignedPackage.loads(payload) for _, payload in messages]
    assert [p["args"][0] for p in packages] == [tasks[1].pk, tasks[3].pk]  # best first
    assert all(p["func"] == EXECUTE and p["save"] is False for p in packages)
    for package in packages:
        task = Task.objects.get(pk=package["args"][0])
        assert package["args"][1] == task.dispatch_token and task.dispatch_token.startswith("cafe0001")
        assert package["name"] == task.task_id and package["timeout"] == task.timeout_seconds + 5


def test_dequeue_claims_nothing_while_the_hand_off_queue_is_full():
    task_create(kind="noop")
    assert _broker(capacity=2, waiting=2).dequeue() is None
    assert Task.objects.exclude(dispatch_token="").count() == 0


def test_a_dequeued_message_runs_the_task_it_claimed():
    task = task_create(kind="noop")
    [(_, payload)] = _broker(capacity=1).dequeue()
    package = SignedPackage.loads(payload)
    task_run(task_pk=package["args"][0], token=package["args"][1], q_task_id=package["id"])
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED and task.q_task_id == package["id"]
    assert list(task.events.values_list("event_type", flat=True)) == [
        "task_started", "task_completed"]


def test_django_q2_calls_become_tracked_tasks_that_make_the_call():
    CALLS.clear()
    broker = _broker(capacity=1)
    async_task("tests.tasks.test_broker.called_by_django_q", 1, "two", three=3, broker=broker)
    task = Task.objects.get(kind=CALL_KIND)
    assert task.params == {"func": "tests.tasks.test_broker.called_by_django_q",
                           "args": [1, "two"], "kwargs": {"three": 3}}
    [(_, payload)] = broker.dequeue()
    package = SignedPackage.loads(payload)
    task_run(task_pk=package["args"][0], token=package["args"][1])
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED and task.result == 1
    assert CALLS == [((1, "two"), {"three": 3})]


def test_django_q2_calls_are_not_creatable_through_the_api(api):
    response = api.post("/api/tasks", {"kind": CALL_KIND, "params": {"func": "os.getcwd"}},
                        format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("kind must be one of demo.count, noop;")
    assert not Task.objects.filter(kind=CALL_KIND).exists()


def test_the_broker_counts_ready_and_claimed_tasks_and_never_purges_them():
    for _ in range(3):
        task_create(kind="noop")
    broker = _broker(capacity=1)
    broker.dequeue()
    assert (broker.queue_size(), broker.lock_size()) == (2, 1)
    broker.purge_queue()
    broker.delete_queue()
    assert Task.objects.count() == 3
    assert broker.ping() and connection.is_usable()
