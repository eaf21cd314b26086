"""One `make bench` run's plumbing: its databases, processes and cluster names.

Every scenario's orchestration step (bench/<scenario>/run.py) gets the run's `Bench` and
asks it for a scenario environment (a fresh database, its own cluster name) and for a
qcluster; `stop_all()` ends the scenario's processes, `cleanup()` everything at the end.
"""
import os
import shutil
import time

import redis

from bench.harness.databases import Databases
from bench.harness.processes import BENCH_VAR, scenario_env, start_qcluster

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# A connection pool must not be inherited across the cluster's forks (docs/tasks.md,
# "Database connections"). The settings pool only under ASGI, so DB_POOL=0 changes nothing
# today; it keeps qcluster off the pool should that default change. daphne keeps its pool.
QCLUSTER_PG_EXTRA = {"DB_POOL": "0"}


class Bench:
    def __init__(self, sizes: dict):
        self.sizes = sizes
        self.run_id = f"{int(time.time()) % 100000}"
        self.databases = Databases()
        self.processes = []
        self.clusters = []

    def database(self, engine: str, name: str) -> tuple[str, str | None]:
        """A fresh database for scenario `name`, and the Redis URL that goes with it."""
        if engine == "pg":
            return self.databases.postgres(name), REDIS_URL
        return self.databases.sqlite(name), None

    def cluster_name(self, name: str) -> str:
        """The scenario's own Q_CLUSTER_NAME, remembered so cleanup() clears its keys."""
        cluster = f"bench-{self.run_id}-{name}"
        self.clusters.append(cluster)
        return cluster

    def env(self, engine: str, name: str, *, slots: int) -> dict:
        url, redis_url = self.database(engine, name)
        return scenario_env(database_url=url, redis_url=redis_url,
                            cluster=self.cluster_name(name), workers=WORKERS, slots=slots)

    def qcluster(self, engine: str, env: dict, name: str, *, tick: bool = True):
        qenv = dict(env, **(QCLUSTER_PG_EXTRA if engine == "pg" else {}))
        process = start_qcluster(qenv, name, tick=tick)
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        while self.processes:
            self.processes.pop().stop()

    def cleanup(self) -> None:
        self.stop_all()
        self.databases.cleanup()
        shutil.rmtree(BENCH_VAR / "counters", ignore_errors=True)
        try:
            client = redis.Redis.from_url(REDIS_URL)
            for cluster in self.clusters:
                keys = list(client.scan_iter(f"django_q:{cluster}:*"))
                if keys:
                    client.delete(*keys)
            client.close()
        except redis.RedisError:
            pass
