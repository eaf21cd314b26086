from django.urls import re_path

from core.routers import OptionalSlashRouter
from embeddings.apis import (
    DocumentUploadApi, EmbeddingMetricsApi, EmbeddingTaskViewSet, KnowledgeBaseViewSet,
)

router = OptionalSlashRouter()
router.register("embedding-tasks", EmbeddingTaskViewSet, basename="embedding_task")
router.register("knowledge-bases", KnowledgeBaseViewSet, basename="knowledge_base")

urlpatterns = [
    re_path(r"^entities/(?P<entity_id>[^/]+)/files/?$", DocumentUploadApi.as_view(),
            name="entity-files"),
    re_path(r"^metrics/embedding-tasks/?$", EmbeddingMetricsApi.as_view(),
            name="embedding-task-metrics"),
    *router.urls,
]
