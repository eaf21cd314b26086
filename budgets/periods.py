"""Budget periods: UTC days and months, or none (a fixed total since the budget began)."""
from datetime import datetime, time, timedelta
from datetime import timezone as dt_timezone

from budgets.models import Budget, BudgetPeriod


def utc_midnight(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(dt_timezone.utc).date(), time.min,
                            tzinfo=dt_timezone.utc)


def period_bounds(budget: Budget, *, now: datetime) -> tuple[datetime, datetime | None]:
    """The period `now` falls in: [start, end); end is None for a fixed total.

    A fixed total counts from the UTC midnight of the day the budget was made, so that its
    whole days come from the daily roll-up like every other period's.
    """
    today = utc_midnight(now)
    if budget.period == BudgetPeriod.DAY:
        return today, today + timedelta(days=1)
    if budget.period == BudgetPeriod.MONTH:
        start = today.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        return start, end
    return utc_midnight(budget.created_at or now), None
