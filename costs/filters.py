"""Query parameters of the ledger API, refused with messages that name what is accepted.

Periods are half-open: `since` is inclusive and `until` exclusive, so consecutive windows
(`since=2025-01-01&until=2025-02-01`, then `since=2025-02-01&...`) never count a record
twice. A bare date means its midnight, UTC: `until=2025-02-01` covers all of January 31.
"""
import re

import django_filters
from django import forms

DATE_HELP = "an ISO 8601 date or date-time, e.g. 2025-01-15 or 2025-01-15T10:30:00Z"
GROUP_BY_CHOICES = ["service", "day", "task_type", "operation_type"]


class FlexibleDateTimeField(forms.DateTimeField):
    """Accept both dates and date-times in ISO 8601 (a date means its midnight, UTC)."""

    def __init__(self, *args, field_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid"] = f"{field_label} must be {DATE_HELP}"

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


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class PeriodForm(forms.Form):
    """Refuses a period that ends before it starts."""

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until <= since:
            self.add_error("until", "until must be later than since (until is exclusive)")
        return cleaned


class RequestRecordFilter(django_filters.FilterSet):
    task_id = django_filters.CharFilter()
    doc_id = django_filters.CharFilter()
    entity_id = django_filters.CharFilter(field_name="entity__entity_id")
    task_type = django_filters.CharFilter()
    operation_type = django_filters.CharFilter()
    status_code = WholeNumberFilter(
        error_messages={"invalid": "status_code must be a whole number, e.g. 200 or 500"}
    )
    since = FlexibleDateTimeFilter(field_name="created_at", lookup_expr="gte", field_label="since")
    until = FlexibleDateTimeFilter(field_name="created_at", lookup_expr="lt", field_label="until")

    class Meta:
        form = PeriodForm


class EntityCostForm(PeriodForm):
    """An entity's cost roll-up: which period, grouped how."""

    since = FlexibleDateTimeField(required=False, field_label="since")
    until = FlexibleDateTimeField(required=False, field_label="until")
    group_by = forms.ChoiceField(
        choices=[(choice, choice) for choice in GROUP_BY_CHOICES],
        required=False,
        error_messages={
            "invalid_choice": f"group_by must be one of {', '.join(GROUP_BY_CHOICES)}; "
                              "got %(value)s"
        },
    )
