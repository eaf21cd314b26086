"""Making schedules and ledger records for the schedule tests."""
from datetime import datetime, timezone as dt_timezone

from django.utils import timezone

from costs.services import request_record_close, request_record_open, usage_record
from schedules.services import schedule_create

JAN_1 = datetime(2026, 1, 1, tzinfo=dt_timezone.utc)


def make_schedule(entity, **fields):
    """An interval schedule of noop tasks (fields override), through the service."""
    fields.setdefault("name", "nightly")
    fields.setdefault("kind", "noop")
    if "cron" not in fields:
        fields.setdefault("interval_seconds", 60)
    return schedule_create(entity=entity, **fields)


def record_usage(entity, task_id: str, *usage, created_at=None):
    """A finished job-attempt record of a task, with usage lines (service, unit, quantity)."""
    record = request_record_open(operation_type="task_run", endpoint="job", method="JOB",
                                 entity=entity, task_id=task_id,
                                 created_at=created_at or timezone.now())
    for service_type, unit, quantity in usage:
        usage_record(record=record, service_type=service_type, unit=unit, quantity=quantity)
    request_record_close(record=record, status_code=200, processing_time_ms=10.0)
    return record
