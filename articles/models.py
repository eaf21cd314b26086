from django.conf import settings
from django.db import models
from django.db.models import Q


class CostIndex(models.Model):
    """A cost driver an article's cost model is split over (steel, labour, energy, ...).

    The catalogue is editable in the admin; the LLM may only answer with the ids of active
    indices, and `keywords` steer the offline analyser.
    """

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    unit = models.CharField(max_length=30, help_text="What the index is quoted in, e.g. EUR/t.")
    description = models.TextField(blank=True)
    keywords = models.CharField(
        max_length=500, blank=True,
        help_text="Comma-separated words the offline analyser looks for in a specification.",
    )
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "cost indices"

    def __str__(self):
        return self.name


class ProcessingStatus(models.TextChoices):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


class Article(models.Model):
    """A product whose specification an analysis reads: its weight and its cost model.

    The fields analysis clients read (docs/api.md, Client contract), plus who it belongs to
    and the task that analyses it. The status mirrors the task in four values (pending,
    processing, completed, failed): clients stop polling only on completed or failed, so a
    cancelled analysis reads as failed.
    """

    article_name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)
    unit_weight = models.DecimalField(
        max_digits=18, decimal_places=6, null=True, blank=True, help_text="kg per unit."
    )
    processing_status = models.CharField(
        max_length=20, choices=ProcessingStatus.choices, default=ProcessingStatus.PENDING
    )
    processing_error = models.TextField(null=True, blank=True)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    processing_completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    entity = models.ForeignKey(
        "costs.Entity", null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # The latest analysis; SET_NULL because finished tasks are purged after retention.
    task = models.OneToOneField(
        "tasks.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="article"
    )

    # How the result was reached: provider, model, cache key, notes (cut text, no weight).
    analysis_provider = models.CharField(max_length=30, blank=True)
    analysis_model = models.CharField(max_length=100, blank=True)
    analysis_key = models.CharField(max_length=64, blank=True)
    analysis_notes = models.JSONField(default=list, blank=True)
    cached_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The weight step's outcome within the current run, kept so a retried attempt does not
    # pay for it twice; unit_weight itself is only written when the analysis completes.
    weight_extracted = models.BooleanField(default=False)
    extracted_weight = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["processing_status"], name="article_status_idx"),
            models.Index(fields=["entity", "created_at"], name="article_entity_created_idx"),
            models.Index(fields=["created_at"], name="article_created_idx"),
            models.Index(fields=["analysis_key"], condition=Q(processing_status="completed"),
                         name="article_cache_idx"),
        ]

    def __str__(self):
        return self.article_name


class FileRole(models.TextChoices):
    SPECIFICATION = "specification"
    DRAWING = "drawing"


class ArticleFile(models.Model):
    """An uploaded file of an article: its product specification or its drawing."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=20, choices=FileRole.choices)
    file = models.FileField(upload_to="articles/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "role"], name="article_file_role_unique"),
        ]

    def __str__(self):
        return f"{self.role}: {self.original_name}"


class CostModelLine(models.Model):
    """One share of an article's cost model: `part` percent of its cost follows `cost_index`."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="cost_models")
    cost_index = models.ForeignKey(CostIndex, on_delete=models.PROTECT, related_name="+")
    part = models.DecimalField(max_digits=5, decimal_places=2, help_text="Percent of the cost.")

    class Meta:
        ordering = ["-part", "cost_index_id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "cost_index"], name="cost_line_unique"),
            models.CheckConstraint(condition=Q(part__gt=0) & Q(part__lte=100),
                                   name="cost_line_part_range"),
        ]

    def __str__(self):
        return f"{self.cost_index}: {self.part}%"
