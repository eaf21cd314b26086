"""The admin's CSV export of documents: streamed, flat memory at any size."""
from django.utils import timezone

from costs.renderers import csv_response

EXPORT_BATCH = 2000
CSV_COLUMNS = (
    "doc_id", "entity_id", "knowledge_base", "task_id", "original_filename", "format", "status",
    "pages", "chunk_count", "size", "sha256", "error_message", "created_at", "updated_at",
)
_SOURCES = (
    "doc_id", "entity__entity_id", "knowledge_base__kb_id", "task__task_id", "original_filename",
    "format", "status", "pages", "chunk_count", "size", "sha256", "error_message", "created_at",
    "updated_at",
)


def documents_csv_response(request, queryset):
    """Stream these documents as CSV, in the changelist's order."""
    return csv_response(
        request,
        filename=f"documents-{timezone.now():%Y%m%dT%H%M%SZ}.csv",
        header=list(CSV_COLUMNS),
        rows=queryset.values_list(*_SOURCES).iterator(chunk_size=EXPORT_BATCH),
    )
