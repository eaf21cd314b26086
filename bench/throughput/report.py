"""The throughput sections of docs/benchmarks.md: tracked against bare django-q2, and the SQL
statements per tracked task."""
from bench.harness.sections import (
    ENGINE_LABEL, SHORT_ENGINE_LABEL, Target, error_line, judged, num,
)

TARGET_THROUGHPUT_RATIO = 0.80
TARGET_STATEMENTS = 3
# CPU per tracked job against bare django-q2's (the tasks/ start and outcome paths are
# written for it: tasks/starts.py, tasks/outcomes.py).
TARGET_CPU_RATIO = 1.5


def _throughput_rows(results: dict, engine: str) -> list[tuple[str, int, int, dict]]:
    rows = []
    for key, value in results.items():
        parts = key.split("_")
        if key.startswith(f"throughput_{engine}_") and len(parts) == 5:
            rows.append((parts[2], int(parts[3]), int(parts[4]), value))
    return rows


def throughput_render(results: dict) -> list[str]:
    sizes = results["sizes"]
    lines = [
        "## 1. Throughput: tracked vs bare django-q2",
        "",
        f"{sizes['count']:,} no-op jobs, timed from the first `task_create()` / `async_task()` to "
        f"the last completion, after a {sizes['warmup']}-job warm-up on the already running "
        f"cluster. {results['workers']} django-q2 workers in every run (`Q_WORKERS`, one per "
        "core); the same `Q_CLUSTER` settings for both sides (TaskLedger's: `save_limit=0`, "
        "`recycle=500`, `poll=0.02`), bare jobs enqueued with `save=False` and a hard timeout "
        "like TaskLedger's own. Tracked: `task_create(kind=\"bench.noop\")` in a loop, "
        "`manage.py qcluster` with its tick, claiming from the task table. Bare: "
        "`async_task(\"bench.harness.jobs.bare_noop\")` in a loop, `manage.py qcluster --no-tick`. "
        "Both jobs append one byte to a counter "
        "file; a tracked run ends when its last task row is `completed`. CPU per job is the "
        "CPU time of the driver and the whole qcluster process tree during the run divided by "
        "the jobs (PostgreSQL's and Redis's own CPU not included; SQLite's is, in-process); "
        "unlike tasks/s it barely moves when a neighbour loads the machine. The bare run is "
        "repeated after the tracked ones and the ratio uses the mean of the two. "
        f"A run still going after {sizes['budget']} s is cut off and its rate is that of the jobs "
        "that finished. Target: tracked >= 80% of bare.",
        "",
        "| database + broker | run | `MAX_CONCURRENT_TASKS` | tasks/s | tracked / bare | "
        "CPU per job | creating / enqueueing took | median dispatched -> started | "
        "median started -> completed |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for engine in ("pg", "sqlite"):
        rows = _throughput_rows(results, engine)
        bare_rates = [v["rate"] for mode, _, _, v in rows if mode == "bare" and "error" not in v]
        bare_rate = sum(bare_rates) / len(bare_rates) if bare_rates else None
        for mode, slots, round_, value in rows:
            label = f"{mode}" + (f" (#{round_})" if mode == "bare" else "")
            if "error" in value:
                lines.append(f"| {ENGINE_LABEL[engine]} | {label} | {slots} | "
                             f"failed: {error_line(value)} | | | | | |")
                continue
            ratio = value["rate"] / bare_rate if mode == "tracked" and bare_rate else None
            partial = "" if value.get("complete", True) else (
                f" (cut off: {value['done']:,} of {value['count']:,} in {value['seconds']:.0f} s)"
            )
            tracked = mode == "tracked"
            lines.append(
                f"| {ENGINE_LABEL[engine]} | {label} | {slots if tracked else ''} | "
                f"{num(value['rate'])}{partial} | {num(ratio, 2) if ratio else ''} | "
                f"{num(value.get('cpu_ms_per_job'), 1, ' ms')} | "
                f"{num(value['submit_seconds'])} s | "
                f"{num(value.get('median_ms_dispatch_to_start'), 1, ' ms') if tracked else ''} | "
                f"{num(value.get('median_ms_start_to_complete'), 1, ' ms') if tracked else ''} |"
            )
            if ratio is not None:
                met = ratio >= TARGET_THROUGHPUT_RATIO
                verdicts.append(
                    f"- {ENGINE_LABEL[engine]}, `MAX_CONCURRENT_TASKS={slots}`: tracked keeps "
                    f"{ratio:.0%} of bare throughput: target **{'met' if met else 'MISSED'}**."
                )
    lines += ["", *verdicts, ""]
    return lines


def statements_render(results: dict) -> list[str]:
    rows = {engine: results.get(f"statements_{engine}") for engine in ("pg", "sqlite")}
    if not any(rows.values()):
        return []
    lines = [
        "## Statements per tracked task",
        "",
        "Counted in one process along a cluster's path (bench/throughput/statements.py): `task_create`, "
        "claims of `Q_WORKERS` tasks (the pusher), each attempt started and run (a worker), "
        "the outcomes written in batches of B (the closer). Every statement sent to the "
        "database counts, the live pushes' cost reads included (Redis mode); transaction "
        "control does not, commits are shown apart. The closer's batch size is whatever "
        "waited while the previous batch committed: 1 when the cluster is quiet, more under "
        f"load. Target: at most {TARGET_STATEMENTS} statements per task, amortised.",
        "",
        "| database | batch B | statements per task | create / claim / start / close | "
        "commits per task |",
        "| --- | ---: | ---: | --- | ---: |",
    ]
    for engine, value in rows.items():
        if not value:
            continue
        if "error" in value:
            lines.append(f"| {SHORT_ENGINE_LABEL[engine]} | failed: {value['error'][-200:]} | | | |")
            continue
        for run in value["runs"]:
            phases = run["by_phase"]
            lines.append(
                f"| {SHORT_ENGINE_LABEL[engine]} | {run['batch']} | {run['statements_per_task']:.2f} | "
                f"{phases['create']:.2f} / {phases['claim']:.2f} / {phases['start']:.2f} / "
                f"{phases['close']:.2f} | {run['commits_per_task']:.2f} |")
    return lines + [""]


def _batched(value: dict) -> dict:
    return max(value["runs"], key=lambda run: run["batch"])


def _unbatched(value: dict) -> dict:
    return min(value["runs"], key=lambda run: run["batch"])


def _per_slots(figures: list[tuple[int, str]]) -> str:
    """One figure as it is; several (one per `MAX_CONCURRENT_TASKS`) each with its slots."""
    if len(figures) == 1:
        return figures[0][1]
    return "; ".join(f"{text} ({slots} slots)" for slots, text in figures)


def throughput_summary(results: dict) -> list[Target]:
    """Tracked against bare: throughput, CPU per job, and statements per task."""
    ratio, cpu, statements = (
        Target(f"throughput: tracked / bare >= {TARGET_THROUGHPUT_RATIO:.0%}", "throughput"),
        Target(f"CPU per job: tracked <= {TARGET_CPU_RATIO}x bare", "throughput"),
        Target(f"SQL statements per tracked task <= {TARGET_STATEMENTS}, amortised "
               "(largest closer batch)", "throughput"))
    for engine in ("pg", "sqlite"):
        rows = _throughput_rows(results, engine)
        if not rows:
            continue
        if any("error" in value for _, _, _, value in rows):
            ratio.figures[engine] = cpu.figures[engine] = ("failed", False)
            continue
        bare = [value for mode, _, _, value in rows if mode == "bare"]
        tracked = [(slots, value) for mode, slots, _, value in rows if mode == "tracked"]
        bare_rate = sum(v["rate"] for v in bare) / len(bare) if bare else None
        bare_cpu = [v["cpu_ms_per_job"] for v in bare if v.get("cpu_ms_per_job")]
        bare_cpu = sum(bare_cpu) / len(bare_cpu) if bare_cpu else None
        if bare_rate and tracked:
            ratios = [(slots, value["rate"] / bare_rate) for slots, value in tracked]
            ratio.figures[engine] = (
                _per_slots([(slots, f"{r:.0%}") for slots, r in ratios]),
                all(r >= TARGET_THROUGHPUT_RATIO for _, r in ratios))
        if bare_cpu and tracked:
            cpus = [(slots, value["cpu_ms_per_job"] / bare_cpu) for slots, value in tracked
                    if value.get("cpu_ms_per_job") is not None]
            cpu.figures[engine] = (
                _per_slots([(slots, f"{r:.2f}x") for slots, r in cpus]),
                all(r <= TARGET_CPU_RATIO for _, r in cpus))
        # Amortised: judged at the largest closer batch measured (a busy cluster's), shown
        # beside the unbatched B=1 of a quiet one.
        figure = judged(
            results.get(f"statements_{engine}"),
            lambda v: (f"{_batched(v)['statements_per_task']:.2f} at B={_batched(v)['batch']} "
                       f"({_unbatched(v)['statements_per_task']:.2f} at "
                       f"B={_unbatched(v)['batch']})"),
            lambda v: _batched(v)["statements_per_task"] <= TARGET_STATEMENTS)
        if figure:
            statements.figures[engine] = figure
    return [ratio, cpu, statements]
