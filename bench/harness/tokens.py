"""The API users the drivers authenticate as (run in a driver, after django.setup())."""


def staff_token() -> str:
    """The DRF token of a staff superuser, "bench-operator"."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    user, _ = get_user_model().objects.get_or_create(
        username="bench-operator", defaults={"is_staff": True, "is_superuser": True}
    )
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


def member_token():
    """A non-staff member of one entity: the tenancy check is part of what is measured.

    Returns the member's token key and the entity."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from costs.models import Entity

    entity, _ = Entity.objects.get_or_create(entity_id="bench_live", defaults={"name": "Bench"})
    user, _ = get_user_model().objects.get_or_create(username="bench-live")
    entity.members.add(user)
    return Token.objects.get_or_create(user=user)[0].key, entity
