"""The hostile-input scenario of `make bench` (orchestrator side; driver in bench/hostile/driver.py).

On the first engine (PostgreSQL + Redis when there): one cluster of two workers and one
daphne; normal tasks alone (the baseline), then the same normal load while hostile
documents are uploaded (issue 19).
"""
from bench.harness.processes import free_port, run_driver, start_daphne

HOSTILE_FULL = {"normal": 1000, "hostile": 100, "pace": 25}
HOSTILE_QUICK = {"normal": 200, "hostile": 24, "pace": 25}
DEATH_WORDS = (" died", "killed worker", "rebuild", "Traceback", "MemoryError")


def hostile_run(bench, engine: str, calm: bool) -> dict:
    sizes = bench.sizes["hostile"]
    name = f"hostile_{engine}_{'calm' if calm else 'hostile'}"
    env = bench.env(engine, name, slots=2)
    cluster = bench.qcluster(engine, env, name)
    port = free_port()
    daphne = start_daphne(env, name, port)
    bench.processes.append(daphne)
    args = ["--port", str(port), "--cluster-pid", str(cluster.pid),
            "--normal", str(sizes["normal"]), "--hostile", str(sizes["hostile"]),
            "--pace", str(sizes["pace"])]
    try:
        result = run_driver(env, "hostile.driver", *args, *(["--calm"] if calm else []), timeout=900,
                            watch=[cluster, daphne])
    finally:
        bench.stop_all()
    # The sentinel logs every worker it did not replace cleanly (a death, a kill, a
    # rebuild); a replacement after `recycle` tasks or past `max_rss` is a clean one.
    log = cluster.log_path.read_text(errors="replace").splitlines()
    result["cluster_log_deaths"] = [line[-300:] for line in log
                                    if any(word in line for word in DEATH_WORDS)]
    return result


def hostile_scenarios(bench, results: dict, attempt, engines, *, quick: bool) -> None:
    results["hostile_sizes"] = HOSTILE_QUICK if quick else HOSTILE_FULL
    bench.sizes["hostile"] = results["hostile_sizes"]
    engine = engines[0]
    for calm in (True, False):
        attempt(results, f"hostile_{engine}_{'calm' if calm else 'hostile'}", hostile_run,
                bench, engine, calm)
