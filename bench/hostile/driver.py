"""Driver: hostile documents uploaded while normal tasks run (issue 19).

    python -m bench.hostile.driver --port PORT --cluster-pid PID --normal 1000 --hostile 100 [--calm]

Creates `normal` one-step `demo.count` tasks of 20 ms at a steady pace and, unless
`--calm`, uploads `hostile` documents through `POST /api/entities/{id}/files` on a real
daphne at the same time: zip bombs of both kinds (one huge member; many small XML nodes),
a zip lying about its sizes, a PDF flate bomb, a PDF of 100,000 empty pages, damaged
containers and mislabelled files. Reports how each hostile document ended (refused at
upload, or its task failed) and with what words, whether any message names a path or holds
a traceback, whether a worker was killed or replaced, the peak memory of the workers (their
kernel high-water mark) and of the extraction children seen, and the normal tasks' latency
from creation to completion.
"""
import argparse
import http.client
import json
import os
import re
import statistics
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.harness.processes import cluster_workers, emit_result, process_children  # noqa: E402
from costs.models import Entity  # noqa: E402
from tasks.models import Task, TaskStatus  # noqa: E402
from tasks.services import task_create  # noqa: E402
from testsupport.bombs import (  # noqa: E402
    docx_many_nodes, docx_one_huge_member, pdf_flate_bomb, pdf_many_pages,
    zip_lying_about_sizes,
)
from testsupport.files import docx_bytes, pdf_bytes  # noqa: E402

TERMINAL = (TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ROOTED_PATH = re.compile(r"(?:^|[\s'\"(\[=:,])/[^\s/'\"]+/[^\s'\"]*")


def _zip_without_document() -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    return out.getvalue()


def hostile_kinds() -> list[tuple[str, str, bytes, str]]:
    """(kind, file name, bytes, content type), each built once. The bombs are sized for the
    default limits: under MAX_UPLOAD_MB, and the many-nodes one under MAX_EXTRACTED_MB, so
    that only the memory limit stops it."""
    extracted_mb = settings.MAX_EXTRACTED_MB
    return [
        ("zip bomb: one huge member", "huge.docx", docx_one_huge_member(1500), DOCX),
        ("zip bomb: many small nodes", "nodes.docx", docx_many_nodes(extracted_mb - 8), DOCX),
        ("zip lying about its sizes", "liar.docx",
         zip_lying_about_sizes(docx_one_huge_member(40)), DOCX),
        ("PDF flate bomb", "flate.pdf", pdf_flate_bomb(300), "application/pdf"),
        ("PDF of 100,000 empty pages", "pages.pdf", pdf_many_pages(100_000), "application/pdf"),
        ("damaged PDF", "damaged.pdf", b"%PDF-1.4\nthis is not really a pdf", "application/pdf"),
        ("truncated PDF", "cut.pdf", pdf_bytes(["a page"])[:200], "application/pdf"),
        ("truncated DOCX", "cut.docx", docx_bytes(["a paragraph"])[:300], DOCX),
        ("DOCX that is no zip", "fake.docx", b"PK not a zip at all", DOCX),
        ("zip without word/document.xml", "other.docx", _zip_without_document(), DOCX),
        ("program named .pdf", "fake.pdf", b"MZ\x90\x00 a program" * 100, "application/pdf"),
        ("binary named .txt", "binary.txt", b"\x7fELF\x02\x01\x01\x00" * 100, "text/plain"),
    ]




def _memory_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class ClusterWatch(threading.Thread):
    """Samples the cluster every 0.1 s: which workers exist, their peak memory (VmHWM, the
    kernel's own high-water mark, so no peak is missed) and their extraction children's."""

    def __init__(self, cluster_pid: int):
        super().__init__(daemon=True)
        self.cluster_pid, self.stop = cluster_pid, threading.Event()
        self.initial = set(cluster_workers(cluster_pid))
        self.seen, self.worker_peak_kb, self.child_peak_kb, self.children = set(), {}, 0, set()

    def run(self):
        while not self.stop.wait(0.1):
            self.sample()

    def sample(self):
        for worker in cluster_workers(self.cluster_pid):
            self.seen.add(worker)
            peak = _memory_kb(worker, "VmHWM")
            if peak:
                self.worker_peak_kb[worker] = max(self.worker_peak_kb.get(worker, 0), peak)
            for child in process_children(worker):
                self.children.add(child)
                self.child_peak_kb = max(self.child_peak_kb, _memory_kb(child, "VmHWM"))

    def summary(self) -> dict:
        self.sample()
        alive = set(cluster_workers(self.cluster_pid))
        return {
            "workers_at_start": len(self.initial),
            "workers_lost": len(self.initial - alive),
            "workers_replaced": len(self.seen - self.initial),
            "worker_peak_mb": round(max(self.worker_peak_kb.values(), default=0) / 1024, 1),
            "extraction_children_seen": len(self.children),
            "extraction_child_peak_mb_seen": round(self.child_peak_kb / 1024, 1),
        }


# --- the two loads ----------------------------------------------------------------------------
def _normal_load(entity, count: int, pace: float, pks: list) -> None:
    params = {"steps": 1, "delay_seconds": 0.02}
    started = time.monotonic()
    for number in range(count):
        delay = started + number / pace - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        pks.append(task_create(kind="demo.count", params=params, entity=entity).pk)
    connection.close()


def _multipart(name: str, data: bytes, content_type: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").encode()
    return body + data + f"\r\n--{boundary}--\r\n".encode(), boundary


def _upload(port: int, token: str, entity_id: str, name: str, data: bytes,
            content_type: str) -> tuple[int, dict]:
    body, boundary = _multipart(name, data, content_type)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", f"/api/entities/{entity_id}/files", body=body, headers={
            "Authorization": f"Token {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = conn.getresponse()
        payload = response.read()
    finally:
        conn.close()
    try:
        return response.status, json.loads(payload)
    except ValueError:
        return response.status, {"detail": payload[:300].decode("latin1")}


def _wait(pks: list[int], deadline: float) -> None:
    while time.monotonic() < deadline:
        if Task.objects.filter(pk__in=pks).exclude(status__in=TERMINAL).count() == 0:
            return
        time.sleep(0.2)


def _latency(pks: list[int]) -> dict:
    rows = Task.objects.filter(pk__in=pks).values_list("status", "created_at", "completed_at")
    seconds = sorted((done - created).total_seconds() for status, created, done in rows
                     if status == TaskStatus.COMPLETED and done)
    statuses = Counter(status for status, _, _ in rows)

    def quantile(share):
        return round(seconds[min(len(seconds) - 1, int(share * len(seconds)))] * 1000, 1)

    return {"count": len(pks), "statuses": dict(statuses),
            "p50_ms": quantile(0.5) if seconds else None,
            "p95_ms": quantile(0.95) if seconds else None,
            "max_ms": round(seconds[-1] * 1000, 1) if seconds else None,
            "mean_ms": round(statistics.fmean(seconds) * 1000, 1) if seconds else None}


def _hostile_outcomes(uploads: list[dict]) -> dict:
    """How each hostile document ended, by kind, with the words it ended with."""
    task_ids = [u["task_id"] for u in uploads if u.get("task_id")]
    tasks = {t.task_id: t for t in Task.objects.filter(task_id__in=task_ids)}
    kinds, messages, bad = {}, [], []
    for upload in uploads:
        task = tasks.get(upload.get("task_id"))
        if task is None:
            end, reason = f"refused {upload['status']}", upload["detail"]
        else:
            end, reason = task.status, task.error_message or ""
            if task.attempts > 1:
                end += " (retried)"
        messages.append(reason)
        clear = bool(reason) and not ROOTED_PATH.search(reason) and "Traceback" not in reason
        if not (end.startswith("refused 4") or end == TaskStatus.FAILED) or not clear:
            bad.append({"name": upload["name"], "end": end, "reason": reason[:300]})
        entry = kinds.setdefault(upload["kind"], {"count": 0, "ends": Counter(),
                                                  "reasons": Counter(), "run_seconds": []})
        entry["count"] += 1
        if task is not None and task.started_at and task.completed_at:
            entry["run_seconds"].append((task.completed_at - task.started_at).total_seconds())
        entry["ends"][end] += 1
        entry["reasons"][reason[:200]] += 1
    return {
        "count": len(uploads),
        "ended_refused_or_failed_clearly": len(uploads) - len(bad),
        "not_so": bad,
        "messages_with_a_path": sum(1 for m in messages if ROOTED_PATH.search(m)),
        "messages_with_a_traceback": sum(1 for m in messages if "Traceback" in m),
        "kinds": {kind: {"count": e["count"], "ends": dict(e["ends"]),
                         "reasons": dict(e["reasons"]),
                         "worker_seconds": (round(statistics.fmean(e["run_seconds"]), 2)
                                            if e["run_seconds"] else None)}
                  for kind, e in kinds.items()},
    }


def _run(options) -> dict:
    entity, _ = Entity.objects.get_or_create(entity_id="bench_hostile",
                                             defaults={"name": "Hostile bench"})
    user = get_user_model().objects.create_user(username=f"hostile-{uuid.uuid4().hex[:8]}",
                                                password="pw-123456")
    entity.members.add(user)
    token = Token.objects.create(user=user).key
    kinds = [] if options.calm else hostile_kinds()
    watch = ClusterWatch(options.cluster_pid)
    watch.start()
    normal_pks: list[int] = []
    started = time.monotonic()
    normal = threading.Thread(target=_normal_load,
                              args=(entity, options.normal, options.pace, normal_pks))
    normal.start()
    uploads = []
    for number in range(0 if options.calm else options.hostile):
        kind, name, data, content_type = kinds[number % len(kinds)]
        status, body = _upload(options.port, token, entity.entity_id, name, data, content_type)
        uploads.append({"kind": kind, "name": name, "status": status,
                        "task_id": body.get("task_id") if status == 200 else None,
                        "detail": body.get("detail", "")})
    normal.join()
    uploaded = time.monotonic() - started
    hostile_pks = list(Task.objects.filter(
        task_id__in=[u["task_id"] for u in uploads if u["task_id"]]).values_list("pk", flat=True))
    _wait(normal_pks + hostile_pks, time.monotonic() + options.deadline)
    seconds = time.monotonic() - started
    watch.stop.set()
    watch.join()
    return {
        "calm": options.calm, "seconds": round(seconds, 1), "uploading_seconds": round(uploaded, 1),
        "pace": options.pace,
        "limits": {"MAX_UPLOAD_MB": settings.MAX_UPLOAD_MB,
                   "MAX_EXTRACTED_MB": settings.MAX_EXTRACTED_MB,
                   "EXTRACTION_MEMORY_MB": settings.EXTRACTION_MEMORY_MB,
                   "EXTRACTION_TIMEOUT": settings.EXTRACTION_TIMEOUT,
                   "MAX_PDF_PAGES": settings.MAX_PDF_PAGES,
                   "Q_WORKER_MAX_RSS_MB": settings.Q_CLUSTER["max_rss"] // 1024},
        "normal": _latency(normal_pks),
        "hostile": _hostile_outcomes(uploads) if uploads else None,
        "retried_tasks": Task.objects.filter(pk__in=normal_pks + hostile_pks,
                                             attempts__gt=1).count(),
        "cluster": watch.summary(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cluster-pid", type=int, required=True)
    parser.add_argument("--normal", type=int, default=1000)
    parser.add_argument("--hostile", type=int, default=100)
    parser.add_argument("--pace", type=float, default=25.0, help="normal tasks created per second")
    parser.add_argument("--deadline", type=float, default=600.0)
    parser.add_argument("--calm", action="store_true", help="no hostile documents: the baseline")
    options = parser.parse_args()
    result = _run(options)
    connection.close()
    emit_result(result)


if __name__ == "__main__":
    main()
