"""The budgets section of docs/benchmarks.md (figures from bench/budgets/driver.py)."""
from bench.harness.sections import SHORT_ENGINE_LABEL, Target, judged


def budgets_render(results: dict) -> list[str]:
    keys = [key for key in ("budgets_pg", "budgets_sqlite") if key in results]
    if not keys:
        return []
    lines = [
        "## Budgets: estimates against actual spend, and the overshoot at a cap",
        "",
        "bench/budgets/driver.py, through the real creating endpoints' services and jobs (django-q2 "
        "in sync mode): every upload of the demo corpus with the local embedding provider, "
        "and article analyses against the OpenAI test server; each task's stored estimate "
        "against what its ledger records cost. Then embedding jobs stopped at a hard budget, "
        "with 1 and 4 requests in flight. Targets: embeddings within +-15% per document, "
        "analyses within +-30% per analysis; no call after the cap beyond those in flight. "
        "docs/budgets.md explains each estimator.",
        "",
        "| database | estimator | tasks | estimated | actual | mean error | worst | target |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    notes = []
    for key in keys:
        result, label = results[key], SHORT_ENGINE_LABEL[key.split("_", 1)[1]]
        if "error" in result:
            lines.append(f"| {label} | failed: {result['error'][-200:]!r} | | | | | | |")
            continue
        for name in ("embeddings", "analyses"):
            row = result[name]
            lines.append(
                f"| {label} | {name} | {row['count']} | ${row['estimated_usd']} | "
                f"${row['actual_usd']} | {row['mean_error_percent']:+}% | "
                f"{row['worst_error_percent']:+}% | "
                f"{'met' if row['within_tolerance'] else '**missed**'} |")
        for row in result["overshoot"]:
            notes.append(
                f"- {label}, {row['concurrency']} request(s) in flight: {row['runs']} jobs "
                f"stopped at the cap; calls after the crossing {row['calls_after_cap']} "
                f"(bound {row['bound']}: {'met' if row['within_bound'] else '**missed**'}), at "
                f"most {row['max_overshoot_usd']} USD over.")
    return lines + [""] + notes + [""]


def budgets_summary(results: dict) -> list[Target]:
    """Each estimator's worst error within its tolerance; no call past a cap beyond those
    in flight."""
    targets = {name: Target(f"budgets: {name} estimates within their tolerance "
                            "(worst error shown)", "budgets")
               for name in ("embeddings", "analyses")}
    cap = Target("budgets: calls after a hard cap <= those in flight", "budgets")
    for engine in ("pg", "sqlite"):
        value = results.get(f"budgets_{engine}")
        for name, target in targets.items():
            figure = judged(value, lambda v, name=name: (
                f"{v[name]['worst_error_percent']:+}% (+-{v[name]['tolerance_percent']:g}%)"),
                lambda v, name=name: v[name]["within_tolerance"])
            if figure:
                target.figures[engine] = figure
        figure = judged(value, lambda v: "; ".join(
            f"{row['concurrency']} in flight: {max(row['calls_after_cap'])} "
            f"(bound {row['bound']})" for row in v["overshoot"]),
            lambda v: all(row["within_bound"] for row in v["overshoot"]))
        if figure:
            cap.figures[engine] = figure
    return [*targets.values(), cap]
