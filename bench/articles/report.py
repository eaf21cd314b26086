"""The article-analysis section of docs/benchmarks.md."""
from bench.harness.sections import Target, engine_label, judged, measured_on, prose


def articles_render(results: dict) -> list[str]:
    keys = [key for key in ("articles_pg", "articles_sqlite") if key in results]
    if not keys:
        return []
    lines = [
        "## Article analysis (issue 6)",
        "",
        "N analyses created at once through the analyze service, each making 2 chat calls "
        "(weight, cost model) through the real `openai` SDK to the OpenAI test server "
        "(testsupport/analyst.py) answering every call after 200 ms; `MAX_CONCURRENT_TASKS=5`, "
        "5 django-q2 workers. Ideal wall time = N x 2 x 0.2 s / 5. Cost: the sum of the "
        "ledger's lines for these tasks against the server's reported `usage` priced at the "
        "ledger's own gpt-4o-mini prices, both exact Decimals. A warm-up of 10 analyses "
        "runs first (not measured). Attempt = one task's started -> completed; hand-off = "
        "from a task's completion to the next start on the same worker process.",
        "",
        f"Measured on {measured_on(results, 'articles')}; machine as above (2 cores shared with other work: "
        "the 1-minute load average before / after each run is given below).",
        "",
        "| database + broker | N | wall | ideal | ratio (target <= 1.3) | per analysis p50 / p95 | "
        "attempt p50 / p95 | hand-off p50 / p95 | model calls | cost recorded | "
        "cost implied by usage | equal |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    verdicts = []
    for key in keys:
        value = results[key]
        label = engine_label(key)
        if "error" in value:
            lines.append(f"| {label} | failed: {value['error'].splitlines()[-1][:200]} |")
            continue
        lines.append(
            f"| {label} | {value['count']} | {value['wall_s']:.1f} s | {value['ideal_s']:.1f} s | "
            f"{value['ratio']:.2f} | {value['per_article_p50_s']:.2f} / "
            f"{value['per_article_p95_s']:.2f} s | {value['attempt_p50_s']:.3f} / "
            f"{value['attempt_p95_s']:.3f} s | {value['handoff_p50_s'] * 1000:.0f} / "
            f"{value['handoff_p95_s'] * 1000:.0f} ms | {value['model_requests']} | "
            f"${value['cost_recorded_usd']} | ${value['cost_implied_usd']} | "
            f"{'yes' if value['cost_equal'] else 'NO'} |"
        )
        met = value["ratio"] <= 1.3
        verdicts.append(
            f"- {label}: {value['statuses']} in {value['wall_s']:.1f} s, {value['ratio']:.2f}x the "
            f"ideal (target <= 1.3x: **{'met' if met else 'MISSED'}**); the ledger recorded "
            f"{value['tokens_recorded']['input_tokens']:,} input / "
            f"{value['tokens_recorded']['output_tokens']:,} output tokens against "
            f"{value['tokens_reported']['input_tokens']:,} / "
            f"{value['tokens_reported']['output_tokens']:,} reported (cost equal: "
            f"**{'met' if value['cost_equal'] else 'MISSED'}**); load average "
            f"{value['load_average'][0]} -> {value['load_average'][1]}."
        )
    return [*lines, "", *verdicts, "", prose(__file__, "analysis.md"), ""]


def articles_summary(results: dict) -> list[Target]:
    """200 analyses against the ideal wall time, and their cost to the last digit."""
    wall = Target("article analyses: wall <= 1.3x the ideal", "articles")
    cost = Target("article analyses: ledger cost = the provider's reported usage", "articles")
    for engine in ("pg", "sqlite"):
        value = results.get(f"articles_{engine}")
        figure = judged(value, lambda v: f"{v['ratio']:.2f}x", lambda v: v["ratio"] <= 1.3)
        if figure:
            wall.figures[engine] = figure
        figure = judged(value, lambda v: f"${v['cost_recorded_usd']}",
                        lambda v: v["cost_equal"])
        if figure:
            cost.figures[engine] = figure
    return [wall, cost]
