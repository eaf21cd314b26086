"""Making entities outside the admin: `manage.py entity_create` and `POST /api/entities/`.

An entity is the tenant that owns tasks and pays for them; clients name it by its own id
(`company_123`), so an operator must be able to make one in a single step.
"""
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from core.exceptions import ApplicationError, ConflictError
from costs.models import Entity, entity_id_validator


def users_by_username(usernames) -> list:
    """The users named, in order; an unknown name is refused, naming it."""
    usernames = list(dict.fromkeys(usernames))
    users = {user.get_username(): user
             for user in get_user_model().objects.filter(username__in=usernames)}
    missing = [name for name in usernames if name not in users]
    if missing:
        raise ApplicationError(f"no such user: {', '.join(missing)}; members must be existing "
                               "usernames", code="unknown_user")
    return [users[name] for name in usernames]


def entity_create(*, entity_id: str, name: str = "", members=()) -> Entity:
    """Create an entity with its members; refused if the id is malformed or taken."""
    try:
        entity_id_validator(entity_id)
    except DjangoValidationError as error:
        raise ApplicationError(f"{error.messages[0]}; got {entity_id!r}",
                               code="invalid_entity_id") from None
    if len(name) > Entity._meta.get_field("name").max_length:
        raise ApplicationError("name must be at most 200 characters", code="invalid_name")
    try:
        with transaction.atomic():
            entity = Entity.objects.create(entity_id=entity_id, name=name)
            entity.members.set(members)
    except IntegrityError:
        raise ConflictError(f"entity {entity_id} already exists", code="entity_exists") from None
    return entity
