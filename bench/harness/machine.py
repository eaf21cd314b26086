"""What the benchmarks ran on: hardware, versions, and what a round trip costs here."""
import os
import platform
import sqlite3
import subprocess
import time
from importlib.metadata import version

import psycopg
import redis

from bench.harness.databases import PG_SERVER


def _cpu_model() -> str:
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0.0


def machine_describe(redis_url: str, pg_ok: bool) -> dict:
    info = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": round(_ram_gib(), 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": version("Django"),
        "django_q2": version("django-q2"),
        "djangorestframework": version("djangorestframework"),
        "daphne": version("daphne"),
        "psycopg": version("psycopg"),
        "sqlite": sqlite3.sqlite_version,
    }
    try:
        info["redis_server"] = redis.Redis.from_url(redis_url).info("server")["redis_version"]
    except redis.RedisError:
        info["redis_server"] = None
    if pg_ok:
        with psycopg.connect(f"{PG_SERVER}/postgres") as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    return info


def _per_call_ms(func, repeat: int) -> float:
    func()
    started = time.perf_counter()
    for _ in range(repeat):
        func()
    return (time.perf_counter() - started) / repeat * 1000


def round_trips_probe(redis_url: str, pg_ok: bool) -> dict:
    """Milliseconds per loopback round trip and per new connection, measured now.

    Both paths are dominated by these on a small VM, so the figures are kept beside them.
    """
    probe = {}
    if pg_ok:
        url = f"{PG_SERVER}/postgres"
        with psycopg.connect(url, autocommit=True) as conn:
            probe["pg_select_1_ms"] = _per_call_ms(lambda: conn.execute("SELECT 1").fetchone(), 500)
        probe["pg_connect_ms"] = _per_call_ms(lambda: psycopg.connect(url).close(), 50)
    client = redis.Redis.from_url(redis_url)
    key = "bench:probe"
    probe["redis_rpush_ms"] = _per_call_ms(lambda: client.rpush(key, b"x" * 300), 500)

    def connect_and_push():
        fresh = redis.Redis.from_url(redis_url)
        fresh.rpush(key, b"x" * 300)
        fresh.close()

    probe["redis_connect_rpush_ms"] = _per_call_ms(connect_and_push, 100)
    client.delete(key)
    client.close()
    return probe
