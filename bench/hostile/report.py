"""The "Hostile input" section of docs/benchmarks.md, from bench/hostile/driver.py's results."""
from bench.harness.sections import Target


def hostile_section(results: dict) -> str:
    runs = {key: value for key, value in results.items()
            if key.startswith("hostile_") and key != "hostile_sizes" and isinstance(value, dict)}
    if not runs:
        return ""
    lines = ["", "## Hostile input", ""]
    calm = next((v for k, v in runs.items() if k.endswith("_calm")), None)
    hostile = next((v for k, v in runs.items() if k.endswith("_hostile")), None)
    for key, run in runs.items():
        if "error" in run:
            lines += [f"`{key}` failed:", "", "```", run["error"][-1500:], "```", ""]
    if not calm or not hostile or "error" in calm or "error" in hostile:
        return "\n".join(lines) + "\n"
    sizes, h = results.get("hostile_sizes", {}), hostile["hostile"]
    engine = next(iter(runs)).split("_")[1]
    lines += [
        f"{h['count']} hostile documents uploaded through `POST /api/entities/{{id}}/files` on "
        f"a real daphne while {sizes.get('normal')} normal tasks (`demo.count`, one step of "
        f"20 ms, {sizes.get('pace')} created per second) ran on one cluster of two workers "
        f"({'PostgreSQL + Redis' if engine == 'pg' else 'SQLite'}), against the same normal "
        "load alone. Default limits: " + ", ".join(
            f"`{name}` {value}" for name, value in hostile["limits"].items()) + ".",
        "",
        "| | normal load alone | with the hostile documents |",
        "| --- | --- | --- |",
    ]
    for label, field in (("normal tasks' p50 (created to completed)", "p50_ms"),
                         ("normal tasks' p95", "p95_ms"), ("normal tasks' max", "max_ms")):
        lines.append(f"| {label} | {calm['normal'][field]} ms | {hostile['normal'][field]} ms |")
    lines.append(f"| worker deaths, kills or cluster rebuilds (the cluster's log) | "
                 f"{len(calm.get('cluster_log_deaths', []))} | "
                 f"{len(hostile.get('cluster_log_deaths', []))} |")
    for label, field in (("workers replaced cleanly (django-q2's `recycle` after 500 tasks, "
                          "or `max_rss`)", "workers_replaced"),
                         ("peak worker memory (VmHWM)", "worker_peak_mb"),
                         ("extraction children", "extraction_children_seen"),
                         ("largest extraction child seen", "extraction_child_peak_mb_seen")):
        unit = " MB" if "_mb" in field else ""
        lines.append(f"| {label} | {calm['cluster'][field]}{unit} | "
                     f"{hostile['cluster'][field]}{unit} |")
    lines += [
        f"| normal tasks completed | {calm['normal']['statuses'].get('completed', 0)} | "
        f"{hostile['normal']['statuses'].get('completed', 0)} |",
        f"| tasks retried | {calm['retried_tasks']} | {hostile['retried_tasks']} |",
        f"| wall time | {calm['seconds']} s | {hostile['seconds']} s |",
        "",
        f"**{h['ended_refused_or_failed_clearly']} of {h['count']}** hostile documents ended "
        f"refused or `failed` with a clear reason; messages naming a path: "
        f"{h['messages_with_a_path']}, holding a traceback: {h['messages_with_a_traceback']}.",
        "",
        "| hostile document | n | ended | a worker busy for (mean) | reason |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind, entry in h["kinds"].items():
        ends = ", ".join(f"{end} x{n}" for end, n in entry["ends"].items())
        reasons = "; ".join(reason.split("; accepted:")[0].replace("|", "\\|")
                            for reason in entry["reasons"])
        busy = f"{entry['worker_seconds']} s" if entry.get("worker_seconds") is not None else "-"
        lines.append(f"| {kind} | {entry['count']} | {ends} | {busy} | {reasons} |")
    for line in hostile.get("cluster_log_deaths", []):
        lines.append(f"\nIn the cluster's log: `{line}`")
    for bad in h["not_so"]:
        lines.append(f"\nNOT refused or failed clearly: `{bad['name']}` {bad['end']}: {bad['reason']}")
    return "\n".join(lines) + "\n"


def hostile_summary(results: dict) -> list[Target]:
    """Hostile uploads end refused or failed with a clear reason, and kill no worker."""
    target = Target("hostile input: every hostile document refused or failed clearly, "
                    "no worker death", "hostile")
    for key, run in results.items():
        if not (key.startswith("hostile_") and key.endswith("_hostile")
                and isinstance(run, dict)):
            continue
        engine = key.split("_")[1]
        if "error" in run:
            target.figures[engine] = ("failed", False)
            continue
        h, deaths = run["hostile"], len(run.get("cluster_log_deaths", []))
        target.figures[engine] = (
            f"{h['ended_refused_or_failed_clearly']} of {h['count']}; {deaths} deaths",
            h["ended_refused_or_failed_clearly"] == h["count"] and not deaths)
    return [target]
