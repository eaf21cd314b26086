"""The progress handle a job reports through (send_progress and its two halves, plus units)."""
import logging
import math
import threading
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tasks.errors import TaskCancelled, TaskTimedOut
from tasks.events import task_event_record
from tasks.models import Task, TaskEventType, TaskStatus
from tasks.registry import progress_unit_fields
from tasks.transitions import group_refresh

logger = logging.getLogger(__name__)


class ProgressHandle:
    """Reports progress for one running attempt and answers whether it should stop.

    Reports are coalesced: at most one write (row update plus persisted event) per
    `interval` seconds, so a job may report as often as it likes. Cancellation is read by
    the worker's monitor thread, so `is_cancelled` costs no query.
    """

    def __init__(self, *, task: Task, interval: float, record=None):
        self.task = task
        self.record = record  # this attempt's costs.RequestRecord
        self.task_id = task.task_id
        self.timeout_seconds = task.timeout_seconds
        self._interval = interval
        self._started = time.monotonic()
        self._deadline = self._started + task.timeout_seconds
        self._cancel = threading.Event()
        self._lost = threading.Event()
        self._value = task.progress
        self._text = task.progress_text
        self._processed = task.processed_units
        self._total = task.total_units
        self._dirty = False
        self._last_write = float("-inf")
        self.writes = 0

    # --- text and fraction (docs/api.md, Client contract) --------------------------------
    def send_progress(self, text: str, value: float) -> None:
        """Report a status text and a completed fraction (0.0 to 1.0)."""
        self._report(text=text, value=value)

    def send_progress_text(self, text: str) -> None:
        """Report a status text only."""
        self._report(text=text)

    def send_progress_value(self, value: float) -> None:
        """Report a completed fraction (0.0 to 1.0) only."""
        self._report(value=value)

    # --- units (an embedding task's processed / total chunks) ---------------------------
    def set_units(self, processed: int, total: int | None = None, text: str | None = None) -> None:
        """Report units done out of a total; the fraction and ETA follow from them."""
        if total is not None:
            self._total = max(int(total), 0)
        self._processed = max(int(processed), 0)
        value = self._processed / self._total if self._total else None
        self._report(text=text, value=value)

    def advance(self, units: int = 1, text: str | None = None) -> None:
        """Report `units` more units done."""
        self.set_units((self._processed or 0) + units, text=text)

    # --- cost ---------------------------------------------------------------------------
    def usage_record(self, *, service_type: str, unit: str, quantity, model: str = "",
                     breakdown: dict | None = None):
        """Record paid usage on this attempt's ledger record, committed at once."""
        from costs.services import usage_record

        return usage_record(record=self.record, service_type=service_type, unit=unit,
                            quantity=quantity, model=model, breakdown=breakdown)

    # --- stopping -----------------------------------------------------------------------
    @property
    def is_cancelled(self) -> bool:
        """True once cancellation was requested or the time budget is spent."""
        return self._cancel.is_set() or self._lost.is_set() or self.timed_out

    @property
    def timed_out(self) -> bool:
        return time.monotonic() > self._deadline

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise TaskCancelled or TaskTimedOut if the job should stop now."""
        if self._cancel.is_set() or self._lost.is_set():
            raise TaskCancelled()
        if self.timed_out:
            raise TaskTimedOut()

    def request_cancel(self) -> None:
        self._cancel.set()

    def lose(self) -> None:
        """Mark this attempt as no longer owning its task (reaped or re-dispatched)."""
        self._lost.set()

    @property
    def lost(self) -> bool:
        return self._lost.is_set()

    # --- internals ----------------------------------------------------------------------
    def _report(self, *, text: str | None = None, value: float | None = None) -> None:
        self.check()
        if text is not None:
            self._text = str(text)[:500]
        if value is not None:
            value = float(value)
            if math.isnan(value):
                logger.warning("task %s reported a NaN progress value; ignored", self.task_id)
            else:
                self._value = min(max(value, 0.0), 1.0)
        self._dirty = True
        if time.monotonic() - self._last_write >= self._interval:
            self.flush()

    def snapshot(self) -> dict:
        """Return the progress fields as they would be written now."""
        return {
            "progress": self._value,
            "progress_text": self._text,
            "processed_units": self._processed,
            "total_units": self._total,
            "eta": self._eta(),
        }

    def _eta(self):
        elapsed = time.monotonic() - self._started
        if self._total and self._processed:
            remaining = elapsed * (self._total - self._processed) / self._processed
        elif 0 < self._value < 1:
            remaining = elapsed * (1 - self._value) / self._value
        else:
            return None
        return timezone.now() + timedelta(seconds=max(remaining, 0))

    def flush(self) -> None:
        """Write the latest report now, if there is one not yet written."""
        if not self._dirty:
            return
        fields = self.snapshot()
        with transaction.atomic():
            updated = Task.objects.filter(
                pk=self.task.pk,
                status=TaskStatus.PROCESSING,
                dispatch_token=self.task.dispatch_token,
            ).update(updated_at=timezone.now(), **fields)
            if not updated:
                self.lose()
                raise TaskCancelled()
            for name, value in fields.items():
                setattr(self.task, name, value)
            task_event_record(
                task=self.task,
                event_type=TaskEventType.PROGRESS,
                data={
                    "text": fields["progress_text"],
                    "value": fields["progress"],
                    **progress_unit_fields(self.task.kind, fields["processed_units"],
                                           fields["total_units"]),
                    "eta": fields["eta"].isoformat() if fields["eta"] else None,
                },
            )
            if self.task.parent_id:
                group_refresh(parent_pk=self.task.parent_id)
        self._dirty = False
        self._last_write = time.monotonic()
        self.writes += 1
