"""Writes on the ledger: open and close request records, record usage."""
import logging
import re
import secrets
from datetime import datetime
from datetime import timezone as dt_timezone
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.exceptions import ApplicationError
from costs.lines import ServiceLine, service_types
from costs.meters import meter_id
from costs.models import DailyCost, Entity, RequestRecord
from costs.pricing import cost_of, price_lookup
from costs.rollup import DailyCostDelta, daily_cost_fill, daily_cost_lock, usage_write
from costs.usage import UsageLine, breakdown_compact, lines_merge, usage_cost, usage_dumps

logger = logging.getLogger(__name__)

JOB_METHOD = "JOB"  # the method recorded for a background job attempt
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$")
QUANTITY_PLACES = Decimal("0.000001")  # a usage quantity keeps six decimal places


def request_id_new() -> str:
    return f"req_{secrets.token_hex(6)}"


def entity_default_ensure() -> Entity:
    """Return the deployment's default entity (settings.DEFAULT_ENTITY_ID), made if missing."""
    entity, _ = Entity.objects.get_or_create(
        entity_id=settings.DEFAULT_ENTITY_ID, defaults={"name": "Default entity"})
    return entity


def _record_attribute(record: RequestRecord) -> None:
    """Give a record with no entity the default entity before paid usage lands on it."""
    default = entity_default_ensure()
    RequestRecord.objects.filter(pk=record.pk, entity__isnull=True).update(entity=default)
    record.entity_id = RequestRecord.objects.values_list("entity", flat=True).get(pk=record.pk)


def request_record_open(
    *,
    operation_type: str,
    endpoint: str,
    method: str,
    request_id: str | None = None,
    entity=None,
    user=None,
    task_id: str = "",
    doc_id: str = "",
    task_type: str = "",
    created_at: datetime | None = None,
    **outcome,
) -> RequestRecord:
    """Start a record (a job attempt opens one before it may incur usage).

    `outcome` (status_code, processing_time_ms, completed_at, error_message) writes a
    finished record in one insert, as the request middleware does.
    """
    fields = dict(
        operation_type=operation_type[:40],
        endpoint=endpoint[:200],
        method=method[:8],
        entity=entity,
        user=user if user is not None and user.is_authenticated else None,
        task_id=task_id[:64],
        doc_id=doc_id[:64],
        task_type=task_type[:40],
        created_at=created_at or timezone.now(),
        **outcome,
    )
    if request_id:
        try:
            with transaction.atomic():
                return RequestRecord.objects.create(request_id=request_id, **fields)
        except IntegrityError:
            logger.info("request id %s was used before; a new one is issued", request_id)
    return RequestRecord.objects.create(request_id=request_id_new(), **fields)


def request_record_close(
    *, record: RequestRecord, status_code: int, error_message: str = "",
    processing_time_ms: float | None = None, **changes,
) -> RequestRecord:
    """Finish a record with its outcome."""
    now = timezone.now()
    record.status_code = status_code
    record.error_message = error_message
    record.completed_at = now
    record.processing_time_ms = (
        processing_time_ms if processing_time_ms is not None
        else (now - record.created_at).total_seconds() * 1000
    )
    for name, value in changes.items():
        setattr(record, name, value)
    record.save(update_fields=["status_code", "error_message", "completed_at",
                               "processing_time_ms", *changes])
    return record


def _inside_transaction() -> bool:
    """True inside an atomic block other than a test case's own wrapper."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def usage_record(
    *,
    record: RequestRecord,
    service_type: str,
    unit: str,
    quantity,
    model: str = "",
    breakdown: dict | None = None,
    at: datetime | None = None,
) -> ServiceLine:
    """Record usage at the price in force now, committed at once with its day's roll-up.

    Call it as soon as the usage was paid for, outside any transaction: a later failure,
    retry or cancellation must not roll paid usage back. Unpriced usage is kept with cost 0
    and flagged `unpriced`. A use of a meter and price the record already has merges into
    that line (quantities, costs and breakdown counters add). Returns this use alone.
    """
    if _inside_transaction():
        raise RuntimeError(
            "usage_record must not run inside a transaction: a rollback would lose paid usage"
        )
    try:
        quantity = Decimal(str(quantity))
        if not quantity.is_finite() or quantity < 0:
            raise ApplicationError(f"quantity must be a finite number >= 0; got {quantity}")
        quantity = quantity.quantize(QUANTITY_PLACES)
    except InvalidOperation:
        raise ApplicationError(f"quantity must be a number; got {quantity!r}") from None
    if record.entity_id is None:  # the ledger holds no paid usage that nobody pays for
        _record_attribute(record)
    price = price_lookup(service_type=service_type, unit=unit, model=model, at=at or timezone.now())
    if price is None:
        logger.warning("no price for %s/%s per %s: recorded as unpriced", service_type, model, unit)
    breakdown = breakdown or {unit: int(quantity) if quantity % 1 == 0 else float(quantity)}
    line = UsageLine(
        meter_id=meter_id(service_type=service_type, unit=unit, model=model),
        price_id=price.pk if price else None,
        quantity=quantity,
        cost=cost_of(quantity, price.unit_price) if price else Decimal(0),
        breakdown=breakdown_compact(breakdown, unit=unit, quantity=quantity),
    )
    _usage_append(record=record, line=line, service_type=service_type, unit=unit)
    return ServiceLine(
        service_type=service_type, unit=unit, model=model, quantity=quantity,
        unit_price=price.unit_price if price else None, cost=line.cost, breakdown=breakdown,
        unpriced=line.unpriced,
    )


def _usage_append(*, record: RequestRecord, line: UsageLine, service_type: str,
                  unit: str) -> None:
    """Add a line to the record's usage, merged into one of the same meter and price.

    First against the usage this process last saw of the record (one statement on
    PostgreSQL); when another writer (another thread of the job) changed it meanwhile,
    again under the record's row lock, from what is stored.
    """
    if _usage_write(record=record, usage=record.usage, line=line, service_type=service_type,
                    unit=unit, compare=True):
        return
    with transaction.atomic():
        stored = (RequestRecord.objects.select_for_update().values_list("usage", flat=True)
                  .get(pk=record.pk))
        _usage_write(record=record, usage=stored, line=line, service_type=service_type,
                     unit=unit, compare=False)


def _usage_with(usage: list[UsageLine], line: UsageLine, unit: str) -> tuple[list, bool]:
    """The usage with `line` merged into the first line it merges with, or appended; and
    whether it was appended."""
    for index, existing in enumerate(usage):
        merged = lines_merge(existing, line, unit=unit)
        if merged is not None:
            return [*usage[:index], merged, *usage[index + 1:]], False
    return [*usage, line], True


def _usage_write(*, record: RequestRecord, usage: list[UsageLine], line: UsageLine,
                 service_type: str, unit: str, compare: bool) -> bool:
    """Write `usage` plus `line`; with `compare`, only if `usage` is still what is stored."""
    updated, new_line = _usage_with(usage, line, unit)
    delta = DailyCostDelta(
        day=record.created_at.astimezone(dt_timezone.utc).date(), entity_id=record.entity_id,
        service_type=service_type, unit=unit, cost=line.cost, quantity=line.quantity,
        lines=int(new_line), unpriced_lines=int(new_line and line.unpriced),
        records=int(new_line and service_type not in service_types(usage)),
    )
    cost, unpriced = usage_cost(updated), any(each.unpriced for each in updated)
    if not usage_write(record=record, expected=usage_dumps(usage) if compare else None,
                       usage=usage_dumps(updated), cost=cost, unpriced=unpriced, delta=delta):
        return False
    record.usage, record.cost, record.unpriced = updated, cost, unpriced
    return True


def daily_cost_rebuild() -> int:
    """Recompute the daily cost roll-up from the ledger (after a restore, or to verify it).

    Returns the number of roll-up rows. Usage recorded meanwhile waits for it, then adds
    to the rebuilt rows, so nothing is counted twice or lost.
    """
    with transaction.atomic():
        daily_cost_lock()
        DailyCost.objects.all().delete()
        daily_cost_fill()
        return DailyCost.objects.count()


def attempt_records_abandon(*, task_id: str, error_message: str) -> int:
    """Close the open attempt records of a task whose worker was lost."""
    return RequestRecord.objects.filter(
        task_id=task_id, method=JOB_METHOD, status_code__isnull=True
    ).update(status_code=500, error_message=error_message, completed_at=timezone.now())
