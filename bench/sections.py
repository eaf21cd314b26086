"""What the report's sections share: when their figures were measured, and engine names."""
# Tracked work is queued in the task table on both; bare django-q2 runs on its stock broker
# for the mode (Redis, or its ORM broker on SQLite).
SHORT_ENGINE_LABEL = {"pg": "PostgreSQL + Redis", "sqlite": "SQLite (embedded default)"}


def measured_on(results: dict, scenario: str) -> str:
    """The date of the run that measured `scenario` (a partial run carries others over)."""
    return (results.get("carried_over") or {}).get(scenario, results.get("date", "?"))


def engine_label(key: str) -> str:
    """"PostgreSQL + Redis" or "SQLite (embedded default)" for a result key ending in _pg / _sqlite."""
    return SHORT_ENGINE_LABEL["pg" if key.endswith("pg") else "sqlite"]
