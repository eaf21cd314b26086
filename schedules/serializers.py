from django.utils import timezone
from rest_framework import serializers

from costs.serializers import MoneyField
from schedules.models import CatchUpPolicy, OverlapPolicy, Schedule, ScheduleRun
from schedules.timing import Timing, TimingError, cron_check, timing_check, timezone_check
from tasks.serializers import TaskCreateSerializer, TaskSerializer


def _choice(name: str, choices) -> serializers.ChoiceField:
    values = [value for value, _ in choices]
    return serializers.ChoiceField(values, required=False, error_messages={
        "invalid_choice": f"{name} must be one of {', '.join(values)}; got {{input!r}}"})


class ScheduleWriteSerializer(serializers.Serializer):
    """A schedule's fields, checked as a whole: for PATCH the stored values fill the rest.

    Kind, params and priority are checked by the task API's own create serializer, so a
    schedule accepts exactly what creating its task by hand would.
    """

    name = serializers.CharField(max_length=200)
    kind = serializers.CharField()
    params = serializers.DictField(required=False, default=dict)
    priority = serializers.CharField(required=False, default="normal")
    entity_id = serializers.CharField(required=False, allow_null=True, default=None)
    cron = serializers.CharField(required=False, allow_blank=True, default="")
    timezone = serializers.CharField(required=False, default="UTC")
    interval_seconds = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, error_messages={
            "min_value": "interval_seconds must be a whole number of seconds >= 1",
            "invalid": "interval_seconds must be a whole number of seconds >= 1"})
    start_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    end_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    enabled = serializers.BooleanField(required=False, default=True)
    overlap_policy = _choice("overlap_policy", OverlapPolicy.choices)
    catch_up_policy = _choice("catch_up_policy", CatchUpPolicy.choices)

    def validate(self, attrs):
        task = TaskCreateSerializer(data={key: attrs[key] for key in ("kind", "params", "priority")})
        if not task.is_valid():
            raise serializers.ValidationError(task.errors)
        attrs["params"] = task.validated_data["params"]
        attrs.setdefault("overlap_policy", OverlapPolicy.SKIP)
        attrs.setdefault("catch_up_policy", CatchUpPolicy.SKIP)
        try:
            timezone_check(attrs["timezone"])
            if bool(attrs["cron"]) == (attrs["interval_seconds"] is not None):
                raise TimingError("cron", "give either cron (five fields: minute hour "
                                          "day-of-month month day-of-week) or "
                                          "interval_seconds, not both and not neither")
            if attrs["cron"]:
                attrs["cron"] = cron_check(attrs["cron"])
            now = timezone.now()
            start = attrs["start_at"] or (self.instance.start_at if self.instance else now)
            timing_check(Timing(cron=attrs["cron"], timezone=attrs["timezone"],
                                interval_seconds=attrs["interval_seconds"], start_at=start,
                                end_at=attrs["end_at"]), now=now)
        except TimingError as exc:
            raise serializers.ValidationError({exc.field: [exc.message]}) from None
        return attrs

    @classmethod
    def for_patch(cls, schedule: Schedule, data) -> "ScheduleWriteSerializer":
        """Check a PATCH body merged over the schedule's stored fields."""
        stored = {
            "name": schedule.name, "kind": schedule.kind, "params": schedule.params,
            "priority": schedule.priority_name, "entity_id": schedule.entity.entity_id,
            "cron": schedule.cron, "timezone": schedule.timezone,
            "interval_seconds": schedule.interval_seconds, "start_at": schedule.start_at,
            "end_at": schedule.end_at, "enabled": schedule.enabled,
            "overlap_policy": schedule.overlap_policy,
            "catch_up_policy": schedule.catch_up_policy,
        }
        if not isinstance(data, dict):
            data = {}
        merged = {**stored, **data}
        # A switch between cron and interval clears the other side unless it is given too.
        if data.get("cron") and "interval_seconds" not in data:
            merged["interval_seconds"] = None
        if data.get("interval_seconds") is not None and "cron" not in data:
            merged["cron"] = ""
        return cls(schedule, data=merged)


class ScheduleSerializer(serializers.ModelSerializer):
    """A schedule as the API answers it; `summary` (schedules.selectors.schedule_summaries)
    comes in the context, keyed by the schedule's pk."""

    priority = serializers.CharField(source="priority_name")
    entity_id = serializers.CharField(source="entity.entity_id")
    last_run_task_id = serializers.SerializerMethodField()
    last_run_status = serializers.SerializerMethodField()
    last_run_cost_usd = serializers.SerializerMethodField()
    cost_last_30_days_usd = serializers.SerializerMethodField()

    class Meta:
        model = Schedule
        fields = [
            "schedule_id", "name", "kind", "params", "priority", "entity_id", "cron",
            "timezone", "interval_seconds", "start_at", "end_at", "enabled",
            "overlap_policy", "catch_up_policy", "next_run_at", "last_run_at",
            "last_run_task_id", "last_run_status", "last_run_cost_usd",
            "cost_last_30_days_usd", "created_at", "updated_at",
        ]

    def _summary(self, schedule) -> dict:
        return self.context["summaries"][schedule.pk]

    def get_last_run_task_id(self, schedule) -> str | None:
        return self._summary(schedule)["last_run_task_id"]

    def get_last_run_status(self, schedule) -> str | None:
        return self._summary(schedule)["last_run_status"]

    def get_last_run_cost_usd(self, schedule) -> float | None:
        cost = self._summary(schedule)["last_run_cost_usd"]
        return None if cost is None else MoneyField().to_representation(cost)

    def get_cost_last_30_days_usd(self, schedule) -> float:
        return MoneyField().to_representation(self._summary(schedule)["cost_last_30_days_usd"])


class ScheduleRunSerializer(serializers.ModelSerializer):
    task_id = serializers.CharField(source="task_public_id", allow_blank=True)
    task = TaskSerializer(allow_null=True)

    class Meta:
        model = ScheduleRun
        fields = ["scheduled_for", "fired_at", "trigger", "outcome", "status", "catch_up",
                  "missed_count", "detail", "task_id", "task"]


class ScheduleCostSerializer(serializers.Serializer):
    """For the schema: a task cost's fields, over a schedule's runs in a window."""

    schedule_id = serializers.CharField()
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    run_count = serializers.IntegerField()
    total_cost_usd = MoneyField()
    period_start = serializers.DateTimeField(allow_null=True)
    period_end = serializers.DateTimeField(allow_null=True)
    breakdown_by_service = serializers.DictField(child=MoneyField())
    request_count = serializers.IntegerField()
    final = serializers.BooleanField()

