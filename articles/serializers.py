from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Article, ArticleFile, CostIndex, CostModelLine
from tasks.live.addresses import task_stream_url


def stream_url(task_id: str | None) -> str | None:
    """Where the task's Server-Sent Events stream is served, if the article has a task."""
    return task_stream_url(task_id) if task_id else None


class AnalyzeSerializer(serializers.Serializer):
    """The analyze multipart form, plus the entity to bill and a cache bypass.

    The form's fields are the analysis clients' (docs/api.md, Client contract).
    """

    articleName = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, allow_null=True,
                                        default=None)
    productSpecification = serializers.FileField()
    drawing = serializers.FileField(required=False, allow_null=True, default=None)
    entity_id = serializers.CharField(required=False, allow_null=True, default=None)
    fresh = serializers.BooleanField(
        required=False, default=False,
        help_text="Analyse again even if the same specification was analysed before.")


class CostIndexSerializer(serializers.ModelSerializer):
    class Meta:
        model = CostIndex
        fields = ["id", "code", "name", "unit", "description", "is_active"]


class CostModelLineSerializer(serializers.ModelSerializer):
    index_id = serializers.IntegerField(source="cost_index_id")
    index_code = serializers.CharField(source="cost_index.code")
    index_name = serializers.CharField(source="cost_index.name")

    class Meta:
        model = CostModelLine
        fields = ["index_id", "index_code", "index_name", "part"]


class ArticleFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")

    class Meta:
        model = ArticleFile
        fields = ["role", "name", "content_type", "size", "sha256", "uploaded_at"]


class ArticleStatusSerializer(serializers.ModelSerializer):
    """The lightweight status clients poll, plus the live step and the task."""

    task_id = serializers.CharField(source="task.task_id", default=None)
    progress = serializers.SerializerMethodField(help_text="Percent complete, 0-100.")
    progress_text = serializers.CharField(source="task.progress_text", default=None)
    stream_url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["id", "processing_status", "processing_error", "processing_started_at",
                  "processing_completed_at", "task_id", "progress", "progress_text", "stream_url"]

    def get_progress(self, article) -> float | None:
        if article.processing_status == "completed":
            return 100.0
        return round(article.task.progress * 100, 1) if article.task else None

    def get_stream_url(self, article) -> str | None:
        return stream_url(article.task.task_id if article.task else None)


class ArticleSerializer(ArticleStatusSerializer):
    """The article with its cost model, files and how it was analysed."""

    unit_weight = serializers.DecimalField(max_digits=18, decimal_places=6, coerce_to_string=False,
                                           allow_null=True, help_text="kg per unit.")
    entity_id = serializers.CharField(source="entity.entity_id", default=None)
    cost_models = CostModelLineSerializer(many=True)
    files = ArticleFileSerializer(many=True)
    analysis = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["id", "article_name", "description", "unit_weight", "processing_status",
                  "processing_error", "processing_started_at", "processing_completed_at",
                  "created_at", "updated_at", "entity_id", "task_id", "stream_url", "progress",
                  "progress_text", "cost_models", "files", "analysis"]

    def get_analysis(self, article) -> dict:
        return {
            "provider": article.analysis_provider or None,
            "model": article.analysis_model or None,
            "cached": article.cached_from_id is not None,
            "cached_from_article_id": article.cached_from_id,
            "notes": article.analysis_notes,
        }


class ArticleCreatedSerializer(ArticleSerializer):
    """The answer to a request that queued an analysis: the article and the task's estimate."""

    estimated_cost_usd = serializers.SerializerMethodField(
        help_text="The analysis's estimate, reserved against the entity's budgets.")

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "estimated_cost_usd"]

    @extend_schema_field(serializers.DecimalField(max_digits=None, decimal_places=None,
                                                  coerce_to_string=False))
    def get_estimated_cost_usd(self, article):
        return self.context["estimate"].total
