"""Reads on the ledger, always scoped to what the asking user may see.

A record another user's entity owns is treated exactly as one that does not exist: absent
from lists and totals, and a 404 when asked for by id. Records with no entity are staff's.
"""
import decimal
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal
from itertools import islice

from django.db import connection
from django.db.models import Count, F, Max, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from config.exceptions import ApplicationError, NotFoundError
from costs.filters import EntityCostForm, RequestRecordFilter
from costs.models import DailyCost, Entity, RequestRecord, UsageLine

DEFAULT_PERIOD = timedelta(days=30)


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
                     staff_may_omit: bool = True) -> Entity | None:
    """The entity something new is for: the one named, or else the user's only one.

    A named entity the user may not see is a 404 like a missing one. Staff may leave it
    out where `staff_may_omit` (the work then belongs to no entity). `purpose` completes
    "so you cannot ..." when a user belongs to no entity.
    """
    entities = entity_list_for_user(user=user)
    if entity_id:
        entity = entities.filter(entity_id=entity_id).first()
        if entity is None:
            raise NotFoundError(f"Entity {entity_id} not found")
        return entity
    if user.is_staff:
        if staff_may_omit:
            return None
        raise ApplicationError(f"entity_id is required to {purpose} as staff",
                               code="entity_required")
    own = list(entities[:4])
    if len(own) == 1:
        return own[0]
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


def _with_lines(records: QuerySet[RequestRecord]) -> QuerySet[RequestRecord]:
    """What serialising a record needs, in two queries however many records there are."""
    return records.select_related("entity").prefetch_related(
        Prefetch("lines", queryset=UsageLine.objects.order_by("id"))
    )


def request_record_get(*, user, request_id: str) -> RequestRecord:
    """Return a visible record with its usage lines, or raise 404."""
    record = _with_lines(request_record_visible(user=user)).filter(request_id=request_id).first()
    if record is None:
        raise NotFoundError(f"Request {request_id} not found")
    return record


def request_record_list(*, user, filters) -> QuerySet[RequestRecord]:
    """Filter visible records, newest first; invalid values raise a 400 naming what is accepted."""
    filterset = RequestRecordFilter(filters, queryset=request_record_visible(user=user))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return _with_lines(filterset.qs)


EXPORT_FIELDS = (
    "request_id", "task_id", "doc_id", "entity__entity_id", "operation_type", "task_type",
    "endpoint", "method", "status_code", "processing_time_ms", "error_message", "created_at",
    "completed_at",
)


def request_record_export(
    records: QuerySet[RequestRecord], *, chunk_size: int = 2000
) -> Iterator[tuple[tuple, list[tuple[str, Decimal]]]]:
    """Yield each record's EXPORT_FIELDS and its (service_type, cost) lines, in order.

    For exports of any size: plain tuples rather than model instances, one query for the
    lines of each chunk of records, and a database cursor rather than a list.
    """
    rows = (records.select_related(None).prefetch_related(None)
            .values_list("id", *EXPORT_FIELDS).iterator(chunk_size=chunk_size))
    while chunk := list(islice(rows, chunk_size)):
        lines = defaultdict(list)
        for record_id, service_type, cost in (
            UsageLine.objects.filter(record_id__in=[row[0] for row in chunk])
            .order_by("id").values_list("record_id", "service_type", "cost")
        ):
            lines[record_id].append((service_type, cost))
        for record_id, *fields in chunk:
            yield tuple(fields), lines[record_id]


def record_cost(record: RequestRecord) -> Decimal:
    """Return a record's cost from its (prefetched) usage lines."""
    return sum((line.cost for line in record.lines.all()), Decimal(0))


def _cost_summary(records: QuerySet[RequestRecord]) -> dict | None:
    """Total, period and per-service costs of some records; None when there are none.

    One statement, whatever the number of records: the records' own figures and their
    lines' cost per service come back as rows of one UNION over the records (the ORM
    writes their filter, tenancy included). The period runs from the first record's start
    to the last moment any of them is known to have worked: its completion, or its start
    while it is still open.
    """
    record_sql, params = (
        records.order_by().values("id", "created_at", "completed_at").query.sql_with_params()
    )
    line_table = connection.ops.quote_name(UsageLine._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH r AS ({record_sql}) "
            "SELECT 0, NULL, COUNT(*), MIN(created_at), "
            "MAX(COALESCE(completed_at, created_at)), NULL FROM r "
            "UNION ALL "
            f"SELECT 1, service_type, NULL, NULL, NULL, SUM(cost) FROM {line_table} "
            "WHERE record_id IN (SELECT id FROM r) GROUP BY service_type",
            params,
        )
        rows = cursor.fetchall()
    totals = next(row for row in rows if row[0] == 0)
    if not totals[2]:
        return None
    by_service = {
        service: _sql_decimal(cost)
        for _, service, _, _, _, cost in sorted(row for row in rows if row[0] == 1)
    }
    return {
        "total_cost_usd": sum(by_service.values(), Decimal(0)),
        "period_start": _sql_datetime(totals[3]),
        "period_end": _sql_datetime(totals[4]),
        "breakdown_by_service": by_service,
        "request_count": totals[2],
    }


_FLOAT_TO_DECIMAL = decimal.Context(prec=15).create_decimal_from_float


def _sql_decimal(value) -> Decimal:
    """A raw SUM as the ORM would return it (SQLite sums decimals as floats)."""
    if isinstance(value, float):
        return _FLOAT_TO_DECIMAL(value)
    return Decimal(value)


def _sql_datetime(value) -> datetime:
    """A raw MIN/MAX of a datetime column, aware (SQLite returns it as text, in UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt_timezone.utc)
    return value


def task_cost(*, user, task_id: str) -> dict:
    """Return what every visible record of a task (all its requests and attempts) cost."""
    summary = _cost_summary(request_record_visible(user=user).filter(task_id=task_id))
    if summary is None:
        raise NotFoundError(f"Task {task_id} not found")
    return {"task_id": task_id, **summary}


def document_cost(*, user, doc_id: str) -> dict:
    """Return what every visible record of a document cost."""
    summary = _cost_summary(request_record_visible(user=user).filter(doc_id=doc_id))
    if summary is None:
        raise NotFoundError(f"Document {doc_id} not found")
    return {"doc_id": doc_id, **summary}


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
    """Aggregate an entity's records created in [since, until) in SQL, one row per group.

    Every query starts from the entity's records in the period (the (entity, created_at)
    index), so the work grows with those records, not with the ledger. Groups with nothing
    in them are left out; days come in date order, other groups most expensive first.
    """
    records = RequestRecord.objects.filter(
        entity=entity, created_at__gte=since, created_at__lt=until
    ).order_by()
    if group_by == "service":
        groups = _service_groups(UsageLine.objects.filter(
            record__entity=entity, record__created_at__gte=since, record__created_at__lt=until
        ).order_by())
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
    }


def _service_groups(lines: QuerySet[UsageLine]) -> list[dict]:
    """Cost, records and quantity per unit of each service.

    One pass over the lines per (service, unit); only a service billed in several units
    (chat: input and output tokens) needs a second pass to count its records once each.
    """
    groups = {}
    per_unit = lines.values("service_type", "unit").annotate(
        cost=Sum("cost"), quantity=Sum("quantity"), request_count=Count("record_id", distinct=True)
    )
    for row in per_unit:
        group = groups.setdefault(row["service_type"], {
            "key": row["service_type"], "total_cost_usd": Decimal(0), "request_count": 0,
            "quantities": {},
        })
        group["total_cost_usd"] += row["cost"]
        group["request_count"] = row["request_count"]
        group["quantities"][row["unit"]] = row["quantity"]
    multi_unit = [service for service, group in groups.items() if len(group["quantities"]) > 1]
    if multi_unit:
        record_counts = (
            lines.filter(service_type__in=multi_unit).values_list("service_type")
            .annotate(Count("record_id", distinct=True))
        )
        for service, request_count in record_counts:
            groups[service]["request_count"] = request_count
    return list(groups.values())


def _record_groups(records: QuerySet[RequestRecord], key) -> list[dict]:
    """Records and cost per value of a record's attribute (a day, a task type ...).

    Each record's cost is a lookup of its own lines (a correlated subquery), so the
    planner never scans every usage line to join a few thousand records.
    """
    own_cost = Subquery(
        UsageLine.objects.filter(record=OuterRef("pk")).order_by().values("record")
        .annotate(cost=Sum("cost")).values("cost")
    )
    rows = records.annotate(key=key, own_cost=own_cost).values("key").annotate(
        request_count=Count("id"), cost=Sum("own_cost")
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


def entity_cost_to_date(*, entity_pks) -> dict[int, list[dict]]:
    """Each entity's cost, lines and unpriced lines per service over its whole history."""
    costs = defaultdict(list)
    rows = (
        DailyCost.objects.filter(entity__in=entity_pks).order_by()
        .values("entity", "service_type")
        .annotate(cost=Sum("cost"), lines=Sum("line_count"),
                  unpriced_lines=Sum("unpriced_line_count"))
        .order_by("entity", "service_type")
    )
    for row in rows:
        costs[row["entity"]].append(row)
    return dict(costs)


def usage_unpriced_summary() -> list[dict]:
    """Usage recorded without a price, per service and model: what the price table lacks."""
    rows = (
        UsageLine.objects.filter(unpriced=True).order_by()
        .values("service_type", "model", "unit")
        .annotate(lines=Count("id"), quantity=Sum("quantity"), last_seen=Max("record__created_at"))
        .order_by("-last_seen")
    )
    return list(rows)


def cost_by_service_today(*, user) -> dict:
    """Return what the records a user may see cost since local midnight, per service.

    Services come most expensive first; `request_count` counts each record once per service.
    """
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    records = request_record_visible(user=user).filter(created_at__gte=since).order_by()
    rows = (
        UsageLine.objects.filter(record__in=records.values("id"))
        .values("service_type")
        .annotate(cost=Sum("cost"), request_count=Count("record_id", distinct=True))
        .order_by("-cost", "service_type")
    )
    services = [
        {"service_type": row["service_type"], "cost_usd": row["cost"],
         "request_count": row["request_count"]}
        for row in rows
    ]
    return {
        "since": since,
        "services": services,
        "total_cost_usd": sum((row["cost_usd"] for row in services), Decimal(0)),
        "request_count": records.count(),
    }
