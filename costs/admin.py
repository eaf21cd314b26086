"""The operator's view of the ledger: records and their usage are history and only read here;
prices are added here; entities show what they have cost so far."""
import json
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from core.admin import ReadOnlyAdminMixin
from core.admin_changelist import BoundedDateHierarchyMixin, CappedCountPaginator
from core.admin_links import changelist_search_link
from core.admin_search import WholeIdSearchMixin
from costs.admin_filters import EntityFilter
from costs.lines import service_lines
from costs.models import Entity, Price, RequestRecord
from costs.pricing import COST_PLACES
from costs.renderers import csv_response
from costs.selectors import entity_cost_to_date, entity_costs_since
from costs.totals import CostTotals, usage_totals
from costs.usage import amount_text

# Filter choices that would otherwise be a SELECT DISTINCT over the whole ledger are read
# at most this often (per cache).
FILTER_CHOICES_CACHE_SECONDS = 300
CACHED_FILTER_COLUMNS = ("operation_type", "task_type", "status_code")
# A record's change page lists this many of its usage lines; its cost counts all of them.
LINES_SHOWN = 500
# The CSV export reads records this many at a time.
EXPORT_BATCH = 1000
TOKENS_PER_MILLION = Decimal(1_000_000)
# The entity changelist's cost column: recent enough to be an index range on any ledger.
LAST_DAY = timedelta(hours=24)
USAGE_COLUMNS = ("service type", "unit", "model", "quantity", "unit price", "cost", "breakdown",
                 "unpriced")
CSV_COLUMNS = (
    "request_id", "timestamp", "entity_id", "task_id", "doc_id", "operation_type", "task_type",
    "endpoint", "method", "status_code", "processing_time_ms", "total_cost_usd", "unpriced",
    "services",
)


def _usd(amount: Decimal | None) -> str:
    """Exact dollars, without the trailing zeros of the ten stored decimal places."""
    if amount is None:
        return "-"
    whole, _, fraction = f"{amount.normalize():f}".partition(".")
    return f"${whole}.{fraction.ljust(2, '0')}"


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _line_costs(usage) -> CostTotals | None:
    """What a record's usage lines cost; None when it has none."""
    cost = usage_totals([usage])
    return cost if cost.lines else None


def _cost_summary(cost: CostTotals | None):
    if cost is None:
        return _usd(Decimal(0))
    if not cost.unpriced:
        return _usd(cost.total)
    return format_html(
        "{} <span title=\"{} without a price, counted as $0\">(+ unpriced usage)</span>",
        _usd(cost.total), _counted(cost.unpriced_lines, "usage line"),
    )


class PageChangeList(ChangeList):
    """Lets the admin add values computed for the displayed page only, in one query."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        self.model_admin.annotate_page(self.result_list)


class RequestRecordChangeList(BoundedDateHierarchyMixin, PageChangeList):
    """Also offers the date hierarchy's periods without listing the distinct dates."""


def _filter_values() -> dict[str, list]:
    """Each filtered column's distinct values, from one pass over the ledger."""
    combinations = RequestRecord.objects.order_by().values_list(*CACHED_FILTER_COLUMNS).distinct()
    values = {column: set() for column in CACHED_FILTER_COLUMNS}
    for combination in combinations:
        for column, value in zip(CACHED_FILTER_COLUMNS, combination):
            values[column].add(value)
    return {column: sorted(found, key=lambda value: (value is not None, value))
            for column, found in values.items()}


class CachedColumnValuesFilter(admin.SimpleListFilter):
    """A column's distinct values as choices, read at most every few minutes.

    Django's filter for a plain column runs SELECT DISTINCT over the whole ledger on every
    page load. These columns take few values, and new ones come with a deploy.
    """

    column = ""
    empty_label = "(none)"

    def lookups(self, request, model_admin):
        values = cache.get_or_set(
            "costs.admin.requestrecord.filter_values", _filter_values, FILTER_CHOICES_CACHE_SECONDS
        )[self.column]
        choices = [("" if value is None else str(value), str(value or self.empty_label))
                   for value in values]
        chosen = self.value()
        if chosen and chosen not in {value for value, _label in choices}:
            choices.append((chosen, chosen))  # a value newer than the cached list
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == "" and RequestRecord._meta.get_field(self.column).null:
            return queryset.filter(**{f"{self.column}__isnull": True})
        return queryset.filter(**{self.column: value})


class OperationTypeFilter(CachedColumnValuesFilter):
    title = "operation type"
    parameter_name = column = "operation_type"


class TaskTypeFilter(CachedColumnValuesFilter):
    title = "task type"
    parameter_name = column = "task_type"


class StatusCodeFilter(CachedColumnValuesFilter):
    title = "status code"
    parameter_name = column = "status_code"
    empty_label = "(open: no outcome yet)"


class UnpricedFilter(admin.SimpleListFilter):
    """Records with a line that had no price (the record's `unpriced` flag)."""

    title = "unpriced usage"
    parameter_name = "unpriced"

    def lookups(self, request, model_admin):
        return [("yes", "Has unpriced usage"), ("no", "All usage priced")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(unpriced=self.value() == "yes")
        return queryset


def _csv_row(record: RequestRecord) -> list:
    cost = usage_totals([record.usage])
    return [
        record.request_id, record.created_at, record.entity.entity_id if record.entity else None,
        record.task_id, record.doc_id, record.operation_type, record.task_type, record.endpoint,
        record.method, record.status_code, record.processing_time_ms,
        # The ledger's ten decimal places, as stored: exact, and the same width on every row.
        f"{record.cost.quantize(COST_PLACES):f}",
        "true" if record.unpriced else "false",
        ";".join(f"{service}:{amount.quantize(COST_PLACES):f}"
                 for service, amount in cost.by_service.items()),
    ]


def _csv_rows(queryset):
    """Each record's row, its usage read with it."""
    for record in queryset.select_related("entity").iterator(chunk_size=EXPORT_BATCH):
        yield _csv_row(record)


@admin.action(permissions=["view"], description="Export selected records as CSV")
def export_csv(modeladmin, request, queryset):
    """Stream the records with their costs; with "select all", every record the filters match."""
    return csv_response(
        request,
        filename=f"request-records-{timezone.now():%Y%m%dT%H%M%SZ}.csv",
        header=list(CSV_COLUMNS),
        rows=_csv_rows(queryset),
    )


@admin.register(RequestRecord)
class RequestRecordAdmin(WholeIdSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The ledger's records, newest first; read-only, because they are the history of what was
    done and paid for. Built for a table of millions: nothing here counts, sorts or lists
    distinct values over the whole of it on a page load."""

    list_display = (
        "request_id", "created_at", "entity", "operation_type", "task_type", "task_id", "doc_id",
        "method", "status_code", "processing_time", "total_cost", "unpriced_marker",
    )
    list_filter = (EntityFilter, OperationTypeFilter, TaskTypeFilter, StatusCodeFilter, UnpricedFilter)
    date_hierarchy = "created_at"
    # Only enables the search box; get_search_results matches whole ids.
    search_fields = ("request_id", "task_id", "doc_id", "entity__entity_id")
    id_search_columns = ("request_id", "task_id", "doc_id")
    id_search_related = (("entity", Entity, "entity_id"),)
    search_help_text = (
        "Whole request ids, task ids, document ids or entity ids, separated by spaces."
    )
    list_select_related = ("entity",)
    show_full_result_count = False
    paginator = CappedCountPaginator
    # Facet counts run a conditional COUNT over the whole table for every filter.
    show_facets = admin.ShowFacets.NEVER
    ordering = ("-created_at",)
    # Only indexed columns: sorting a large table on anything else scans it.
    sortable_by = ("request_id", "created_at")
    actions = (export_csv,)
    fieldsets = (
        (None, {"fields": (
            "request_id", ("operation_type", "task_type"), "entity", "user", "task_link", "doc_id",
        )}),
        ("Outcome", {"fields": (
            ("method", "endpoint"), "status_code", "processing_time_ms", "error_message",
            ("created_at", "completed_at"),
        )}),
        ("Cost", {"fields": ("cost_detail", "usage_lines")}),
    )
    readonly_fields = tuple(flatten_fieldsets(fieldsets))


    def get_changelist(self, request, **kwargs):
        return RequestRecordChangeList

    def annotate_page(self, records) -> None:
        for record in records:
            record.line_costs = _line_costs(record.usage)

    @admin.display(description="processing time")
    def processing_time(self, record):
        if record.processing_time_ms is None:
            return "-"
        return f"{record.processing_time_ms:,.1f} ms"

    @admin.display(description="cost")
    def total_cost(self, record):
        return _usd(record.line_costs.total) if record.line_costs else "-"

    @admin.display(description="unpriced")
    def unpriced_marker(self, record):
        if not (record.line_costs and record.line_costs.unpriced):
            return ""
        return format_html(
            '<span title="{} without a price, counted as $0" style="background:#c62828;'
            'color:#fff;padding:1px 7px;border-radius:9px;white-space:nowrap">unpriced</span>',
            _counted(record.line_costs.unpriced_lines, "usage line"),
        )

    @admin.display(description="task id")
    def task_link(self, record):
        if not record.task_id:
            return "-"
        return changelist_search_link("admin:tasks_task_changelist", record.task_id)

    @admin.display(description="cost")
    def cost_detail(self, record):
        cost = _line_costs(record.usage)
        if cost is None:
            return "No usage recorded."
        services = "; ".join(
            f"{service} {_usd(amount)}" for service, amount in cost.by_service.items()
        )
        parts = [format_html("<strong>{}</strong> ({})", _usd(cost.total), services)]
        if cost.unpriced:
            parts.append(format_html(
                "{} had no price and count as $0.", _counted(cost.unpriced_lines, "usage line")
            ))
        if cost.lines > LINES_SHOWN:
            parts.append(format_html(
                "The first {} of its {} usage lines are listed below.", LINES_SHOWN, cost.lines
            ))
        return format_html("<br>".join(["{}"] * len(parts)), *parts)

    @admin.display(description="usage lines")
    def usage_lines(self, record):
        """What each service consumed for the record, at the price recorded with it."""
        lines = service_lines(record.usage[:LINES_SHOWN])
        if not lines:
            return "-"
        rows = format_html_join("", "<tr>" + "<td>{}</td>" * len(USAGE_COLUMNS) + "</tr>", (
            (line.service_type, line.unit, line.model or "-", amount_text(line.quantity),
             "-" if line.unit_price is None else f"{line.unit_price:f}", f"{line.cost:f}",
             json.dumps(line.breakdown, ensure_ascii=False), "yes" if line.unpriced else "")
            for line in lines
        ))
        header = format_html_join("", "<th>{}</th>", ((name,) for name in USAGE_COLUMNS))
        return format_html('<table class="usage-lines"><thead><tr>{}</tr></thead>'
                           "<tbody>{}</tbody></table>", header, rows)


class PriceForm(forms.ModelForm):
    """A price takes effect now or later: one dated in the past would claim a price for usage
    that was already recorded at another."""

    effective_from = forms.SplitDateTimeField(
        required=False,
        widget=AdminSplitDateTime,
        help_text="Empty: from the moment it is saved. Never in the past.",
    )

    class Meta:
        model = Price
        fields = ("service_type", "model", "unit", "unit_price", "effective_from", "note")

    def clean_unit_price(self):
        unit_price = self.cleaned_data["unit_price"]
        if unit_price is not None and unit_price < 0:
            raise forms.ValidationError("unit_price must be 0 or more (USD per unit)")
        return unit_price

    def clean_effective_from(self):
        now = timezone.now()
        effective_from = self.cleaned_data["effective_from"] or now
        if effective_from < now:
            raise forms.ValidationError(
                "effective_from must not be in the past (it is now %(now)s UTC): usage recorded "
                "since then was priced at the price then in force. Leave it empty to start now.",
                params={"now": now.strftime("%Y-%m-%d %H:%M:%S")},
            )
        return effective_from


def _in_force(price: Price) -> bool:
    return price.effective_from <= timezone.now()


@admin.register(Price)
class PriceAdmin(admin.ModelAdmin):
    """Prices per service (and model) and unit. A price in force is history, kept as it is; a
    change is a new price with a later effective_from. Scheduled prices may be edited."""

    form = PriceForm
    list_display = (
        "service_type", "model_name", "unit", "unit_price_usd", "per_million", "effective_from",
        "state", "note",
    )
    list_filter = ("service_type", "unit")
    search_fields = ("model",)
    search_help_text = "Part of a model name."

    def get_queryset(self, request):
        later_in_force = Price.objects.filter(
            service_type=OuterRef("service_type"), model=OuterRef("model"), unit=OuterRef("unit"),
            effective_from__gt=OuterRef("effective_from"), effective_from__lte=timezone.now(),
        )
        return super().get_queryset(request).annotate(superseded=Exists(later_in_force))

    def get_changeform_initial_data(self, request):
        # Not the model's default (when the page loaded): by the save that is in the past.
        return {"effective_from": None, **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not _in_force(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not _in_force(obj))

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk delete would not ask each price whether it is already in force.
        actions.pop("delete_selected", None)
        return actions

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        price = self.get_object(request, unquote(object_id)) if object_id else None
        if price is not None and _in_force(price):
            add_url = f"{reverse('admin:costs_price_add')}?" + urlencode(
                {"service_type": price.service_type, "model": price.model, "unit": price.unit}
            )
            refusal = format_html(
                "This price is in force since {} UTC and costs were recorded at it, so it is "
                'not changed. To change the price, <a href="{}">add a new price</a> with a '
                "later effective_from.",
                price.effective_from.strftime("%Y-%m-%d %H:%M:%S"), add_url,
            )
            if request.method == "POST":
                self.message_user(request, format_html("Not saved. {}", refusal), messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            self.message_user(request, refusal, messages.WARNING)
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description="model", ordering="model")
    def model_name(self, price):
        return price.model or "(any model)"

    @admin.display(description="USD per unit", ordering="unit_price")
    def unit_price_usd(self, price):
        return _usd(price.unit_price)

    @admin.display(description="USD per 1M")
    def per_million(self, price):
        if not price.unit.endswith("tokens"):
            return "-"
        return _usd(price.unit_price * TOKENS_PER_MILLION)

    @admin.display(description="state")
    def state(self, price):
        if not _in_force(price):
            return "scheduled"
        return "superseded" if price.superseded else "in force"


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    """Tenants and who belongs to them: membership decides what a non-staff user sees."""

    # Not the cost to date: summing every entity's whole ledger took 1.2 s at 1,000,000
    # records (bench/admin/driver.py); the last day is an index range. The change page has the
    # cost to date, from the daily roll-up.
    list_display = ("entity_id", "name", "member_count", "cost_last_day", "created_at")
    search_fields = ("entity_id", "name")
    filter_horizontal = ("members",)
    fields = ("entity_id", "name", "members", "created_at")
    readonly_fields = ("created_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    def get_changelist(self, request, **kwargs):
        return PageChangeList

    def annotate_page(self, entities) -> None:
        since = timezone.now() - LAST_DAY
        costs = entity_costs_since(entity_pks=[entity.pk for entity in entities], since=since)
        for entity in entities:
            entity.day_costs = costs.get(entity.pk)

    def get_fields(self, request, obj=None):
        return (*self.fields, "cost_to_date") if obj is not None else self.fields

    def get_readonly_fields(self, request, obj=None):
        # Clients, API paths and exported ledgers name an entity by entity_id: never renamed.
        if obj is None:
            return self.readonly_fields
        return ("entity_id", "created_at", "cost_to_date")

    @admin.display(description="members", ordering="member_count")
    def member_count(self, entity):
        return entity.member_count

    @admin.display(description="cost, last 24 h")
    def cost_last_day(self, entity):
        since = timezone.now() - LAST_DAY
        records_url = f"{reverse('admin:costs_requestrecord_changelist')}?" + urlencode(
            {"entity_id": entity.entity_id, "created_at__gte": since.isoformat()})
        return format_html('<a href="{}">{}</a>', records_url, _cost_summary(entity.day_costs))

    @admin.display(description="cost to date")
    def cost_to_date(self, entity):
        if not hasattr(entity, "line_costs"):  # the change page: this entity alone
            entity.line_costs = entity_cost_to_date(entity_pks=[entity.pk]).get(entity.pk)
        records_url = f"{reverse('admin:costs_requestrecord_changelist')}?" + urlencode(
            {"entity_id": entity.entity_id})
        return format_html('<a href="{}">{}</a>', records_url, _cost_summary(entity.line_costs))
