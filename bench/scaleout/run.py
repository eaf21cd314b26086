"""The scale-out scenarios of `make bench` (orchestrator side; drivers in bench/scaleout/driver.py).

PostgreSQL + Redis only (the embedded default is one machine by design):
- `scaleout_throughput_1` / `_2`: I/O-bound tasks through one daphne and one cluster, then
  through two daphnes and two clusters with the slot count raised to match;
- `scaleout_recovery`: SIGKILL of the cluster running a task, with the default heartbeat
  settings, timed to the task running again under the other cluster.
"""
from bench.harness.processes import free_port, run_driver, start_daphne

SCALEOUT_FULL = {"tasks": 400, "recoveries": 3}
SCALEOUT_QUICK = {"tasks": 60, "recoveries": 1}


def _deployment(bench, name: str, *, instances: int, clusters: int, slots: int):
    env = bench.env("pg", name, slots=slots)
    started = [bench.qcluster("pg", env, f"{name}_{n}") for n in range(clusters)]
    ports = []
    for n in range(instances):
        port = free_port()
        daphne = start_daphne(env, f"{name}_{n}", port)
        bench.processes.append(daphne)
        ports.append(port)
    return env, started, ports


def scaleout_throughput(bench, size: int, count: int) -> dict:
    name = f"so_tp_{size}"
    env, clusters, ports = _deployment(bench, name, instances=size, clusters=size,
                                       slots=2 * size)
    try:
        return run_driver(
            env, "scaleout.driver", "throughput", "--ports", ",".join(map(str, ports)),
            "--cluster-pgids", ",".join(str(c.pid) for c in clusters), "--count", str(count),
            timeout=600, watch=list(bench.processes),
        )
    finally:
        bench.stop_all()


def scaleout_recovery(bench, round_: int) -> dict:
    name = f"so_rec_{round_}"
    # Default heartbeat, tick and backoff settings: the figure an operator should expect.
    env, clusters, ports = _deployment(bench, name, instances=1, clusters=2, slots=4)
    daphnes = [p for p in bench.processes if p not in clusters]
    try:
        return run_driver(
            env, "scaleout.driver", "recovery", "--ports", str(ports[0]),
            "--cluster-pgids", ",".join(str(c.pid) for c in clusters),
            "--steps", "100", "--step-seconds", "0.05",
            timeout=300, watch=daphnes,  # one cluster is killed on purpose
        )
    finally:
        bench.stop_all()


def scaleout_scenarios(bench, results: dict, attempt, engines: list[str], *,
                       quick: bool) -> None:
    """Run the scale-out scenarios (PostgreSQL + Redis only) into `results`."""
    if "pg" not in engines:
        return
    sizes = SCALEOUT_QUICK if quick else SCALEOUT_FULL
    results["scaleout_sizes"] = sizes
    for size in (1, 2):
        attempt(results, f"scaleout_throughput_{size}", scaleout_throughput, bench, size,
                sizes["tasks"])
    for round_ in range(1, sizes["recoveries"] + 1):
        attempt(results, f"scaleout_recovery_{round_}", scaleout_recovery, bench, round_)
