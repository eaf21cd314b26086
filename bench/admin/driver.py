"""Driver: every admin changelist and change page at production size (issue 7).

    python -m bench.admin.driver generate --tasks 1000000 --records 1000000
    python -m bench.admin.driver measure --repeats 15

Run by bench/admin/run.py (`python -m bench.run --only admin`), each phase in its own
process with DATABASE_URL pointing at a fresh, migrated PostgreSQL database.

generate: the ledger exactly as bench/harness/ledger_fill.py makes it (1,000,000 request records, ~3
usage lines each, 200 entities, and the daily cost roll-up built from them), then with PostgreSQL COPY, in created_at order so ids grow
with time as in a live system:
- `tasks` tasks over the same 90 days, Zipf-skewed over the same entities; kinds as the
  registry has them (upload 45%, embedding 15%, analysis 30%, noop and demo.count 5% each);
  priorities normal 70%, high 15%, low 10%, critical 5%; statuses completed 95%, failed
  3.5%, cancelled 1.5%, the newest 0.5% pending and the 50 before them processing;
- events as the task framework writes them: started, one kept progress report, completed
  (failed: started, failed; a retried task also started, retrying; cancelled: cancelled;
  pending: none), ~3 per task; one task with 5,000 events (the change page shows 200);
- `documents` documents (one-to-one with upload tasks, a knowledge base per entity) with
  `chunks` chunks each; `articles` articles (one-to-one with analysis tasks) with 3
  cost-model lines each;
then VACUUM (ANALYZE), as autovacuum would have done to insert-mostly tables.

measure: each page through the whole Django stack in this process (Django's test Client,
a logged-in superuser; server time, no HTTP), `repeats` times after one warm-up request;
median, p95 and max; the number of SQL statements and the slowest one of a captured run.
Prints one `RESULT {json}` line.
"""
import argparse
import bisect
import contextlib
import itertools
import os
import random
import statistics
import struct
import time
from datetime import datetime, timezone

import django

SEED = 20261122
DAY = 86400
TARGET_MS = 500.0
KIND_SHARES = (("upload", 0.45), ("embed", 0.15), ("analyze", 0.30), ("noop", 0.05),
               ("demo.count", 0.05))
PRIORITY_SHARES = ((1, 0.70), (2, 0.15), (0, 0.10), (3, 0.05))
FINISHED_SHARES = (("completed", 0.95), ("failed", 0.035), ("cancelled", 0.015))
RETRIED_SHARE = 0.1
PENDING_SHARE = 0.005
PROCESSING = 50
LONG_TASK_EVENTS = 5000
COST_LINES_PER_ARTICLE = 3
EMBEDDING_DIMENSIONS = 16

TASK_FIELDS = ("id", "task_id", "kind", "entity", "status", "priority", "progress",
               "progress_text", "params", "metadata", "error_message", "attempts",
               "max_attempts", "timeout_seconds", "cancel_requested", "q_task_id", "worker",
               "dispatch_token", "created_at", "updated_at", "started_at", "completed_at")
EVENT_FIELDS = ("id", "task", "event_type", "data", "created_at")
DOCUMENT_FIELDS = ("id", "doc_id", "entity", "knowledge_base", "task", "original_filename",
                   "content_type", "format", "encoding", "stored_name", "size", "sha256",
                   "pages", "chunk_count", "status", "error_message", "metadata", "created_at",
                   "updated_at")
CHUNK_FIELDS = ("id", "document", "knowledge_base", "position", "text", "start_char", "end_char",
                "page", "embedding", "model", "dimensions", "created_at")
ARTICLE_FIELDS = ("id", "article_name", "description", "unit_weight", "processing_status",
                  "created_at", "updated_at", "entity", "task", "analysis_provider",
                  "analysis_model", "analysis_key", "analysis_notes", "weight_extracted")
COST_LINE_FIELDS = ("id", "article", "cost_index", "part")


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(sep=" ")


def _cumulative(shares):
    values = [value for value, _ in shares]
    return values, list(itertools.accumulate(share for _, share in shares))


def _kind_names() -> dict[str, str]:
    """The registry's kind names for the shares above (the embeddings and articles apps)."""
    from articles.jobs import ANALYZE_KIND
    from embeddings.jobs import EMBED_KIND, UPLOAD_KIND

    return {"upload": UPLOAD_KIND, "embed": EMBED_KIND, "analyze": ANALYZE_KIND,
            "noop": "noop", "demo.count": "demo.count"}


class TaskRows:
    """Tasks, their events, documents, chunks and articles as COPY text lines."""

    def __init__(self, *, tasks: int, entities: list[int], kbs: dict[int, int], days: int,
                 end: float, documents: int, chunks: int, articles: int, cost_indexes: list[int]):
        self.rng = random.Random(SEED)
        self.count, self.entities, self.kbs = tasks, entities, kbs
        self.start, self.end = end - days * DAY, end
        self.entity_cum = list(itertools.accumulate(
            1 / (rank + 1) ** 0.5 for rank in range(len(entities))))
        names = _kind_names()
        kinds, self.kind_cum = _cumulative(KIND_SHARES)
        self.kinds = [names[kind] for kind in kinds]
        self.upload_kind, self.analyze_kind = names["upload"], names["analyze"]
        self.priorities, self.priority_cum = _cumulative(PRIORITY_SHARES)
        self.statuses, self.status_cum = _cumulative(FINISHED_SHARES)
        self.documents_left, self.chunks_per_document = documents, chunks
        self.articles_left, self.cost_indexes = articles, cost_indexes
        self.embedding = "\\\\x" + struct.pack(
            f"<{EMBEDDING_DIMENSIONS}f", *([0.25] * EMBEDDING_DIMENSIONS)).hex()
        self.events = self.documents = self.chunks = self.articles = self.cost_lines = 0
        self.long_task_id = ""

    def _pick(self, values, cumulative):
        roll = self.rng.random() * cumulative[-1]
        return values[min(len(values) - 1, bisect.bisect_right(cumulative, roll))]

    def rows(self):
        """Yield (table, line) in created_at order; tables: task, event, document, chunk,
        article, cost_line."""
        pending_from = self.count - int(self.count * PENDING_SHARE)
        processing_from = pending_from - PROCESSING
        step = (self.end - self.start) / self.count
        for number in range(1, self.count + 1):
            created = self.start + (number - 1) * step + self.rng.random() * step * 0.9
            if number >= pending_from:
                status = "pending"
            elif number >= processing_from:
                status = "processing"
            else:
                status = self._pick(self.statuses, self.status_cum)
            yield from self._task(number, created, status)

    def _task(self, pk: int, created: float, status: str):
        rng = self.rng
        kind = self._pick(self.kinds, self.kind_cum)
        entity = self._pick(self.entities, self.entity_cum)
        priority = self._pick(self.priorities, self.priority_cum)
        task_id = f"task_{(pk * 0x9E3779B97F4A7C15 + 0x7A5C) & (2**64 - 1):016x}"
        retried = status != "pending" and rng.random() < RETRIED_SHARE
        attempts = 0 if status in ("pending", "cancelled") else (2 if retried else 1)
        started = created + rng.uniform(0.01, 2.0) if attempts else None
        duration = rng.uniform(0.5, 40.0)
        finished = None
        if status in ("completed", "failed"):
            finished = started + duration
        elif status == "cancelled":
            finished = created + rng.uniform(1, 30)
        progress = {"completed": 1.0, "processing": 0.4}.get(status, 0.0)
        error = {"failed": "The provider refused the request: 400 invalid input",
                 "cancelled": "cancelled by the client"}.get(status, "")
        events = []
        if status == "cancelled":
            events.append((finished, "task_cancelled", '{"reason": "cancelled by the client"}'))
        elif attempts:
            moment = started
            if retried:
                events += [(moment, "task_started", '{"attempt": 1}'),
                           (moment + 1, "task_retrying", '{"error": "503 from the provider"}')]
                moment += 2
            events.append((moment, "task_started", f'{{"attempt": {attempts}}}'))
            events.append((moment + 0.3, "progress_update", '{"progress": 0.5}'))
            if status == "completed":
                events.append((finished, "task_completed", '{"progress": 1.0}'))
            elif status == "failed":
                events.append((finished, "task_failed", '{"error": "400 invalid input"}'))
        if status == "completed" and not self.long_task_id and pk > self.count // 2:
            self.long_task_id = task_id
            events += [(started + index * 0.001, "progress_update",
                        f'{{"progress": {index / LONG_TASK_EVENTS:.4f}}}')
                       for index in range(LONG_TASK_EVENTS)]
        updated = max([created, *(moment for moment, _, _ in events)])
        yield "task", "\t".join([
            str(pk), task_id, kind, str(entity), status, str(priority), str(progress),
            "" if progress == 0 else f"{progress:.0%}", "{}", "{}", error, str(attempts), "4",
            "300", "f", "", "", "", _iso(created), _iso(updated),
            _iso(started) if started else "\\N", _iso(finished) if finished else "\\N",
        ]) + "\n"
        for moment, event_type, data in events:
            self.events += 1
            yield "event", f"{self.events}\t{pk}\t{event_type}\t{data}\t{_iso(moment)}\n"
        if kind == self.upload_kind and self.documents_left:
            yield from self._document(pk, entity, created, status)
        elif kind == self.analyze_kind and self.articles_left:
            yield from self._article(pk, entity, created, status)

    def _document(self, task_pk: int, entity: int, created: float, status: str):
        self.documents_left -= 1
        self.documents += 1
        pk = self.documents
        done = status == "completed"
        chunks = self.chunks_per_document if done else 0
        doc_status = {"completed": "completed", "failed": "failed",
                      "processing": "processing"}.get(status, "pending")
        yield "document", "\t".join([
            str(pk), f"doc_{(pk * 0x9E3779B97F4A7C15 + 0xD0C) & (2**48 - 1):012x}",
            str(entity), str(self.kbs[entity]), str(task_pk), f"report-{pk}.pdf",
            "application/pdf", "pdf", "", f"{pk:08d}.pdf", str(20_000 + pk % 50_000),
            f"{pk:064x}", "12" if done else "\\N", str(chunks), doc_status, "", "{}",
            _iso(created), _iso(created + 30),
        ]) + "\n"
        for position in range(chunks):
            self.chunks += 1
            yield "chunk", "\t".join([
                str(self.chunks), str(pk), str(self.kbs[entity]), str(position),
                f"Section {position} of report {pk}: steel beams, glass panes and labour.",
                str(position * 1000), str(position * 1000 + 999), str(position // 3 + 1),
                self.embedding, "text-embedding-3-small", str(EMBEDDING_DIMENSIONS),
                _iso(created + 20),
            ]) + "\n"

    def _article(self, task_pk: int, entity: int, created: float, status: str):
        self.articles_left -= 1
        self.articles += 1
        pk = self.articles
        done = status == "completed"
        article_status = {"completed": "completed", "processing": "processing",
                          "pending": "pending"}.get(status, "failed")
        yield "article", "\t".join([
            str(pk), f"Article {pk}", "Steel frame with glass infill", "12.5" if done else "\\N",
            article_status, _iso(created), _iso(created + 10), str(entity), str(task_pk),
            "openai" if done else "", "gpt-4o-mini" if done else "", f"{pk:064x}"[:64],
            "[]", "f",
        ]) + "\n"
        if done:
            for index in self.rng.sample(self.cost_indexes, COST_LINES_PER_ARTICLE):
                self.cost_lines += 1
                yield "cost_line", f"{self.cost_lines}\t{pk}\t{index}\t{100 // COST_LINES_PER_ARTICLE}\n"


def _models():
    from articles.models import Article, CostModelLine
    from embeddings.models import Chunk, Document
    from tasks.models import Task, TaskEvent

    return {"task": (Task, TASK_FIELDS), "event": (TaskEvent, EVENT_FIELDS),
            "document": (Document, DOCUMENT_FIELDS), "chunk": (Chunk, CHUNK_FIELDS),
            "article": (Article, ARTICLE_FIELDS), "cost_line": (CostModelLine, COST_LINE_FIELDS)}


def generate(options) -> dict:
    import psycopg

    from articles.models import CostIndex
    from bench.harness import ledger_fill
    from costs.models import Entity
    from embeddings.models import KnowledgeBase

    ledger_result = ledger_fill.generate(argparse.Namespace(
        records=options.records, entities=options.entities, days=options.days))
    started = time.monotonic()
    entities = list(Entity.objects.order_by("pk").values_list("pk", flat=True))
    kbs = {pk: KnowledgeBase.objects.create(entity_id=pk, name=f"Reports {pk}").pk
           for pk in entities}
    source = TaskRows(
        tasks=options.tasks, entities=entities, kbs=kbs, days=options.days, end=time.time(),
        documents=options.documents, chunks=options.chunks, articles=options.articles,
        cost_indexes=list(CostIndex.objects.values_list("pk", flat=True)),
    )
    models = _models()
    dsn = ledger_fill.dsn_of_default()
    # One connection and COPY per table, all open at once: rows arrive interleaved.
    with contextlib.ExitStack() as stack:
        connections = {table: stack.enter_context(psycopg.connect(**dsn)) for table in models}
        for conn in connections.values():
            try:
                conn.execute("SET session_replication_role = replica")  # FKs hold by construction
            except psycopg.Error:
                conn.rollback()
        copies = {table: stack.enter_context(connections[table].cursor().copy(
            ledger_fill.copy_sql(model, fields))) for table, (model, fields) in models.items()}
        buffers = {table: [] for table in models}
        for table, line in source.rows():
            buffer = buffers[table]
            buffer.append(line)
            if len(buffer) >= 5000:
                copies[table].write("".join(buffer))
                buffer.clear()
        for table, copy in copies.items():
            copy.write("".join(buffers[table]))
    # Leaving the stack ended each COPY, then committed and closed each connection.
    copied = time.monotonic()
    with psycopg.connect(**dsn, autocommit=True) as conn:
        for model, _fields in models.values():
            table = model._meta.db_table
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))")
            conn.execute(f'VACUUM (ANALYZE) "{table}"')
    return {
        "ledger": ledger_result,
        "tasks": options.tasks,
        "events": source.events,
        "long_task_id": source.long_task_id,
        "documents": source.documents,
        "chunks": source.chunks,
        "articles": source.articles,
        "copy_seconds": round(copied - started, 1),
        "vacuum_analyze_seconds": round(time.monotonic() - copied, 1),
    }


# --- measure ---------------------------------------------------------------------------


def _pages(long_task_id: str) -> list[tuple[str, str, str]]:
    """(key, label, path) for every changelist and change page, from the data present."""
    from django.db.models import Count
    from django.urls import reverse

    from articles.models import Article, CostIndex
    from costs.models import Entity, Price, RequestRecord
    from embeddings.models import Chunk, Document, KnowledgeBase
    from tasks.models import Task, TaskEvent

    def changelist(model):
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    def change(obj):
        meta = obj._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])

    largest = (RequestRecord.objects.order_by().values("entity").annotate(n=Count("id"))
               .order_by("-n").first()["entity"])
    largest_id = Entity.objects.get(pk=largest).entity_id
    middle_task = Task.objects.filter(pk=Task.objects.order_by("-pk").first().pk // 2).first()
    long_task = Task.objects.get(task_id=long_task_id) if long_task_id else middle_task
    record = RequestRecord.objects.exclude(usage=[]).order_by("-id").first()
    document = Document.objects.filter(chunk_count__gt=0).order_by("-id").first()
    chunk = Chunk.objects.filter(document=document).first()
    article = Article.objects.filter(processing_status="completed").order_by("-id").first()
    kind = Task.objects.filter(pk=middle_task.pk).values_list("kind", flat=True)[0]
    now = datetime.now(timezone.utc)
    deep_page = max(1, min(50, middle_task.pk // 100))  # 100 a page, the count capped at 10,001
    tasks, events = changelist(Task), changelist(TaskEvent)
    records, documents = changelist(RequestRecord), changelist(Document)
    chunks, articles = changelist(Chunk), changelist(Article)
    pages = [
        ("tasks", "tasks", tasks),
        ("tasks_failed", "tasks, status failed", f"{tasks}?status__exact=failed"),
        ("tasks_pending_high", "tasks, pending + high priority",
         f"{tasks}?status__exact=pending&priority__exact=2"),
        ("tasks_kind", f"tasks, kind {kind}", f"{tasks}?kind={kind}"),
        ("tasks_entity", "tasks, largest entity", f"{tasks}?entity_id={largest_id}"),
        ("tasks_month", "tasks, this month (date hierarchy)",
         f"{tasks}?created_at__year={now.year}&created_at__month={now.month}"),
        ("tasks_search_task", "tasks, search a task id", f"{tasks}?q={middle_task.task_id}"),
        ("tasks_search_entity", "tasks, search an entity id", f"{tasks}?q={largest_id}"),
        ("tasks_sort_priority", "tasks, sorted by priority", f"{tasks}?o=5"),
        (f"tasks_page_{deep_page}", f"tasks, page {deep_page}", f"{tasks}?p={deep_page}"),
        ("events", "task events", events),
        ("events_failed", "task events, type task_failed", f"{events}?event_type__exact=task_failed"),
        ("events_of_task", "task events of one task", f"{events}?task__id__exact={long_task.pk}"),
        ("events_search", "task events, search a task id", f"{events}?q={middle_task.task_id}"),
        ("records", "request records", records),
        ("records_entity", "request records, largest entity",
         f"{records}?entity_id={largest_id}"),
        ("records_search", "request records, search a task id",
         f"{records}?q={record.task_id or record.request_id}"),
        ("documents", "documents", documents),
        ("documents_entity", "documents, largest entity",
         f"{documents}?entity_id={largest_id}"),
        ("documents_search", "documents, search a doc id", f"{documents}?q={document.doc_id}"),
        ("chunks", "chunks", chunks),
        ("chunks_of_document", "chunks, search a doc id", f"{chunks}?q={document.doc_id}"),
        ("articles", "articles", articles),
        ("articles_entity", "articles, largest entity",
         f"{articles}?entity_id={largest_id}"),
        ("entities", "entities (cost of the last 24 h of each)", changelist(Entity)),
        ("prices", "prices", changelist(Price)),
        ("knowledge_bases", "knowledge bases", changelist(KnowledgeBase)),
        ("cost_indexes", "cost indices", changelist(CostIndex)),
        ("clusters", "cluster heartbeats", reverse("admin:tasks_clusterheartbeat_changelist")),
        ("change_task", f"change page: task with {long_task.events.count()} events",
         change(long_task)),
        ("change_task_plain", "change page: a task", change(middle_task)),
        ("change_record", f"change page: request record with {len(record.usage)} lines",
         change(record)),
        ("change_entity", "change page: the largest entity",
         change(Entity.objects.get(pk=largest))),
        ("change_document", "change page: a document", change(document)),
        ("change_chunk", "change page: a chunk", change(chunk)),
        ("change_article", "change page: an article with its cost model", change(article)),
        ("change_price", "change page: a price", change(Price.objects.order_by("pk").first())),
        ("overview", "admin overview (not a changelist: 30-day cost roll-up, queue)",
         reverse("admin-overview")),
        ("index", "admin index", reverse("admin:index")),
    ]
    return pages


def _time_page(client, path: str, repeats: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once() -> float:
        began = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - began
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}: "
                             f"{response.content[:400]!r}")
        return elapsed * 1000

    first = once()
    times = sorted(once() for _ in range(repeats))
    with CaptureQueriesContext(connection) as captured:
        once()
    queries = [(float(query["time"]) * 1000, query["sql"]) for query in captured.captured_queries]
    slowest = max(queries, default=(0.0, ""))
    return {
        "path": path,
        "first_ms": round(first, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        "max_ms": round(times[-1], 1),
        "queries": len(queries),
        "sql_ms": round(sum(ms for ms, _ in queries), 1),
        "slowest_sql_ms": round(slowest[0], 1),
        "slowest_sql": slowest[1][:300],
    }


def measure(options) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from costs.models import DailyCost, RequestRecord
    from embeddings.models import Chunk, Document
    from tasks.models import Task, TaskEvent

    user, _ = get_user_model().objects.get_or_create(
        username="bench-operator", defaults={"is_staff": True, "is_superuser": True})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    pages = {}
    for key, label, path in _pages(options.long_task_id):
        print(f"admin: {key} ...", flush=True)
        pages[key] = {"label": label, **_time_page(client, path, options.repeats)}
    with connection.cursor() as cursor:
        sizes = {}
        for model in (Task, TaskEvent, RequestRecord, DailyCost, Document, Chunk):
            table = model._meta.db_table
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            sizes[table] = cursor.fetchone()[0]
    return {"repeats": options.repeats, "target_ms": TARGET_MS, "rows": sizes, "pages": pages}


def main() -> None:
    from bench.harness.processes import emit_result

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="phase", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--tasks", type=int, default=1_000_000)
    gen.add_argument("--records", type=int, default=1_000_000)
    gen.add_argument("--entities", type=int, default=200)
    gen.add_argument("--days", type=int, default=90)
    gen.add_argument("--documents", type=int, default=50_000)
    gen.add_argument("--chunks", type=int, default=10, help="per completed document")
    gen.add_argument("--articles", type=int, default=20_000)
    mes = sub.add_parser("measure")
    mes.add_argument("--repeats", type=int, default=15)
    mes.add_argument("--long-task-id", default="")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    emit_result(generate(options) if options.phase == "generate" else measure(options))


if __name__ == "__main__":
    main()
