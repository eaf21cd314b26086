from django.urls import re_path

from budgets.apis import EntityBudgetsApi, EstimateApi, TaskCostEstimateApi

# Each route matches with or without a trailing slash, as the router's do.
urlpatterns = [
    re_path(r"^entities/(?P<entity_id>[^/]+)/budgets/?$", EntityBudgetsApi.as_view(),
            name="entity-budgets"),
    re_path(r"^estimate/?$", EstimateApi.as_view(), name="estimate"),
    re_path(r"^tasks/(?P<task_id>[^/]+)/cost/?$", TaskCostEstimateApi.as_view(), name="task-cost"),
]
