"""When a section's figures were measured: a partial run (`--only`) carries the others over."""


def measured_on(results: dict, scenario: str) -> str:
    return (results.get("carried_over") or {}).get(scenario, results.get("date", "?"))
