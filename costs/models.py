from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from costs.usage import UsageField

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

    A request record as clients read it, `services_used` included: `usage` holds the record's
    usage lines (costs/usage.py), `cost` their exact sum and `unpriced` whether any had no
    price, all three written together by `usage_record`. A task's cost is the sum over every
    record carrying its task_id, so records outlive the task itself.
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
    usage = UsageField(default=list, blank=True)
    cost = models.DecimalField(max_digits=18, decimal_places=10, default=Decimal(0))
    unpriced = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A constraint, not unique=True: PostgreSQL then keeps no second LIKE index.
            models.UniqueConstraint(fields=["request_id"], name="request_id_unique"),
        ]
        indexes = [
            models.Index(fields=["task_id"], condition=~Q(task_id=""), name="request_task_idx"),
            models.Index(fields=["doc_id"], condition=~Q(doc_id=""), name="request_doc_idx"),
            models.Index(fields=["entity", "created_at"], name="request_entity_created_idx"),
            models.Index(fields=["created_at"], name="request_created_idx"),
            # The admin's "unpriced usage" filter: a few rows, never the whole ledger.
            models.Index(fields=["created_at"], condition=Q(unpriced=True),
                         name="request_unpriced_idx"),
        ]

    def __str__(self):
        return self.request_id


class Meter(models.Model):
    """What a usage line measures: a service's unit, for a model (or any). A record's lines
    name it by id; ids are looked up through a per-process cache (costs/meters.py) and a
    new service type, unit or model gets its row on first use, with no migration."""

    service_type = models.CharField(max_length=40)
    unit = models.CharField(max_length=24)
    model = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["service_type", "unit", "model"]
        constraints = [
            models.UniqueConstraint(fields=["service_type", "unit", "model"], name="meter_unique"),
        ]

    def __str__(self):
        model = f"/{self.model}" if self.model else ""
        return f"{self.service_type}{model} per {self.unit}"


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

    What pages, metrics and entity roll-ups read instead of every record: it grows with
    days, entities and services, not with traffic. `usage_record` adds each use to it in the
    statement that writes the record's usage; `daily_cost_rebuild` recomputes it from the
    ledger. Keyed by unit too, so that `quantity` adds like to like (a chat service bills
    input and output tokens). A record's lines of one meter and price merge into one, so
    `line_count` counts merged lines; `record_count` counts each record once per service,
    in the row of the unit of its first line of that service, so that a service's rows sum
    to the number of records that used it.
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
    record_count = models.BigIntegerField(default=0)

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
