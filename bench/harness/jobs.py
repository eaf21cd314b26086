"""Benchmark-only work, registered through TASK_JOB_MODULES=bench.harness.jobs.

The tracked no-op kind and the bare django-q2 function do the same cheap side effect
(append one byte to a counter file), so the benchmark can tell when the last one ran
without querying anything, and both sides pay for exactly the same work.
"""
import hashlib
import os
import time

from rest_framework import serializers

from tasks.registry import job_register


def counter_bump(path: str) -> None:
    """Append one byte to `path`: the file's size counts the jobs that ran."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, b".")
    finally:
        os.close(fd)


def bare_noop(path: str, sleep_ms: float = 0) -> None:
    """The bare django-q2 task: the side effect and nothing else (after `sleep_ms`)."""
    if sleep_ms:
        time.sleep(sleep_ms / 1000)
    counter_bump(path)


class NoopParams(serializers.Serializer):
    path = serializers.CharField(required=False, default="")
    sleep_ms = serializers.FloatField(required=False, default=0, min_value=0)


@job_register("bench.noop", params_serializer=NoopParams, timeout=60, retry_limit=0,
              description="Benchmark no-op: appends one byte to `path` if given.")
def tracked_noop(progress, *, path: str = "", sleep_ms: float = 0) -> dict:
    if sleep_ms:
        time.sleep(sleep_ms / 1000)
    if path:
        counter_bump(path)
    return {"ok": True}


class HashParams(serializers.Serializer):
    steps = serializers.IntegerField(min_value=1, max_value=10_000_000, default=100_000)
    buffer_bytes = serializers.IntegerField(min_value=1, max_value=1_048_576, default=32_768)
    report = serializers.BooleanField(default=True)


@job_register("bench.hash", params_serializer=HashParams, timeout=600, retry_limit=0,
              description="Benchmark chatty job: hashes a buffer per step, reporting each step.")
def tracked_hash(progress, *, steps: int = 100_000, buffer_bytes: int = 32_768,
                 report: bool = True) -> dict:
    buffer = bytes(range(256)) * (buffer_bytes // 256 + 1)
    buffer = buffer[:buffer_bytes]
    digest = b""
    started, started_cpu = time.perf_counter(), time.thread_time()
    if report:
        for step in range(1, steps + 1):
            digest = hashlib.sha256(buffer + digest[:8]).digest()
            progress.set_units(step, steps)
    else:
        for step in range(1, steps + 1):
            digest = hashlib.sha256(buffer + digest[:8]).digest()
    # Wall time is what a user waits; this thread's CPU time is what the reports cost
    # the job, and unlike wall time it does not grow when a noisy neighbour takes the core.
    return {
        "loop_seconds": time.perf_counter() - started,
        "loop_cpu_seconds": time.thread_time() - started_cpu,
        "steps": steps,
        "progress_writes": progress.writes,
        "digest": digest.hex()[:16],
    }


@job_register("bench.stamped", timeout=60, retry_limit=0,
              description="Benchmark no-op that returns the wall time it returned at.")
def stamped(progress) -> dict:
    return {"returned_at": time.time()}
