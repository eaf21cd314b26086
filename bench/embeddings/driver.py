"""Driver: document embedding at size, on a real qcluster (and daphne for search).

    python -m bench.embeddings.driver local --megabytes 10
    python -m bench.embeddings.driver openai --chunks 10000 --latency 0.1
    python -m bench.embeddings.driver search --chunks 100000 --port PORT --repeats 50

Run by bench/run.py (`python -m bench.run --only embeddings`) with DATABASE_URL pointing at a
fresh migrated database and a qcluster on it (`openai` also needs testsupport/openai_server.py at
OPENAI_BASE_URL with the given latency; `search` a daphne on PORT).

local: submits a generated text of the given size (sentences and paragraphs) through
`document_submit`, waits for the job, and reports chunks/s from the task's start to its
completion; the worker's resident memory is sampled from /proc every 20 ms while the job
runs (peak and baseline), and its VmHWM read at the end.

openai: a text cut to give about `chunks` chunks at the default CHUNK_SIZE/CHUNK_OVERLAP,
embedded through the OpenAI provider against the test server; wall time (task start to
completion) against the ideal (chunks / batch size) x latency / concurrency.

search: stores `chunks` chunks (local-provider vectors) of one completed document in one
knowledge base, then times `GET /api/knowledge-bases/{id}/search?q=…&k=10` over HTTP: the
first query (reads the matrix), then `repeats` warm ones with different queries.
"""
import argparse
import http.client
import json
import os
import random
import statistics
import time

import django

WORDS = ("steel frame panel glass timber oak bolt shaft housing cover aluminium bearing "
         "gear motor cable sensor valve pump seal gasket bracket hinge plate rivet weld "
         "alloy copper brass nylon rubber foam resin fibre carbon coating paint primer").split()


def _text(chars: int, seed: int = 7) -> str:
    """Sentences of 8-20 words, paragraphs of 3-8 sentences."""
    rng = random.Random(seed)
    parts, size = [], 0
    while size < chars:
        sentences = []
        for _ in range(rng.randint(3, 8)):
            words = rng.choices(WORDS, k=rng.randint(8, 20))
            sentences.append(" ".join(words).capitalize() + ".")
        paragraph = " ".join(sentences)
        parts.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(parts)[:chars]


def _rss_kib(pid: int, field: str = "VmRSS") -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU the process has used (from /proc/<pid>/stat)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _entity():
    from costs.models import Entity

    return Entity.objects.get_or_create(entity_id="bench")[0]


def _run_document(content: str, timeout: float) -> dict:
    """Submit, wait, sample the worker's memory; return timings and memory."""
    from embeddings.services import document_submit
    from tasks.models import Task

    task = document_submit(entity=_entity(), knowledge_base=None, content=content).task
    del content
    deadline = time.monotonic() + timeout
    pid = baseline = cpu_start = None
    peak = 0
    while True:
        row = Task.objects.filter(pk=task.pk).values("status", "worker").get()
        if row["status"] == "processing" and pid is None:
            pid = int(row["worker"].rsplit(":", 1)[1])
            baseline = _rss_kib(pid)
            cpu_start = _cpu_seconds(pid)
        if pid is not None:
            peak = max(peak, _rss_kib(pid) or 0)
        if row["status"] in ("completed", "failed", "cancelled"):
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"task still {row['status']} after {timeout} s")
        time.sleep(0.02)
    cpu_end = _cpu_seconds(pid) if pid else None
    task.refresh_from_db()
    if task.status != "completed":
        raise SystemExit(f"task {task.status}: {task.error_message}")
    seconds = (task.completed_at - task.started_at).total_seconds()
    chunks = task.result["chunk_count"]
    stored = [event.created_at for event in task.events.filter(event_type="progress_update")
              if event.data.get("processed_units")]
    return {
        # Where the wall time goes: until the first stored batch is reported (reading and
        # counting the document, then the first batches), and after the last report (the
        # last batches' storage, the result, the completion).
        "first_stored_report_s": round((stored[0] - task.started_at).total_seconds(), 3)
        if stored else None,
        "after_last_report_s": round((task.completed_at - stored[-1]).total_seconds(), 3)
        if stored else None,
        "chunks": chunks, "pages": task.result["pages"], "seconds": round(seconds, 3),
        "chunks_per_second": round(chunks / seconds, 1),
        "worker_rss_baseline_mib": round((baseline or 0) / 1024, 1),
        "worker_rss_peak_mib": round(peak / 1024, 1),
        "worker_vmhwm_mib": round((_rss_kib(pid, "VmHWM") or 0) / 1024, 1) if pid else None,
        "end_to_end_seconds": round((task.completed_at - task.created_at).total_seconds(), 3),
        # The worker's CPU over the job (threads included): near `seconds` means CPU-bound.
        "worker_cpu_seconds": round(cpu_end - cpu_start, 2) if cpu_start is not None
        and cpu_end is not None else None,
    }


def local(options) -> dict:
    from django.conf import settings

    content = _text(int(options.megabytes * 1_000_000))
    result = _run_document(content, timeout=options.timeout)
    return {"megabytes": options.megabytes, "chunk_size": settings.CHUNK_SIZE,
            "chunk_overlap": settings.CHUNK_OVERLAP,
            "batch_size": settings.EMBEDDING_BATCH_SIZE, **result}


def openai(options) -> dict:
    from django.conf import settings

    from embeddings.chunking import chunk_text

    size, overlap = settings.CHUNK_SIZE, settings.CHUNK_OVERLAP
    sample = _text(2_000_000)
    per_char = len(chunk_text(sample, size=size, overlap=overlap)) / len(sample)
    content = _text(int(options.chunks / per_char))
    texts = [c.text for c in chunk_text(content, size=size, overlap=overlap)]
    result = _run_document(content, timeout=options.timeout)
    batch_size, concurrency = settings.EMBEDDING_BATCH_SIZE, settings.EMBEDDING_CONCURRENCY
    batches = -(-len(texts) // batch_size)
    ideal = batches * options.latency / concurrency
    bare = _bare_client_seconds(texts, batch_size, concurrency)
    return {"latency": options.latency, "batch_size": batch_size, "concurrency": concurrency,
            "batches": batches, "ideal_seconds": round(ideal, 3),
            "ratio_to_ideal": round(result["seconds"] / ideal, 3),
            "bare_client_seconds": round(bare, 3),
            "bare_ratio_to_ideal": round(bare / ideal, 3),
            "ratio_to_bare": round(result["seconds"] / bare, 3), **result}


def _bare_client_seconds(texts: list[str], batch_size: int, concurrency: int) -> float:
    """The same requests from the bare SDK in a thread pool: no TaskLedger, nothing stored."""
    from concurrent.futures import ThreadPoolExecutor

    import openai as sdk
    from django.conf import settings

    client = sdk.OpenAI(api_key=settings.OPENAI_API_KEY, base_url=settings.OPENAI_BASE_URL,
                        max_retries=0)
    batches = [texts[i:i + batch_size] for i in range(0, len(texts), batch_size)]
    began = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda batch: client.embeddings.create(
            model=settings.OPENAI_EMBEDDING_MODEL, input=batch, encoding_format="base64"),
            batches))
    return time.monotonic() - began


def search(options) -> dict:
    import numpy as np
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from django.contrib.auth import get_user_model
    from embeddings.models import Chunk, Document, KnowledgeBase
    from embeddings.providers import LOCAL_DIMENSIONS, LOCAL_MODEL, local_vector

    entity = _entity()
    kb = KnowledgeBase.objects.create(entity=entity, name="bench")
    document = Document.objects.create(
        entity=entity, knowledge_base=kb, format="txt", stored_name="none.txt", size=0,
        sha256="", status="completed", chunk_count=options.chunks,
    )
    rng = np.random.default_rng(11)
    started = time.monotonic()
    texts = _text(options.chunks * 120, seed=3).split(".")
    for first in range(0, options.chunks, 5000):
        count = min(5000, options.chunks - first)
        vectors = rng.standard_normal((count, LOCAL_DIMENSIONS), dtype=np.float32)
        for row in range(min(count, 200)):  # some real texts so queries find something
            vectors[row] = local_vector(texts[(first + row) % len(texts)])
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        with transaction.atomic():
            Chunk.objects.bulk_create([
                Chunk(document=document, knowledge_base=kb, position=first + i,
                      text=texts[(first + i) % len(texts)][:200], start_char=0, end_char=1,
                      embedding=vectors[i].tobytes(), model=LOCAL_MODEL,
                      dimensions=LOCAL_DIMENSIONS)
                for i in range(count)
            ], batch_size=1000)
    fill_seconds = time.monotonic() - started
    user = get_user_model().objects.create(username="bench", is_staff=True, is_superuser=True)
    token = Token.objects.create(user=user).key
    headers = {"Authorization": f"Token {token}"}

    def query(q: str) -> float:
        connection = http.client.HTTPConnection("127.0.0.1", options.port, timeout=60)
        path = f"/api/knowledge-bases/{kb.kb_id}/search?q={q.replace(' ', '+')}&k=10"
        began = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = json.loads(response.read())
        elapsed = time.perf_counter() - began
        connection.close()
        if response.status != 200 or body["searched_chunks"] != options.chunks:
            raise SystemExit(f"search answered {response.status}: {str(body)[:300]}")
        return elapsed

    cold = query("steel frame")
    warm = sorted(query(f"{random.choice(WORDS)} {random.choice(WORDS)}")
                  for _ in range(options.repeats))
    return {
        "chunks": options.chunks, "dimensions": LOCAL_DIMENSIONS,
        "fill_seconds": round(fill_seconds, 1), "cold_ms": round(cold * 1000, 1),
        "warm_p50_ms": round(statistics.median(warm) * 1000, 1),
        "warm_p95_ms": round(warm[int(0.95 * (len(warm) - 1))] * 1000, 1),
        "repeats": options.repeats,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("local")
    p.add_argument("--megabytes", type=float, default=10)
    p.add_argument("--timeout", type=float, default=900)
    p = sub.add_parser("openai")
    p.add_argument("--chunks", type=int, default=10_000)
    p.add_argument("--latency", type=float, default=0.1)
    p.add_argument("--timeout", type=float, default=600)
    p = sub.add_parser("search")
    p.add_argument("--chunks", type=int, default=100_000)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--repeats", type=int, default=50)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from bench.harness.processes import emit_result

    emit_result({"local": local, "openai": openai, "search": search}[options.command](options))


if __name__ == "__main__":
    main()
