"""Filter pieces shared by the apps' FilterSets: refusals name what is accepted."""
import re
from datetime import timezone as dt_timezone

import django_filters
from django import forms

DATE_HELP = "an ISO 8601 date or date-time, e.g. 2025-01-15 or 2025-01-15T10:30:00Z"


def choice_message(field: str, choices) -> dict:
    return {"invalid_choice": f"{field} must be one of {', '.join(choices)}; got %(value)s"}


class FlexibleDateTimeField(forms.DateTimeField):
    """Accept both dates and date-times in ISO 8601 (a date means its midnight, UTC)."""

    def __init__(self, *args, field_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid"] = f"{field_label} must be {DATE_HELP}"

    def to_python(self, value):
        if isinstance(value, str):
            # An unencoded "+02:00" offset arrives as " 02:00": "+" means space in a query.
            value = re.sub(r"(T[\d:.]+) (\d\d:?\d\d)$", r"\1+\2", value.strip())
        moment = super().to_python(value)
        if moment is None or moment.tzinfo is None:
            return moment
        # In UTC: PostgreSQL refuses an offset past 15:59 ("+16:09"), which ISO 8601 and
        # Python accept; the instant is the same.
        try:
            return moment.astimezone(dt_timezone.utc)
        except OverflowError:  # e.g. 0001-01-01T00:00+01:00 is before year 1 in UTC
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class FlexibleDateTimeFilter(django_filters.Filter):
    field_class = FlexibleDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_label", kwargs.get("label", ""))
        super().__init__(*args, **kwargs)
