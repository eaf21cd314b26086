"""`POST /api/tasks/batch`: up to MAX_BATCH_TASKS create bodies, each checked on its own,
the valid ones created together (tasks.services.task_create_many)."""
from django.db import transaction

from core.exceptions import ApplicationError, refusal_message
from core.throttling import creation_charge
from tasks.dryrun import dry_run_answer, dry_run_verdict
from tasks.estimators import Estimate, estimate_for, estimate_sum
from tasks.registry import GROUP_KIND
from tasks.serializers import TaskCreateSerializer
from tasks.submit import task_fields
from tasks.services import task_create_many

MAX_BATCH_TASKS = 1000


def task_body_estimate(data: dict) -> Estimate:
    """What a checked create body will cost: its kind's estimate from its params, a group's
    its children's (the diagnostics kinds creatable here cost nothing)."""
    if data["kind"] == GROUP_KIND:
        return estimate_sum(GROUP_KIND, [task_body_estimate(child)
                                         for child in data.get("children") or ()])
    return estimate_for(data["kind"], **(data.get("params") or {}))


def _batch_items(items) -> list:
    if not isinstance(items, list) or not items:
        raise ApplicationError("the body must be a non-empty JSON array of task create bodies",
                               code="invalid_batch")
    if len(items) > MAX_BATCH_TASKS:
        raise ApplicationError(
            f"a batch holds at most {MAX_BATCH_TASKS} tasks; got {len(items)}", code="invalid_batch")
    return items


def task_batch_dry_run(*, user, items) -> dict:
    """Each item's estimate (or why it would be refused), nothing created."""
    answers, total, check = [], 0, _Checker(user)
    for index, item in enumerate(_batch_items(items)):
        try:
            fields = check(item)
        except Exception as exc:
            error = refusal_message(exc)
            if error is None:
                raise
            answers.append({"index": index, "estimate": None, "error": error})
            continue
        estimate = estimate_for(fields["kind"], **fields["params"])
        verdict = dry_run_verdict(entity=fields["entity"], estimate=estimate)
        answers.append({"index": index, "error": None, "estimate": dry_run_answer(
            estimate=estimate, verdict=verdict, entity=fields["entity"])})
        total += estimate.total
    return {"dry_run": True, "total": len(items), "estimated_cost_usd": total, "tasks": answers}


def task_batch_submit(*, user, items) -> dict:
    """The batch answer: `total`, `queued`, `failed` and `tasks[]` in the items' order, each
    failed item with the reason it was refused (docs/api.md)."""
    items = _batch_items(items)
    results, valid, check = [], [], _Checker(user)
    for item in items:
        try:
            valid.append((len(results), check(item)))
            results.append(None)
        except Exception as exc:
            error = refusal_message(exc)
            if error is None:
                raise
            results.append({"task_id": None, "kind": _kind(item), "status": "failed",
                            "error": error})
    # Each task counts against the rates, as if it had been created on its own.
    creation_charge(user=user, entity_ids=[fields["entity"].entity_id for _, fields in valid])
    with transaction.atomic():
        created = task_create_many([fields for _, fields in valid])
    for (index, _), task in zip(valid, created):
        results[index] = {"task_id": task.task_id, "kind": task.kind, "status": "queued",
                          "error": None,
                          "estimated_cost_usd": estimate_for(task.kind, **task.params).total}
    return {"total": len(items), "queued": len(created), "failed": len(items) - len(created),
            "tasks": results}


class _Checker:
    """Checks a batch's create bodies, each as `task_create_many` takes it, raising what
    the single create would. One serializer validates every item (as a ListSerializer's
    child does: its fields are built once, not per item), and each entity is resolved
    once: together most of a 1,000-item batch's time (the batch endpoint's 5,000 tasks/s
    target, docs/benchmarks.md)."""

    def __init__(self, user):
        self.user, self.serializer, self.entities = user, TaskCreateSerializer(), {}

    def __call__(self, item) -> dict:
        if not isinstance(item, dict):
            raise ApplicationError("each item must be a JSON object (a task create body)")
        data = self.serializer.run_validation(item)
        if data["kind"] == GROUP_KIND or data["parent_id"]:
            raise ApplicationError("a batch item cannot be a group or join one; create a "
                                   "group with its children, or add a child, with POST "
                                   "/api/tasks/")
        return task_fields(user=self.user, data=data, entities=self.entities)


def _kind(item):
    return item.get("kind") if isinstance(item, dict) else None
