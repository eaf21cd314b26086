"""The article-analysis scenario for bench/run.py: its processes and its driver."""
from bench.processes import free_port, run_driver, scenario_env

SLOTS = 5  # the MAX_CONCURRENT_TASKS=5, one django-q2 worker per slot
LATENCY = 0.2


def articles_run(bench, engine: str, count: int) -> dict:
    """200 analyses (2 model calls each) against the test server answering in 200 ms."""
    from bench.run import REDIS_URL

    name = f"art_{engine}"
    if engine == "pg":
        url, redis_url = bench.databases.postgres(name), REDIS_URL
    else:
        url, redis_url = bench.databases.sqlite(name), None
    cluster = f"bench-{bench.run_id}-{name}"
    bench.clusters.append(cluster)
    port = free_port()
    env = scenario_env(
        database_url=url, redis_url=redis_url, cluster=cluster, workers=SLOTS, slots=SLOTS,
        AI_PROVIDER="openai", OPENAI_API_KEY="sk-bench", OPENAI_MODEL="gpt-4o-mini",
        OPENAI_BASE_URL=f"http://127.0.0.1:{port}/v1", OPENAI_TIMEOUT=10,
    )
    qcluster = bench._qcluster(engine, env, name)
    try:
        return run_driver(env, "articles", "--count", str(count), "--port", str(port),
                          "--latency", str(LATENCY), timeout=700, watch=[qcluster])
    finally:
        bench._stop_all()
