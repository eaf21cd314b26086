"""bench/admin/driver.py at a small size: the generated rows hold together and every page answers."""
import argparse

import pytest
from django.db import connection
from django.db.models import Sum

from articles.models import Article, CostModelLine
from costs.models import DailyCost
from embeddings.models import Chunk, Document
from tasks.models import Task, TaskEvent
from tests.ledger import lines_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="bench/admin/driver.py fills its rows with PostgreSQL's COPY; the admin "
                              "bench runs on PostgreSQL only"),
]


def test_bench_admin_generates_consistent_rows_and_times_every_page(monkeypatch):
    from bench.admin import driver as admin

    generated = admin.generate(argparse.Namespace(
        records=3000, tasks=3000, entities=5, days=3, documents=40, chunks=4, articles=30))

    assert Task.objects.count() == 3000
    assert TaskEvent.objects.count() == generated["events"] > 3000
    assert Document.objects.count() == generated["documents"] == 40
    assert Chunk.objects.count() == generated["chunks"] > 0
    assert Article.objects.count() == 30 and CostModelLine.objects.exists()
    # What the framework guarantees: finished tasks carry completed_at, pending never started.
    assert not Task.objects.filter(status="completed", completed_at__isnull=True).exists()
    assert not Task.objects.filter(status="pending", started_at__isnull=False).exists()
    assert Task.objects.filter(status="processing").count() == admin.PROCESSING
    assert not Document.objects.exclude(task__kind=admin._kind_names()["upload"]).exists()
    assert not TaskEvent.objects.filter(task__isnull=True).exists()
    # The roll-up was built from the COPY-loaded lines, to the last digit.
    lines = lines_of()
    assert DailyCost.objects.aggregate(lines=Sum("line_count"), cost=Sum("cost")) == {
        "lines": len(lines), "cost": sum(line.cost for line in lines)}
    assert generated["ledger"]["rollup_rows"] == DailyCost.objects.count() > 0
    long_task = Task.objects.get(task_id=generated["long_task_id"])
    assert long_task.events.count() > admin.LONG_TASK_EVENTS

    measured = admin.measure(argparse.Namespace(repeats=1,
                                                long_task_id=generated["long_task_id"]))

    assert len(measured["pages"]) > 30
    assert all(page["p50_ms"] > 0 and page["queries"] > 0 for page in measured["pages"].values())
