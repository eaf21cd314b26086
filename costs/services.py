"""Writes on the ledger: open and close request records, record usage."""
import logging
import re
import secrets
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from config.exceptions import ApplicationError
from costs.models import DailyCost, RequestRecord, UsageLine
from costs.pricing import cost_of, price_lookup
from costs.rollup import daily_cost_fill, daily_cost_lock, usage_line_insert

logger = logging.getLogger(__name__)

JOB_METHOD = "JOB"  # the method recorded for a background job attempt
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$")


def request_id_new() -> str:
    return f"req_{secrets.token_hex(6)}"


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
) -> UsageLine:
    """Record usage at the price in force now, committed at once with its day's roll-up.

    Call it as soon as the usage was paid for, outside any transaction: a later failure,
    retry or cancellation must not roll paid usage back. Unpriced usage is kept with cost 0
    and flagged `unpriced`.
    """
    if _inside_transaction():
        raise RuntimeError(
            "usage_record must not run inside a transaction: a rollback would lose paid usage"
        )
    try:
        quantity = Decimal(str(quantity))
    except InvalidOperation:
        raise ApplicationError(f"quantity must be a number; got {quantity!r}") from None
    if not quantity.is_finite() or quantity < 0:
        raise ApplicationError(f"quantity must be a finite number >= 0; got {quantity}")
    price = price_lookup(service_type=service_type, unit=unit, model=model, at=at or timezone.now())
    if price is None:
        logger.warning("no price for %s/%s per %s: recorded as unpriced", service_type, model, unit)
    line = UsageLine(
        record=record,
        service_type=service_type,
        unit=unit,
        quantity=quantity,
        model=model,
        breakdown=breakdown or {unit: float(quantity) if quantity % 1 else int(quantity)},
        unit_price=price.unit_price if price else None,
        cost=cost_of(quantity, price.unit_price) if price else Decimal(0),
        unpriced=price is None,
    )
    usage_line_insert(record=record, line=line)
    return line


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
