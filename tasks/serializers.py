from rest_framework import serializers

from config.serializers import BlankAsNullCharField
from tasks.models import Task, TaskEvent, TaskPriority
from tasks.registry import job_kind_get, job_kind_names, progress_unit_fields


class TaskSerializer(serializers.ModelSerializer):
    """Seed 001's progress fields plus the framework's own."""

    status = serializers.CharField()
    priority = serializers.CharField(source="priority_name")
    progress = serializers.SerializerMethodField(help_text="Percent complete, 0-100.")
    progress_value = serializers.FloatField(source="progress", help_text="Fraction, 0.0-1.0.")
    entity_id = serializers.CharField(source="entity.entity_id", default=None)
    parent_id = serializers.CharField(source="parent.task_id", default=None)
    prerequisites = serializers.SlugRelatedField(slug_field="task_id", many=True, read_only=True)
    error_message = BlankAsNullCharField()
    retry_count = serializers.IntegerField()
    stream_url = serializers.SerializerMethodField(help_text="Seed 004's SSE stream of this task.")

    class Meta:
        model = Task
        fields = [
            "task_id", "kind", "status", "priority", "progress", "progress_value",
            "progress_text", "processed_units", "total_units", "eta", "created_at",
            "updated_at", "started_at", "completed_at", "error_message", "retry_count",
            "attempts", "max_attempts", "timeout_seconds", "cancel_requested", "entity_id",
            "parent_id", "prerequisites", "params", "metadata", "result", "q_task_id",
            "stream_url",
        ]

    def to_representation(self, task):
        data = super().to_representation(task)
        if "processed_units" in data:  # an embedding task's counts are chunks, named so too
            data.update(progress_unit_fields(task.kind, task.processed_units, task.total_units))
        return data

    def get_progress(self, task) -> float:
        return round(task.progress * 100, 1)

    def get_stream_url(self, task) -> str:
        from tasks.live import task_stream_url

        return task_stream_url(task.task_id)



class TaskStatusSerializer(TaskSerializer):
    """Seed 004's lightweight status, for polling."""

    class Meta(TaskSerializer.Meta):
        fields = [
            "task_id", "status", "progress", "progress_value", "progress_text", "eta",
            "error_message", "result", "updated_at",
        ]


class TaskEventSerializer(serializers.ModelSerializer):
    seq = serializers.IntegerField(source="id")

    class Meta:
        model = TaskEvent
        fields = ["seq", "event_type", "data", "created_at"]


class TaskCreateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    params = serializers.DictField(required=False, default=dict)
    priority = serializers.CharField(required=False, default="normal")
    entity_id = serializers.CharField(required=False, allow_null=True, default=None)
    metadata = serializers.DictField(required=False, default=dict)
    prerequisites = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, max_length=100
    )

    def validate_kind(self, value):
        kinds = job_kind_names(api_creatable=True)
        if value not in kinds:
            raise serializers.ValidationError(
                f"kind must be one of {', '.join(kinds)}; got {value!r}"
            )
        return value

    def validate_priority(self, value):
        try:
            return TaskPriority.from_name(value).label
        except ValueError:
            raise serializers.ValidationError(
                f"priority must be one of {', '.join(TaskPriority.labels)}; got {value!r}"
            ) from None

    def validate(self, attrs):
        params = job_kind_get(attrs["kind"]).params_serializer(data=attrs["params"])
        if not params.is_valid():
            raise serializers.ValidationError({"params": params.errors})
        unknown = set(attrs["params"]) - set(params.fields)
        if unknown:
            raise serializers.ValidationError({"params": [
                f"unknown parameter(s) {', '.join(sorted(unknown))}; accepted: "
                f"{', '.join(params.fields) or 'none'}"
            ]})
        attrs["params"] = params.validated_data
        return attrs


class TaskPrioritySerializer(serializers.Serializer):
    priority = serializers.CharField()

    validate_priority = TaskCreateSerializer.validate_priority
