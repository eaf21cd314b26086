import django_filters

from config.filters import FlexibleDateTimeFilter, choice_message
from tasks.models import Task, TaskPriority, TaskStatus


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=TaskStatus.choices,
        error_messages=choice_message("status", TaskStatus.values),
    )
    kind = django_filters.CharFilter()
    entity_id = django_filters.CharFilter(field_name="entity__entity_id")
    priority = django_filters.ChoiceFilter(
        choices=[(name, name) for name in TaskPriority.labels],
        method="filter_priority",
        error_messages=choice_message("priority", TaskPriority.labels),
    )
    parent = django_filters.CharFilter(field_name="parent__task_id")
    created_after = FlexibleDateTimeFilter(
        field_name="created_at", lookup_expr="gte", field_label="created_after"
    )
    created_before = FlexibleDateTimeFilter(
        field_name="created_at", lookup_expr="lte", field_label="created_before"
    )

    class Meta:
        model = Task
        fields = ["status", "kind", "entity_id", "priority", "parent"]

    def filter_priority(self, queryset, name, value):
        return queryset.filter(priority=TaskPriority.from_name(value))
