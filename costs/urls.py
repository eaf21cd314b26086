from django.urls import re_path

from core.routers import OptionalSlashRouter
from costs.apis import (
    DocumentCostApi, EntityCostApi, EntityCreateApi, RequestRecordViewSet, TaskCostApi,
)

router = OptionalSlashRouter()
router.register("requests", RequestRecordViewSet, basename="request")

# Each route matches with or without a trailing slash, as the router's do.
urlpatterns = [
    re_path(r"^tasks/(?P<task_id>[^/]+)/cost/?$", TaskCostApi.as_view(), name="task-cost"),
    re_path(r"^documents/(?P<doc_id>[^/]+)/cost/?$", DocumentCostApi.as_view(),
            name="document-cost"),
    re_path(r"^entities/(?P<entity_id>[^/]+)/costs/?$", EntityCostApi.as_view(),
            name="entity-costs"),
    re_path(r"^entities/?$", EntityCreateApi.as_view(), name="entities"),
    *router.urls,
]
