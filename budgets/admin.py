"""Budgets in the admin: edit an entity's budgets with their figures now; alerts and
estimates to read."""
from django.contrib import admin
from django.utils.html import format_html

from budgets.models import Budget, BudgetAlert, TaskEstimate
from budgets.selectors import budget_status
from budgets.services import budget_save


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["entity", "label", "amount_usd", "mode", "soft_threshold_percent",
                    "spent", "reserved", "remaining", "period_end"]
    list_filter = ["mode", "period"]
    search_fields = ["entity__entity_id", "service_type", "task_kind"]
    fields = ["entity", "amount_usd", "period", "mode", "soft_threshold_percent", "service_type",
              "task_kind", "figures"]
    readonly_fields = ["figures"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity")

    def save_model(self, request, obj, form, change):
        budget_save(budget=obj)

    def _status(self, budget):
        cache = getattr(self, "_statuses", None)
        if cache is None or cache[0] is not budget:
            self._statuses = (budget, budget_status(budget))
        return self._statuses[1]

    @admin.display(description="spent (USD)")
    def spent(self, budget):
        return self._status(budget).spent.normalize()

    @admin.display(description="reserved (USD)")
    def reserved(self, budget):
        return self._status(budget).reserved.normalize()

    @admin.display(description="remaining (USD)")
    def remaining(self, budget):
        return self._status(budget).remaining.normalize()

    @admin.display(description="period ends")
    def period_end(self, budget):
        return self._status(budget).period_end or "never (a fixed total)"

    @admin.display(description="now")
    def figures(self, budget):
        if budget.pk is None:
            return "-"
        status = budget_status(budget)
        return format_html(
            "spent {} USD, reserved {} USD, remaining {} USD; period {} to {}",
            status.spent.normalize(), status.reserved.normalize(), status.remaining.normalize(),
            status.period_start, status.period_end or "no end")


@admin.register(BudgetAlert)
class BudgetAlertAdmin(admin.ModelAdmin):
    list_display = ["created_at", "entity", "budget_label", "threshold_percent", "spent_usd",
                    "reserved_usd", "amount_usd", "webhook_status", "webhook_attempts"]
    list_filter = ["webhook_status"]
    search_fields = ["entity__entity_id", "budget_label"]
    readonly_fields = [field.name for field in BudgetAlert._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(TaskEstimate)
class TaskEstimateAdmin(admin.ModelAdmin):
    list_display = ["task_id", "task_kind", "entity", "total_usd", "reserved", "created_at",
                    "released_at"]
    list_filter = ["reserved", "task_kind"]
    search_fields = ["task_id", "entity__entity_id"]
    readonly_fields = [field.name for field in TaskEstimate._meta.fields]

    def has_add_permission(self, request):
        return False
