from rest_framework import serializers

from core.serializers import BlankAsNullCharField
from embeddings.models import Document, KnowledgeBase
from tasks.live.addresses import task_stream_url
from tasks.models import Task


class KnowledgeBaseSerializer(serializers.ModelSerializer):
    knowledge_base_id = serializers.CharField(source="kb_id", read_only=True)
    entity_id = serializers.CharField(source="entity.entity_id", read_only=True)
    document_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = KnowledgeBase
        fields = ["knowledge_base_id", "name", "entity_id", "created_at", "document_count"]


class KnowledgeBaseCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    entity_id = serializers.CharField(required=False, allow_null=True, default=None)


class DocumentSerializer(serializers.ModelSerializer):
    document_id = serializers.CharField(source="doc_id")
    knowledge_base_id = serializers.CharField(source="knowledge_base.kb_id")
    entity_id = serializers.CharField(source="entity.entity_id")
    task_id = serializers.CharField(source="task.task_id", default=None)
    error_message = BlankAsNullCharField()

    class Meta:
        model = Document
        fields = ["document_id", "knowledge_base_id", "entity_id", "task_id",
                  "original_filename", "content_type", "format", "size", "sha256", "pages",
                  "chunk_count", "status", "error_message", "metadata", "created_at",
                  "updated_at"]


class EmbeddingTaskCreateSerializer(serializers.Serializer):
    """An embedding task's create body; the service checks content, priority and ids."""

    document_id = serializers.CharField(required=False, allow_null=True, default=None)
    knowledge_base_id = serializers.CharField(required=False, allow_null=True, default=None)
    entity_id = serializers.CharField(required=False, allow_null=True, default=None)
    content = serializers.CharField(allow_blank=True, trim_whitespace=False)
    metadata = serializers.JSONField(required=False, default=dict)
    priority = serializers.CharField(required=False, default="normal")


class EmbeddingTaskSerializer(serializers.ModelSerializer):
    """An embedding task's progress fields (docs/api.md, Client contract), plus the document's."""

    progress = serializers.SerializerMethodField(help_text="Percent complete, 0-100.")
    processed_chunks = serializers.IntegerField(source="processed_units", allow_null=True)
    total_chunks = serializers.IntegerField(source="total_units", allow_null=True)
    error_message = BlankAsNullCharField()
    retry_count = serializers.IntegerField()
    priority = serializers.CharField(source="priority_name")
    document_id = serializers.CharField(source="document.doc_id", default=None)
    knowledge_base_id = serializers.CharField(source="document.knowledge_base.kb_id", default=None)
    pages = serializers.IntegerField(source="document.pages", default=None)
    chunk_count = serializers.IntegerField(source="document.chunk_count", default=None)
    stream_url = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["task_id", "status", "progress", "processed_chunks", "total_chunks", "eta",
                  "created_at", "started_at", "completed_at", "error_message", "retry_count",
                  "priority", "progress_text", "document_id", "knowledge_base_id", "pages",
                  "chunk_count", "stream_url"]

    def get_progress(self, task) -> int:
        return int(task.progress * 100)

    def get_stream_url(self, task) -> str:
        return stream_url(task)


def stream_url(task: Task) -> str:
    """The task's Server-Sent Events stream, served by the tasks app."""
    return task_stream_url(task.task_id)


class SearchResultSerializer(serializers.Serializer):
    chunk_id = serializers.CharField()
    document_id = serializers.CharField()
    score = serializers.FloatField()
    text = serializers.CharField()
    position = serializers.IntegerField()
    page = serializers.IntegerField(allow_null=True)
    start_char = serializers.IntegerField()
    end_char = serializers.IntegerField()
