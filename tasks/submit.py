"""A create body, checked, becomes a task: `POST /api/tasks/` and each item of a batch.

The serializer checks the body's shape; this resolves what needs the caller: the entity
that pays, the prerequisites and the group they may see. A group comes with its children
in one transaction, all or nothing.
"""
from django.db import transaction
from rest_framework.exceptions import ValidationError

from core.exceptions import NotFoundError, refusal_message
from costs.selectors import entity_for_write
from tasks import selectors
from tasks.models import ACTIVE_STATUSES, Task
from tasks.registry import GROUP_KIND
from tasks.services import task_create, task_create_many


def task_fields(*, user, data: dict, child: bool = False, group_entity=None,
                entities: dict | None = None) -> dict:
    """`task_create`'s keywords for one checked body.

    A child (`child=True`) belongs to its group's entity, `group_entity`: its body may
    leave entity_id out or repeat it, not name another. `entities`: the entities already
    resolved for this user, by the entity_id asked for (a batch resolves each once).
    """
    fields = {
        "kind": data["kind"], "params": data["params"], "priority": data["priority"],
        "metadata": data["metadata"], "created_by": user,
        "prerequisites": selectors.task_prerequisites_get(user=user,
                                                          task_ids=data["prerequisites"]),
    }
    if not child:
        fields["entity"] = _entity(user, data["entity_id"], {} if entities is None else entities)
        return fields
    group_entity_id = group_entity.entity_id if group_entity is not None else None
    if data["entity_id"] not in (None, group_entity_id):
        raise ValidationError({"entity_id": [
            f"a group's children belong to its entity {group_entity_id}; got "
            f"{data['entity_id']!r} (leave entity_id out)"]})
    fields["entity"] = group_entity
    return fields


def _entity(user, entity_id: str | None, entities: dict):
    """entity_for_write, once per entity_id asked for; a refusal is kept and raised again."""
    if entity_id not in entities:
        try:
            entities[entity_id] = entity_for_write(user=user, entity_id=entity_id,
                                                   purpose="create tasks")
        except Exception as exc:
            entities[entity_id] = exc
    entity = entities[entity_id]
    if isinstance(entity, Exception):
        raise entity
    return entity


def task_submit(*, user, data: dict) -> Task:
    """Create the task a checked body describes: a plain task, a group with its children,
    or a child joining an open group (`parent_id`)."""
    parent = _parent_get(user=user, task_id=data["parent_id"]) if data["parent_id"] else None
    if parent is not None:
        fields = task_fields(user=user, data=data, child=True, group_entity=parent.entity)
        return task_create(**fields, parent=parent)
    fields = task_fields(user=user, data=data)
    if data["kind"] != GROUP_KIND:
        return task_create(**fields)
    children = []
    for index, child in enumerate(data["children"]):
        try:
            children.append(task_fields(user=user, data=child, child=True,
                                        group_entity=fields["entity"]))
        except Exception as exc:
            message = refusal_message(exc)
            if message is None:
                raise
            raise ValidationError({"children": {str(index): [message]}}) from exc
    with transaction.atomic():
        group = task_create(**fields)
        if children:
            task_create_many(children, parent=group)
            group.refresh_from_db()  # the roll-up its children just wrote
    return group


def _parent_get(*, user, task_id: str) -> Task:
    """The open group a new child joins; otherwise a 400 on `parent_id` (the body was wrong)."""
    try:
        parent = selectors.task_get(user=user, task_id=task_id)
    except NotFoundError:
        raise ValidationError({"parent_id": [
            f"no such task: {task_id}; parent_id must be the task_id of a group you can see"]})
    if parent.kind != GROUP_KIND:
        raise ValidationError({"parent_id": [
            f"task {task_id} is a {parent.kind} task, not a group; only a group has children"]})
    if parent.status not in ACTIVE_STATUSES:
        raise ValidationError({"parent_id": [
            f"group {task_id} is already {parent.status}; children join only an open "
            "(pending or processing) group"]})
    return parent
