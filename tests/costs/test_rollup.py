"""The daily cost roll-up: kept by usage_record, rebuilt from the ledger, exact, race-safe."""
import threading
from collections import defaultdict
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from costs.lines import service_lines
from costs.models import DailyCost, Entity, Price, RequestRecord
from costs.rollup import DailyCostDelta, daily_cost_add, daily_cost_fill, daily_cost_lock
from costs.services import daily_cost_rebuild, request_record_open, usage_record
from tests.factories import EntityFactory
from tests.ledger import lines_of
from tests.processes import wait_for

# These tests hold one writer's transaction open and watch another wait for its row lock.
# SQLite has no row locks: every write transaction takes the database's one write lock at
# BEGIN IMMEDIATE, so the second writer cannot even start and the race cannot arise there.
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="watches a writer wait on another's row lock; SQLite serialises whole write "
           "transactions (BEGIN IMMEDIATE), so that race does not exist there")


def _record(entity, created_at=None, **fields):
    return request_record_open(operation_type="file_upload", endpoint="job:x", method="JOB",
                               entity=entity, created_at=created_at, **fields)


def _ledger_sums() -> dict:
    """The ledger summed in Python, exactly, per UTC day of the record, entity, service, unit;
    a record counts once per service, in the unit of its first line of the service."""
    sums = defaultdict(lambda: [Decimal(0), Decimal(0), 0, 0, 0])
    for created_at, entity, usage in RequestRecord.objects.values_list("created_at", "entity",
                                                                       "usage"):
        services = set()
        for line in service_lines(usage):
            row = sums[(created_at.astimezone(dt_timezone.utc).date(), entity,
                        line.service_type, line.unit)]
            row[0] += line.cost
            row[1] += line.quantity
            row[2] += 1
            row[3] += int(line.unpriced)
            row[4] += line.service_type not in services
            services.add(line.service_type)
    return {key: tuple(value) for key, value in sums.items()}


def _rollup() -> dict:
    return {
        (row.day, row.entity_id, row.service_type, row.unit):
            (row.cost, row.quantity, row.line_count, row.unpriced_line_count, row.record_count)
        for row in DailyCost.objects.all()
    }


@pytest.fixture
def mixed_ledger(entity, other_entity):
    """Records on several days (either side of UTC midnight), two entities and none, priced
    and unpriced lines, costs with all ten decimal places."""
    Price.objects.create(service_type="odd_service", unit="calls",
                         unit_price=Decimal("0.0123456789"),
                         effective_from=timezone.now() - timedelta(days=400))
    midnight = timezone.now().astimezone(dt_timezone.utc).replace(
        hour=0, minute=0, second=0, microsecond=0)
    moments = [midnight - timedelta(microseconds=1), midnight, midnight + timedelta(hours=5),
               midnight - timedelta(days=3, hours=2), midnight - timedelta(days=40)]
    for index, moment in enumerate(moments):
        for owner in (entity, other_entity, None):
            record = _record(owner, created_at=moment, task_id=f"task_{index}")
            usage_record(record=record, service_type="file_processor", unit="pages",
                         quantity=7 + index)
            usage_record(record=record, service_type="odd_service", unit="calls",
                         quantity=Decimal("3.141593") * (index + 1))
            usage_record(record=record, service_type="openai_chat", unit="input_tokens",
                         quantity=1234 + index, model="gpt-4o-mini")
            usage_record(record=record, service_type="openai_chat", unit="output_tokens",
                         quantity=321, model="gpt-4o-mini")
            usage_record(record=record, service_type="openai_chat", unit="input_tokens",
                         quantity=55, model="a-model-without-price")


def test_usage_record_keeps_rollup_equal_to_the_ledger_to_the_last_digit(mixed_ledger):
    expected = _ledger_sums()

    assert _rollup() == expected
    days = {day for day, *_ in expected}
    assert len(days) == 4  # the microsecond before midnight counts for the day before
    # Paid usage on a record of no entity is billed to the default entity.
    default = Entity.objects.get(entity_id=settings.DEFAULT_ENTITY_ID).pk
    assert any(entity == default for _, entity, *_ in expected)
    assert not any(entity is None for _, entity, *_ in expected)
    assert any(unpriced for *_, unpriced in expected.values())


def test_daily_cost_rebuild_recomputes_the_rollup_from_the_ledger(mixed_ledger):
    expected = _ledger_sums()
    DailyCost.objects.filter(entity__isnull=True).delete()  # as after restoring the ledger alone
    DailyCost.objects.update(cost=Decimal("999"))

    rows = daily_cost_rebuild()

    assert rows == len(expected)
    assert _rollup() == expected


def test_rebuild_daily_costs_command_says_what_it_did(mixed_ledger, capsys):
    DailyCost.objects.all().delete()

    call_command("rebuild_daily_costs")

    lines = len(lines_of())
    assert f"{len(_ledger_sums())} rows from {lines} usage lines" in capsys.readouterr().out
    assert _rollup() == _ledger_sums()


def test_rollup_stays_exact_over_many_lines_of_one_day(entity):
    """A thousand uses of $12.3456789012: adding them as floats drifts in the last places."""
    Price.objects.create(service_type="precise", unit="calls",
                         unit_price=Decimal("12.3456789012"),
                         effective_from=timezone.now() - timedelta(days=1))
    record = _record(entity)
    for _ in range(1000):
        usage_record(record=record, service_type="precise", unit="calls", quantity=1)

    row = DailyCost.objects.get(service_type="precise")

    assert row.cost == Decimal("12345.6789012000")
    assert (row.line_count, row.record_count, row.quantity) == (1, 1, 1000)  # one merged line
    record.refresh_from_db()
    assert record.cost == Decimal("12345.6789012000")
    daily_cost_rebuild()
    assert DailyCost.objects.get(service_type="precise").cost == Decimal("12345.6789012000")


@pytest.mark.django_db(transaction=True)
def test_backfill_migration_fills_the_rollup_from_existing_lines(entity):
    record = _record(entity, created_at=datetime(2026, 1, 2, 23, 59, tzinfo=dt_timezone.utc))
    usage_record(record=record, service_type="file_processor", unit="pages", quantity=10)
    _record(None)  # a record without lines adds nothing
    DailyCost.objects.all().delete()  # as before the roll-up existed
    executor = MigrationExecutor(connection)

    try:
        executor.migrate([("costs", "0005_daily_cost")])
        executor.loader.build_graph()
        executor.migrate([("costs", "0006_daily_cost_backfill")])

        apps = executor.loader.project_state([("costs", "0006_daily_cost_backfill")]).apps
        row = apps.get_model("costs", "DailyCost").objects.get()
        assert (row.day.isoformat(), row.entity_id, row.cost, row.line_count) == (
            "2026-01-02", entity.pk, Decimal("0.02"), 1)
    finally:
        _migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_usage_migration_moves_old_lines_onto_their_records_merged(entity):
    """0008: usage lines of the old layout become the record's usage, one line per meter and
    price, the daily roll-up recomputed from them; going back restores line rows."""
    day = datetime(2026, 1, 2, 23, 59, tzinfo=dt_timezone.utc)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("costs", "0007_usage_on_record")])
        apps = executor.loader.project_state([("costs", "0007_usage_on_record")]).apps
        Price_ = apps.get_model("costs", "Price")
        small, _ = Price_.objects.get_or_create(
            service_type="openai_embedding", model="text-embedding-3-small",
            unit="input_tokens", effective_from=datetime(2025, 1, 1, tzinfo=dt_timezone.utc),
            defaults={"unit_price": Decimal("0.00000002")})
        record = apps.get_model("costs", "RequestRecord").objects.create(
            request_id="req_old_layout", entity_id=entity.pk, operation_type="file_upload",
            endpoint="job:upload", method="JOB", created_at=day)
        Line = apps.get_model("costs", "UsageLine")
        for tokens, chunks in ((1000, 4), (500, 2)):
            Line.objects.create(record=record, service_type="openai_embedding",
                                unit="input_tokens", model="text-embedding-3-small",
                                quantity=tokens, breakdown={"input_tokens": tokens,
                                                            "chunks": chunks},
                                unit_price=small.unit_price,
                                cost=tokens * small.unit_price, unpriced=False)
        Line.objects.create(record=record, service_type="openai_chat", unit="input_tokens",
                            model="gpt-unknown", quantity=5, breakdown={"input_tokens": 5},
                            unit_price=None, cost=0, unpriced=True)
        executor.loader.build_graph()
        executor.migrate([("costs", "0009_drop_usage_line")])

        stored = RequestRecord.objects.get(request_id="req_old_layout")
        embedding, chat = service_lines(stored.usage)
        assert (embedding.quantity, embedding.cost, embedding.unit_price, embedding.breakdown) == (
            1500, Decimal("0.00003"), small.unit_price, {"input_tokens": 1500, "chunks": 6})
        assert (chat.model, chat.quantity, chat.unpriced) == ("gpt-unknown", 5, True)
        assert stored.cost == Decimal("0.00003") and stored.unpriced
        assert _rollup() == _ledger_sums()
        assert DailyCost.objects.get(service_type="openai_embedding").line_count == 1

        executor.loader.build_graph()
        executor.migrate([("costs", "0007_usage_on_record")])
        apps = executor.loader.project_state([("costs", "0007_usage_on_record")]).apps
        assert sorted(apps.get_model("costs", "UsageLine").objects.values_list(
            "model", "quantity", "unpriced")) == [
            ("gpt-unknown", 5, True), ("text-embedding-3-small", 1500, False)]
    finally:
        _migrate_to_latest()


def _migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# --- concurrent writers on PostgreSQL ------------------------------------------------------


def _in_thread(target, results: dict, name: str) -> threading.Thread:
    def run():
        try:
            results[name] = target()
        except Exception as exc:  # reported by the test, not lost in the thread
            results[name] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


def _waiting_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row and row[0] == "Lock")


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_rollup_add_waits_for_a_concurrent_first_line_of_the_day_then_adds_to_it(entity):
    """A holds the day's new row uncommitted; B's line arrives meanwhile and must count too.

    An update-then-insert would find no row for B (A's is not committed), insert, and fail
    on the unique index once A commits.
    """
    record = _record(entity)
    first_added, release = threading.Event(), threading.Event()
    pids, results = {}, {}

    def first_writer():
        with transaction.atomic():
            daily_cost_add(DailyCostDelta(
                day=record.created_at.astimezone(dt_timezone.utc).date(),
                entity_id=entity.pk, service_type="file_processor", unit="pages",
                cost=Decimal("0.002"), quantity=Decimal(1), lines=1, unpriced_lines=0,
                records=1))
            first_added.set()
            release.wait(30)

    def second_writer():
        connection.ensure_connection()
        pids["second"] = connection.connection.info.backend_pid
        first_added.wait(30)
        return usage_record(record=record, service_type="file_processor", unit="pages",
                            quantity=10)

    threads = [_in_thread(first_writer, results, "first"),
               _in_thread(second_writer, results, "second")]
    wait_for(lambda: "second" in pids and _waiting_on_a_lock(pids["second"]), 30,
             message="the second writer to wait for the first one's row")
    release.set()
    for thread in threads:
        thread.join(30)

    assert not isinstance(results["second"], Exception), results["second"]
    row = DailyCost.objects.get()
    assert (row.cost, row.quantity, row.line_count) == (Decimal("0.022"), 11, 2)


@pytest.mark.django_db(transaction=True)
def test_rollup_counts_every_line_two_threads_record_at_once(entity):
    other = EntityFactory(entity_id="company_789")
    records = {owner: _record(owner) for owner in (entity, other, None)}
    start = threading.Barrier(2)
    results = {}

    def writer():
        start.wait(30)
        for _ in range(40):
            for record in records.values():
                usage_record(record=record, service_type="file_processor", unit="pages",
                             quantity=1)
        return True

    threads = [_in_thread(writer, results, f"writer{index}") for index in range(2)]
    for thread in threads:
        thread.join(60)

    assert results == {"writer0": True, "writer1": True}
    assert {row.entity_id: (row.quantity, row.cost, row.line_count, row.record_count)
            for row in DailyCost.objects.all()} == {
        owner: (80, Decimal("0.16"), 1, 1)
        for owner in (entity.pk, other.pk, Entity.objects.get(entity_id="default").pk)
    }


@pytest.mark.django_db(transaction=True)
def test_concurrent_usage_on_one_record_loses_no_line(entity):
    """Four request threads of one job attempt record on the shared record at once, as the
    embeddings job does: merged or new, every use is on the record, exactly once."""
    record = _record(entity)
    start = threading.Barrier(4)
    results = {}

    def writer(thread: int):
        def run():
            start.wait(30)
            for _ in range(25):
                usage_record(record=record, service_type="file_processor", unit="pages",
                             quantity=1)
                usage_record(record=record, service_type="transformer", unit="chunks",
                             quantity=1, model=f"model-{thread}")
            return True
        return run

    threads = [_in_thread(writer(index), results, f"writer{index}") for index in range(4)]
    for thread in threads:
        thread.join(60)

    assert results == {f"writer{index}": True for index in range(4)}
    stored = RequestRecord.objects.get(pk=record.pk)
    lines = {(line.service_type, line.model): line.quantity for line in service_lines(stored.usage)}
    assert lines == {("file_processor", ""): 100,
                     **{("transformer", f"model-{index}"): 25 for index in range(4)}}
    assert stored.cost == 100 * Decimal("0.002") + 100 * Decimal("0.003")
    assert _rollup() == _ledger_sums()


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_usage_recorded_during_a_rebuild_waits_for_it_and_is_counted_once(entity):
    """The rebuild's steps, paused before commit: a new line for a day with no row yet must
    wait, or its row would collide with (or be counted again by) the rebuilt one."""
    record = _record(entity)
    usage_record(record=record, service_type="file_processor", unit="pages", quantity=1)
    rebuilt, release = threading.Event(), threading.Event()
    pids, results = {}, {}

    def rebuild():
        with transaction.atomic():
            daily_cost_lock()
            DailyCost.objects.all().delete()
            daily_cost_fill()
            rebuilt.set()
            release.wait(30)

    def record_usage():
        connection.ensure_connection()
        pids["writer"] = connection.connection.info.backend_pid
        rebuilt.wait(30)
        return usage_record(record=_record(entity), service_type="transformer", unit="chunks",
                            quantity=2)

    threads = [_in_thread(rebuild, results, "rebuild"),
               _in_thread(record_usage, results, "writer")]
    wait_for(lambda: "writer" in pids and _waiting_on_a_lock(pids["writer"]), 30,
             message="usage_record to wait for the rebuild")
    release.set()
    for thread in threads:
        thread.join(30)

    assert not isinstance(results["writer"], Exception), results["writer"]
    assert _rollup() == _ledger_sums()
    assert DailyCost.objects.get(service_type="transformer").line_count == 1
