"""The ledger as its clients read it: money as JSON numbers, empty ids as null.

The shapes are the cost clients' (docs/api.md, Client contract).
"""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.serializers import BlankAsNullCharField
from costs.lines import service_lines
from costs.models import RequestRecord


class MoneyField(serializers.DecimalField):
    """USD, every stored digit, rendered as a JSON number (`"cost_usd": 0.02`)."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=None, decimal_places=None, coerce_to_string=False, **kwargs)


class QuantityField(MoneyField):
    """A usage quantity: exact, rendered as a JSON number."""


class ServiceLineSerializer(serializers.Serializer):
    """One `services_used` entry (a costs.lines.ServiceLine)."""

    service_type = serializers.CharField()
    cost_usd = MoneyField(source="cost")
    breakdown = serializers.DictField()
    model = BlankAsNullCharField()
    quantity = QuantityField()
    unit = serializers.CharField()
    unit_price = MoneyField(allow_null=True)
    unpriced = serializers.BooleanField()


class RequestRecordSerializer(serializers.ModelSerializer):
    """A request record; expects the record's entity to be selected with it."""

    task_id = BlankAsNullCharField()
    doc_id = BlankAsNullCharField()
    entity_id = serializers.CharField(source="entity.entity_id", default=None)
    error_message = BlankAsNullCharField()
    timestamp = serializers.DateTimeField(source="created_at")
    services_used = serializers.SerializerMethodField()
    total_cost_usd = MoneyField(source="cost")

    class Meta:
        model = RequestRecord
        fields = [
            "request_id", "task_id", "doc_id", "entity_id", "operation_type", "task_type",
            "endpoint", "method", "status_code", "processing_time_ms", "error_message",
            "timestamp", "completed_at", "services_used", "total_cost_usd",
        ]

    @extend_schema_field(ServiceLineSerializer(many=True))
    def get_services_used(self, record) -> list:
        return ServiceLineSerializer(service_lines(record.usage), many=True).data


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
    final = serializers.BooleanField(
        help_text="False while a task of the entity created before period_end is still running.")


class _CostSummarySerializer(serializers.Serializer):
    """The shape of a task's or document's cost (the OpenAPI schema's; the view returns the
    selector's dict as is)."""

    total_cost_usd = MoneyField()
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField()
    breakdown_by_service = serializers.DictField(child=MoneyField())
    request_count = serializers.IntegerField()
    final = serializers.BooleanField(
        help_text="True once no record is open and no task of them is pending or processing.")


class TaskCostSerializer(_CostSummarySerializer):
    task_id = serializers.CharField()


class DocumentCostSerializer(_CostSummarySerializer):
    doc_id = serializers.CharField()


class EntityCreateSerializer(serializers.Serializer):
    """`POST /api/entities/`: the entity's own id, a name, and the usernames who belong to it."""

    entity_id = serializers.CharField(help_text="e.g. company_123")
    name = serializers.CharField(required=False, allow_blank=True, default="")
    members = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                    help_text="usernames")


class EntitySerializer(serializers.Serializer):
    entity_id = serializers.CharField()
    name = serializers.CharField()
    members = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_members(self, entity) -> list[str]:
        return sorted(user.get_username() for user in entity.members.all())
