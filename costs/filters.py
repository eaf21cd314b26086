"""Query parameters of the ledger API, refused with messages that name what is accepted.

Periods are half-open: `since` is inclusive and `until` exclusive, so consecutive windows
(`since=2025-01-01&until=2025-02-01`, then `since=2025-02-01&...`) never count a record
twice. A bare date means its midnight, UTC: `until=2025-02-01` covers all of January 31.
"""
import django_filters
from django import forms

from core.filters import FlexibleDateTimeField, FlexibleDateTimeFilter

GROUP_BY_CHOICES = ["service", "day", "task_type", "operation_type"]


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
