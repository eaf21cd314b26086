from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

api_patterns = [
    # Before tasks: /tasks/{task_id}/cost is the ledger's, whatever the task viewset routes.
    path("", include("costs.urls")),
    path("", include("tasks.urls")),
]

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"), namespace="api-v1")),
    path("api/", include((api_patterns, "api"), namespace="api")),
    path("api-auth/", include("rest_framework.urls")),
]

handler404 = "config.views.not_found"
