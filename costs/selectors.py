"""Reads on the ledger, always scoped to what the asking user may see.

A record another user's entity owns is treated exactly as one that does not exist: absent
from lists and totals, and a 404 when asked for by id. Records with no entity are staff's.
"""
import time as clock
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from core.exceptions import ApplicationError, NotFoundError
from core.fixedsql import FixedQuery
from costs.filters import EntityCostForm, RequestRecordFilter
from costs.finality import entity_has_open_tasks, open_task_ids, subtask_ids
from costs.lines import service_lines, service_types
from costs.models import DailyCost, Entity, RequestRecord
from costs.totals import CostTotals, usage_totals

DEFAULT_PERIOD = timedelta(days=30)
ONE_DAY = timedelta(days=1)


def entity_list_for_user(*, user) -> QuerySet[Entity]:
    """Return the entities a user may see and act for: all of them for staff."""
    if user.is_staff:
        return Entity.objects.all()
    return Entity.objects.filter(members=user)


def entity_get(*, user, entity_id: str) -> Entity:
    """Return a visible entity or raise 404, the same whether it is hidden or absent."""
    entity = entity_list_for_user(user=user).filter(entity_id=entity_id).first()
    if entity is None:
        raise NotFoundError(f"Entity {entity_id} not found")
    return entity


def entity_for_write(*, user, entity_id: str | None, purpose: str,
                     staff_may_omit: bool = True) -> Entity:
    """The entity something new is for (and who pays for it): the one named, else the
    user's only one, else the deployment's default entity (settings.DEFAULT_ENTITY_ID).

    A named entity the user may not see is a 404 like a missing one. Staff fall back on
    the default entity where `staff_may_omit`; a member of several entities or of none
    does only if they are a member of the default entity, and is otherwise asked for
    entity_id. `purpose` completes "so you cannot ..." when a user belongs to no entity.
    """
    entities = entity_list_for_user(user=user)
    if entity_id:
        entity = entities.filter(entity_id=entity_id).first()
        if entity is None:
            raise NotFoundError(f"Entity {entity_id} not found")
        return entity
    if user.is_staff:
        if staff_may_omit:
            from costs.services import entity_default_ensure

            return entity_default_ensure()  # made by migrate; again if removed since
        raise ApplicationError(f"entity_id is required to {purpose} as staff",
                               code="entity_required")
    own = list(entities[:4])
    if len(own) == 1:
        return own[0]
    default = entities.filter(entity_id=settings.DEFAULT_ENTITY_ID).first()
    if default is not None:
        return default
    if not own:
        raise ApplicationError(f"you belong to no entity, so you cannot {purpose}; ask an "
                               "operator to add you to one", code="entity_required")
    names = ", ".join(e.entity_id for e in own[:3]) + (", ..." if len(own) > 3 else "")
    raise ApplicationError(f"entity_id is required: you belong to several entities ({names})",
                           code="entity_required")


def request_record_visible(*, user) -> QuerySet[RequestRecord]:
    """Records of the user's entities; every record for staff."""
    records = RequestRecord.objects.all()
    if user.is_staff:
        return records
    return records.filter(entity__in=entity_list_for_user(user=user))


def request_record_get(*, user, request_id: str) -> RequestRecord:
    """Return a visible record (its usage lines are on it), or raise 404."""
    record = (request_record_visible(user=user).select_related("entity")
              .filter(request_id=request_id).first())
    if record is None:
        raise NotFoundError(f"Request {request_id} not found")
    return record


def request_record_list(*, user, filters) -> QuerySet[RequestRecord]:
    """Filter visible records, newest first; invalid values raise a 400 naming what is accepted."""
    filterset = RequestRecordFilter(filters, queryset=request_record_visible(user=user))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs.select_related("entity")


EXPORT_FIELDS = (
    "request_id", "task_id", "doc_id", "entity__entity_id", "operation_type", "task_type",
    "endpoint", "method", "status_code", "processing_time_ms", "error_message", "created_at",
    "completed_at",
)


def request_record_export(
    records: QuerySet[RequestRecord], *, chunk_size: int = 2000
) -> Iterator[tuple[tuple, Decimal, list[tuple[str, Decimal]]]]:
    """Yield each record's EXPORT_FIELDS, its cost and its (service_type, cost) lines, in order.

    For exports of any size: plain tuples rather than model instances, and a database
    cursor rather than a list.
    """
    rows = (records.select_related(None)
            .values_list(*EXPORT_FIELDS, "cost", "usage").iterator(chunk_size=chunk_size))
    for *fields, cost, usage in rows:
        yield tuple(fields), cost, [(service_type, line.cost) for service_type, line
                                    in zip(service_types(usage), usage)]


def _cost_rows_sql(column: str, *, member: bool):
    def build(quote):
        meta = RequestRecord._meta
        fields = [meta.get_field(name)
                  for name in ("created_at", "completed_at", "usage", "task_id")]
        sql = (f"SELECT {', '.join('r.' + quote(field.column) for field in fields)} "
               f"FROM {quote(meta.db_table)} r WHERE r.{quote(meta.get_field(column).column)} = %s")
        if member:  # request_record_visible's scope: records of the user's entities
            members = Entity.members.through._meta
            sql += (f" AND r.{quote(meta.get_field('entity').column)} IN (SELECT "
                    f"{quote(members.get_field('entity').column)} FROM {quote(members.db_table)} "
                    f"WHERE {quote(members.get_field('user').column)} = %s)")
        return sql, [(field, "r") for field in fields]
    return FixedQuery(build)


# Clients poll a task's or a document's cost until it is final, so its records are read with
# fixed SQL rather than a queryset compiled per request (core/fixedsql.py): kept for the
# ledger target "cost endpoints <= 3x the SQL they issue" (docs/benchmarks.md). Measured on
# 2026-12-07 by bench/ledger/fastpaths.py (PostgreSQL, load average ~3), the queryset added
# 0.27-0.41 ms, 8-11% of the request, and took the task cost from 3.5x to 3.8x its SQL, the
# document cost from 3.8x to 4.3x (docs/ledger.md, "Fixed SQL on the cost reads").
_COST_ROWS = {
    (column, member): _cost_rows_sql(column, member=member)
    for column in ("task_id", "doc_id") for member in (False, True)
}


def _cost_rows(*, user, column: str, value: str) -> list[list]:
    """(created_at, completed_at, usage, task_id) of every visible record whose `column` is
    `value`."""
    if user.is_staff:
        return _COST_ROWS[(column, False)].rows([value])
    return _COST_ROWS[(column, True)].rows([value, user.pk])


def _cost_summary(rows: list[list], also_open=()) -> dict | None:
    """Total, period and per-service costs of some records; None when there are none.

    The (few) records of a task or document have their lines summed here, exactly. The
    period runs from the first record's start to the last moment any of them is known to
    have worked: its completion, or its start while it is still open. The summary is
    `final` once no record is open and no task they belong to is pending or processing:
    until then the total is the cost so far.
    """
    if not rows:
        return None
    totals = usage_totals(usage for _, _, usage, _ in rows)
    open_record = any(completed_at is None for _, completed_at, _, _ in rows)
    return {
        "total_cost_usd": totals.total,
        "period_start": min(created_at for created_at, _, _, _ in rows),
        "period_end": max(completed_at or created_at for created_at, completed_at, _, _ in rows),
        "breakdown_by_service": totals.by_service,
        "request_count": len(rows),
        "final": not open_record and not open_task_ids(
            [*(task_id for *_, task_id in rows), *also_open]),
    }


def task_cost(*, user, task_id: str) -> dict:
    """Return what every visible record of a task (all its requests and attempts) cost.

    A group's cost is its own records' and its children's, summed per service; it is final
    once the group (which ends with its last child) and every record have ended.
    """
    rows = _cost_rows(user=user, column="task_id", value=task_id)
    children = subtask_ids(task_id)
    if children:
        rows += _cost_rows_many(user=user, task_ids=children)
    summary = _cost_summary(rows, also_open=[task_id])
    if summary is None:
        if not children:
            raise NotFoundError(f"Task {task_id} not found")
        summary = {"total_cost_usd": Decimal(0), "period_start": None, "period_end": None,
                   "breakdown_by_service": {}, "request_count": 0,
                   "final": not open_task_ids([task_id])}
    if children:
        summary["subtask_count"] = len(children)
    return {"task_id": task_id, **summary}


def _cost_rows_many(*, user, task_ids: list[str]) -> list[list]:
    """(created_at, completed_at, usage, task_id) of every visible record of these tasks."""
    return [list(row) for row in request_record_visible(user=user).filter(task_id__in=task_ids)
            .order_by().values_list("created_at", "completed_at", "usage", "task_id")]


def document_cost(*, user, doc_id: str) -> dict:
    """Return what every visible record of a document cost."""
    summary = _cost_summary(_cost_rows(user=user, column="doc_id", value=doc_id))
    if summary is None:
        raise NotFoundError(f"Document {doc_id} not found")
    return {"doc_id": doc_id, **summary}


def tasks_cost(*, user, task_ids) -> dict:
    """What every visible record of these tasks cost, summed as one task's cost is.

    `task_ids` is a list or a subquery of public task ids (a schedule's runs). With no
    records the total is 0 and the period null; `final` as for a task.
    """
    rows = [list(row) for row in request_record_visible(user=user).filter(task_id__in=task_ids)
            .order_by().values_list("created_at", "completed_at", "usage", "task_id")]
    return _cost_summary(rows) or {
        "total_cost_usd": Decimal(0), "period_start": None, "period_end": None,
        "breakdown_by_service": {}, "request_count": 0, "final": True,
    }


def entity_cost_report(*, user, entity_id: str, params) -> dict:
    """Validate a roll-up request and return an entity's costs over a period, grouped.

    `until` defaults to now and `since` to 30 days before `until`; `group_by` to service.
    """
    entity = entity_get(user=user, entity_id=entity_id)
    form = EntityCostForm(params)
    if not form.is_valid():
        raise ValidationError(form.errors)
    until = form.cleaned_data["until"] or timezone.now()
    since = form.cleaned_data["since"] or until - DEFAULT_PERIOD
    if until <= since:  # only a defaulted bound can get here: the form checks given ones
        raise ValidationError({"until": ["until must be later than since (until is exclusive)"]})
    return entity_cost_summary(
        entity=entity, since=since, until=until, group_by=form.cleaned_data["group_by"] or "service"
    )


_GROUP_KEYS = {
    "day": TruncDate("created_at", tzinfo=dt_timezone.utc),
    "task_type": F("task_type"),
    "operation_type": F("operation_type"),
}


def entity_cost_summary(*, entity: Entity, since: datetime, until: datetime, group_by: str) -> dict:
    """Aggregate an entity's records created in [since, until), one row per group.

    Per service, whole UTC days come from the daily roll-up and only the records of the
    partial days at the edges are read; other groups are summed in SQL from the entity's
    records in the period (the (entity, created_at) index). Groups with nothing in them
    are left out; days come in date order, other groups most expensive first.
    """
    records = RequestRecord.objects.filter(
        entity=entity, created_at__gte=since, created_at__lt=until
    ).order_by()
    if group_by == "service":
        groups = _service_groups(entity=entity, since=since, until=until)
        request_count = records.count()
    else:
        groups = _record_groups(records, _GROUP_KEYS[group_by])
        request_count = sum(group["request_count"] for group in groups)
    if group_by == "day":
        groups.sort(key=lambda group: group["key"])
    else:
        groups.sort(key=lambda group: (-group["total_cost_usd"], group["key"] or ""))
    return {
        "entity_id": entity.entity_id,
        "period_start": since,
        "period_end": until,
        "group_by": group_by,
        "total_cost_usd": sum((group["total_cost_usd"] for group in groups), Decimal(0)),
        "request_count": request_count,
        "groups": groups,
        "final": not entity_has_open_tasks(entity_pk=entity.pk, before=until),
    }


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=dt_timezone.utc)


def _whole_days(since: datetime, until: datetime) -> tuple[date, date]:
    """The UTC days [first, end) lying wholly inside [since, until); first >= end if none."""
    since, until = since.astimezone(dt_timezone.utc), until.astimezone(dt_timezone.utc)
    first = since.date() if since == _utc_midnight(since.date()) else since.date() + ONE_DAY
    return first, until.date()


def _service_groups(*, entity: Entity, since: datetime, until: datetime) -> list[dict]:
    """Cost, records and quantity per unit of each service: the roll-up's rows for the whole
    days, plus the records of the partial days at either end, summed here."""
    first, end = _whole_days(since, until)
    if first < end:
        edges = (Q(created_at__gte=since, created_at__lt=_utc_midnight(first))
                 | Q(created_at__gte=_utc_midnight(end), created_at__lt=until))
        rows = (DailyCost.objects.filter(entity=entity, day__gte=first, day__lt=end).order_by()
                .values_list("service_type", "unit")
                .annotate(Sum("cost"), Sum("quantity"), Sum("record_count")))
    else:
        edges, rows = Q(created_at__gte=since, created_at__lt=until), []
    edge_usage = (RequestRecord.objects.filter(edges, entity=entity).order_by()
                  .values_list("usage", flat=True))
    totals = usage_totals(edge_usage)
    for service_type, unit, cost, quantity, record_count in rows:
        totals.add_rolled_up(service_type=service_type, cost=cost, unit=unit, quantity=quantity,
                             records=record_count)
    return [
        {"key": service_type, "total_cost_usd": total.cost, "request_count": total.records,
         "quantities": total.quantities}
        for service_type, total in totals.services.items()
    ]


def _record_groups(records: QuerySet[RequestRecord], key) -> list[dict]:
    """Records and cost per value of a record's attribute (a day, a task type ...)."""
    rows = records.annotate(key=key).values("key").annotate(
        request_count=Count("id"), cost=Sum("cost")
    )
    return [
        {
            "key": _group_key(row["key"]),
            "total_cost_usd": row["cost"] or Decimal(0),
            "request_count": row["request_count"],
        }
        for row in rows
    ]


def _group_key(value) -> str | None:
    if isinstance(value, date):
        return value.isoformat()
    return value or None


def cost_per_day_by_service(*, first_day: date, last_day: date) -> list[dict]:
    """Every entity's cost per UTC day and service, first_day to last_day, from the roll-up."""
    rows = (
        DailyCost.objects.filter(day__gte=first_day, day__lte=last_day)
        .order_by()
        .values("day", "service_type")
        .annotate(cost=Sum("cost"))
        .order_by("day", "service_type")
    )
    return [{"day": row["day"], "service_type": row["service_type"], "cost": row["cost"]}
            for row in rows]


def entity_top_by_cost(*, first_day: date, limit: int = 10) -> list[dict]:
    """The entities that cost most from first_day (UTC) on, with their cost and usage lines."""
    rows = (
        DailyCost.objects.filter(day__gte=first_day, entity__isnull=False)
        .order_by()
        .values("entity", "entity__entity_id", "entity__name")
        .annotate(cost=Sum("cost"), line_count=Sum("line_count"))
        .order_by("-cost", "entity__entity_id")[:limit]
    )
    return [{"pk": row["entity"], "entity_id": row["entity__entity_id"],
             "name": row["entity__name"], "cost": row["cost"],
             "line_count": row["line_count"]} for row in rows]


def entity_cost_to_date(*, entity_pks) -> dict[int, CostTotals]:
    """Each entity's cost, lines and unpriced lines per service over its whole history, from
    the daily roll-up."""
    costs: dict[int, CostTotals] = {}
    rows = (
        DailyCost.objects.filter(entity__in=entity_pks).order_by()
        .values("entity", "service_type")
        .annotate(cost=Sum("cost"), lines=Sum("line_count"),
                  unpriced_lines=Sum("unpriced_line_count"))
        .order_by("entity", "service_type")
    )
    for row in rows:
        costs.setdefault(row["entity"], CostTotals()).add_rolled_up(
            service_type=row["service_type"], cost=row["cost"], lines=row["lines"],
            unpriced_lines=row["unpriced_lines"])
    return costs


def entity_costs_since(*, entity_pks, since: datetime) -> dict[int, CostTotals]:
    """Each entity's cost per service since `since`: the lines of its records from then on
    (the (entity, created_at) index). Entities with no usage line then are left out."""
    usages = defaultdict(list)
    rows = (RequestRecord.objects.filter(entity__in=entity_pks, created_at__gte=since)
            .order_by().values_list("entity", "usage"))
    for entity_pk, usage in rows:
        usages[entity_pk].append(usage)
    costs = {entity_pk: usage_totals(entity_usages)
             for entity_pk, entity_usages in usages.items()}
    return {entity_pk: cost for entity_pk, cost in costs.items() if cost.lines}


def usage_unattributed_summary() -> dict:
    """Paid usage no entity pays for (records from before every paid request was attributed).

    From the daily roll-up's rows of no entity: as small as the days they fall on.
    """
    totals = DailyCost.objects.filter(entity__isnull=True).order_by().aggregate(
        cost=Sum("cost"), lines=Sum("line_count"), records=Sum("record_count"))
    return {"cost": totals["cost"] or Decimal(0), "lines": totals["lines"] or 0,
            "records": totals["records"] or 0}


def usage_unpriced_summary() -> list[dict]:
    """Usage recorded without a price, per service and model: what the price table lacks.

    Read from the records flagged unpriced (a partial index), most recently seen first.
    """
    summary: dict[tuple[str, str, str], dict] = {}
    rows = (RequestRecord.objects.filter(unpriced=True).order_by()
            .values_list("created_at", "usage"))
    for created_at, usage in rows:
        for line in service_lines(usage):
            if not line.unpriced:
                continue
            key = (line.service_type, line.model, line.unit)
            entry = summary.setdefault(key, {
                "service_type": line.service_type, "model": line.model, "unit": line.unit,
                "lines": 0, "quantity": Decimal(0), "last_seen": created_at,
            })
            entry["lines"] += 1
            entry["quantity"] += line.quantity
            entry["last_seen"] = max(entry["last_seen"], created_at)
    return sorted(summary.values(), key=lambda entry: entry["last_seen"], reverse=True)


def cost_by_service_today(*, user) -> dict:
    """Return what the records a user may see cost since local midnight, per service.

    Services come most expensive first; `request_count` counts each record once per service.
    """
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    usages = list(request_record_visible(user=user).filter(created_at__gte=since).order_by()
                  .values_list("usage", flat=True))
    totals = usage_totals(usages)
    services = sorted(
        ({"service_type": service_type, "cost_usd": total.cost, "request_count": total.records}
         for service_type, total in totals.services.items()),
        key=lambda row: (-row["cost_usd"], row["service_type"]),
    )
    return {
        "since": since,
        "services": services,
        "total_cost_usd": sum((row["cost_usd"] for row in services), Decimal(0)),
        "request_count": len(usages),
    }


COST_WAIT_MAX_SECONDS = 60
COST_WAIT_POLL_SECONDS = 0.25


def cost_wait_seconds(raw: str | None) -> float:
    """Parse `?wait=`: seconds to wait for a final cost, 0 (the default) to 60."""
    if raw in (None, ""):
        return 0.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= COST_WAIT_MAX_SECONDS:  # NaN fails both comparisons
        raise ApplicationError(
            f"wait must be a number of seconds from 0 to {COST_WAIT_MAX_SECONDS}; got {raw!r}",
            code="invalid_wait",
        )
    return seconds


def cost_final_wait(read: Callable[[], dict], *, seconds: float) -> dict:
    """Return `read()` once it is final, or as it stands after `seconds`.

    Between reads a pooled connection goes back to the pool, so a waiting client holds
    none of them.
    """
    deadline = clock.monotonic() + seconds
    while True:
        cost = read()
        remaining = deadline - clock.monotonic()
        if cost["final"] or remaining <= 0:
            return cost
        if connection.settings_dict.get("OPTIONS", {}).get("pool") and not connection.in_atomic_block:
            connection.close()
        clock.sleep(min(COST_WAIT_POLL_SECONDS, remaining))
