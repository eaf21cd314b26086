"""What the report's sections share: when their figures were measured, engine names, and
how a figure or a failure is written."""
from dataclasses import dataclass, field
from pathlib import Path

# Tracked work is queued in the task table on both; bare django-q2 runs on its stock broker
# for the mode (Redis, or its ORM broker on SQLite).
SHORT_ENGINE_LABEL = {"pg": "PostgreSQL + Redis", "sqlite": "SQLite (embedded default)"}
ENGINE_LABEL = {
    "pg": "PostgreSQL + Redis (bare: Redis broker)",
    "sqlite": "SQLite, embedded default (bare: ORM broker)",
}


def measured_on(results: dict, scenario: str) -> str:
    """The date of the run that measured `scenario` (a partial run carries others over)."""
    return (results.get("carried_over") or {}).get(scenario, results.get("date", "?"))


def engine_label(key: str) -> str:
    """"PostgreSQL + Redis" or "SQLite (embedded default)" for a result key ending in _pg / _sqlite."""
    return SHORT_ENGINE_LABEL["pg" if key.endswith("pg") else "sqlite"]


def num(value, digits=1, suffix=""):
    """A figure with thousands separators, or "n/a" for one not measured."""
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{suffix}"


def error_line(result: dict) -> str:
    """The first line of a failed scenario's error, for a table cell."""
    first = result["error"].strip().splitlines()
    return first[0][:200] if first else "failed"


def prose(package_file: str, name: str) -> str:
    """The markdown kept beside a scenario's renderer (bench/<scenario>/<name>), stripped.

    Interpretation is written by hand when the figures move, so it lives in a .md file a
    reader can open and edit as text; the report copies it into the page verbatim."""
    text = (Path(package_file).resolve().parent / name).read_text()
    if text.startswith("<!--"):  # the file's note on where its text comes from
        text = text[text.index("-->") + 3:]
    return text.strip()


@dataclass
class Target:
    """One row of the page's summary table: a target, its figure on each database, and the
    scenario whose run date says when it was measured.

    `figures` maps "pg" / "sqlite" to (the figure as written, met); met is None where the
    figure is shown without a verdict. A database the scenario does not measure is left out.
    """
    name: str
    scenario: str
    figures: dict = field(default_factory=dict)


def judged(value: dict | None, figure, met) -> tuple[str, bool | None] | None:
    """(figure, met) for one database's result: None if not run, "failed" if it failed.

    `figure` and `met` are functions of the result, called only for a result that has
    figures."""
    if not value:
        return None
    if "error" in value:
        return "failed", False
    return figure(value), met(value)
