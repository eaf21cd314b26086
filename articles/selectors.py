"""Reads on articles and the cost-index catalogue, scoped to what the asking user may see."""
import hashlib
import json

from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from articles.filters import ArticleFilter
from articles.models import Article, CostIndex, FileRole, ProcessingStatus
from core.exceptions import NotFoundError


def article_visible(*, user) -> QuerySet[Article]:
    """Articles of the user's entities; every article for staff."""
    articles = Article.objects.all()
    return articles if user.is_staff else articles.filter(entity__members=user)


def article_get(*, user, article_id) -> Article:
    """Return a visible article or raise 404, the same whether it is hidden or absent."""
    try:
        pk = int(str(article_id))
    except ValueError:
        pk = None
    article = (
        article_visible(user=user).select_related("entity", "task")
        .prefetch_related("files", "cost_models__cost_index").filter(pk=pk).first()
        if pk is not None and 0 < pk < 2**63 else None
    )
    if article is None:
        raise NotFoundError(f"Article {article_id} not found")
    return article


def article_list(*, user, filters) -> QuerySet[Article]:
    """Filter visible articles; an invalid filter value is a 400 naming what is accepted."""
    filterset = ArticleFilter(filters, queryset=article_visible(user=user))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs.select_related("entity", "task").prefetch_related(
        "files", "cost_models__cost_index")


def cost_index_list(*, active_only: bool = True) -> QuerySet[CostIndex]:
    indices = CostIndex.objects.all()
    return indices.filter(is_active=True) if active_only else indices


def cost_index_catalogue() -> list[dict]:
    """The active catalogue as the analysis uses it (the model may answer only these ids)."""
    return list(cost_index_list().values("id", "code", "name", "unit", "description", "keywords"))


def analysis_key(*, spec_text: str, article_name: str, description: str | None, provider: str,
                 model: str, catalogue: list[dict]) -> str:
    """The cache key: what an analysis's answer depends on (text, prompt inputs, model, catalogue)."""
    payload = json.dumps([spec_text, article_name, description or "", provider, model, catalogue],
                         sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def article_cached_find(*, key: str, entity_id, exclude_pk: int) -> Article | None:
    """The latest completed analysis with this key for the same entity, if any."""
    return (
        Article.objects.filter(analysis_key=key, processing_status=ProcessingStatus.COMPLETED,
                               entity_id=entity_id)
        .exclude(pk=exclude_pk).order_by("-processing_completed_at", "-id")
        .prefetch_related("cost_models").first()
    )


def article_specification(*, article: Article):
    """The article's specification file row (required at upload, so normally present)."""
    return article.files.filter(role=FileRole.SPECIFICATION).first()
