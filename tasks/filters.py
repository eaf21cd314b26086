import re

import django_filters
from django import forms

from tasks.models import Task, TaskPriority, TaskStatus

_DATE_HELP = "an ISO 8601 date or date-time, e.g. 2025-01-15 or 2025-01-15T10:30:00Z"


def _choice_message(field: str, choices) -> dict:
    return {"invalid_choice": f"{field} must be one of {', '.join(choices)}; got %(value)s"}


class FlexibleDateTimeField(forms.DateTimeField):
    """Accept both dates and date-times in ISO 8601 (a date means its midnight, UTC)."""

    def __init__(self, *args, field_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid"] = f"{field_label} must be {_DATE_HELP}"

    def to_python(self, value):
        if isinstance(value, str):
            # An unencoded "+02:00" offset arrives as " 02:00": "+" means space in a query.
            value = re.sub(r"(T[\d:.]+) (\d\d:?\d\d)$", r"\1+\2", value.strip())
        return super().to_python(value)


class FlexibleDateTimeFilter(django_filters.Filter):
    field_class = FlexibleDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_label", kwargs.get("label", ""))
        super().__init__(*args, **kwargs)


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=TaskStatus.choices,
        error_messages=_choice_message("status", TaskStatus.values),
    )
    kind = django_filters.CharFilter()
    entity_id = django_filters.CharFilter(field_name="entity__entity_id")
    priority = django_filters.ChoiceFilter(
        choices=[(name, name) for name in TaskPriority.labels],
        method="filter_priority",
        error_messages=_choice_message("priority", TaskPriority.labels),
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
