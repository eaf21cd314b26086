"""Summaries of measured samples that several scenarios report the same way."""


def percentiles(values: list[float]) -> dict:
    """Count, p50 / p95 / p99, max and mean of `values` (nearest rank)."""
    if not values:
        return {"count": 0}
    ordered = sorted(values)

    def at(q):
        return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]
    return {"count": len(ordered), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99),
            "max": ordered[-1], "mean": sum(ordered) / len(ordered)}
