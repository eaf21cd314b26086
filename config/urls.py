from django.contrib import admin
from django.urls import include, path

api_patterns = [
    path("", include("tasks.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"), namespace="api-v1")),
    path("api/", include((api_patterns, "api"), namespace="api")),
    path("api-auth/", include("rest_framework.urls")),
]
