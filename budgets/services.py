"""Writes on budgets: set them, reserve an estimate as a task is made, release it as the task
ends, stop paid calls at the cap, and raise alerts at the soft threshold."""
import logging
from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from budgets.errors import BudgetExceeded, BudgetStop
from budgets.models import Budget, BudgetAlert, BudgetMode, TaskEstimate, WebhookStatus
from budgets.selectors import BudgetStatus, budget_status
from tasks.estimators import Estimate, estimator_registered
from tasks.models import Task, TaskEventType
from tasks.services import task_create

logger = logging.getLogger(__name__)

ZERO = Decimal(0)
# The kind of the task that POSTs an alert to BUDGET_WEBHOOK_URL (its job: budgets.webhooks).
WEBHOOK_KIND = "budgets.alert_webhook"
_ENDS = {TaskEventType.COMPLETED, TaskEventType.FAILED, TaskEventType.CANCELLED}


def money(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _share(budget: Budget, *, total: Decimal, by_service: dict) -> Decimal:
    """The part of an estimate a budget counts: all of it, or its service's."""
    if budget.service_type:
        return Decimal(by_service.get(budget.service_type, ZERO))
    return total


def _refusal(status: BudgetStatus, share: Decimal) -> BudgetExceeded:
    budget = status.budget
    return BudgetExceeded(
        f"budget exceeded: entity {budget.entity.entity_id}'s {budget.label} budget of "
        f"{money(budget.amount_usd)} USD has {money(status.remaining)} USD left (spent "
        f"{money(status.spent)}, reserved {money(status.reserved)}); this work is estimated "
        f"at {money(share)} USD. Raise the budget, wait for the period to end"
        f"{' (' + status.period_end.isoformat() + ')' if status.period_end else ''}, or "
        "send less work",
        extra={"entity_id": budget.entity.entity_id, "budget": status.as_json(),
               "amount_usd": budget.amount_usd, "spent_usd": status.spent,
               "reserved_usd": status.reserved, "estimated_cost_usd": share,
               "remaining_usd": status.remaining},
    )


class BudgetAdmission:
    """New work checked against one entity's hard budgets, read once: each piece judged
    after the reservations of those admitted before it (a batch, item by item), as it will
    be when their reservations are written.

    `lock`: hold the budget rows (SELECT ... FOR UPDATE) until the caller's transaction
    ends, so that concurrent creators queue on the lock and each sees the others'
    reservations. `ahead`: reservations not written yet, per budget pk, counted as
    reserved (a batch's dry run shares one across its items).
    """

    def __init__(self, *, entity_id: int, lock: bool, ahead: dict | None = None):
        budgets = Budget.objects.filter(entity_id=entity_id).select_related("entity").order_by("pk")
        if lock:
            budgets = budgets.select_for_update(of=("self",))
        self.budgets, self.now = list(budgets), timezone.now()
        self.ahead = {} if ahead is None else ahead
        self._statuses: dict[int, BudgetStatus] = {}
        self._covered: set[int] = set()  # the budgets some admitted work counts against

    def admit(self, estimate: Estimate) -> None:
        """Count `estimate` as reserved from now on; BudgetExceeded if a hard budget cannot
        hold it (then nothing is counted)."""
        shares = []
        for budget in self.budgets:
            if not budget.covers(task_kind=estimate.kind):
                continue
            share = _share(budget, total=estimate.total, by_service=estimate.by_service)
            status = self._status(budget)
            if budget.mode == BudgetMode.HARD and share > 0 and share > status.remaining:
                raise _refusal(status, share)
            shares.append((budget.pk, share))
        for pk, share in shares:
            self.ahead[pk] = self.ahead.get(pk, ZERO) + share
            self._covered.add(pk)

    def _status(self, budget: Budget) -> BudgetStatus:
        """The budget's figures now, with what this admission has counted so far."""
        if budget.pk not in self._statuses:
            self._statuses[budget.pk] = budget_status(budget, now=self.now)
        status = self._statuses[budget.pk]
        return replace(status, reserved=status.reserved + self.ahead.get(budget.pk, ZERO))

    def reserve(self, admitted: list[tuple[Task, Estimate]]) -> None:
        """Write the reservations of the admitted work, now that its tasks exist (in the
        same transaction), and raise the alerts they cross."""
        TaskEstimate.objects.bulk_create([
            TaskEstimate(task_id=task.task_id, task_kind=task.kind, entity_id=task.entity_id,
                         total_usd=estimate.total, breakdown=estimate.breakdown_text(),
                         lines=_lines_json(estimate), reserved=True)
            for task, estimate in admitted])
        for budget in self.budgets:
            if budget.pk in self._covered:
                alert_if_crossed(self._statuses[budget.pk], added=self.ahead[budget.pk])


def budget_check(*, entity, estimate: Estimate, ahead: dict | None = None) -> dict:
    """A dry run's verdict, with no lock and nothing written: `allowed`, and when not, the
    refusal (`budget_exceeded`'s body) the real creation would answer now.

    `ahead`: in a batch's dry run, what its earlier allowed items would reserve, per budget
    (updated here when this one is allowed), so that each item is judged as the batch
    itself judges it: item by item, each after the reservations of those before it.
    """
    if entity is None or not estimate.total:
        return {"allowed": True, "refusal": None}
    try:
        BudgetAdmission(entity_id=entity.pk, lock=False, ahead=ahead).admit(estimate)
    except BudgetExceeded as refusal:
        return {"allowed": False,
                "refusal": {"detail": refusal.message, "code": refusal.code, **refusal.extra}}
    return {"allowed": True, "refusal": None}


def budget_reserve(*, task: Task, estimate: Estimate) -> None:
    """Store a new task's estimate and reserve it against its entity's budgets.

    Call inside the transaction that created the task: the check and the reservation are
    one step under the budgets' lock (BudgetAdmission). A kind with no estimator stores
    nothing and reads nothing.
    """
    if not estimator_registered(task.kind) or task.entity_id is None:
        return
    admission = BudgetAdmission(entity_id=task.entity_id, lock=True)
    admission.admit(estimate)
    admission.reserve([(task, estimate)])


def _lines_json(estimate: Estimate) -> list[dict]:
    def text(value):
        return None if value is None else format(Decimal(value).normalize(), "f")

    return [{**line, "quantity": text(line["quantity"]), "unit_price": text(line["unit_price"]),
             "cost_usd": text(line["cost_usd"])} for line in estimate.lines]


def reservation_follow(*, task: Task, event_type: str) -> None:
    """Inside a task event's transaction: an ended task releases its reservation (its real
    spend is in the ledger now); a task retried by hand after it ended reserves again."""
    if not estimator_registered(task.kind):
        return
    if event_type in _ENDS:
        TaskEstimate.objects.filter(task_id=task.task_id, reserved=True).update(
            reserved=False, released_at=timezone.now())
    elif event_type == TaskEventType.RETRYING:
        row = TaskEstimate.objects.filter(task_id=task.task_id, reserved=False).first()
        if row is None:  # an automatic retry: still reserved
            return
        BudgetAdmission(entity_id=row.entity_id, lock=True).admit(Estimate(
            kind=row.task_kind, total=row.total_usd,
            by_service={service: Decimal(cost) for service, cost in row.breakdown.items()}))
        TaskEstimate.objects.filter(pk=row.pk).update(reserved=True, released_at=None)


def budget_guard(*, task: Task, service_type: str) -> None:
    """Before a paid provider call: raise BudgetStop if a hard budget of the task's entity
    is at its cap, so the call is not made.

    The cap counts the entity's spend (this task's so far included) and what its other
    tasks hold back; this task's own reservation is not counted against it. Calls already
    in flight when the cap is crossed still land: that is the overshoot (docs/budgets.md).
    """
    if task.entity_id is None:
        return
    budgets = [budget for budget in Budget.objects.filter(entity_id=task.entity_id)
               .select_related("entity")
               if budget.covers(task_kind=task.kind)
               and budget.service_type in ("", service_type)]
    if not budgets:
        return
    own = TaskEstimate.objects.filter(task_id=task.task_id, reserved=True).first()
    now = timezone.now()
    for budget in budgets:
        status = budget_status(budget, now=now)
        alert_if_crossed(status)
        own_share = (_share(budget, total=own.total_usd, by_service=own.breakdown)
                     if own is not None else ZERO)
        if budget.mode == BudgetMode.HARD and status.remaining + own_share <= 0:
            raise BudgetStop(
                f"budget exceeded: entity {budget.entity.entity_id}'s {budget.label} budget "
                f"of {money(budget.amount_usd)} USD is spent ({money(status.spent)} USD spent, "
                f"{money(status.reserved - own_share)} USD reserved by other tasks); the "
                f"{service_type} call was not made")


def alert_if_crossed(status: BudgetStatus, *, added: Decimal = ZERO) -> BudgetAlert | None:
    """Record the budget's alert for this period if spend plus reservations reached its soft
    threshold: once per budget and period, announced after commit."""
    budget = status.budget
    used = status.spent + status.reserved + added
    if used * 100 < budget.amount_usd * budget.soft_threshold_percent:
        return None
    if BudgetAlert.objects.filter(budget=budget, period_start=status.period_start).exists():
        return None
    try:
        with transaction.atomic():
            alert = BudgetAlert.objects.create(
                budget=budget, entity_id=budget.entity_id, budget_label=budget.label,
                period_start=status.period_start, period_end=status.period_end,
                amount_usd=budget.amount_usd, spent_usd=status.spent,
                reserved_usd=status.reserved + added,
                threshold_percent=budget.soft_threshold_percent,
                webhook_status=WebhookStatus.PENDING if settings.BUDGET_WEBHOOK_URL
                else WebhookStatus.NONE)
    except IntegrityError:  # another process recorded it first
        return None
    transaction.on_commit(lambda: _alert_announce(alert))
    return alert


def _alert_announce(alert: BudgetAlert) -> None:
    logger.warning(
        "budget alert: entity %s, budget %s (%s): %s USD spent and %s USD reserved of %s USD "
        "reached the %s%% threshold", alert.budget.entity.entity_id, alert.budget_label,
        alert.budget.mode, money(alert.spent_usd), money(alert.reserved_usd),
        money(alert.amount_usd), alert.threshold_percent,
        extra={"entity_id": alert.budget.entity.entity_id})
    if alert.webhook_status == WebhookStatus.PENDING:
        try:  # after commit: the work that crossed the threshold is done and must not fail now
            task_create(kind=WEBHOOK_KIND, params={"alert_pk": alert.pk},
                        metadata={"budget_alert": alert.pk,
                                  "entity_id": alert.budget.entity.entity_id})
        except Exception:
            logger.exception("budget alert %s: its webhook could not be queued", alert.pk)


def webhook_attempt_record(*, alert_pk: int, response_code: int | None, error: str,
                           sent: bool, final: bool) -> None:
    """Note one delivery attempt of an alert's webhook on the alert."""
    alert = BudgetAlert.objects.get(pk=alert_pk)
    alert.webhook_attempts += 1
    alert.webhook_response_code = response_code
    alert.webhook_error = error[:2000]
    if sent:
        alert.webhook_status, alert.webhook_sent_at = WebhookStatus.SENT, timezone.now()
    elif final:
        alert.webhook_status = WebhookStatus.FAILED
    alert.save(update_fields=["webhook_attempts", "webhook_response_code", "webhook_error",
                              "webhook_status", "webhook_sent_at"])


def budget_save(*, budget: Budget) -> Budget:
    """Save a budget edited in the admin (its form has checked the fields), under the same
    row lock creators take, so no reservation is judged against half of a change."""
    with transaction.atomic():
        if budget.pk is not None:
            Budget.objects.select_for_update().filter(pk=budget.pk).first()
        budget.save()
    return budget


def entity_budgets_replace(*, entity, budgets: list[dict]) -> list[Budget]:
    """`PUT /entities/{id}/budgets`: the entity's budgets become exactly these.

    A budget of the same scope and period keeps its row (and its alerts); others are
    created or deleted. All or nothing.
    """
    with transaction.atomic():
        existing = {(b.service_type, b.task_kind, b.period): b
                    for b in Budget.objects.select_for_update().filter(entity=entity)}
        kept = []
        for data in budgets:
            key = (data["service_type"], data["task_kind"], data["period"])
            budget = existing.pop(key, None) or Budget(entity=entity, service_type=key[0],
                                                       task_kind=key[1], period=key[2])
            budget.amount_usd = data["amount_usd"]
            budget.mode = data["mode"]
            budget.soft_threshold_percent = data["soft_threshold_percent"]
            budget.save()
            kept.append(budget)
        Budget.objects.filter(pk__in=[b.pk for b in existing.values()]).delete()
    return kept
