"""`GET /api/tasks/` filters, and `?metadata.<key>=value` on the task's metadata."""
import json
import math

import django_filters
from django import forms
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTransform
from rest_framework.exceptions import ValidationError

from core.filters import FlexibleDateTimeFilter, choice_message
from tasks.models import Task, TaskPriority, TaskStatus

METADATA_PREFIX = "metadata."


class CaseInsensitiveChoiceField(django_filters.fields.ChoiceField):
    """Priorities arrive as `HIGH` as well as `high`; they are matched in lower case."""

    def to_python(self, value):
        return super().to_python(value).strip().lower()


class PriorityFilter(django_filters.ChoiceFilter):
    field_class = CaseInsensitiveChoiceField


class RepeatedCSVWidget(django_filters.widgets.BaseCSVWidget, forms.TextInput):
    """Values comma-separated (`?status=pending,processing`), repeated, or both."""

    def value_from_datadict(self, data, files, name):
        if not hasattr(data, "getlist") or name not in data:
            return super().value_from_datadict(data, files, name)
        return [value for given in data.getlist(name) for value in given.split(",") if value]


class StatusInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """Several statuses, any of which matches."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=RepeatedCSVWidget, **kwargs)


class TaskFilter(django_filters.FilterSet):
    status = StatusInFilter(
        choices=TaskStatus.choices, lookup_expr="in",
        error_messages=choice_message("status", TaskStatus.values),
    )
    kind = django_filters.CharFilter()
    entity_id = django_filters.CharFilter(field_name="entity__entity_id")
    priority = PriorityFilter(
        choices=[(name, name) for name in TaskPriority.labels],
        method="filter_priority",
        error_messages=choice_message("priority", TaskPriority.labels),
    )
    parent_id = django_filters.CharFilter(field_name="parent__task_id")
    created_after = FlexibleDateTimeFilter(
        field_name="created_at", lookup_expr="gte", field_label="created_after"
    )
    created_before = FlexibleDateTimeFilter(
        field_name="created_at", lookup_expr="lte", field_label="created_before"
    )
    completed_after = FlexibleDateTimeFilter(
        field_name="completed_at", lookup_expr="gte", field_label="completed_after"
    )
    completed_before = FlexibleDateTimeFilter(
        field_name="completed_at", lookup_expr="lte", field_label="completed_before"
    )

    class Meta:
        model = Task
        fields = ["status", "kind", "entity_id", "priority", "parent_id"]

    def filter_priority(self, queryset, name, value):
        return queryset.filter(priority=TaskPriority.from_name(value))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        for name in self.data:
            if name.startswith(METADATA_PREFIX):
                queryset = metadata_filter(queryset, key=name[len(METADATA_PREFIX):],
                                           values=self.data.getlist(name))
        return queryset


def metadata_filter(queryset: QuerySet[Task], *, key: str, values: list[str]) -> QuerySet[Task]:
    """Tasks whose top-level metadata `key` equals each of `values`.

    A query string carries text, so `7` or `true` also match the JSON number or boolean.
    On PostgreSQL this is `metadata @> {...}`, which the GIN index over metadata answers
    (tasks/migrations/0008_task_metadata_gin.py); SQLite compares json_extract (JSON1).
    """
    if not key:
        raise ValidationError({"metadata": [
            "metadata filters name a top-level key: ?metadata.<key>=value, e.g. "
            "?metadata.customer=acme"]})
    postgres = connection.vendor == "postgresql"
    alias = f"metadata_{len(queryset.query.annotations)}"
    if not postgres:
        # KeyTransform takes the key as it is: a key holding "__" is not read as a path.
        queryset = queryset.alias(**{alias: KeyTransform(key, "metadata")})
    for value in values:
        condition = Q()
        for candidate in _json_candidates(value):
            condition |= (Q(metadata__contains={key: candidate}) if postgres
                          else Q(**{alias: candidate}))
        queryset = queryset.filter(condition)
    return queryset


def _json_candidates(value: str) -> list:
    """The text itself, and the JSON number or boolean it spells, if it spells one."""
    try:
        parsed = json.loads(value)
    except ValueError:
        return [value]
    if isinstance(parsed, bool) or (isinstance(parsed, int | float) and math.isfinite(parsed)):
        return [value, parsed]
    return [value]
