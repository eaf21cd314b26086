"""Budgets, estimates and refusals as the API shows them."""
from decimal import Decimal

from rest_framework import serializers

from budgets.models import BudgetMode, BudgetPeriod
from costs.serializers import MoneyField, QuantityField
from costs.serializers import TaskCostSerializer


class BudgetWriteSerializer(serializers.Serializer):
    """One budget of `PUT /entities/{id}/budgets`."""

    amount_usd = serializers.DecimalField(max_digits=18, decimal_places=6,
                                          min_value=Decimal(0), coerce_to_string=False)
    period = serializers.ChoiceField(BudgetPeriod.values, default=BudgetPeriod.MONTH,
                                     help_text="day, month (UTC), or none: a fixed total.")
    mode = serializers.ChoiceField(BudgetMode.values, default=BudgetMode.HARD,
                                   help_text="hard: refuse and stop at the cap; soft: alert only.")
    soft_threshold_percent = serializers.IntegerField(min_value=1, max_value=100, default=80)
    service_type = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                         allow_null=True, default="",
                                         help_text="Narrow to one service, e.g. openai_chat.")
    task_kind = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                      allow_null=True, default="",
                                      help_text="Narrow to one task kind, e.g. article.analyze.")

    def validate_service_type(self, value):
        return value or ""

    def validate_task_kind(self, value):
        return value or ""


class BudgetsWriteSerializer(serializers.Serializer):
    budgets = BudgetWriteSerializer(many=True, help_text="The entity's budgets, all of them: "
                                    "any not listed is removed.")

    def validate_budgets(self, value):
        seen = set()
        for index, budget in enumerate(value):
            key = (budget["service_type"], budget["task_kind"], budget["period"])
            if key in seen:
                raise serializers.ValidationError(
                    f"budgets {index}: two budgets with the same period, service_type and "
                    "task_kind; merge them into one")
            seen.add(key)
        return value


class BudgetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(help_text="Period and scope, e.g. month/service=openai_chat.")
    entity_id = serializers.CharField()
    service_type = serializers.CharField(allow_null=True)
    task_kind = serializers.CharField(allow_null=True)
    amount_usd = MoneyField()
    period = serializers.ChoiceField(BudgetPeriod.values)
    mode = serializers.ChoiceField(BudgetMode.values)
    soft_threshold_percent = serializers.IntegerField()
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField(allow_null=True, help_text="Null: a fixed total.")
    spent_usd = MoneyField()
    reserved_usd = MoneyField(help_text="Estimates of the entity's pending and running tasks.")
    remaining_usd = MoneyField(help_text="amount - spent in the period - reserved.")
    used_percent = MoneyField()


class EntityBudgetsSerializer(serializers.Serializer):
    entity_id = serializers.CharField()
    budgets = BudgetSerializer(many=True)


class BudgetExceededSerializer(serializers.Serializer):
    """402: the work does not fit what a hard budget has left."""

    detail = serializers.CharField()
    code = serializers.CharField(help_text="budget_exceeded")
    entity_id = serializers.CharField()
    budget = BudgetSerializer()
    amount_usd = MoneyField()
    spent_usd = MoneyField()
    reserved_usd = MoneyField()
    estimated_cost_usd = MoneyField()
    remaining_usd = MoneyField()


class EstimateLineSerializer(serializers.Serializer):
    service_type = serializers.CharField()
    unit = serializers.CharField()
    model = serializers.CharField(allow_null=True)
    quantity = QuantityField()
    unit_price = MoneyField(allow_null=True)
    cost_usd = MoneyField()
    unpriced = serializers.BooleanField(help_text="No price in force: counted as 0.")


class EstimateSerializer(serializers.Serializer):
    """What a creating request would cost (`POST /estimate`, `?dry_run=1`); nothing queued."""

    dry_run = serializers.BooleanField()
    entity_id = serializers.CharField(allow_null=True)
    kind = serializers.CharField()
    estimated_cost_usd = MoneyField()
    breakdown_by_service = serializers.DictField(child=MoneyField())
    lines = EstimateLineSerializer(many=True)
    allowed = serializers.BooleanField(help_text="Whether the entity's hard budgets would "
                                       "accept it now.")
    refusal = BudgetExceededSerializer(allow_null=True, help_text="The 402 it would answer.")


class BatchEstimateItemSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    estimate = EstimateSerializer(allow_null=True)
    error = serializers.CharField(allow_null=True, help_text="Why the item would be refused "
                                  "for its own reasons (as the batch answers it).")


class BatchEstimateSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    total = serializers.IntegerField()
    estimated_cost_usd = MoneyField()
    tasks = BatchEstimateItemSerializer(many=True)


class TaskCostEstimateSerializer(TaskCostSerializer):
    estimated_cost_usd = MoneyField(allow_null=True, help_text="The estimate made when the "
                                    "task was created; null for a kind that costs nothing.")
    estimated_breakdown_by_service = serializers.DictField(child=MoneyField(), allow_null=True)
    reserved = serializers.BooleanField(help_text="Whether the estimate is still held back "
                                        "against the entity's budgets (the task has not ended).")
