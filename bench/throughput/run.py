"""The throughput scenario for bench/run.py: tracked against bare django-q2, then the SQL
statements per tracked task (bench/throughput/driver.py, bench/throughput/statements.py)."""
from bench.harness.processes import run_driver
from bench.harness.runner import WORKERS


def throughput_run(bench, engine: str, mode: str, slots: int, round_: int = 1) -> dict:
    name = f"tp_{engine}_{mode}_{slots}_{round_}"
    env = bench.env(engine, name, slots=slots)
    if mode == "bare":
        env["Q_STOCK_BROKER"] = "1"  # django-q2 on its own broker for the mode
    cluster = bench.qcluster(engine, env, name, tick=mode == "tracked")
    try:
        return run_driver(
            env, "throughput.driver", "--mode", mode, "--count", str(bench.sizes["count"]),
            "--warmup", str(bench.sizes["warmup"]), "--tag", f"{bench.run_id}-{name}",
            "--budget", str(bench.sizes["budget"]), "--cluster-pgid", str(cluster.pid),
            timeout=bench.sizes["budget"] + 150, watch=[cluster],
        )
    finally:
        bench.stop_all()


def statements_run(bench, engine: str) -> dict:
    """SQL statements per tracked task along a cluster's path."""
    name = f"stmt_{engine}"
    env = bench.env(engine, name, slots=WORKERS)
    return run_driver(env, "throughput.statements", "--count", "400", timeout=300)


def throughput_scenarios(bench, results: dict, attempt, engines: list[str], *,
                         quick: bool) -> None:
    for engine in engines:
        # Bare runs bracket the tracked ones: on a shared machine the load drifts, and
        # the ratio uses the mean of both bare runs. Four times as many slots as workers
        # keeps the ORM broker's queue from running dry (see the report); on PostgreSQL
        # + Redis it did not help, so that run is left out to keep the bench short.
        plan = [("bare", WORKERS, 1), ("tracked", WORKERS, 1)]
        if engine == "sqlite":
            plan.append(("tracked", 4 * WORKERS, 1))
        plan.append(("bare", WORKERS, 2))
        for mode, slots, round_ in plan:
            attempt(results, f"throughput_{engine}_{mode}_{slots}_{round_}",
                    throughput_run, bench, engine, mode, slots, round_)
    for engine in engines:
        attempt(results, f"statements_{engine}", statements_run, bench, engine)
