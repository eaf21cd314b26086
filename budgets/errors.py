"""The refusals a budget gives: before work is queued (402) and during it (a permanent error)."""
from core.exceptions import ApplicationError
from tasks.errors import PermanentError


class BudgetExceeded(ApplicationError):
    """New work whose estimate does not fit what a hard budget has left: 402, naming the
    budget, what it spent and holds back, the estimate and what remains."""

    status_code = 402
    default_code = "budget_exceeded"


class BudgetStop(PermanentError):
    """A running job reached a hard budget's cap: the paid call is not made, and the task
    fails without a retry (a retry would meet the same cap)."""
