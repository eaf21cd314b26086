"""The big tables' changelists: capped counts, bounded date hierarchy, nothing over the table."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.services import task_create

pytestmark = pytest.mark.django_db

TASKS = reverse("admin:tasks_task_changelist")
EVENTS = reverse("admin:tasks_taskevent_changelist")


def test_capped_count_paginator_says_more_than_past_the_cap(admin_client, monkeypatch):
    monkeypatch.setattr("core.admin_changelist.COUNT_CAP", 3)
    monkeypatch.setattr("tasks.admin.TaskAdmin.list_per_page", 2)
    tasks = [task_create(kind="noop") for _ in range(5)]

    response = admin_client.get(TASKS)

    content = response.content.decode()
    assert "more than 3 tasks" in content
    assert [task.task_id for task in response.context["cl"].result_list] == [
        task.task_id for task in reversed(tasks[-2:])]
    assert response.context["cl"].paginator.num_pages == 2  # 4 counted, 2 per page


def test_capped_count_paginator_counts_exactly_below_the_cap(admin_client):
    for _ in range(3):
        task_create(kind="noop")

    content = admin_client.get(TASKS).content.decode()

    assert "3 tasks" in content and "more than" not in content


@pytest.mark.parametrize("url", [TASKS, EVENTS, reverse("admin:embeddings_document_changelist"),
                                 reverse("admin:embeddings_chunk_changelist"),
                                 reverse("admin:articles_article_changelist"),
                                 reverse("admin:costs_requestrecord_changelist")])
def test_big_table_changelists_count_at_most_the_cap(admin_client, url):
    task_create(kind="noop")
    admin_client.get(url)  # warms filter choices that are cached

    with CaptureQueriesContext(connection) as captured:
        assert admin_client.get(url).status_code == 200

    queries = [query["sql"] for query in captured.captured_queries]
    counts = [sql for sql in queries if "COUNT(" in sql.upper() and "django_" not in sql
              and "auth_" not in sql]
    assert counts and all("LIMIT 10001" in sql for sql in counts), counts
    assert not [sql for sql in queries if "DISTINCT" in sql.upper()], queries


def test_task_date_hierarchy_is_bounded_by_first_and_last_task(admin_client):
    task_create(kind="noop")

    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(TASKS)

    periods = response.context["cl"].date_periods["choices"]
    assert periods and periods[0]["title"]
    assert not [q["sql"] for q in captured.captured_queries if "DISTINCT" in q["sql"].upper()]
