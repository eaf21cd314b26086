from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView,
)

from core.throttling import login_throttled

api_patterns = [
    # First: /tasks/{task_id}/cost is the ledger's with the budget's estimate beside it
    # (budgets.apis.TaskCostEstimateApi extends costs'), whatever the task viewset routes.
    path("", include("budgets.urls")),
    # Before tasks: /tasks/{task_id}/cost is the ledger's, whatever the task viewset routes.
    path("", include("costs.urls")),
    path("", include("tasks.urls")),
    path("", include("schedules.urls")),
    path("", include("embeddings.urls")),
    path("", include("articles.urls")),
]

urlpatterns = [
    path("", include("tasks.page_urls")),
    path("", include("operations.urls")),  # before admin/: its overview page is admin/overview/
    # The sign-in forms, held back while an address fails too often (AUTH_FAILURE_RATE).
    path("admin/login/", login_throttled(admin.site.login)),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"), namespace="api-v1")),
    path("api/", include((api_patterns, "api"), namespace="api")),
    path("api-auth/login/", login_throttled(auth_views.LoginView.as_view(
        template_name="rest_framework/login.html"))),
    path("api-auth/", include("rest_framework.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]

handler404 = "core.views.not_found"
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler500 = "core.views.server_error"
