"""Driver: N article analyses through a running qcluster against the OpenAI test server.

    python -m bench.articles.driver --count 200 --port P --latency 0.2

Starts the scripted OpenAI-compatible server (testsupport/analyst.py) on 127.0.0.1:P in
this process (the qcluster was started with OPENAI_BASE_URL pointing at it), creates N
articles with distinct specifications (no cache hits) through the analyze service after a warm-up of 10, waits
for all of them, and compares the wall time with the ideal N x 2 calls x latency / slots
and the cost the ledger recorded with the cost the server's reported usage implies.
"""
import argparse
import os
import statistics
import time
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.services import article_create  # noqa: E402
from bench.harness.processes import emit_result  # noqa: E402
from costs.lines import service_lines  # noqa: E402
from costs.models import Entity, Price, RequestRecord  # noqa: E402
from tasks.models import Task  # noqa: E402
from testsupport.analyst import analyst_server  # noqa: E402

CALLS_PER_ANALYSIS = 2
BUDGET_SECONDS = 600


def _spec(number: int) -> bytes:
    return (f"Product: bench bracket {number}\nMaterial: stainless steel sheet, welded, ABS cap\n"
            f"Net weight: {1000 + number} g\nSerial range: {number:06d}\n").encode()


def _implied_cost(usage_reported: dict) -> Decimal:
    """What the server's reported token usage costs at the ledger's own prices."""
    total = Decimal(0)
    for model, usage in usage_reported.items():
        prices = {p.unit: p.unit_price for p in Price.objects.filter(
            service_type="openai_chat", model=model)}
        total += usage.get("prompt_tokens", 0) * prices["input_tokens"]
        total += usage.get("completion_tokens", 0) * prices["output_tokens"]
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    slots = settings.MAX_CONCURRENT_TASKS
    entity, _ = Entity.objects.get_or_create(entity_id="bench_articles")

    def create(numbers):
        return [
            article_create(article_name=f"bench bracket {n}", description=None, entity=entity,
                           specification=SimpleUploadedFile(f"spec-{n}.txt", _spec(n))).pk
            for n in numbers
        ]

    with analyst_server(port=args.port, latency=args.latency) as server:
        # Warm-up, not measured: the cluster finishes booting and every worker makes its
        # first connection to the database and to the server.
        warm = create(range(-args.warmup, 0))
        while Article.objects.filter(pk__in=warm, processing_status__in=["pending", "processing"]
                                     ).exists():
            time.sleep(0.05)
        with server._lock:
            server.requests.clear()
            server.usage_reported.clear()
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        ids = create(range(args.count))
        created = time.monotonic() - started
        deadline = started + BUDGET_SECONDS
        while Article.objects.filter(pk__in=ids, processing_status__in=["pending", "processing"]
                                     ).exists():
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        wall = time.monotonic() - started
        requests = list(server.requests)
        usage_reported = {model: dict(usage) for model, usage in server.usage_reported.items()}

    articles = list(Article.objects.filter(pk__in=ids).select_related("task"))
    task_ids = [article.task.task_id for article in articles]
    # Summed here, in Decimal: SQLite's SUM() over a decimal column adds floats.
    lines = [line for usage in RequestRecord.objects.filter(task_id__in=task_ids)
             .values_list("usage", flat=True) for line in service_lines(usage)]
    recorded = sum((line.cost for line in lines), Decimal(0))
    implied = _implied_cost(usage_reported)
    tokens = {unit: int(sum(line.quantity for line in lines if line.unit == unit))
              for unit in ("input_tokens", "output_tokens")}
    latencies = sorted((a.processing_completed_at - a.created_at).total_seconds()
                       for a in articles if a.processing_completed_at)
    tasks = list(Task.objects.filter(task_id__in=task_ids))
    runs = sorted((t.completed_at - t.started_at).total_seconds() for t in tasks
                  if t.completed_at and t.started_at)
    # Hand-off: from one task's completion to the next task's start on the same worker
    # process (dispatch, broker, django-q2's pusher and the start transaction).
    handoffs = []
    by_worker = {}
    for t in sorted((t for t in tasks if t.started_at and t.completed_at), key=lambda t: t.started_at):
        previous = by_worker.get(t.worker)
        if previous is not None:
            handoffs.append((t.started_at - previous.completed_at).total_seconds())
        by_worker[t.worker] = t
    handoffs.sort()
    first_created = min(a.created_at for a in articles)
    first_start = min((t.started_at for t in tasks if t.started_at), default=None)
    ideal = args.count * CALLS_PER_ANALYSIS * args.latency / slots
    statuses = {}
    for article in articles:
        statuses[article.processing_status] = statuses.get(article.processing_status, 0) + 1
    emit_result({
        "count": args.count,
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "slots": slots,
        "workers": settings.Q_CLUSTER["workers"],
        "latency_s": args.latency,
        "wall_s": round(wall, 2),
        "create_s": round(created, 2),
        "ideal_s": round(ideal, 2),
        "ratio": round(wall / ideal, 3),
        "statuses": statuses,
        "attempts": sum(Task.objects.filter(task_id__in=task_ids).values_list("attempts", flat=True)),
        "model_requests": len(requests),
        "per_article_p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "per_article_p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 3) if latencies else None,
        "attempt_p50_s": round(statistics.median(runs), 3) if runs else None,
        "attempt_p95_s": round(runs[int(0.95 * (len(runs) - 1))], 3) if runs else None,
        "handoff_p50_s": round(statistics.median(handoffs), 3) if handoffs else None,
        "handoff_p95_s": round(handoffs[int(0.95 * (len(handoffs) - 1))], 3) if handoffs else None,
        "first_start_s": round((first_start - first_created).total_seconds(), 3) if first_start else None,
        "cost_recorded_usd": str(recorded),
        "cost_implied_usd": str(implied),
        "cost_equal": recorded == implied,
        "tokens_recorded": tokens,
        "tokens_reported": {"input_tokens": sum(u.get("prompt_tokens", 0) for u in usage_reported.values()),
                            "output_tokens": sum(u.get("completion_tokens", 0) for u in usage_reported.values())},
    })


if __name__ == "__main__":
    main()
