from rest_framework import serializers

from core.serializers import BlankAsNullCharField
from tasks.live.addresses import task_stream_url
from tasks.models import Task, TaskEvent, TaskPriority
from tasks.registry import GROUP_KIND, job_kind_get, job_kind_names, progress_unit_fields


class TaskSerializer(serializers.ModelSerializer):
    """The embedding clients' progress fields plus the framework's own (docs/api.md)."""

    status = serializers.CharField()
    priority = serializers.CharField(source="priority_name")
    progress = serializers.SerializerMethodField(help_text="Percent complete, 0-100.")
    progress_value = serializers.FloatField(source="progress", help_text="Fraction, 0.0-1.0.")
    entity_id = serializers.CharField(source="entity.entity_id", default=None)
    parent_id = serializers.CharField(source="parent.task_id", default=None)
    prerequisites = serializers.SlugRelatedField(slug_field="task_id", many=True, read_only=True)
    error_message = BlankAsNullCharField()
    retry_count = serializers.IntegerField()
    stream_url = serializers.SerializerMethodField(help_text="The SSE stream of this task.")

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
        if task.kind == GROUP_KIND and "parent_id" in data:
            # Prefetched for lists (tasks.selectors.task_list); one query for a single group.
            data["children"] = _child_ids(task)
        return data

    def get_progress(self, task) -> float:
        return round(task.progress * 100, 1)

    def get_stream_url(self, task) -> str:
        return task_stream_url(task.task_id)



def _child_ids(task) -> list[str]:
    """A group's children, in the order they were created."""
    if "children" in getattr(task, "_prefetched_objects_cache", {}):
        return [child.task_id for child in task.children.all()]
    return list(task.children.order_by("id").values_list("task_id", flat=True))


class TaskStatusSerializer(TaskSerializer):
    """A lightweight status, for polling."""

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


# A group created in one call holds at most this many children (as a batch holds tasks).
MAX_GROUP_CHILDREN = 1000


class TaskCreateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    params = serializers.DictField(required=False, default=dict)
    priority = serializers.CharField(required=False, default="normal")
    entity_id = serializers.CharField(required=False, allow_null=True, default=None)
    metadata = serializers.DictField(required=False, default=dict)
    prerequisites = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, max_length=100
    )
    parent_id = serializers.CharField(
        required=False, allow_null=True, default=None,
        help_text="An open group task this task joins as a child.")
    children = serializers.ListField(
        child=serializers.DictField(), required=False, default=list,
        max_length=MAX_GROUP_CHILDREN,
        help_text='With kind "group": the children, each a full create body.')

    def validate_kind(self, value):
        kinds = job_kind_names(api_creatable=True)
        if value not in kinds and value != GROUP_KIND:
            raise serializers.ValidationError(
                f"kind must be one of {', '.join(kinds)}; got {value!r} "
                f'(a parent task is kind "{GROUP_KIND}", with children)'
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
        if attrs["kind"] == GROUP_KIND:
            return self._group_validate(attrs)
        if attrs["children"]:
            raise serializers.ValidationError({"children": [
                f'only a task of kind "{GROUP_KIND}" has children; got kind {attrs["kind"]!r}']})
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

    def _group_validate(self, attrs):
        """A group runs no job; its children are checked here, each as a create body, and
        the group is refused if any of them is (all or nothing)."""
        if attrs["params"]:
            raise serializers.ValidationError({"params": [
                "a group runs no job and takes no params; give each child its own"]})
        if attrs["parent_id"]:
            raise serializers.ValidationError({"parent_id": [
                "a group cannot be the child of another group"]})
        children, errors = [], {}
        for index, body in enumerate(attrs["children"]):
            child = TaskCreateSerializer(data=body)
            if not child.is_valid():
                errors[str(index)] = child.errors
            elif child.validated_data["kind"] == GROUP_KIND:
                errors[str(index)] = {"kind": ["a group's children cannot be groups"]}
            elif child.validated_data["parent_id"]:
                errors[str(index)] = {"parent_id": [
                    "a child in children joins the group being created; leave parent_id out"]}
            else:
                children.append(child.validated_data)
        if errors:
            raise serializers.ValidationError({"children": errors})
        attrs["children"] = children
        return attrs


class TaskPrioritySerializer(serializers.Serializer):
    priority = serializers.CharField()

    validate_priority = TaskCreateSerializer.validate_priority
