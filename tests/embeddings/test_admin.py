"""Operators see knowledge bases, documents and chunks in the admin; chunks are read-only."""
import pytest

from embeddings.models import Chunk, Document, KnowledgeBase
from embeddings.services import document_submit
from tests.ledger import lines_of


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.django_db(transaction=True)
def test_admin_lists_and_shows_embedding_models(admin_client, entity, sync_jobs):
    document = document_submit(entity=entity, knowledge_base=None,
                               content="Steel beams and glass panes. " * 100)
    chunk = Chunk.objects.first()

    for url in ["/admin/embeddings/knowledgebase/", "/admin/embeddings/document/",
                "/admin/embeddings/chunk/", f"/admin/embeddings/document/{document.pk}/change/",
                f"/admin/embeddings/chunk/{chunk.pk}/change/",
                f"/admin/embeddings/knowledgebase/{document.knowledge_base.pk}/change/"]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    listing = admin_client.get("/admin/embeddings/document/", {"q": document.doc_id}).content.decode()
    assert document.doc_id in listing and document.task.task_id in listing


def test_admin_chunks_and_documents_are_read_only(admin_client, entity):
    kb = KnowledgeBase.objects.create(entity=entity, name="x")
    document = Document.objects.create(entity=entity, knowledge_base=kb, format="txt",
                                       stored_name="a.txt", size=1, sha256="0")

    assert admin_client.get("/admin/embeddings/chunk/add/").status_code == 403
    assert admin_client.get("/admin/embeddings/document/add/").status_code == 403
    response = admin_client.post(f"/admin/embeddings/document/{document.pk}/change/",
                                 {"status": "completed"})
    assert response.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_admin_document_delete_removes_chunks_and_file_keeps_costs(admin_client, entity,
                                                                   sync_jobs):
    from costs.models import RequestRecord
    from embeddings.storage import document_path

    document = document_submit(entity=entity, knowledge_base=None, content="Steel. " * 300)
    path = document_path(document.stored_name)
    assert path.exists() and Chunk.objects.exists()

    response = admin_client.post(f"/admin/embeddings/document/{document.pk}/delete/",
                                 {"post": "yes"})

    assert response.status_code == 302
    assert not Document.objects.exists() and not Chunk.objects.exists()
    assert not path.exists()
    assert lines_of(RequestRecord.objects.filter(doc_id=document.doc_id))


# --- filters, search, export and links on the big tables ---------------------------------

DOCUMENTS = "/admin/embeddings/document/"
CHUNKS = "/admin/embeddings/chunk/"


def make_document(entity, *, kb=None, task=None, sha256="0" * 64, **fields):
    kb = kb or KnowledgeBase.objects.get_or_create(entity=entity, name=f"{entity.entity_id} kb")[0]
    return Document.objects.create(entity=entity, knowledge_base=kb, task=task, format="txt",
                                   stored_name="a.txt", size=10, sha256=sha256, **fields)


def make_chunks(document, count):
    for position in range(count):
        Chunk.objects.create(document=document, knowledge_base=document.knowledge_base,
                             position=position, text="x", start_char=0, end_char=1,
                             embedding=b"\0" * 8, model="local-hash", dimensions=2)


def listed_ids(response) -> set[str]:
    assert response.status_code == 200
    return {str(row) for row in response.context["cl"].result_list}


@pytest.fixture
def two_entities(db):
    from tests.factories import EntityFactory

    return EntityFactory(entity_id="acme"), EntityFactory(entity_id="globex")


def test_document_search_matches_whole_ids_only(admin_client, two_entities):
    from tasks.services import task_create

    acme, globex = two_entities
    task = task_create(kind="noop", entity=acme)
    with_task = make_document(acme, task=task, doc_id="doc_with_task")
    hashed = make_document(acme, doc_id="doc_hashed", sha256="f" * 64)
    other = make_document(globex, doc_id="doc_other")

    def search(term):
        return listed_ids(admin_client.get(DOCUMENTS, {"q": term}))

    assert search("doc_hashed") == {"doc_hashed"}
    assert search("doc_with_task doc_other") == {"doc_with_task", "doc_other"}
    assert search(task.task_id) == {with_task.doc_id}
    assert search("f" * 64) == {hashed.doc_id}
    assert search("globex") == {other.doc_id}
    assert search("doc_") == set()  # a part of an id is no index lookup


def test_document_changelist_filters_by_entity_and_knowledge_base(admin_client, two_entities):
    acme, globex = two_entities
    make_document(acme, doc_id="doc_acme")
    other = make_document(globex, doc_id="doc_globex")

    by_entity = admin_client.get(DOCUMENTS, {"entity_id": acme.entity_id})
    by_kb = admin_client.get(DOCUMENTS, {"knowledge_base__id__exact": other.knowledge_base.pk})

    assert listed_ids(by_entity) == {"doc_acme"}
    assert listed_ids(by_kb) == {"doc_globex"}
    assert "_facets" not in by_entity.content.decode()


def test_document_change_page_links_task_ledger_and_chunks(admin_client, two_entities):
    from tasks.services import task_create

    acme, _ = two_entities
    task = task_create(kind="noop", entity=acme)
    document = make_document(acme, task=task, doc_id="doc_linked", chunk_count=3)

    content = admin_client.get(f"{DOCUMENTS}{document.pk}/change/").content.decode()

    assert f"/admin/tasks/task/{task.pk}/change/" in content
    assert "/admin/costs/requestrecord/?q=doc_linked" in content
    assert f"{CHUNKS}?document__id__exact={document.pk}" in content


def test_document_export_csv_takes_every_filtered_document(admin_client, two_entities):
    import csv
    import io

    acme, globex = two_entities
    first = make_document(acme, doc_id="doc_one", original_filename="=one.txt", pages=2)
    make_document(acme, doc_id="doc_two")
    make_document(globex, doc_id="doc_three")

    response = admin_client.post(f"{DOCUMENTS}?entity_id={acme.entity_id}", {
        "action": "export_csv", "index": "0", "select_across": "1",
        "_selected_action": [first.pk],
    })

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="documents-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["doc_id"] for row in rows} == {"doc_one", "doc_two"}
    one = next(row for row in rows if row["doc_id"] == "doc_one")
    assert one["entity_id"] == "acme" and one["pages"] == "2" and one["status"] == "pending"
    assert one["original_filename"] == "'=one.txt"
    assert one["knowledge_base"] == first.knowledge_base.kb_id


def test_chunk_search_by_whole_document_id_and_filter_by_knowledge_base(admin_client,
                                                                        two_entities):
    acme, globex = two_entities
    mine, theirs = make_document(acme, doc_id="doc_mine"), make_document(globex, doc_id="doc_x")
    make_chunks(mine, 2)
    make_chunks(theirs, 3)

    def chunks(query):
        response = admin_client.get(CHUNKS, query)
        assert response.status_code == 200
        return [(c.document.doc_id, c.position) for c in response.context["cl"].result_list]

    assert chunks({"q": "doc_mine"}) == [("doc_mine", 0), ("doc_mine", 1)]
    assert chunks({"q": "doc_"}) == []
    assert len(chunks({"knowledge_base__id__exact": theirs.knowledge_base.pk})) == 3
    assert len(chunks({"document__id__exact": mine.pk})) == 2


def test_chunk_changelist_never_lists_distinct_values(admin_client, two_entities):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_chunks(make_document(two_entities[0], doc_id="doc_big"), 3)

    with CaptureQueriesContext(connection) as captured:
        assert admin_client.get(CHUNKS).status_code == 200

    chunk_queries = [q["sql"] for q in captured.captured_queries if "embeddings_chunk" in q["sql"]]
    assert not [sql for sql in chunk_queries if "DISTINCT" in sql.upper()]
    counts = [sql for sql in chunk_queries if "COUNT(" in sql.upper()]
    assert counts and all("LIMIT 10001" in sql and "ORDER BY" not in sql for sql in counts)
