"""The embeddings scenarios for bench/run.py: each in a fresh database with its own processes."""
from bench.harness.processes import PYTHON, Process, free_port, run_driver, start_daphne

FULL = {"local_mb": 10, "memory_mb": 50, "openai_chunks": 10_000, "search_chunks": 100_000,
        "search_repeats": 50}
QUICK = {"local_mb": 1, "memory_mb": 5, "openai_chunks": 1000, "search_chunks": 10_000,
         "search_repeats": 10}
LATENCY = 0.1


def embeddings_scenarios(bench, results: dict, attempt, engines: list[str], *,
                         quick: bool) -> None:
    """Run the four embedding benchmarks on the first engine, recording each under
    results['embeddings_*']."""
    engine = engines[0]
    sizes = QUICK if quick else FULL

    def local(name, megabytes):
        env = bench.env(engine, name, slots=2)
        env["MAX_UPLOAD_MB"] = str(int(megabytes) + 10)
        cluster = bench.qcluster(engine, env, name)
        try:
            return run_driver(env, "embeddings.driver", "local",
                              "--megabytes", str(megabytes),
                              timeout=1200, watch=[cluster])
        finally:
            bench.stop_all()

    def openai(name):
        port = free_port()
        server = Process([PYTHON, "-m", "testsupport.openai_server", "--port", str(port),
                          "--latency", str(LATENCY)], {**_plain_env(), "PYTHONUNBUFFERED": "1"},
                         f"openai-server-{name}")
        bench.processes.append(server)
        env = bench.env(engine, name, slots=2)
        env.update(AI_PROVIDER="openai", OPENAI_API_KEY="sk-bench",
                   OPENAI_BASE_URL=f"http://127.0.0.1:{port}/v1")
        cluster = bench.qcluster(engine, env, name)
        try:
            return run_driver(env, "embeddings.driver", "openai",
                              "--chunks", str(sizes["openai_chunks"]),
                              "--latency", str(LATENCY), timeout=900, watch=[cluster, server])
        finally:
            bench.stop_all()

    def search(name):
        env = bench.env(engine, name, slots=2)
        port = free_port()
        daphne = start_daphne(env, name, port)
        bench.processes.append(daphne)
        try:
            return run_driver(env, "embeddings.driver", "search",
                              "--chunks", str(sizes["search_chunks"]),
                              "--port", str(port), "--repeats", str(sizes["search_repeats"]),
                              timeout=900, watch=[daphne])
        finally:
            bench.stop_all()

    attempt(results, f"embeddings_local_{engine}", local, f"emb_local_{engine}", sizes["local_mb"])
    attempt(results, f"embeddings_memory_{engine}", local, f"emb_mem_{engine}", sizes["memory_mb"])
    attempt(results, f"embeddings_openai_{engine}", openai, f"emb_openai_{engine}")
    attempt(results, f"embeddings_search_{engine}", search, f"emb_search_{engine}")


def _plain_env() -> dict:
    import os

    return dict(os.environ)
