from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

entity_id_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
    "entity_id must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
)


class Entity(models.Model):
    """A tenant: who owns tasks and documents, and who pays for the work done for them."""

    entity_id = models.CharField(max_length=64, unique=True, validators=[entity_id_validator])
    name = models.CharField(max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="entities", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["entity_id"]

    def __str__(self):
        return self.entity_id


class RequestRecord(models.Model):
    """One metered unit of work: an API request that changed something, or one job attempt.

    Seed 000's request metrics. Its cost is the sum of its usage lines; a task's cost is
    the sum over every record carrying its task_id, so records outlive the task itself.
    """

    request_id = models.CharField(max_length=64)
    task_id = models.CharField(max_length=64, blank=True)
    doc_id = models.CharField(max_length=64, blank=True)
    # No index of its own: (entity, created_at) below serves every lookup by entity.
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="request_records",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    operation_type = models.CharField(max_length=40)
    task_type = models.CharField(max_length=40, blank=True)
    endpoint = models.CharField(max_length=200)
    method = models.CharField(max_length=8)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    processing_time_ms = models.FloatField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A constraint, not unique=True: PostgreSQL then keeps no second LIKE index.
            models.UniqueConstraint(fields=["request_id"], name="request_id_unique"),
        ]
        indexes = [
            models.Index(fields=["task_id"], condition=~Q(task_id=""), name="request_task_idx"),
            models.Index(fields=["doc_id"], condition=~Q(doc_id=""), name="request_doc_idx"),
            # Covering: an entity's roll-up reads the records side from the index alone.
            models.Index(fields=["entity", "created_at"], include=["id"],
                         name="request_entity_created_idx"),
            models.Index(fields=["created_at"], name="request_created_idx"),
        ]

    def __str__(self):
        return self.request_id


class UsageLine(models.Model):
    """What one service consumed for a record: a quantity of a unit, priced when recorded."""

    record = models.ForeignKey(RequestRecord, on_delete=models.CASCADE, related_name="lines")
    service_type = models.CharField(max_length=40)
    unit = models.CharField(max_length=24)
    quantity = models.DecimalField(max_digits=20, decimal_places=6)
    model = models.CharField(max_length=100, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    unit_price = models.DecimalField(max_digits=18, decimal_places=10, null=True, blank=True)
    cost = models.DecimalField(max_digits=18, decimal_places=10)
    unpriced = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["record"], condition=Q(unpriced=True), name="usage_unpriced_idx"),
        ]

    def __str__(self):
        return f"{self.service_type} {self.quantity} {self.unit}"


class Price(models.Model):
    """USD per unit of a service (and model), from a date on: new prices never rewrite history."""

    service_type = models.CharField(max_length=40)
    model = models.CharField(max_length=100, blank=True, help_text="Empty: any model of the service.")
    unit = models.CharField(max_length=24)
    unit_price = models.DecimalField(max_digits=18, decimal_places=10, help_text="USD per unit.")
    effective_from = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["service_type", "model", "unit", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_type", "model", "unit", "effective_from"], name="price_unique_from"
            ),
        ]
        indexes = [
            models.Index(fields=["service_type", "unit", "model", "effective_from"],
                         name="price_lookup_idx"),
        ]

    def __str__(self):
        model = f"/{self.model}" if self.model else ""
        return f"{self.service_type}{model} {self.unit_price} per {self.unit}"


class DailyCost(models.Model):
    """The ledger summed per UTC day (of the record's created_at), entity, service and unit.

    What pages and metrics read instead of every usage line: it grows with days, entities
    and services, not with traffic. `usage_record` adds each line to it in the transaction
    that writes the line; `daily_cost_rebuild` recomputes it from the ledger. Keyed by unit
    too, so that `quantity` adds like to like (a chat service bills input and output tokens).
    """

    day = models.DateField()
    entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False,
    )
    service_type = models.CharField(max_length=40)
    unit = models.CharField(max_length=24)
    # Wider than a line's: sums of many lines.
    cost = models.DecimalField(max_digits=28, decimal_places=10)
    quantity = models.DecimalField(max_digits=30, decimal_places=6)
    line_count = models.BigIntegerField()
    unpriced_line_count = models.BigIntegerField()

    class Meta:
        ordering = ["day", "service_type", "unit"]
        constraints = [
            # Two partial indexes instead of one: NULLs never conflict in a unique index, and
            # usage_record's upsert names the one that matches its entity.
            models.UniqueConstraint(fields=["day", "entity", "service_type", "unit"],
                                    condition=Q(entity__isnull=False), name="daily_cost_unique"),
            models.UniqueConstraint(fields=["day", "service_type", "unit"],
                                    condition=Q(entity__isnull=True),
                                    name="daily_cost_unique_no_entity"),
        ]
        indexes = [
            models.Index(fields=["entity", "day"], name="daily_cost_entity_day_idx"),
        ]

    def __str__(self):
        return f"{self.day} {self.entity_id or '-'} {self.service_type} {self.cost}"
