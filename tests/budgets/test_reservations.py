"""Reservations: held while a task is pending or running, released as it ends (by the
closer's batched completion as by a transition), taken again by a manual retry; spend in
the period counts instead, and a new period frees the budget."""
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest
from django.utils import timezone

from budgets.errors import BudgetExceeded
from budgets.models import Budget, TaskEstimate
from budgets.periods import period_bounds
from budgets.selectors import budget_status
from costs.services import request_record_open, usage_record
from tasks.models import TaskStatus
from tasks.runner import run_ready
from tasks.services import task_cancel, task_retry
from tests.budgets.helpers import TEXT_COST, budget_make, submit


def status_of(budget):
    return budget_status(Budget.objects.get(pk=budget.pk))


@pytest.mark.django_db(transaction=True)
def test_completion_releases_the_reservation_and_the_spend_counts(entity, sync_jobs, monkeypatch):
    from django_q.conf import Conf

    budget = budget_make(entity, 1)
    monkeypatch.setattr(Conf, "SYNC", False)
    document = submit(entity)
    assert status_of(budget).reserved == TEXT_COST and status_of(budget).spent == 0

    monkeypatch.setattr(Conf, "SYNC", True)
    assert run_ready() == 1  # sync mode: the outcome is written by tasks.outcomes, batched

    document.task.refresh_from_db()
    assert document.task.status == TaskStatus.COMPLETED
    assert status_of(budget).reserved == 0 and status_of(budget).spent == TEXT_COST
    row = TaskEstimate.objects.get(task_id=document.task.task_id)
    assert row.reserved is False and row.released_at is not None


@pytest.mark.django_db
def test_cancel_releases_and_manual_retry_reserves_again(entity):
    budget = budget_make(entity, "0.006")
    task = submit(entity).task
    task, _ = task_cancel(task=task)
    assert status_of(budget).reserved == 0

    submit(entity, document_id="other")  # takes the room the cancelled task left
    with pytest.raises(BudgetExceeded):
        task_retry(task=task)
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED  # the refused retry changed nothing

    Budget.objects.filter(pk=budget.pk).update(amount_usd=1)
    task_retry(task=task)
    assert status_of(budget).reserved == 2 * TEXT_COST


@pytest.mark.django_db
def test_period_rollover_frees_the_budget(entity):
    budget = budget_make(entity, "0.010", period="day")
    now = timezone.now()
    yesterday = now - timedelta(days=1)
    record = request_record_open(operation_type="task_run", endpoint="job:embeddings.embed",
                                 method="JOB", entity=entity, created_at=yesterday)
    usage_record(record=record, service_type="transformer", unit="chunks", quantity=3)  # $0.009

    assert budget_status(budget, now=yesterday).spent == Decimal("0.009")
    assert budget_status(budget, now=now).spent == 0
    submit(entity)  # today: the whole budget is free again
    submit(entity, document_id="second")
    with pytest.raises(BudgetExceeded):
        submit(entity, document_id="third")

    month = budget_make(entity, "0.010", period="month")
    first_of_month = period_bounds(month, now=now)[0]
    if yesterday >= first_of_month:  # same month: yesterday's spend still counts
        assert budget_status(month, now=now).spent == Decimal("0.009")


@pytest.mark.parametrize(("now", "start", "end"), [
    (datetime(2026, 12, 31, 23, 59, tzinfo=dt_timezone.utc),
     datetime(2026, 12, 1, tzinfo=dt_timezone.utc), datetime(2027, 1, 1, tzinfo=dt_timezone.utc)),
    (datetime(2027, 1, 1, 0, 0, tzinfo=dt_timezone.utc),
     datetime(2027, 1, 1, tzinfo=dt_timezone.utc), datetime(2027, 2, 1, tzinfo=dt_timezone.utc)),
    (datetime(2028, 2, 29, 12, 0, tzinfo=dt_timezone.utc),
     datetime(2028, 2, 1, tzinfo=dt_timezone.utc), datetime(2028, 3, 1, tzinfo=dt_timezone.utc)),
])
def test_period_bounds_month_in_utc(now, start, end):
    assert period_bounds(Budget(period="month"), now=now) == (start, end)
    day = period_bounds(Budget(period="day"), now=now)
    assert day[0] == datetime.combine(now.date(), datetime.min.time(), tzinfo=dt_timezone.utc)
    assert day[1] - day[0] == timedelta(days=1)


def test_period_bounds_fixed_total_has_no_end():
    created = datetime(2026, 3, 4, 15, 30, tzinfo=dt_timezone.utc)
    assert period_bounds(Budget(period="none", created_at=created), now=created) == (
        datetime(2026, 3, 4, tzinfo=dt_timezone.utc), None)
