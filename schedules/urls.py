from core.routers import OptionalSlashRouter
from schedules.apis import ScheduleViewSet

router = OptionalSlashRouter()
router.register("schedules", ScheduleViewSet, basename="schedule")

urlpatterns = router.urls
