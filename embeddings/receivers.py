"""Keep a document's status in step with its task's, in the same transaction (search reads
completed documents), and remove its stored file with it."""
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from embeddings import storage
from embeddings.models import Document, DocumentStatus
from embeddings.services import EMBEDDING_KINDS
from tasks.models import TaskEventType
from tasks.signals import task_event_recorded

_STATUS_FOR = {
    TaskEventType.STARTED: DocumentStatus.PROCESSING,
    TaskEventType.COMPLETED: DocumentStatus.COMPLETED,
    TaskEventType.FAILED: DocumentStatus.FAILED,
    TaskEventType.CANCELLED: DocumentStatus.CANCELLED,
    TaskEventType.RETRYING: DocumentStatus.PENDING,
}


@receiver(task_event_recorded)
def document_status_follow(sender, event, task, **kwargs):
    status = _STATUS_FOR.get(event.event_type)
    if status is None or task.kind not in EMBEDDING_KINDS:
        return
    Document.objects.filter(task_id=task.pk).update(
        status=status, error_message=task.error_message if status != DocumentStatus.COMPLETED else "",
    )


@receiver(post_delete, sender=Document)
def document_file_remove(sender, instance, **kwargs):
    """The stored file goes once the deletion commits (a rollback keeps both)."""
    name = instance.stored_name
    transaction.on_commit(lambda: storage.file_delete(name))
