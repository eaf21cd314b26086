"""The article-analysis scenario for bench/run.py: its processes and its driver."""
from bench.harness.processes import free_port, run_driver, scenario_env

SLOTS = 5  # the MAX_CONCURRENT_TASKS=5, one django-q2 worker per slot
LATENCY = 0.2


def articles_run(bench, engine: str, count: int) -> dict:
    """200 analyses (2 model calls each) against the test server answering in 200 ms."""
    name = f"art_{engine}"
    url, redis_url = bench.database(engine, name)
    cluster = bench.cluster_name(name)
    port = free_port()
    env = scenario_env(
        database_url=url, redis_url=redis_url, cluster=cluster, workers=SLOTS, slots=SLOTS,
        AI_PROVIDER="openai", OPENAI_API_KEY="sk-bench", OPENAI_MODEL="gpt-4o-mini",
        OPENAI_BASE_URL=f"http://127.0.0.1:{port}/v1", OPENAI_TIMEOUT=10,
    )
    qcluster = bench.qcluster(engine, env, name)
    try:
        return run_driver(env, "articles.driver", "--count", str(count), "--port", str(port),
                          "--latency", str(LATENCY), timeout=700, watch=[qcluster])
    finally:
        bench.stop_all()


def articles_scenarios(bench, results: dict, attempt, engines: list[str], *, quick: bool) -> None:
    for engine in engines:
        attempt(results, f"articles_{engine}", articles_run, bench, engine,
                bench.sizes["articles"])
