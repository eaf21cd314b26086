from django.contrib import admin
from django.db.models import Count

from costs.models import Entity


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    """Tenants and who belongs to them: membership decides what a non-staff user sees."""

    list_display = ("entity_id", "name", "member_count", "created_at")
    search_fields = ("entity_id", "name")
    filter_horizontal = ("members",)
    fields = ("entity_id", "name", "members", "created_at")
    readonly_fields = ("created_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    def get_readonly_fields(self, request, obj=None):
        # Ledger lines name their entity by entity_id, so renaming one would orphan its costs.
        return ("entity_id", "created_at") if obj is not None else self.readonly_fields

    @admin.display(description="members", ordering="member_count")
    def member_count(self, entity):
        return entity.member_count
