import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


def new_task_id() -> str:
    return f"task_{secrets.token_hex(8)}"


class TaskStatus(models.TextChoices):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TaskPriority(models.IntegerChoices):
    """Stored as a number so the dispatcher can order by it; shown and accepted by name."""

    LOW = 0, "low"
    NORMAL = 1, "normal"
    HIGH = 2, "high"
    CRITICAL = 3, "critical"

    @classmethod
    def from_name(cls, name: str) -> "TaskPriority":
        """The priority by name, in any case: clients send `HIGH` as well as `high`."""
        for member in cls:
            if member.label == str(name).strip().lower():
                return member
        raise ValueError(name)


FINISHED_STATUSES = (TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED)
ACTIVE_STATUSES = (TaskStatus.PENDING, TaskStatus.PROCESSING)


class Task(models.Model):
    """One unit of tracked background work: the queue of record and its live state.

    django-q2 executes tasks, but only as many as there are free slots are handed to it;
    priority, retries, timeouts, cancellation and recovery live here (docs/tasks.md).
    """

    task_id = models.CharField(max_length=64, unique=True, default=new_task_id)
    kind = models.CharField(max_length=64)
    entity = models.ForeignKey(
        "costs.Entity", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=20, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    priority = models.PositiveSmallIntegerField(
        choices=TaskPriority.choices, default=TaskPriority.NORMAL
    )

    progress = models.FloatField(default=0.0)
    progress_text = models.CharField(max_length=500, blank=True)
    processed_units = models.PositiveBigIntegerField(null=True, blank=True)
    total_units = models.PositiveBigIntegerField(null=True, blank=True)
    eta = models.DateTimeField(null=True, blank=True)

    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="dependents"
    )

    params = models.JSONField(default=dict, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error_message = models.TextField(blank=True)

    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=4)
    timeout_seconds = models.PositiveIntegerField(default=300)
    cancel_requested = models.BooleanField(default=False)

    q_task_id = models.CharField("django-q2 task id", max_length=64, blank=True)
    worker = models.CharField(max_length=255, blank=True, help_text="host:pid of the last attempt")
    dispatch_token = models.CharField(max_length=32, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    run_after = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status"], name="task_status_idx"),
            models.Index(fields=["kind", "status"], name="task_kind_status_idx"),
            models.Index(fields=["entity", "created_at"], name="task_entity_created_idx"),
            models.Index(fields=["priority"], name="task_priority_idx"),
            models.Index(fields=["created_at"], name="task_created_idx"),
            models.Index(fields=["created_at", "completed_at"], name="task_dates_idx"),
            models.Index(fields=["completed_at"], name="task_completed_idx"),
            # The dispatcher's count of slots in use: running, or claimed and not started.
            models.Index(
                fields=["status"],
                condition=Q(status="processing") | (Q(status="pending") & ~Q(dispatch_token="")),
                name="task_slot_idx",
            ),
            # The dispatcher's scan: waiting tasks, highest priority first, oldest first.
            models.Index(
                fields=["-priority", "created_at", "id"],
                condition=Q(status="pending", dispatch_token=""),
                name="task_ready_idx",
            ),
        ]

    def __str__(self):
        return self.task_id

    @property
    def priority_name(self) -> str:
        return TaskPriority(self.priority).label

    @property
    def retry_count(self) -> int:
        return max(self.attempts - 1, 0)

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES


class TaskEventType(models.TextChoices):
    STARTED = "task_started"
    PROGRESS = "progress_update"
    COMPLETED = "task_completed"
    FAILED = "task_failed"
    CANCELLED = "task_cancelled"
    RETRYING = "task_retrying"


class TaskEvent(models.Model):
    """A persisted, ordered record of one state change or kept progress report.

    The id is the event's sequence number. Every event is written in the transaction that
    locked and updated its task's row, so a task's events commit in id order and a client
    that asks for events after N never misses one committed later with a smaller id.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField(max_length=32, choices=TaskEventType.choices)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["task", "id"], name="taskevent_task_seq_idx"),
            models.Index(fields=["event_type", "id"], name="taskevent_type_seq_idx"),
        ]

    def __str__(self):
        return f"{self.task_id}#{self.id} {self.event_type}"

    @property
    def seq(self) -> int:
        return self.id


class ClusterHeartbeat(models.Model):
    """A running qcluster, as its dispatcher tick last reported it: who is working, and since when.

    One row per cluster process, refreshed every tick and removed on a clean stop, so
    health checks and operators see how many clusters are alive and how fresh the newest is.
    """

    name = models.CharField(max_length=200, unique=True, help_text="cluster name@host:pid")
    cluster = models.CharField(max_length=100)
    host = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    workers = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    rebuilds = models.PositiveIntegerField(
        default=0, help_text="times its queues and processes were rebuilt after a death or wedge")
    last_rebuild_at = models.DateTimeField(null=True, blank=True)
    stalled_since = models.DateTimeField(
        null=True, blank=True,
        help_text="since when tasks wait in its hand-off queue while a worker idles")
    code_version = models.CharField(
        max_length=64, blank=True,
        help_text="a digest of the code it runs; clusters from different checkouts differ")
    job_kinds = models.JSONField(default=list, blank=True, help_text="the job kinds it can run")

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self):
        return self.name
