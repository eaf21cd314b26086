from config.routers import OptionalSlashRouter
from tasks.apis import TaskViewSet

router = OptionalSlashRouter()
router.register("tasks", TaskViewSet, basename="task")

urlpatterns = router.urls
