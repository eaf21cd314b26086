"""The operator's endpoints: the admin overview, the health probes and /metrics."""
from django.contrib import admin
from django.urls import path

from operations.health import healthz, livez, readyz
from operations.metrics import metrics
from operations.overview import overview

urlpatterns = [
    path("admin/overview/", admin.site.admin_view(overview), name="admin-overview"),
    path("livez", livez, name="livez"),
    path("readyz", readyz, name="readyz"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]
