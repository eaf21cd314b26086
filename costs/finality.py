"""Whether a cost is final: the ledger asks the task framework, which registers here.

The ledger never imports the task framework (its records outlive tasks), so the framework
tells it, at start-up, how to find out which tasks are still pending or processing. A task
that no longer exists (purged after it finished) is not open.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OpenTasks:
    # task_ids -> those among them still pending or processing
    among: Callable[[set[str]], set[str]]
    # (entity pk, created before) -> whether the entity has such a task
    of_entity: Callable[[int, datetime], bool]
    # task_id -> the task_ids of its children (a group's cost is its children's)
    subtasks: Callable[[str], list[str]] = lambda task_id: []


_open_tasks = OpenTasks(among=lambda task_ids: set(), of_entity=lambda entity_pk, before: False)


def open_tasks_register(*, among, of_entity, subtasks=None) -> None:
    """Tell the ledger how to find open tasks, and a group's children (the task framework's
    AppConfig.ready)."""
    global _open_tasks
    _open_tasks = OpenTasks(among=among, of_entity=of_entity,
                            **({"subtasks": subtasks} if subtasks else {}))


def open_task_ids(task_ids: Iterable[str]) -> set[str]:
    """The ids among `task_ids` whose task is still pending or processing."""
    task_ids = {task_id for task_id in task_ids if task_id}
    return _open_tasks.among(task_ids) if task_ids else set()


def entity_has_open_tasks(*, entity_pk: int, before: datetime) -> bool:
    """Whether any task of the entity created before `before` is still pending or processing."""
    return _open_tasks.of_entity(entity_pk, before)


def subtask_ids(task_id: str) -> list[str]:
    """The task_ids of a task's children: empty but for a group."""
    return _open_tasks.subtasks(task_id)
