"""Operators see knowledge bases, documents (with their task and ledger) and chunks.

Documents and chunks are the big tables: search matches whole ids (index lookups), filters
list only small tables' rows, and nothing counts the whole table on a page load.
"""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdminMixin
from core.admin_changelist import BigTableAdminMixin
from core.admin_links import ledger_records_link
from core.admin_search import WholeIdSearchMixin
from costs.admin_filters import EntityFilter
from costs.models import Entity
from embeddings.exports import documents_csv_response
from embeddings.models import Chunk, Document, KnowledgeBase
from tasks.models import Task


@admin.register(KnowledgeBase)
class KnowledgeBaseAdmin(admin.ModelAdmin):
    list_display = ["name", "kb_id", "entity", "created_at"]
    list_filter = [EntityFilter]
    search_fields = ["kb_id__exact", "entity__entity_id__exact", "name"]
    search_help_text = "A whole knowledge base id or entity id, or part of a name."
    readonly_fields = ["kb_id", "created_at"]
    list_select_related = ["entity"]


@admin.action(permissions=["view"], description="Export selected documents as CSV")
def export_csv(modeladmin, request, queryset):
    """Stream the documents; with "select all", every document the filters and search match."""
    return documents_csv_response(request, queryset)


@admin.register(Document)
class DocumentAdmin(WholeIdSearchMixin, BigTableAdminMixin, ReadOnlyAdminMixin,
                    admin.ModelAdmin):
    list_display = ["doc_id", "entity", "knowledge_base", "original_filename", "format",
                    "status", "pages", "chunk_count", "size", "task_link", "created_at"]
    list_filter = ["status", "format", EntityFilter, "knowledge_base"]
    # Only enables the search box; get_search_results matches whole ids.
    search_fields = ["doc_id"]
    id_search_columns = ("doc_id", "sha256")
    id_search_related = (("entity", Entity, "entity_id"), ("task", Task, "task_id"))
    search_help_text = ("Whole document ids, task ids, entity ids or SHA-256 digests, "
                        "separated by spaces.")
    date_hierarchy = "created_at"
    list_select_related = ["entity", "knowledge_base", "task"]
    # Only indexed columns: sorting a large table on anything else scans it.
    sortable_by = ["doc_id", "status", "created_at"]
    readonly_fields = ["task_link", "ledger", "chunks_link"]
    actions = [export_csv]

    @admin.display(description="task")
    def task_link(self, document):
        if document.task is None:
            return "-"
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:tasks_task_change", args=[document.task.pk]),
                           document.task.task_id)

    @admin.display(description="cost")
    def ledger(self, document):
        return ledger_records_link(document.doc_id, "request records for this document")

    @admin.display(description="chunks")
    def chunks_link(self, document):
        url = f"{reverse('admin:embeddings_chunk_changelist')}?document__id__exact={document.pk}"
        return format_html('<a href="{}">{} chunks</a>', url, document.chunk_count)

    def has_delete_permission(self, request, obj=None):
        # Deleting a document removes its chunks from search; its cost records stay.
        return request.user.is_superuser


@admin.register(Chunk)
class ChunkAdmin(WholeIdSearchMixin, BigTableAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "document", "position", "page", "start_char", "end_char", "model",
                    "dimensions"]
    # Not the model column: its choices would be a SELECT DISTINCT over every chunk.
    list_filter = ["knowledge_base"]
    # Only enables the search box; get_search_results matches whole document ids, which
    # the (document, position) index then serves.
    search_fields = ["document__doc_id"]
    id_search_related = (("document", Document, "doc_id"),)
    search_help_text = "Whole document ids, separated by spaces."
    list_select_related = ["document"]
    exclude = ["embedding"]
    sortable_by = []
    # The newest documents' chunks first, in position order: the (document, position) index
    # read backwards. The model's order follows the document's own and would join and sort.
    ordering = ["-document_id", "position"]

    def has_delete_permission(self, request, obj=None):
        # Deleting a document deletes its chunks, which the admin checks here.
        return request.user.is_superuser
