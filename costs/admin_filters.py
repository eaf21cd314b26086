"""Admin list filters on the entity (the tenant), shared by every app's changelists."""
from django.contrib import admin

from costs.models import Entity


class EntityFilter(admin.SimpleListFilter):
    """By the entity's own id (`?entity_id=company_123`), as the API filters, not its row key."""

    title = "entity"
    parameter_name = "entity_id"

    def lookups(self, request, model_admin):
        return list(Entity.objects.order_by("entity_id").values_list("entity_id", "entity_id"))

    def queryset(self, request, queryset):
        return queryset.filter(entity__entity_id=self.value()) if self.value() else queryset
