from django.urls import re_path

from articles.apis import AnalyzeApi, ArticleViewSet, CostIndexViewSet
from core.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("articles", ArticleViewSet, basename="article")
router.register("cost-indices", CostIndexViewSet, basename="cost-index")

urlpatterns = [
    re_path(r"^analyze/?$", AnalyzeApi.as_view(), name="article-analyze"),
    *router.urls,
]
