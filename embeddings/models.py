import secrets
import uuid

from django.db import models

from embeddings.extraction import DocumentFormat


def new_doc_id() -> str:
    return f"doc_{secrets.token_hex(8)}"


def new_knowledge_base_id() -> str:
    return str(uuid.uuid4())


class KnowledgeBase(models.Model):
    """A searchable collection of one entity's documents (an embedding task's knowledge_base_id)."""

    kb_id = models.CharField("knowledge base id", max_length=64, unique=True,
                             default=new_knowledge_base_id)
    entity = models.ForeignKey("costs.Entity", on_delete=models.PROTECT,
                               related_name="knowledge_bases")
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    DEFAULT_NAME = "default"

    class Meta:
        ordering = ["entity", "name"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "name"], name="kb_entity_name_unique"),
        ]

    def __str__(self):
        return f"{self.entity_id}/{self.name}"


class DocumentStatus(models.TextChoices):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Document(models.Model):
    """One uploaded file or submitted text, and what its embedding produced.

    The domain tracking row of its task (docs/tasks.md): one-to-one with the task, which holds
    the progress; the file is kept under a generated name, never the client's.
    """

    doc_id = models.CharField(max_length=64, default=new_doc_id)
    entity = models.ForeignKey("costs.Entity", on_delete=models.PROTECT, related_name="documents")
    knowledge_base = models.ForeignKey(KnowledgeBase, on_delete=models.PROTECT,
                                       related_name="documents")
    task = models.OneToOneField("tasks.Task", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="document")
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    format = models.CharField(max_length=8, choices=DocumentFormat.choices)
    encoding = models.CharField(max_length=20, blank=True, help_text="Text formats only.")
    stored_name = models.CharField(max_length=100, help_text="Under MEDIA_ROOT/documents/.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(null=True, blank=True)
    chunk_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=DocumentStatus.choices,
                              default=DocumentStatus.PENDING)
    error_message = models.TextField(blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "doc_id"], name="document_entity_doc_unique"),
        ]
        indexes = [
            models.Index(fields=["doc_id"], name="document_doc_id_idx"),
            models.Index(fields=["knowledge_base", "status"], name="document_kb_status_idx"),
            models.Index(fields=["status"], name="document_status_idx"),
            models.Index(fields=["created_at"], name="document_created_idx"),
            models.Index(fields=["sha256"], name="document_sha256_idx"),
        ]

    def __str__(self):
        return self.doc_id


class Chunk(models.Model):
    """A span of a document's extracted text and its embedding (float32, little-endian)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="chunks")
    # Denormalised from the document: search scans one knowledge base's chunks by index.
    knowledge_base = models.ForeignKey(KnowledgeBase, on_delete=models.CASCADE,
                                       related_name="chunks", db_index=False)
    position = models.PositiveIntegerField()
    text = models.TextField()
    start_char = models.PositiveBigIntegerField()
    end_char = models.PositiveBigIntegerField()
    page = models.PositiveIntegerField(null=True, blank=True)
    embedding = models.BinaryField()
    model = models.CharField(max_length=100)
    dimensions = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="chunk_document_position_unique"),
        ]
        indexes = [
            models.Index(fields=["knowledge_base", "id"], name="chunk_kb_idx"),
        ]

    def __str__(self):
        return f"{self.document_id}#{self.position}"

    @property
    def chunk_id(self) -> str:
        return f"chunk_{self.pk}"
