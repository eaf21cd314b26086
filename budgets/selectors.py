"""Reads on budgets: what an entity's budgets allow, have spent and hold back right now.

Spent in a period is the ledger's: whole UTC days from the daily roll-up
(costs.models.DailyCost), today from the entity's records (its (entity, created_at) index).
A budget narrowed to a task kind reads the records of that kind's attempts
(`endpoint = job:<kind>`), which the roll-up does not separate.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from budgets.models import Budget, BudgetAlert, TaskEstimate
from budgets.periods import utc_midnight, period_bounds
from costs.lines import service_types
from costs.models import DailyCost, RequestRecord
from costs.selectors import entity_get

ZERO = Decimal(0)


@dataclass(frozen=True)
class BudgetStatus:
    """A budget's figures at one moment."""

    budget: Budget
    period_start: datetime
    period_end: datetime | None
    spent: Decimal
    reserved: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget.amount_usd - self.spent - self.reserved

    @property
    def used_percent(self) -> Decimal:
        if not self.budget.amount_usd:
            return Decimal(100)
        return ((self.spent + self.reserved) * 100 / self.budget.amount_usd).quantize(Decimal("0.1"))

    def as_json(self) -> dict:
        budget = self.budget
        return {
            "id": budget.pk, "label": budget.label, "entity_id": budget.entity.entity_id,
            "service_type": budget.service_type or None, "task_kind": budget.task_kind or None,
            "amount_usd": budget.amount_usd, "period": budget.period, "mode": budget.mode,
            "soft_threshold_percent": budget.soft_threshold_percent,
            "period_start": self.period_start, "period_end": self.period_end,
            "spent_usd": self.spent, "reserved_usd": self.reserved,
            "remaining_usd": self.remaining, "used_percent": self.used_percent,
        }


def budget_spent(budget: Budget, *, start: datetime, now: datetime) -> Decimal:
    """What the entity spent under this budget's scope from `start` to now."""
    records = RequestRecord.objects.filter(entity_id=budget.entity_id).order_by()
    if budget.task_kind:
        records = records.filter(endpoint=f"job:{budget.task_kind}", created_at__gte=start)
        if not budget.service_type:
            return records.aggregate(total=Sum("cost"))["total"] or ZERO
        return _service_cost(records, budget.service_type)
    today = utc_midnight(now)
    days = DailyCost.objects.filter(entity_id=budget.entity_id, day__gte=start.date(),
                                    day__lt=today.date()).order_by()
    if budget.service_type:
        days = days.filter(service_type=budget.service_type)
    spent = days.aggregate(total=Sum("cost"))["total"] or ZERO
    todays = records.filter(created_at__gte=max(start, today))
    if budget.service_type:
        return spent + _service_cost(todays, budget.service_type)
    return spent + (todays.aggregate(total=Sum("cost"))["total"] or ZERO)


def _service_cost(records, service_type: str) -> Decimal:
    """The cost of one service's lines over some records, exact."""
    total = ZERO
    for usage in records.exclude(cost=0).values_list("usage", flat=True).iterator():
        for line, service in zip(usage, service_types(usage)):
            if service == service_type:
                total += line.cost
    return total


def budget_reserved(budget: Budget, *, exclude_task_id: str = "") -> Decimal:
    """What the entity's pending and running paid tasks hold back under this budget."""
    estimates = TaskEstimate.objects.filter(entity_id=budget.entity_id, reserved=True).order_by()
    if budget.task_kind:
        estimates = estimates.filter(task_kind=budget.task_kind)
    if exclude_task_id:
        estimates = estimates.exclude(task_id=exclude_task_id)
    if not budget.service_type:
        return estimates.aggregate(total=Sum("total_usd"))["total"] or ZERO
    return sum((Decimal(breakdown.get(budget.service_type, "0"))
                for breakdown in estimates.values_list("breakdown", flat=True)), ZERO)


def budget_status(budget: Budget, *, now: datetime | None = None,
                  exclude_task_id: str = "") -> BudgetStatus:
    now = now or timezone.now()
    start, end = period_bounds(budget, now=now)
    return BudgetStatus(budget=budget, period_start=start, period_end=end,
                        spent=budget_spent(budget, start=start, now=now),
                        reserved=budget_reserved(budget, exclude_task_id=exclude_task_id))


def entity_budget_statuses(*, entity, now: datetime | None = None) -> list[BudgetStatus]:
    budgets = Budget.objects.filter(entity=entity).select_related("entity")
    return [budget_status(budget, now=now) for budget in budgets]


def entity_budgets_for_user(*, user, entity_id: str) -> dict:
    """`GET /entities/{id}/budgets`: a member's or staff's view; 404 for anyone else."""
    entity = entity_get(user=user, entity_id=entity_id)
    return {"entity_id": entity.entity_id,
            "budgets": [status.as_json() for status in entity_budget_statuses(entity=entity)]}


def budget_overview(*, limit: int = 50) -> list[BudgetStatus]:
    """Every budget's figures, fullest first: the admin overview's and the dashboard's."""
    budgets = Budget.objects.select_related("entity").order_by("entity__entity_id")[:limit]
    statuses = [budget_status(budget) for budget in budgets]
    return sorted(statuses, key=lambda status: -status.used_percent)


def task_estimate_get(*, task_id: str) -> TaskEstimate | None:
    return TaskEstimate.objects.filter(task_id=task_id).first()


def budget_alerts_current(*, limit: int = 10) -> list[BudgetAlert]:
    """Alerts of periods that have not ended yet, newest first: the admin overview's banner."""
    now = timezone.now()
    alerts = (BudgetAlert.objects.select_related("entity", "budget")
              .filter(Q(period_end__isnull=True) | Q(period_end__gt=now)).order_by("-created_at"))
    return list(alerts[:limit])


def budget_statuses_for_user(*, user, limit: int = 20) -> list[BudgetStatus]:
    """The budgets of the entities a user belongs to (every budget for staff): the dashboard's."""
    budgets = Budget.objects.select_related("entity").order_by("entity__entity_id", "pk")
    if not user.is_staff:
        budgets = budgets.filter(entity__members=user)
    return [budget_status(budget) for budget in budgets[:limit]]
