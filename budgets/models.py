"""Budgets: how much an entity may spend, what each paid task holds back, and alerts."""
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from costs.models import Entity


class BudgetPeriod(models.TextChoices):
    DAY = "day", "day (UTC)"
    MONTH = "month", "month (UTC)"
    NONE = "none", "none (a fixed total)"


class BudgetMode(models.TextChoices):
    HARD = "hard", "hard: refuse new work and stop running work at the cap"
    SOFT = "soft", "soft: alert only"


class Budget(models.Model):
    """What one entity may spend per period, on everything or on one service or task kind.

    A `hard` budget refuses a task whose estimate does not fit what remains and stops paid
    calls at the cap; a `soft` one only alerts. Both alert when spend plus reservations
    cross `soft_threshold_percent` of the amount.
    """

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="budgets")
    service_type = models.CharField(max_length=40, blank=True,
                                    help_text="Empty: every service.")
    task_kind = models.CharField(max_length=64, blank=True, help_text="Empty: every task kind.")
    amount_usd = models.DecimalField(max_digits=18, decimal_places=6,
                                     validators=[MinValueValidator(Decimal(0))])
    period = models.CharField(max_length=8, choices=BudgetPeriod.choices,
                              default=BudgetPeriod.MONTH)
    soft_threshold_percent = models.PositiveSmallIntegerField(
        default=80, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Alert once spend plus reservations reach this share of the amount.")
    mode = models.CharField(max_length=8, choices=BudgetMode.choices, default=BudgetMode.HARD)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entity", "period", "service_type", "task_kind"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "service_type", "task_kind", "period"],
                                    name="budget_scope_unique"),
        ]
        indexes = [models.Index(fields=["entity", "mode"], name="budget_entity_mode_idx")]

    def __str__(self):
        return f"{self.entity.entity_id}: {self.label} {self.amount_usd} USD ({self.mode})"

    @property
    def label(self) -> str:
        """The budget's name in answers, logs and metrics: its period and scope."""
        parts = [self.period]
        if self.service_type:
            parts.append(f"service={self.service_type}")
        if self.task_kind:
            parts.append(f"kind={self.task_kind}")
        return "/".join(parts)

    def covers(self, *, task_kind: str) -> bool:
        return not self.task_kind or self.task_kind == task_kind


class TaskEstimate(models.Model):
    """A paid task's estimate, and its reservation while the task is pending or running.

    Keyed by the task's id string, as the ledger is, so purging tasks never touches it.
    `breakdown` is the estimate per service (decimal strings), for budgets narrowed to one.
    """

    task_id = models.CharField(max_length=64, unique=True)
    task_kind = models.CharField(max_length=64)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    total_usd = models.DecimalField(max_digits=18, decimal_places=10)
    breakdown = models.JSONField(default=dict)
    lines = models.JSONField(default=list)
    reserved = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["entity", "task_kind"], condition=Q(reserved=True),
                         name="estimate_reserved_idx"),
        ]

    def __str__(self):
        return f"{self.task_id}: {self.total_usd} USD"


class WebhookStatus(models.TextChoices):
    NONE = "", "no webhook configured"
    PENDING = "pending", "pending"
    SENT = "sent", "sent"
    FAILED = "failed", "failed"


class BudgetAlert(models.Model):
    """A budget's soft threshold crossed: once per budget and period."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="alerts")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    budget_label = models.CharField(max_length=200)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField(null=True, blank=True)
    amount_usd = models.DecimalField(max_digits=18, decimal_places=6)
    spent_usd = models.DecimalField(max_digits=18, decimal_places=10)
    reserved_usd = models.DecimalField(max_digits=18, decimal_places=10)
    threshold_percent = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    webhook_status = models.CharField(max_length=8, choices=WebhookStatus.choices, blank=True,
                                      default=WebhookStatus.NONE)
    webhook_attempts = models.PositiveIntegerField(default=0)
    webhook_response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    webhook_error = models.TextField(blank=True)
    webhook_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "period_start"],
                                    name="budget_alert_once_per_period"),
        ]
        indexes = [models.Index(fields=["created_at"], name="budget_alert_created_idx")]

    def __str__(self):
        return f"{self.entity_id} {self.budget_label}: {self.threshold_percent}% reached"
