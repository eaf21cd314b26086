"""Reads on knowledge bases, documents and embedding tasks, scoped to the asking user."""
from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from core.exceptions import NotFoundError
from embeddings.models import Document, KnowledgeBase
from embeddings.services import EMBEDDING_KINDS
from tasks.models import Task, TaskStatus
from tasks.selectors import queue_status, task_visible


def knowledge_base_visible(*, user) -> QuerySet[KnowledgeBase]:
    kbs = KnowledgeBase.objects.select_related("entity")
    return kbs if user.is_staff else kbs.filter(entity__members=user)


def knowledge_base_get(*, user, kb_id: str, entity=None) -> KnowledgeBase:
    """A visible knowledge base (of `entity`, if given), else 404 whether hidden or absent."""
    kbs = knowledge_base_visible(user=user).filter(kb_id=str(kb_id))
    if entity is not None:
        kbs = kbs.filter(entity=entity)
    kb = kbs.first()
    if kb is None:
        raise NotFoundError(f"Knowledge base {kb_id} not found")
    return kb


def document_list(*, knowledge_base: KnowledgeBase) -> QuerySet[Document]:
    return knowledge_base.documents.select_related("task", "entity", "knowledge_base")


def embedding_tasks_visible(*, user) -> QuerySet[Task]:
    return task_visible(user=user).filter(kind__in=EMBEDDING_KINDS)


def embedding_task_get(*, user, task_id: str) -> Task:
    task = (embedding_tasks_visible(user=user).select_related("entity", "document",
                                                              "document__knowledge_base")
            .filter(task_id=task_id).first())
    if task is None:
        raise NotFoundError(f"Task {task_id} not found")
    return task


def embedding_queue_status(*, user) -> dict:
    """The queue status over the visible embedding tasks."""
    return queue_status(user=user, tasks=embedding_tasks_visible(user=user))


def embedding_metrics(*, user, minutes: int) -> dict:
    """Performance metrics over embedding tasks finished in the last `minutes`."""
    since = timezone.now() - timedelta(minutes=minutes)
    tasks = embedding_tasks_visible(user=user)
    finished = tasks.filter(completed_at__gte=since, status__in=[
        TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED])
    numbers = finished.aggregate(
        completed=Count("id", filter=Q(status=TaskStatus.COMPLETED)),
        failed=Count("id", filter=Q(status=TaskStatus.FAILED)),
        cancelled=Count("id", filter=Q(status=TaskStatus.CANCELLED)),
        retried=Count("id", filter=Q(attempts__gt=1)),
        total=Count("id"),
    )
    durations = finished.filter(status=TaskStatus.COMPLETED).aggregate(
        processing=Avg(ExpressionWrapper(F("completed_at") - F("started_at"),
                                         output_field=DurationField())),
        end_to_end=Avg(ExpressionWrapper(F("completed_at") - F("created_at"),
                                         output_field=DurationField())),
    )
    decided = numbers["completed"] + numbers["failed"]

    def seconds(value):
        return round(value.total_seconds(), 3) if value is not None else None

    return {
        "window_minutes": minutes,
        "average_processing_time_seconds": seconds(durations["processing"]),
        "average_end_to_end_time_seconds": seconds(durations["end_to_end"]),
        "queue_depth": tasks.filter(status=TaskStatus.PENDING).count(),
        "active_tasks": tasks.filter(status=TaskStatus.PROCESSING).count(),
        "success_rate": round(100 * numbers["completed"] / decided, 2) if decided else None,
        "retry_rate": round(100 * numbers["retried"] / numbers["total"], 2) if numbers["total"] else None,
        "throughput_per_minute": round(numbers["completed"] / minutes, 3),
        "completed": numbers["completed"],
        "failed": numbers["failed"],
        "cancelled": numbers["cancelled"],
    }
