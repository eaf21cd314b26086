from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

api_patterns = [
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
