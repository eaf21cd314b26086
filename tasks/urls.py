from django.urls import re_path

from core.routers import OptionalSlashRouter
from tasks.apis import TaskViewSet
from tasks.live.streams import task_stream

router = OptionalSlashRouter()
router.register("tasks", TaskViewSet, basename="task")

urlpatterns = [
    re_path(r"^tasks/(?P<task_id>[^/]+)/stream/?$", task_stream, name="task-stream"),
    *router.urls,
]
