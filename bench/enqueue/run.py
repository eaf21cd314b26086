"""The enqueue scenario for bench/run.py: bulk creation with no cluster, task_create_many
and the batch endpoint (bench/enqueue/driver.py)."""
from bench.harness.processes import free_port, run_driver, start_daphne
from bench.harness.runner import WORKERS


def enqueue_run(bench, engine: str) -> dict:
    name = f"enq_{engine}"
    env = bench.env(engine, name, slots=WORKERS)
    port = free_port()
    daphne = start_daphne(env, name, port)
    bench.processes.append(daphne)
    try:
        return run_driver(env, "enqueue.driver", "--port", str(port),
                          "--count", str(bench.sizes["enqueue_count"]),
                          timeout=300, watch=[daphne])
    finally:
        bench.stop_all()


def enqueue_scenarios(bench, results: dict, attempt, engines: list[str], *, quick: bool) -> None:
    for engine in engines:
        attempt(results, f"enqueue_{engine}", enqueue_run, bench, engine)
