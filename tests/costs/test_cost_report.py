"""manage.py cost_report: the entity roll-up as JSON or CSV, for scripts and month-end."""
import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tests.costs.test_apis import (
    FILE_PROCESSOR_10_PAGES, JAN_15, TRANSFORMER_45_CHUNKS, make_record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(entity, other_entity):
    make_record(entity, FILE_PROCESSOR_10_PAGES, TRANSFORMER_45_CHUNKS, created_at=JAN_15)
    make_record(entity, FILE_PROCESSOR_10_PAGES, created_at=JAN_15 + timedelta(days=1))
    make_record(other_entity, TRANSFORMER_45_CHUNKS, created_at=JAN_15)
    make_record(entity, FILE_PROCESSOR_10_PAGES, created_at=JAN_15 + timedelta(days=40))


def _run(*args) -> str:
    out = io.StringIO()
    call_command("cost_report", *args, stdout=out)
    return out.getvalue()


def test_cost_report_json_per_entity_by_service(ledger):
    body = json.loads(_run("--since", "2025-01-01", "--until", "2025-02-01"))

    by_entity = {report["entity_id"]: report for report in body["reports"]}
    assert set(by_entity) == {"company_123", "company_456", "default"}  # default: made by migrate
    ours = by_entity["company_123"]
    assert Decimal(str(ours["total_cost_usd"])) == Decimal("0.175")
    assert ours["request_count"] == 2
    assert {group["key"]: Decimal(str(group["total_cost_usd"])) for group in ours["groups"]} == {
        "file_processor": Decimal("0.04"), "transformer": Decimal("0.135")}
    assert ours["period_start"] == "2025-01-01T00:00:00Z"


def test_cost_report_csv_by_day_for_one_entity_to_a_file(ledger, tmp_path):
    target = tmp_path / "january.csv"
    call_command("cost_report", "--entity", "company_123", "--since", "2025-01-01",
                 "--until", "2025-02-01", "--group-by", "day", "--format", "csv",
                 "--output", str(target))

    rows = list(csv.reader(target.read_text().splitlines()))
    assert rows == [
        ["entity_id", "day", "total_cost_usd", "request_count", "final"],
        ["company_123", "2025-01-15", "0.155", "1", "true"],
        ["company_123", "2025-01-16", "0.02", "1", "true"],
    ]


@pytest.mark.parametrize("args, message", [
    (["--group-by", "month"], "group_by must be one of service, day, task_type, operation_type"),
    (["--since", "yesterday"], "since"),
    (["--since", "2025-02-01", "--until", "2025-01-01"], "until must be later than since"),
    (["--entity", "company_999"], "no such entity: company_999"),
])
def test_cost_report_refuses_bad_arguments_naming_them(ledger, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("cost_report", *args)
