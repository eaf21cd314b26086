"""What the schedule endpoints answer, for the OpenAPI schema (schedules/apis.py stays thin)."""
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.schema import error_responses, paginated
from schedules.serializers import ScheduleRunSerializer, ScheduleSerializer, ScheduleWriteSerializer

schedule_viewset_schema = extend_schema_view(
    create=extend_schema(request=ScheduleWriteSerializer, responses={201: ScheduleSerializer}),
    partial_update=extend_schema(request=ScheduleWriteSerializer,
                                 responses={200: ScheduleSerializer}),
    retrieve=extend_schema(responses=ScheduleSerializer),
    run_now=extend_schema(request=None, responses={201: ScheduleRunSerializer, **error_responses(
        e409="The schedule's state does not allow a run now.")}),
    pause=extend_schema(request=None, responses={200: ScheduleSerializer}),
    resume=extend_schema(request=None, responses={200: ScheduleSerializer}),
    runs=extend_schema(responses=paginated("PaginatedScheduleRunList", "runs",
                                           ScheduleRunSerializer)),
)
