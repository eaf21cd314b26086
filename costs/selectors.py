from django.db.models import QuerySet

from costs.models import Entity


def entity_list_for_user(*, user) -> QuerySet[Entity]:
    """Return the entities a user may see and act for: all of them for staff."""
    if user.is_staff:
        return Entity.objects.all()
    return Entity.objects.filter(members=user)
