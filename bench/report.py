"""Render bench/run.py's results as docs/benchmarks.md: the page's header, its summary table
and machine, how to read it (bench/reading.md), then each scenario's section
(bench/<scenario>/report.py) in the page's order."""
from bench.admin.report import admin_render, admin_summary
from bench.articles.report import articles_render, articles_summary
from bench.budgets.report import budgets_render, budgets_summary
from bench.drain.report import drain_render, drain_summary
from bench.embeddings.report import embeddings_render, embeddings_summary
from bench.enqueue.report import enqueue_render, enqueue_summary
from bench.harness.sections import SHORT_ENGINE_LABEL, Target, measured_on, num, prose
from bench.hostile.report import hostile_section, hostile_summary
from bench.kills.report import kills_render, kills_summary
from bench.latency.report import latency_render, latency_summary
from bench.ledger.report import ledger_render, ledger_summary
from bench.live.report import live_render, live_summary
from bench.progress.report import progress_render, progress_summary
from bench.scaleout.report import scaleout_render, scaleout_summary
from bench.throughput.report import statements_render, throughput_render, throughput_summary
from bench.visibility.report import visibility_render, visibility_summary


# The summary's rows, in the order of the page's sections.
SUMMARIES = (throughput_summary, drain_summary, visibility_summary, latency_summary,
             enqueue_summary, budgets_summary, progress_summary, articles_summary,
             kills_summary, ledger_summary, admin_summary, embeddings_summary, live_summary,
             scaleout_summary, hostile_summary)


def _verdict(target: Target) -> str:
    verdicts = [met for _, met in target.figures.values() if met is not None]
    if not target.figures:
        return "not measured"
    if not verdicts:
        return "-"
    missed = [SHORT_ENGINE_LABEL[engine].split(" (")[0]
              for engine, (_, met) in target.figures.items() if met is False]
    if not missed:
        return "met"
    return "**MISSED**" + ("" if len(missed) == len(target.figures) else
                           f" ({', '.join(missed)})")


def _cell(target: Target, engine: str) -> str:
    if engine not in target.figures:
        return "-"
    text, met = target.figures[engine]
    return f"**{text}**" if met is False else text


def summary_render(results: dict) -> list[str]:
    """One table: every target the sections judge, its figure per database, met or
    missed, and the date of the run that measured it."""
    lines = [
        "## Summary",
        "",
        "Every target the sections below judge, with the figure it was judged on (a missed "
        "one in bold). \"-\": not measured on that database; the date is the run that "
        "measured the figure (a partial run keeps the others').",
        "",
        f"| target | {SHORT_ENGINE_LABEL['pg']} | {SHORT_ENGINE_LABEL['sqlite']} | met | "
        "measured |",
        "| --- | --- | --- | --- | --- |",
    ]
    for summary in SUMMARIES:
        for target in summary(results):
            measured = measured_on(results, target.scenario) if target.figures else "-"
            lines.append(f"| {target.name} | {_cell(target, 'pg')} | "
                         f"{_cell(target, 'sqlite')} | {_verdict(target)} | {measured} |")
    return lines + [""]


def _machine(results: dict) -> list[str]:
    m = results["machine"]
    probe = results.get("probe") or {}
    lines = [
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram_gib']} GiB; Linux {m['kernel']}",
        f"- Python {m['python']}, Django {m['django']}, django-q2 {m['django_q2']}, "
        f"DRF {m['djangorestframework']}, daphne {m['daphne']}, psycopg {m['psycopg']}",
        f"- PostgreSQL {m.get('postgresql', 'not available')}, "
        f"Redis {m.get('redis_server') or 'not available'}, SQLite {m['sqlite']}",
    ]
    if probe:
        lines.append(
            f"- Loopback cost measured at the start of the run: PostgreSQL `SELECT 1` "
            f"{num(probe.get('pg_select_1_ms'), 2)} ms, new PostgreSQL connection "
            f"{num(probe.get('pg_connect_ms'), 1)} ms, Redis `RPUSH` "
            f"{num(probe.get('redis_rpush_ms'), 2)} ms, new Redis connection + `RPUSH` "
            f"{num(probe.get('redis_connect_rpush_ms'), 2)} ms. (A bare-metal machine does a "
            "loopback round trip in ~0.03-0.1 ms; this VM is 5-10x slower, and both paths below "
            "are made of round trips.)"
        )
    lines.append("")
    return lines


def report_render(results: dict) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (scripts/bench.sh -> bench/run.py) on {results['date']}; "
        f"the whole run took {results.get('total_seconds', 0):.0f} s. Every figure below is "
        "rewritten by the next run; the prose around them is kept in `bench/reading.md` and "
        "`bench/<scenario>/*.md`, and why each figure is what it is in the doc of the part it "
        "measures (\"Reading the figures\", below).",
        "",
    ]
    lines += summary_render(results)
    if results.get("quick"):
        lines += ["**Quick mode: small counts, figures not comparable with a full run.**", ""]
    carried = results.get("carried_over") or {}
    if carried:
        by_date = {}
        for scenario, date in sorted(carried.items()):
            by_date.setdefault(date, []).append(scenario)
        lines += ["This run measured only some scenarios (`--only`); the figures for "
                  + "; ".join(f"{', '.join(names)} are those of the run of {date}"
                              for date, names in by_date.items())
                  + " (kept in docs/benchmarks.json).", ""]
    if not results.get("pg_available"):
        lines += ["PostgreSQL or Redis was not reachable: only the embedded default was "
                  "measured.", ""]
    lines += _machine(results)
    lines += [
        "How it runs: each scenario gets a fresh database (a PostgreSQL database cloned from "
        "a template migrated with `manage.py migrate`, or a copy of a migrated SQLite file under "
        "var/bench/), its own `Q_CLUSTER_NAME`, and real `manage.py qcluster` (and daphne) "
        "processes started and stopped by the benchmark. On PostgreSQL, qcluster runs without "
        "the connection pool (`DB_POOL=0`) and daphne with it, as in production: a pool must "
        "not cross django-q2's forks ([tasks.md, \"Database connections\"]"
        "(tasks.md#database-connections)). "
        "The machine is shared and noisy: compare ratios within one run, not across runs.",
        "",
        prose(__file__, "reading.md"),
        "",
    ]
    lines += throughput_render(results)
    lines += drain_render(results)
    lines += statements_render(results)
    lines += visibility_render(results)
    lines += latency_render(results)
    lines += enqueue_render(results)
    lines += budgets_render(results)
    lines += progress_render(results)
    lines += articles_render(results)
    lines += kills_render(results)
    lines += ledger_render(results)
    lines += admin_render(results)
    lines += embeddings_render(results)
    lines += live_render(results)
    lines += scaleout_render(results)
    return "\n".join(lines)


def page_render(results: dict) -> str:
    """The whole page: every section, then the hostile-input one."""
    return report_render(results) + hostile_section(results)
