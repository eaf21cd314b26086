"""What the report's sections share: when their figures were measured, and engine names."""
SHORT_ENGINE_LABEL = {"pg": "PostgreSQL + Redis", "sqlite": "SQLite + ORM broker"}


def measured_on(results: dict, scenario: str) -> str:
    """The date of the run that measured `scenario` (a partial run carries others over)."""
    return (results.get("carried_over") or {}).get(scenario, results.get("date", "?"))


def engine_label(key: str) -> str:
    """"PostgreSQL + Redis" or "SQLite + ORM broker" for a result key ending in _pg / _sqlite."""
    return SHORT_ENGINE_LABEL["pg" if key.endswith("pg") else "sqlite"]
