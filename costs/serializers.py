"""The ledger as seed 000's clients read it: money as JSON numbers, empty ids as null."""
from decimal import Decimal

from rest_framework import serializers

from config.serializers import BlankAsNullCharField
from costs.models import RequestRecord, UsageLine
from costs.selectors import record_cost


class MoneyField(serializers.DecimalField):
    """USD, every stored digit, rendered as a JSON number (seed 000: `"cost_usd": 0.02`)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=None, decimal_places=None, coerce_to_string=False, **kwargs)


class QuantityField(MoneyField):
    """A usage quantity: exact, rendered as a JSON number."""


class UsageLineSerializer(serializers.ModelSerializer):
    cost_usd = MoneyField(source="cost")
    model = BlankAsNullCharField()
    quantity = QuantityField()
    unit_price = MoneyField(allow_null=True)

    class Meta:
        model = UsageLine
        fields = ["service_type", "cost_usd", "breakdown", "model", "quantity", "unit",
                  "unit_price", "unpriced"]


class RequestRecordSerializer(serializers.ModelSerializer):
    """Seed 000's request metrics; expects the record's lines and entity to be prefetched."""

    task_id = BlankAsNullCharField()
    doc_id = BlankAsNullCharField()
    entity_id = serializers.CharField(source="entity.entity_id", default=None)
    error_message = BlankAsNullCharField()
    timestamp = serializers.DateTimeField(source="created_at")
    services_used = UsageLineSerializer(source="lines", many=True)
    total_cost_usd = serializers.SerializerMethodField()

    class Meta:
        model = RequestRecord
        fields = [
            "request_id", "task_id", "doc_id", "entity_id", "operation_type", "task_type",
            "endpoint", "method", "status_code", "processing_time_ms", "error_message",
            "timestamp", "completed_at", "services_used", "total_cost_usd",
        ]

    def get_total_cost_usd(self, record) -> Decimal:
        return record_cost(record)


class EntityCostGroupSerializer(serializers.Serializer):
    key = serializers.CharField(
        allow_null=True, help_text="A service, a day, a task type or an operation type."
    )
    total_cost_usd = MoneyField()
    request_count = serializers.IntegerField()
    quantities = serializers.DictField(
        child=QuantityField(), required=False, help_text="Per unit; group_by=service only."
    )


class EntityCostSerializer(serializers.Serializer):
    entity_id = serializers.CharField()
    period_start = serializers.DateTimeField(help_text="Inclusive.")
    period_end = serializers.DateTimeField(help_text="Exclusive.")
    group_by = serializers.CharField()
    total_cost_usd = MoneyField()
    request_count = serializers.IntegerField()
    groups = EntityCostGroupSerializer(many=True)


class _CostSummarySerializer(serializers.Serializer):
    """The shape of a task's or document's cost (the OpenAPI schema's; the view returns the
    selector's dict as is)."""

    total_cost_usd = MoneyField()
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField()
    breakdown_by_service = serializers.DictField(child=MoneyField())
    request_count = serializers.IntegerField()


class TaskCostSerializer(_CostSummarySerializer):
    task_id = serializers.CharField()


class DocumentCostSerializer(_CostSummarySerializer):
    doc_id = serializers.CharField()
