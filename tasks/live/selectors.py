"""The reads behind what live clients receive (sync: callers in async code wrap them in
database_sync_to_async)."""
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery, Sum

from costs.models import RequestRecord
from tasks.live.messages import live_event
from tasks.models import Task, TaskEvent
from tasks.selectors import task_visible


def live_task_get(*, user, task_id: str) -> Task | None:
    """A visible task with `last_seq` (its newest event) read in the same statement, or None.

    One statement, so the row is at least as new as `last_seq`: a subscriber shown this
    state and then events after `last_seq` misses nothing.
    """
    newest = TaskEvent.objects.filter(task=OuterRef("pk")).order_by("-id").values("id")[:1]
    return (
        task_visible(user=user).filter(task_id=task_id)
        .annotate(last_seq=Subquery(newest)).first()
    )


def live_events_after(*, task: Task, after: int, limit: int = 500) -> list[dict]:
    """The task's persisted events after seq `after`, as live events, oldest first."""
    events = list(task.events.filter(id__gt=after).order_by("id")[:limit])
    cost = live_costs(task_ids=[task.task_id]).get(task.task_id) if events else None
    return [live_event(event=event, task_id=task.task_id, cost=cost) for event in events]


def live_events_between(*, task_pk: int, task_id: str, after: int, before: int) -> list[dict]:
    """The task's persisted events with after < seq < before (a gap in what was pushed)."""
    events = list(TaskEvent.objects.filter(task_id=task_pk, id__gt=after, id__lt=before)
                  .order_by("id"))
    cost = live_costs(task_ids=[task_id]).get(task_id) if events else None
    return [live_event(event=event, task_id=task_id, cost=cost) for event in events]


# Tasks per query: one condition each, OR-ed; SQLite refuses an expression tree deeper
# than 1,000, and a daphne process may follow more tasks than that.
CURSORS_PER_QUERY = 200


def live_events_for(*, cursors: dict[int, int], limit: int = 2000) -> list[dict]:
    """Events of several tasks, each after its own cursor (task pk -> seq), oldest first;
    at most `limit` for each CURSORS_PER_QUERY tasks."""
    followed = list(cursors.items())
    events = []
    for start in range(0, len(followed), CURSORS_PER_QUERY):
        condition = Q()
        for task_pk, after in followed[start:start + CURSORS_PER_QUERY]:
            condition |= Q(task_id=task_pk, id__gt=after)
        events += (
            TaskEvent.objects.filter(condition)
            .annotate(public_id=Subquery(Task.objects.filter(pk=OuterRef("task_id"))
                                         .values("task_id")))
            .order_by("id")[:limit]
        )
    events.sort(key=lambda event: event.id)
    costs = live_costs(task_ids={event.public_id for event in events}) if events else {}
    return [
        live_event(event=event, task_id=event.public_id, cost=costs.get(event.public_id))
        for event in events
    ]


def live_costs(*, task_ids) -> dict[str, Decimal]:
    """What each task has cost so far (every ledger record carrying its task_id); a group's
    cost includes its children's."""
    task_ids = list(task_ids)
    children = list(Task.objects.filter(parent__task_id__in=task_ids)
                    .values_list("task_id", "parent__task_id"))
    totals = dict(
        RequestRecord.objects.filter(task_id__in=[*task_ids, *(child for child, _ in children)])
        .values_list("task_id").annotate(total=Sum("cost")).order_by()
    )
    costs = {task_id: totals[task_id] for task_id in task_ids if task_id in totals}
    for child, group in children:
        if child in totals:
            costs[group] = costs.get(group, Decimal(0)) + totals[child]
    return costs
