"""Changelist pieces for tables of millions: nothing on a page load reads the whole table."""
import functools
from datetime import date

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst

# A changelist counts at most this many matching rows: past it, the count says "more than".
COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts matching rows only up to COUNT_CAP + 1, so a page load never counts millions.

    Django's admin counts every matching row to number the pages; on a table of millions
    that COUNT is most of the page's time. Past the cap the pages still hold the newest
    rows and the page links stop at the cap; filters and search narrow further.
    """

    @cached_property
    def count(self) -> int:
        # Unordered: which rows are counted does not matter, and a sort would read them all.
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def cap_label(self) -> str:
        return f"{COUNT_CAP:,}"


class BoundedDateHierarchyMixin:
    """Offers the date hierarchy's periods without listing the distinct dates.

    Use with the admin/bounded_dates_change_list.html template (or one that includes the
    same block), which reads `cl.date_periods` instead of Django's own tag.
    """

    @cached_property
    def date_periods(self) -> dict:
        """Every year, month or day between the first and the last matching record.

        Django's own hierarchy lists the periods that have records with a SELECT DISTINCT
        over every matching row; here MIN and MAX (index lookups on created_at) bound them,
        at the price of sometimes offering a period that turns out empty.
        """
        name = self.date_hierarchy
        year, month, day = (self.params.get(f"{name}__{part}") for part in ("year", "month", "day"))

        def link(filters):
            return self.get_query_string(filters, [f"{name}__"])

        @functools.cache
        def bounds() -> tuple[date | None, date | None]:
            found = self.queryset.aggregate(first=Min(name), last=Max(name))
            if found["first"] is None:
                return None, None
            return (timezone.localtime(found["first"]).date(),
                    timezone.localtime(found["last"]).date())

        if not (year or month or day):
            first, last = bounds()
            if first and first.year == last.year:
                year = first.year
                if first.month == last.month:
                    month = first.month
        if year and month and day:
            chosen = date(int(year), int(month), int(day))
            return {
                "back": {"link": link({f"{name}__year": year, f"{name}__month": month}),
                         "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT"))},
                "choices": [{"title": capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))}],
            }
        first, last = bounds()
        if year and month:
            days = [date.fromordinal(ordinal)
                    for ordinal in range(first.toordinal(), last.toordinal() + 1)] if first else []
            return {
                "back": {"link": link({f"{name}__year": year}), "title": str(year)},
                "choices": [
                    {"link": link({f"{name}__year": year, f"{name}__month": month,
                                   f"{name}__day": each_day.day}),
                     "title": capfirst(formats.date_format(each_day, "MONTH_DAY_FORMAT"))}
                    for each_day in days
                ],
            }
        if year:
            months = [date(int(year), number, 1)
                      for number in range(first.month, last.month + 1)] if first else []
            return {
                "back": {"link": link({}), "title": "All dates"},
                "choices": [
                    {"link": link({f"{name}__year": year, f"{name}__month": each_month.month}),
                     "title": capfirst(formats.date_format(each_month, "YEAR_MONTH_FORMAT"))}
                    for each_month in months
                ],
            }
        years = range(first.year, last.year + 1) if first else []
        return {
            "back": None,
            "choices": [{"link": link({f"{name}__year": str(number)}), "title": str(number)}
                        for number in years],
        }


class BoundedDatesChangeList(BoundedDateHierarchyMixin, ChangeList):
    """Django's changelist with the date hierarchy bounded by MIN and MAX."""


class BigTableAdminMixin:
    """What a ModelAdmin over millions of rows needs so that no page load reads them all.

    Capped page count, no "N total" count, no facet counts, and (with `date_hierarchy`)
    periods bounded by MIN and MAX instead of a SELECT DISTINCT over every matching row.
    """

    paginator = CappedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    change_list_template = "admin/bounded_dates_change_list.html"

    def get_changelist(self, request, **kwargs):
        return BoundedDatesChangeList

