"""The ledger's admin: entities, request records with their usage, prices."""
import csv
import html
import io
import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test import AsyncClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from costs.admin import LINES_SHOWN
from costs.models import Entity, Price, RequestRecord
from costs.services import request_record_open, usage_record
from tests.admin_csv import admin_csv_export
from tests.factories import EntityFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:costs_entity_changelist")
RECORDS = reverse("admin:costs_requestrecord_changelist")
PRICES = reverse("admin:costs_price_changelist")


@pytest.fixture(autouse=True)
def _fresh_filter_choices():
    """The record filters cache their choices; each test starts from the database."""
    cache.clear()
    yield
    cache.clear()


PAGES_10 = ("file_processor", "pages", 10, "")  # $0.02
CHUNKS_45 = ("transformer", "chunks", 45, "")  # $0.135
UNKNOWN_MODEL_TOKENS = ("openai_chat", "input_tokens", 1000, "gpt-unknown")  # unpriced


def make_record(*, usage=(), **fields) -> RequestRecord:
    """A finished API request or job attempt, with usage recorded as the services do."""
    defaults = {"operation_type": "file_upload", "endpoint": "/api/files", "method": "POST",
                "status_code": 201, "processing_time_ms": 12.5}
    record = request_record_open(**{**defaults, **fields})
    for service_type, unit, quantity, model in usage:
        usage_record(record=record, service_type=service_type, unit=unit, quantity=quantity,
                     model=model)
    return record


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=dt_timezone.utc)


def records_listed(response) -> list[str]:
    return [record.request_id for record in response.context["cl"].result_list]


def messages_of(response) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in get_messages(response.wsgi_request)]


def usage_table(page: str) -> list[list[str]]:
    """The cells of a record change page's usage lines table, header first."""
    table = re.search(r'<table class="usage-lines">(.*?)</table>', page, re.S).group(1)
    return [[html.unescape(cell) for cell in re.findall(r"<t[hd]>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


def record_url(record) -> str:
    return reverse("admin:costs_requestrecord_change", args=[record.pk])


def listed(response) -> list[tuple[str, int]]:
    entities = response.context["cl"].result_list
    return [(entity.entity_id, entity.member_count) for entity in entities]


def test_entity_changelist_shows_member_counts(admin_client):
    acme = EntityFactory(entity_id="acme", name="Acme Corp")
    acme.members.add(UserFactory(username="ann"), UserFactory(username="bob"))
    EntityFactory(entity_id="globex")

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert listed(response) == [("acme", 2), ("default", 0), ("globex", 0)]
    assert "Acme Corp" in response.content.decode()


def test_entity_changelist_searches_entity_id_and_name(admin_client):
    EntityFactory(entity_id="acme", name="Acme Corp")
    EntityFactory(entity_id="globex", name="Globex Industries")

    assert listed(admin_client.get(CHANGELIST, {"q": "glob"})) == [("globex", 0)]
    assert listed(admin_client.get(CHANGELIST, {"q": "corp"})) == [("acme", 0)]


def test_entity_changelist_sorts_by_member_count(admin_client):
    lonely = EntityFactory(entity_id="a_lonely")
    busy = EntityFactory(entity_id="b_busy")
    busy.members.add(UserFactory(username="ann"), UserFactory(username="bob"))
    lonely.members.add(UserFactory(username="cid"))
    member_count_column = 3  # entity_id, name, member_count

    response = admin_client.get(CHANGELIST, {"o": f"-{member_count_column}"})

    assert listed(response) == [("b_busy", 2), ("a_lonely", 1), ("default", 0)]


def test_entity_add_with_members(admin_client):
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")

    page = admin_client.get(reverse("admin:costs_entity_add"))
    assert 'class="selectfilter"' in page.content.decode()  # filter_horizontal
    response = admin_client.post(
        reverse("admin:costs_entity_add"),
        {"entity_id": "initech", "name": "Initech", "members": [ann.pk, bob.pk]},
    )

    assert response.status_code == 302
    entity = Entity.objects.get(entity_id="initech")
    assert set(entity.members.values_list("username", flat=True)) == {"ann", "bob"}


def test_entity_add_rejects_invalid_entity_id(admin_client):
    response = admin_client.post(
        reverse("admin:costs_entity_add"), {"entity_id": "has space", "name": "x"}
    )

    assert response.status_code == 200
    assert "entity_id must be 1-64 letters" in response.content.decode()
    assert list(Entity.objects.values_list("entity_id", flat=True)) == ["default"]


def test_entity_change_keeps_entity_id(admin_client):
    """Ledger lines name their entity by entity_id, so it cannot be renamed here."""
    entity = EntityFactory(entity_id="acme", name="Acme")
    ann = UserFactory(username="ann")

    response = admin_client.post(
        reverse("admin:costs_entity_change", args=[entity.pk]),
        {"entity_id": "renamed", "name": "Acme Corp", "members": [ann.pk]},
    )

    assert response.status_code == 302
    entity.refresh_from_db()
    assert (entity.entity_id, entity.name) == ("acme", "Acme Corp")
    assert list(entity.members.all()) == [ann]


def test_entity_admin_redirects_non_staff_to_login(client):
    client.force_login(UserFactory(username="member", is_staff=False))

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_entity_changelist_shows_last_day_cost_in_one_query(admin_client):
    acme, globex = EntityFactory(entity_id="acme"), EntityFactory(entity_id="globex")
    EntityFactory(entity_id="initech")
    make_record(entity=acme, usage=[PAGES_10, CHUNKS_45])  # 0.02 + 0.135
    make_record(entity=acme, usage=[("file_processor", "pages", 3, "")])  # 0.006
    old = make_record(entity=acme, usage=[PAGES_10])  # outside the last 24 h
    RequestRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=25))
    make_record(entity=globex, usage=[UNKNOWN_MODEL_TOKENS])

    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(CHANGELIST)

    costs = {e.entity_id: e.day_costs for e in response.context["cl"].result_list}
    assert costs["acme"].total == Decimal("0.161")
    assert costs["acme"].by_service == {
        "file_processor": Decimal("0.026"), "transformer": Decimal("0.135")
    }
    assert costs["globex"].total == Decimal(0) and costs["globex"].unpriced_lines == 1
    assert costs["initech"] is None
    page = response.content.decode()
    assert "$0.161" in page and "(+ unpriced usage)" in page and "$0.00" in page
    assert "cost, last 24 h" in page.lower()
    assert "?entity_id=acme&amp;created_at__gte=" in page
    record_queries = [q for q in captured.captured_queries if "costs_requestrecord" in q["sql"]]
    assert len(record_queries) == 1


def test_entity_last_day_link_lists_the_records_it_sums(admin_client):
    acme = EntityFactory(entity_id="acme")
    recent = make_record(entity=acme, request_id="req_recent")
    old = make_record(entity=acme, request_id="req_old")
    RequestRecord.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=25))
    page = admin_client.get(CHANGELIST).content.decode()
    href = html.unescape(re.search(r'href="([^"]*created_at__gte=[^"]*)"', page).group(1))

    response = admin_client.get(href)

    assert [r.request_id for r in response.context["cl"].result_list] == [recent.request_id]


def test_entity_change_page_shows_cost_to_date(admin_client):
    acme = EntityFactory(entity_id="acme")
    make_record(entity=acme, usage=[PAGES_10, CHUNKS_45])
    make_record(entity=EntityFactory(entity_id="globex"), usage=[PAGES_10])

    page = admin_client.get(reverse("admin:costs_entity_change", args=[acme.pk]))

    assert page.status_code == 200
    assert "cost to date" in page.content.decode().lower()
    assert '?entity_id=acme">$0.155</a>' in page.content.decode()


def test_entity_cost_to_date_sums_the_daily_rollup_not_the_ledger(admin_client):
    acme = EntityFactory(entity_id="acme")
    make_record(entity=acme, usage=[PAGES_10, UNKNOWN_MODEL_TOKENS],
                created_at=timezone.now() - timedelta(days=200))
    make_record(entity=acme, usage=[CHUNKS_45])

    with CaptureQueriesContext(connection) as captured:
        page = admin_client.get(reverse("admin:costs_entity_change", args=[acme.pk]))

    content = page.content.decode()
    assert ('?entity_id=acme">$0.155 <span title="1 usage line without a price'
            in content)
    assert not [q for q in captured.captured_queries if "costs_requestrecord" in q["sql"]]
    assert [q for q in captured.captured_queries if "costs_dailycost" in q["sql"]]


# --- request records ------------------------------------------------------------------

def test_record_changelist_shows_page_costs_newest_first(admin_client):
    acme = EntityFactory(entity_id="acme")
    now = timezone.now()
    make_record(request_id="req_old_000001", entity=acme, created_at=now - timedelta(hours=2),
                usage=[PAGES_10, CHUNKS_45])
    make_record(request_id="req_new_000002", entity=acme, created_at=now - timedelta(hours=1),
                usage=[PAGES_10, UNKNOWN_MODEL_TOKENS])
    make_record(request_id="req_bare_00003", created_at=now - timedelta(hours=3))

    response = admin_client.get(RECORDS)

    assert response.status_code == 200
    assert records_listed(response) == ["req_new_000002", "req_old_000001", "req_bare_00003"]
    costs = {r.request_id: r.line_costs for r in response.context["cl"].result_list}
    assert costs["req_old_000001"].total == Decimal("0.155")
    assert costs["req_new_000002"].total == Decimal("0.02")
    assert costs["req_new_000002"].unpriced and not costs["req_old_000001"].unpriced
    assert costs["req_bare_00003"] is None
    page = response.content.decode()
    assert "$0.155" in page and "12.5 ms" in page
    assert page.count(">unpriced</span>") == 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"operation_type": "task_run"}, ["req_job_000001"]),
        ({"task_type": "embed"}, ["req_job_000001"]),
        ({"task_type": ""}, ["req_upload_0002", "req_failed_003"]),
        ({"status_code": "500"}, ["req_failed_003"]),
        ({"status_code": ""}, ["req_job_000001"]),
        ({"operation_type": "file_upload", "status_code": "201"}, ["req_upload_0002"]),
    ],
)
def test_record_changelist_filters(admin_client, query, expected):
    now = timezone.now()
    make_record(request_id="req_job_000001", operation_type="task_run", task_type="embed",
                method="JOB", status_code=None, created_at=now - timedelta(minutes=1))
    make_record(request_id="req_upload_0002", created_at=now - timedelta(minutes=2))
    make_record(request_id="req_failed_003", status_code=500, created_at=now - timedelta(minutes=3))

    response = admin_client.get(RECORDS, query)

    assert response.status_code == 200
    assert records_listed(response) == expected


def test_record_changelist_filter_choices_are_the_known_values(admin_client):
    make_record(operation_type="task_run", task_type="embed", status_code=None)
    make_record(operation_type="file_upload", status_code=201)

    response = admin_client.get(RECORDS)

    choices = {
        spec.title: [choice["display"] for choice in spec.choices(response.context["cl"])]
        for spec in response.context["cl"].filter_specs
    }
    assert choices["operation type"] == ["All", "file_upload", "task_run"]
    assert choices["task type"] == ["All", "(none)", "embed"]
    assert choices["status code"] == ["All", "(open: no outcome yet)", "201"]


def test_record_filter_choices_are_cached_but_a_new_value_still_filters(admin_client):
    make_record(request_id="req_upload_0001", operation_type="file_upload")
    admin_client.get(RECORDS)  # caches the operation types
    make_record(request_id="req_brand_new01", operation_type="brand_new")

    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(RECORDS, {"operation_type": "brand_new"})

    assert records_listed(response) == ["req_brand_new01"]
    assert not [q for q in captured.captured_queries if "DISTINCT" in q["sql"].upper()]
    spec = next(s for s in response.context["cl"].filter_specs if s.title == "operation type")
    selected = [c["display"] for c in spec.choices(response.context["cl"]) if c["selected"]]
    assert selected == ["brand_new"]


def test_record_changelist_filters_by_entity(admin_client):
    acme, globex = EntityFactory(entity_id="acme"), EntityFactory(entity_id="globex")
    make_record(request_id="req_acme_00001", entity=acme)
    make_record(request_id="req_globex_0001", entity=globex)

    response = admin_client.get(RECORDS, {"entity_id": "acme"})

    assert records_listed(response) == ["req_acme_00001"]


def test_record_unpriced_filter_lists_exactly_the_records_with_an_unpriced_line(admin_client):
    now = timezone.now()
    make_record(request_id="req_two_unpriced", created_at=now - timedelta(minutes=1),
                usage=[UNKNOWN_MODEL_TOKENS, UNKNOWN_MODEL_TOKENS, PAGES_10])
    make_record(request_id="req_one_unpriced", created_at=now - timedelta(minutes=2),
                usage=[UNKNOWN_MODEL_TOKENS])
    make_record(request_id="req_all_priced1", created_at=now - timedelta(minutes=3),
                usage=[PAGES_10, CHUNKS_45])
    make_record(request_id="req_no_usage_01", created_at=now - timedelta(minutes=4))

    unpriced = admin_client.get(RECORDS, {"unpriced": "yes"})
    priced = admin_client.get(RECORDS, {"unpriced": "no"})

    assert records_listed(unpriced) == ["req_two_unpriced", "req_one_unpriced"]
    assert unpriced.context["cl"].result_count == 2  # once each, however many such lines
    assert records_listed(priced) == ["req_all_priced1", "req_no_usage_01"]


def test_record_search_matches_whole_ids_only(admin_client):
    acme = EntityFactory(entity_id="acme")
    now = timezone.now()
    make_record(request_id="req_by_request1", created_at=now - timedelta(minutes=1))
    make_record(request_id="req_by_task_001", task_id="task_abc",
                created_at=now - timedelta(minutes=2))
    make_record(request_id="req_by_doc_0001", doc_id="doc_xyz",
                created_at=now - timedelta(minutes=3))
    make_record(request_id="req_by_entity01", entity=acme, created_at=now - timedelta(minutes=4))

    def search(term):
        return records_listed(admin_client.get(RECORDS, {"q": term}))

    assert search("req_by_request1") == ["req_by_request1"]
    assert search("task_abc") == ["req_by_task_001"]
    assert search("doc_xyz") == ["req_by_doc_0001"]
    assert search("acme") == ["req_by_entity01"]
    assert search("task_abc  acme") == ["req_by_task_001", "req_by_entity01"]
    assert search("task_ab") == [] and search("req_by") == []


def test_record_change_page_shows_usage_lines_read_only(admin_client):
    record = make_record(task_id="task_abc", usage=[PAGES_10, CHUNKS_45, UNKNOWN_MODEL_TOKENS])

    response = admin_client.get(record_url(record))

    assert response.status_code == 200
    page = response.content.decode()
    assert usage_table(page) == [
        ["service type", "unit", "model", "quantity", "unit price", "cost", "breakdown",
         "unpriced"],
        ["file_processor", "pages", "-", "10", "0.0020000000", "0.02", '{"pages": 10}', ""],
        ["transformer", "chunks", "-", "45", "0.0030000000", "0.135", '{"chunks": 45}', ""],
        ["openai_chat", "input_tokens", "gpt-unknown", "1000", "-", "0", '{"input_tokens": 1000}',
         "yes"],
    ]
    assert ("<strong>$0.155</strong> (file_processor $0.02; openai_chat $0.00; "
            "transformer $0.135)") in page
    assert "1 usage line had no price and count as $0." in page
    assert 'name="_save"' not in page and 'class="closelink"' in page
    assert reverse("admin:costs_requestrecord_add") not in page
    assert "?q=task_abc" in page  # the task id links to the task list


def test_record_change_page_lists_the_first_lines_of_a_large_record(admin_client, monkeypatch):
    monkeypatch.setattr("costs.admin.LINES_SHOWN", 2)
    # Three meters: the same one three times would be one merged line.
    record = make_record(usage=[("transformer", "chunks", 10, f"model-{n}") for n in range(3)])

    response = admin_client.get(record_url(record))

    assert len(usage_table(response.content.decode())) == 1 + 2  # the header, two lines
    assert "The first 2 of its 3 usage lines are listed below." in response.content.decode()
    assert "<strong>$0.09</strong>" in response.content.decode()
    assert LINES_SHOWN == 500


def test_record_admin_is_read_only(admin_client):
    record = make_record(usage=[PAGES_10])

    change = admin_client.post(record_url(record), {"request_id": "req_rewritten_1",
                                                    "status_code": "200"})
    add = admin_client.get(reverse("admin:costs_requestrecord_add"))
    delete = admin_client.post(reverse("admin:costs_requestrecord_delete", args=[record.pk]),
                               {"post": "yes"})
    changelist = admin_client.get(RECORDS).content.decode()

    assert (change.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    record.refresh_from_db()
    assert record.request_id != "req_rewritten_1" and len(record.usage) == 1
    assert "delete_selected" not in changelist
    assert reverse("admin:costs_requestrecord_add") not in changelist


def export(client, *, selected, select_across=False, query=""):
    return admin_csv_export(client, f"{RECORDS}{query}", selected=selected,
                            filename="request-records-", select_across=select_across)


def test_record_csv_export_of_selected_records_has_exact_totals(admin_client):
    acme = EntityFactory(entity_id="acme")
    at = utc(2026, 3, 4, 5, 6, 7, 890000)
    priced = make_record(request_id="req_export_001", entity=acme, task_id="task_abc",
                         doc_id="doc_xyz", task_type="document", created_at=at,
                         usage=[PAGES_10, CHUNKS_45, PAGES_10])
    unpriced = make_record(request_id="req_export_002", created_at=at + timedelta(seconds=1),
                           operation_type="task_run", method="JOB", status_code=None,
                           processing_time_ms=None, usage=[UNKNOWN_MODEL_TOKENS, CHUNKS_45])
    make_record(request_id="req_not_chosen", usage=[PAGES_10])

    rows = export(admin_client, selected=[priced, unpriced])

    assert [row["request_id"] for row in rows] == ["req_export_002", "req_export_001"]
    assert rows[1] == {
        "request_id": "req_export_001", "timestamp": "2026-03-04T05:06:07.890000Z",
        "entity_id": "acme", "task_id": "task_abc", "doc_id": "doc_xyz",
        "operation_type": "file_upload", "task_type": "document", "endpoint": "/api/files",
        "method": "POST", "status_code": "201", "processing_time_ms": "12.5",
        "total_cost_usd": "0.1750000000", "unpriced": "false",
        "services": "file_processor:0.0400000000;transformer:0.1350000000",
    }
    # Paid usage on a record of no entity is billed to the default entity.
    assert rows[0]["entity_id"] == "default" and rows[0]["status_code"] == ""
    assert rows[0]["processing_time_ms"] == ""
    assert rows[0]["total_cost_usd"] == "0.1350000000" and rows[0]["unpriced"] == "true"
    assert rows[0]["services"] == "openai_chat:0.0000000000;transformer:0.1350000000"


def test_record_csv_export_select_across_takes_every_filtered_record(admin_client, monkeypatch):
    monkeypatch.setattr("costs.admin.EXPORT_BATCH", 2)  # several batches
    acme = EntityFactory(entity_id="acme")
    for _ in range(5):
        make_record(entity=acme, usage=[PAGES_10])
    make_record(entity=EntityFactory(entity_id="globex"), usage=[PAGES_10])
    one_on_the_page = make_record(entity=acme)

    rows = export(admin_client, selected=[one_on_the_page], select_across=True,
                  query="?entity_id=acme")

    assert len(rows) == 6 and {row["entity_id"] for row in rows} == {"acme"}
    assert sorted(Decimal(row["total_cost_usd"]) for row in rows) == [
        Decimal(0), *[Decimal("0.02")] * 5
    ]


def test_record_csv_export_defuses_spreadsheet_formulas(admin_client):
    record = make_record(doc_id="=HYPERLINK(1)", task_id="+1")

    [row] = export(admin_client, selected=[record])

    assert (row["doc_id"], row["task_id"]) == ("'=HYPERLINK(1)", "'+1")


def test_record_csv_export_streams_under_asgi(admin_user, monkeypatch):
    """Django's ASGI handler reads a sync iterator whole before sending: this one is async."""
    monkeypatch.setattr("costs.renderers.FLUSH_AT", 200)
    monkeypatch.setattr("costs.admin.EXPORT_BATCH", 3)
    records = [make_record(usage=[PAGES_10, CHUNKS_45]) for _ in range(10)]
    client = AsyncClient()
    client.force_login(admin_user)

    async def download():
        response = await client.post(RECORDS, {
            "action": "export_csv", "index": "0", "select_across": "1",
            "_selected_action": [records[0].pk],
        })
        return response, [chunk async for chunk in response.streaming_content]

    response, chunks = async_to_sync(download)()

    assert response.status_code == 200 and response.is_async
    assert len(chunks) > 3
    rows = list(csv.DictReader(io.StringIO(b"".join(chunks).decode())))
    assert len(rows) == 10
    assert sum(Decimal(row["total_cost_usd"]) for row in rows) == Decimal("1.55")


def changelist_queries(client, query=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(RECORDS, query or {})
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_record_changelist_queries_do_not_grow_with_the_page(
    admin_client, django_assert_max_num_queries
):
    acme = EntityFactory(entity_id="acme")
    for number in range(5):
        make_record(entity=acme, task_id=f"task_{number}", usage=[PAGES_10, UNKNOWN_MODEL_TOKENS])
    admin_client.get(RECORDS)  # warms the cached filter choices
    with_five = changelist_queries(admin_client)
    for number in range(45):
        make_record(entity=acme, task_id=f"task_more_{number}", usage=[PAGES_10, CHUNKS_45])

    # session, user, the entity choices, count, page, the page's lines, the date range
    with django_assert_max_num_queries(7):
        response = admin_client.get(RECORDS)

    assert len(response.context["cl"].result_list) == 50
    assert len(changelist_queries(admin_client)) == len(with_five)


def test_record_changelist_never_lists_distinct_values(admin_client):
    now = timezone.now()
    make_record(usage=[PAGES_10], created_at=now)
    make_record(created_at=now - timedelta(days=400))
    admin_client.get(RECORDS)  # warms the cached filter choices

    for query in [None, {"unpriced": "yes"}, {"created_at__year": now.year},
                  {"created_at__year": now.year, "created_at__month": now.month}]:
        queries = changelist_queries(admin_client, query)
        assert not [sql for sql in queries if "DISTINCT" in sql.upper()], query
        # Nothing aggregates the whole table except the paginator's COUNT and the date range.
        counts = [sql for sql in queries
                  if "COUNT(" in sql.upper() and "costs_requestrecord" in sql]
        assert len(counts) == 1, query


def date_choices(response) -> list[str]:
    return [choice["title"] for choice in response.context["cl"].date_periods["choices"]]


def test_record_date_hierarchy_drills_down_from_the_date_range(admin_client):
    make_record(request_id="req_2025_march", created_at=utc(2025, 3, 30, 12))
    make_record(request_id="req_2026_jan_01", created_at=utc(2026, 1, 2, 9))
    make_record(request_id="req_2026_jan_02", created_at=utc(2026, 1, 4, 9))

    top = admin_client.get(RECORDS)
    year = admin_client.get(RECORDS, {"created_at__year": 2026})
    month = admin_client.get(RECORDS, {"created_at__year": 2026, "created_at__month": 1})
    day = admin_client.get(RECORDS, {"created_at__year": 2026, "created_at__month": 1,
                                     "created_at__day": 4})

    assert date_choices(top) == ["2025", "2026"]
    assert '<a href="?created_at__year=2025">2025</a>' in top.content.decode()
    assert date_choices(year) == ["January 2026"]
    assert date_choices(month) == ["January 2", "January 3", "January 4"]
    assert records_listed(month) == ["req_2026_jan_02", "req_2026_jan_01"]
    assert date_choices(day) == ["January 4"] and records_listed(day) == ["req_2026_jan_02"]
    assert '<a href="?created_at__month=1&amp;created_at__year=2026" class="date-back">' in (
        day.content.decode()
    )


def test_record_date_hierarchy_opens_at_the_month_when_all_records_are_in_it(admin_client):
    make_record(created_at=utc(2026, 2, 3))
    make_record(created_at=utc(2026, 2, 5))

    assert date_choices(admin_client.get(RECORDS)) == ["February 3", "February 4", "February 5"]


def test_record_admin_hidden_from_non_staff(client):
    client.force_login(UserFactory(username="member", is_staff=False))

    assert client.get(RECORDS).status_code == 302


# --- prices ---------------------------------------------------------------------------

def price_url(price) -> str:
    return reverse("admin:costs_price_change", args=[price.pk])


def default_price(service_type, unit, model="") -> Price:
    return Price.objects.get(service_type=service_type, unit=unit, model=model)


def price_form(**fields) -> dict:
    later = timezone.now() + timedelta(days=7)
    return {"service_type": "file_processor", "model": "", "unit": "pages",
            "unit_price": "0.0025", "effective_from_0": later.strftime("%Y-%m-%d"),
            "effective_from_1": later.strftime("%H:%M:%S"), "note": "new list price", **fields}


def test_price_changelist_shows_per_million_for_token_units(admin_client):
    response = admin_client.get(PRICES, {"q": "gpt-4o-mini"})

    rows = {(p.service_type, p.model, p.unit) for p in response.context["cl"].result_list}
    assert rows == {("openai_chat", "gpt-4o-mini", unit)
                    for unit in ("input_tokens", "cached_input_tokens", "output_tokens")}
    page = response.content.decode()
    assert "$0.00000015" in page and "$0.15" in page and "$0.60" in page


def test_price_changelist_filters_by_service_and_unit(admin_client):
    by_service = admin_client.get(PRICES, {"service_type": "file_processor"})
    by_unit = admin_client.get(PRICES, {"unit": "chunks"})

    assert [(p.service_type, p.unit) for p in by_service.context["cl"].result_list] == [
        ("file_processor", "pages")
    ]
    assert [(p.service_type, p.unit) for p in by_unit.context["cl"].result_list] == [
        ("transformer", "chunks")
    ]
    page = by_service.content.decode()
    assert "(any model)" in page and "$0.002" in page and "in force" in page


def test_price_in_force_cannot_be_edited(admin_client):
    price = default_price("file_processor", "pages")

    page = admin_client.get(price_url(price))
    post = admin_client.post(price_url(price), price_form(unit_price="0.5"))

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert "This price is in force since 2025-01-01 00:00:00 UTC" in page.content.decode()
    assert post.status_code == 302 and post.url == price_url(price)
    [(level, message)] = messages_of(post)
    assert level == "error" and message.startswith("Not saved. This price is in force")
    assert "add a new price</a> with a later effective_from" in message
    price.refresh_from_db()
    assert price.unit_price == Decimal("0.002")


def test_price_in_force_cannot_be_deleted(admin_client):
    price = default_price("file_processor", "pages")

    response = admin_client.post(reverse("admin:costs_price_delete", args=[price.pk]),
                                 {"post": "yes"})

    assert response.status_code == 403 and Price.objects.filter(pk=price.pk).exists()
    assert "delete_selected" not in admin_client.get(PRICES).content.decode()


def test_price_add_with_a_later_effective_from(admin_client):
    add = reverse("admin:costs_price_add")

    prefilled = admin_client.get(add, {"service_type": "file_processor", "unit": "pages"})
    response = admin_client.post(add, price_form())

    assert prefilled.context["adminform"].form.initial["service_type"] == "file_processor"
    assert prefilled.context["adminform"].form.initial["effective_from"] is None
    assert response.status_code == 302
    new = Price.objects.get(service_type="file_processor", unit="pages", unit_price="0.0025")
    assert new.effective_from > timezone.now() and new.note == "new list price"
    # Scheduled: usage is still priced at the old price until then.
    record = make_record(usage=[PAGES_10])
    assert [line.cost for line in record.usage] == [Decimal("0.02")]


def test_price_add_without_effective_from_starts_now(admin_client):
    before = timezone.now()

    response = admin_client.post(reverse("admin:costs_price_add"),
                                 price_form(effective_from_0="", effective_from_1=""))

    assert response.status_code == 302
    new = Price.objects.get(service_type="file_processor", unit="pages", unit_price="0.0025")
    assert before <= new.effective_from <= timezone.now()
    assert [line.cost for line in make_record(usage=[PAGES_10]).usage] == [Decimal("0.025")]


def test_price_add_refuses_a_past_effective_from_and_a_negative_price(admin_client):
    response = admin_client.post(
        reverse("admin:costs_price_add"),
        price_form(effective_from_0="2025-06-01", effective_from_1="00:00:00", unit_price="-1"),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["effective_from"][0].startswith("effective_from must not be in the past")
    assert errors["unit_price"] == ["unit_price must be 0 or more (USD per unit)"]
    assert not Price.objects.filter(effective_from__gt=utc(2025, 1, 1)).exists()


def test_price_scheduled_may_be_edited_and_deleted(admin_client):
    later = timezone.now() + timedelta(days=30)
    price = Price.objects.create(service_type="transformer", unit="chunks",
                                 unit_price=Decimal("0.004"), effective_from=later)

    listed_state = admin_client.get(PRICES, {"unit": "chunks"}).content.decode()
    edit = admin_client.post(price_url(price), price_form(
        service_type="transformer", unit="chunks", unit_price="0.0035",
    ))

    assert "scheduled" in listed_state
    assert edit.status_code == 302
    price.refresh_from_db()
    assert price.unit_price == Decimal("0.0035")
    delete = admin_client.post(reverse("admin:costs_price_delete", args=[price.pk]),
                               {"post": "yes"})
    assert delete.status_code == 302 and not Price.objects.filter(pk=price.pk).exists()


def test_price_superseded_is_marked(admin_client):
    Price.objects.create(service_type="transformer", unit="chunks", unit_price=Decimal("0.004"),
                         effective_from=timezone.now() - timedelta(days=1))

    response = admin_client.get(PRICES, {"unit": "chunks"})

    cl = response.context["cl"]
    states = [cl.model_admin.state(price) for price in cl.result_list]
    assert states == ["in force", "superseded"]
