"""Reading the usage lines tests assert on: they live on the request records."""
from costs.lines import ServiceLine, service_lines
from costs.models import RequestRecord


def lines_of(records=None, **wanted) -> list[ServiceLine]:
    """The usage lines of these records (every record by default), in record then line order.

    `wanted` keeps the lines whose attribute equals the value (`unit="pages"`), or whose
    breakdown has the value under a key (`breakdown__step="weight"`).
    """
    records = RequestRecord.objects.all() if records is None else records
    found = []
    for usage in records.order_by("id").values_list("usage", flat=True):
        for line in service_lines(usage):
            if all(_matches(line, name, value) for name, value in wanted.items()):
                found.append(line)
    return found


def _matches(line: ServiceLine, name: str, value) -> bool:
    if name.startswith("breakdown__"):
        return line.breakdown.get(name.removeprefix("breakdown__")) == value
    return getattr(line, name) == value
