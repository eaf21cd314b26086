"""The upload, embedding-task, knowledge-base and search APIs as an integrator sees them."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from costs.models import RequestRecord
from embeddings.models import Chunk, Document, KnowledgeBase
from embeddings.storage import documents_dir
from tasks.models import Task
from testsupport.files import docx_bytes, encrypted_pdf_bytes, pdf_bytes
from tests.ledger import lines_of

PREFIXES = ["/api", "/api/v1"]
TEXT = ("Widgets are made of steel. Each widget weighs two kilograms.\n\n"
        "Gadgets are made of plastic and ship in boxes of ten. " * 20)


def upload(api, name="notes.txt", data=TEXT.encode(), content_type="text/plain",
           entity_id="company_123", prefix="/api", **fields):
    return api.post(f"{prefix}/entities/{entity_id}/files",
                    {"file": SimpleUploadedFile(name, data, content_type=content_type), **fields},
                    format="multipart")


def stored_files() -> set[str]:
    return set(p.name for p in documents_dir().iterdir())


@pytest.fixture
def nothing_left_behind(db):
    """Assert a refused request leaves no file, document, task or chunk behind."""
    before = stored_files()
    yield
    assert stored_files() == before
    assert not Document.objects.exists()
    assert not Task.objects.exists()
    assert not Chunk.objects.exists()


# --- upload ------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_upload_answers_at_once_then_embeds_and_charges(api, entity, sync_jobs, prefix):
    response = upload(api, prefix=prefix)

    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["status"] == "pending"
    assert body["stream_url"] == f"/api/tasks/{body['task_id']}/stream"
    assert body["doc_id"].startswith("doc_")
    task = api.get(f"/api/tasks/{body['task_id']}").json()
    assert task["status"] == "completed", task
    assert task["result"]["chunk_count"] == Chunk.objects.count() > 1
    assert task["result"]["chunk_ids"] == [f"chunk_{pk}" for pk in
                                           Chunk.objects.order_by("position").values_list("pk", flat=True)]
    document = Document.objects.get(doc_id=body["doc_id"])
    assert document.status == "completed"
    assert document.original_filename == "notes.txt"
    assert document.stored_name != "notes.txt" and document.stored_name.endswith(".txt")
    assert document.pages == 1  # 2,000 characters: one 3,000-character page

    cost = api.get(f"/api/tasks/{body['task_id']}/cost").json()
    chunks = document.chunk_count
    assert cost["breakdown_by_service"] == {"file_processor": 0.002,
                                            "transformer": pytest.approx(0.003 * chunks)}
    attempt = RequestRecord.objects.get(task_id=body["task_id"], method="JOB")
    assert attempt.doc_id == body["doc_id"]
    assert attempt.operation_type == "file_upload" and attempt.task_type == "upload"
    models = {(line.service_type, line.model) for line in lines_of(
        RequestRecord.objects.filter(pk=attempt.pk))}
    assert models == {("file_processor", ""), ("transformer", "local-hash-256")}
    post = RequestRecord.objects.get(task_id=body["task_id"], method="POST")
    assert post.doc_id == body["doc_id"] and post.entity == entity
    by_doc = api.get("/api/requests", {"doc_id": body["doc_id"]}).json()
    assert by_doc["total"] == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name,data,content_type,pages,needle", [
    ("spec.pdf", pdf_bytes(["Steel frame weighs 12 kg", "Aluminium cover"]), "application/pdf", 2,
     "Aluminium cover"),
    ("spec.docx", docx_bytes(["Steel frame weighs 12 kg"], [["part", "mass"], ["lid", "3 kg"]]),
     "application/octet-stream", 1, "lid | 3 kg"),
    ("page.html", b"<html><head><style>p{}</style><script>var x=1;</script></head>"
     b"<body><h1>Title</h1><p>Visible &amp; kept</p></body></html>", "text/html", 1,
     "Visible & kept"),
    ("table.csv", b"part,mass\nlid,3 kg\nframe,12 kg\n", "text/csv", 1, "frame, 12 kg"),
    ("readme.md", "# Heading\n\nCaf\u00e9 text".encode(), "text/markdown", 1, "Caf\u00e9 text"),
    ("legacy.txt", "Caf\u00e9 cr\u00e8me".encode("cp1252"), "text/plain", 1, "Caf\u00e9 cr\u00e8me"),
])
def test_upload_extracts_each_format(api, entity, sync_jobs, name, data, content_type, pages,
                                     needle):
    body = upload(api, name=name, data=data, content_type=content_type).json()

    document = Document.objects.get(doc_id=body["doc_id"])
    assert document.status == "completed", document.error_message
    assert document.pages == pages
    text = " ".join(document.chunks.values_list("text", flat=True))
    assert needle in text
    assert "var x" not in text and "p{}" not in text


@pytest.mark.django_db(transaction=True)
def test_upload_corrupt_pdf_fails_the_task_with_a_reason(api, entity, sync_jobs):
    body = upload(api, name="broken.pdf", data=b"%PDF-1.4\nthis is not really a pdf",
                  content_type="application/pdf").json()

    task = api.get(f"/api/tasks/{body['task_id']}").json()
    assert task["status"] == "failed"
    assert task["error_message"] == "the PDF file is damaged or not a PDF document"
    assert task["retry_count"] == 0
    assert Document.objects.get(doc_id=body["doc_id"]).status == "failed"


@pytest.mark.django_db(transaction=True)
def test_upload_encrypted_pdf_fails_the_task_with_a_reason(api, entity, sync_jobs):
    body = upload(api, name="locked.pdf", data=encrypted_pdf_bytes(),
                  content_type="application/pdf").json()

    task = api.get(f"/api/tasks/{body['task_id']}").json()
    assert task["status"] == "failed"
    assert task["error_message"] == "could not read PDF: it is encrypted with a password"


def test_upload_empty_file_is_400(api, entity, nothing_left_behind):
    response = upload(api, data=b"")

    assert response.status_code == 400
    assert "empty" in response.json()["detail"]


def test_upload_over_the_limit_is_413_naming_it(api, entity, settings, nothing_left_behind):
    settings.MAX_UPLOAD_MB = 1

    response = upload(api, data=b"a" * (1024 * 1024 + 1))

    assert response.status_code == 413
    assert "the limit is 1 MB" in response.json()["detail"]


def test_upload_unsupported_type_is_415_listing_accepted(api, entity, nothing_left_behind):
    response = upload(api, name="photo.png", data=b"\x89PNG....", content_type="image/png")

    assert response.status_code == 415
    detail = response.json()["detail"]
    assert "application/pdf" in detail and ".docx" in detail and ".txt" in detail


def test_upload_binary_claiming_to_be_text_is_415(api, entity, nothing_left_behind):
    import random

    rng = random.Random(5)
    garbage = bytes(rng.randrange(1, 256) for _ in range(4096))  # no NUL: the subtler case

    response = upload(api, name="notes.txt", data=garbage)

    assert response.status_code == 415
    assert "binary" in response.json()["detail"]


def test_upload_path_traversal_name_is_stored_under_a_generated_name(api, entity, sync_jobs):
    before = stored_files()

    response = upload(api, name="../../etc/passwd.txt")

    assert response.status_code == 200
    document = Document.objects.get()
    assert document.original_filename == "passwd.txt"
    added = stored_files() - before
    assert added == {document.stored_name}
    assert ".." not in document.stored_name and "passwd" not in document.stored_name


def test_upload_foreign_or_unknown_entity_is_404(api, entity, other_entity, nothing_left_behind):
    assert upload(api, entity_id="company_456").status_code == 404
    assert upload(api, entity_id="nobody").status_code == 404


def test_upload_foreign_knowledge_base_is_404(api, entity, other_entity, nothing_left_behind):
    foreign = KnowledgeBase.objects.create(entity=other_entity, name="theirs")

    response = upload(api, knowledge_base_id=foreign.kb_id)

    assert response.status_code == 404
    assert response.json()["detail"] == f"Knowledge base {foreign.kb_id} not found"
    KnowledgeBase.objects.all().delete()


def test_upload_invalid_priority_is_400_listing_values(api, entity, nothing_left_behind):
    response = upload(api, priority="urgent")

    assert response.status_code == 400
    assert "low, normal, high, critical" in response.json()["detail"]


def test_upload_without_file_is_400(api, entity, nothing_left_behind):
    response = api.post("/api/entities/company_123/files", {"priority": "high"}, format="multipart")

    assert response.status_code == 400
    assert "'file'" in response.json()["detail"]


def test_upload_needs_authentication(client, entity):
    response = client.post("/api/entities/company_123/files",
                           {"file": SimpleUploadedFile("a.txt", b"hello")})

    assert response.status_code == 401


# --- embedding tasks -----------------------------------------------------------------------
@pytest.fixture
def kb(entity):
    return KnowledgeBase.objects.create(entity=entity, name="manuals")


@pytest.mark.django_db(transaction=True)
def test_embedding_task_create_progress_and_completion(api, entity, kb, sync_jobs):
    response = api.post("/api/v1/embedding-tasks/", {
        "document_id": "123e4567-e89b-12d3-a456-426614174000", "knowledge_base_id": kb.kb_id,
        "content": TEXT, "metadata": {"source": "pdf", "author": "John Doe"}, "priority": "high",
    }, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["document_id"] == "123e4567-e89b-12d3-a456-426614174000"
    assert body["status"] == "pending"
    assert body["message"] == "Task queued successfully"
    progress = api.get(f"/api/v1/embedding-tasks/{body['task_id']}").json()
    assert set(progress) >= {"task_id", "status", "progress", "processed_chunks", "total_chunks",
                             "eta", "created_at", "started_at", "completed_at", "error_message",
                             "retry_count"}
    assert progress["status"] == "completed"
    assert progress["progress"] == 100
    assert progress["processed_chunks"] == progress["total_chunks"] == Chunk.objects.count()
    assert progress["error_message"] is None and progress["retry_count"] == 0
    document = Document.objects.get()
    assert document.metadata == {"source": "pdf", "author": "John Doe"}
    assert document.knowledge_base == kb
    assert Task.objects.get().priority_name == "high"
    attempt = RequestRecord.objects.get(method="JOB")
    assert attempt.doc_id == "123e4567-e89b-12d3-a456-426614174000"
    assert attempt.task_type == "embedding"


def test_embedding_task_empty_content_is_400(api, entity, kb, nothing_left_behind):
    response = api.post("/api/v1/embedding-tasks/", {"knowledge_base_id": kb.kb_id,
                                                     "content": "   "}, format="json")

    assert response.status_code == 400
    assert "content is empty" in response.json()["detail"]


def test_embedding_task_invalid_priority_is_400(api, entity, kb, nothing_left_behind):
    response = api.post("/api/v1/embedding-tasks/", {"knowledge_base_id": kb.kb_id,
                                                     "content": "x", "priority": "URGENT"},
                        format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == (
        "priority must be one of low, normal, high, critical; got 'URGENT'")


@pytest.mark.parametrize("kb_id", ["unknown-kb", "foreign"])
def test_embedding_task_unknown_or_foreign_knowledge_base_is_404(api, entity, other_entity, kb_id,
                                                                 nothing_left_behind):
    if kb_id == "foreign":
        kb_id = KnowledgeBase.objects.create(entity=other_entity, name="x").kb_id

    response = api.post("/api/v1/embedding-tasks/", {"knowledge_base_id": kb_id, "content": "x"},
                        format="json")

    assert response.status_code == 404
    assert response.json()["detail"] == f"Knowledge base {kb_id} not found"
    KnowledgeBase.objects.all().delete()


def test_embedding_task_foreign_entity_is_404(api, entity, other_entity, nothing_left_behind):
    response = api.post("/api/v1/embedding-tasks/", {"entity_id": "company_456", "content": "x"},
                        format="json")

    assert response.status_code == 404


def test_embedding_task_duplicate_document_id_is_409(api, entity, kb):
    first = api.post("/api/v1/embedding-tasks/", {"document_id": "d1", "content": "x"},
                     format="json")
    second = api.post("/api/v1/embedding-tasks/", {"document_id": "d1", "content": "y"},
                      format="json")

    assert first.status_code == 200
    assert second.status_code == 409
    assert Document.objects.count() == 1


def test_embedding_task_progress_of_another_entity_is_404(api, client_for, other_entity):
    from tests.factories import UserFactory

    stranger = UserFactory(username="stranger")
    other_entity.members.add(stranger)
    body = client_for(stranger).post("/api/v1/embedding-tasks/", {"content": "theirs"},
                                     format="json").json()

    response = api.get(f"/api/v1/embedding-tasks/{body['task_id']}")

    assert response.status_code == 404
    assert response.json()["detail"] == f"Task {body['task_id']} not found"
    assert api.post(f"/api/v1/embedding-tasks/{body['task_id']}/cancel").status_code == 404


def test_embedding_task_progress_of_a_non_embedding_task_is_404(api, entity):
    from tasks.services import task_create

    task = task_create(kind="noop", entity=entity)

    assert api.get(f"/api/v1/embedding-tasks/{task.task_id}").status_code == 404


def test_embedding_task_cancel_pending(api, entity):
    body = api.post("/api/v1/embedding-tasks/", {"content": "x"}, format="json").json()

    response = api.post(f"/api/v1/embedding-tasks/{body['task_id']}/cancel")

    assert response.status_code == 200
    assert response.json() == {"message": f"Task {body['task_id']} cancelled successfully",
                               "task_id": body["task_id"], "status": "cancelled"}
    assert api.get(f"/api/v1/embedding-tasks/{body['task_id']}").json()["status"] == "cancelled"
    # in the cancelling transaction itself: no on-commit callback has run in this test
    assert Document.objects.get(task__task_id=body["task_id"]).status == "cancelled"


def test_embedding_task_queue_status_counts_embedding_tasks_only(api, entity):
    from tasks.services import task_create

    task_create(kind="noop", entity=entity)
    for priority in ("high", "low"):
        api.post("/api/v1/embedding-tasks/", {"content": "x", "priority": priority}, format="json")

    body = api.get("/api/v1/embedding-tasks/queue/status").json()

    assert body["queue_size"] == 2
    assert body["status_counts"] == {"pending": 2, "processing": 0, "completed": 0, "failed": 0,
                                     "cancelled": 0}
    assert body["max_concurrent_tasks"] == 5
    assert body["active_tasks"] == 0
    assert body["queue_by_priority"]["high"] == 1


def test_embedding_task_batch_one_bad_item_does_not_sink_the_rest(api, entity, kb):
    response = api.post("/api/v1/embedding-tasks/batch", [
        {"document_id": "a", "knowledge_base_id": kb.kb_id, "content": "First", "priority": "high"},
        {"document_id": "b", "knowledge_base_id": kb.kb_id, "content": ""},
        {"document_id": "c", "knowledge_base_id": "nope", "content": "Third"},
        {"document_id": "d", "knowledge_base_id": kb.kb_id, "content": "Fourth", "priority": "x"},
        {"document_id": "e", "knowledge_base_id": kb.kb_id, "content": "Fifth"},
    ], format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["queued"], body["failed"]) == (5, 2, 3)
    assert [(t["document_id"], t["status"]) for t in body["tasks"]] == [
        ("a", "queued"), ("b", "failed"), ("c", "failed"), ("d", "failed"), ("e", "queued")]
    assert "content is empty" in body["tasks"][1]["error"]
    assert body["tasks"][2]["error"] == "Knowledge base nope not found"
    assert set(Document.objects.values_list("doc_id", flat=True)) == {"a", "e"}
    assert Task.objects.count() == 2


@pytest.mark.parametrize("payload", [{}, [], "text"])
def test_embedding_task_batch_needs_a_list(api, entity, payload):
    response = api.post("/api/v1/embedding-tasks/batch", payload, format="json")

    assert response.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_embedding_metrics(api, entity, sync_jobs):
    api.post("/api/v1/embedding-tasks/", {"content": TEXT}, format="json")
    upload(api, name="broken.pdf", data=b"%PDF-1.4 broken", content_type="application/pdf")

    body = api.get("/api/v1/metrics/embedding-tasks").json()

    assert body["success_rate"] == 50.0
    assert body["retry_rate"] == 0.0
    assert body["completed"] == 1 and body["failed"] == 1
    assert body["queue_depth"] == 0
    assert body["throughput_per_minute"] == round(1 / 60, 3)
    assert body["average_processing_time_seconds"] >= 0
    assert api.get("/api/v1/metrics/embedding-tasks", {"minutes": "0"}).status_code == 400


# --- knowledge bases and search -----------------------------------------------------------
def test_knowledge_base_create_and_list(api, entity, staff_api, other_entity):
    created = api.post("/api/knowledge-bases/", {"name": "manuals"}, format="json")
    staff_api.post("/api/knowledge-bases/", {"name": "theirs", "entity_id": "company_456"},
                   format="json")

    assert created.status_code == 201
    assert created.json()["entity_id"] == "company_123"
    listed = api.get("/api/knowledge-bases/").json()
    assert [kb["name"] for kb in listed["knowledge_bases"]] == ["manuals"]
    assert api.post("/api/knowledge-bases/", {"name": "manuals"}, format="json").status_code == 409


@pytest.mark.django_db(transaction=True)
def test_search_returns_top_k_and_charges_the_query(api, entity, kb, sync_jobs):
    for doc, content in [("steel", "Steel beams carry the load of the bridge deck."),
                         ("cake", "Bake the chocolate cake for forty minutes."),
                         ("tea", "Green tea is steeped in hot water for three minutes.")]:
        api.post("/api/v1/embedding-tasks/", {"document_id": doc, "knowledge_base_id": kb.kb_id,
                                              "content": content}, format="json")

    response = api.get(f"/api/knowledge-bases/{kb.kb_id}/search", {"q": "chocolate cake", "k": 2})

    assert response.status_code == 200
    body = response.json()
    assert [r["document_id"] for r in body["results"]][0] == "cake"
    assert len(body["results"]) == 2
    assert body["results"][0]["score"] >= body["results"][1]["score"]
    assert body["results"][0]["chunk_id"].startswith("chunk_")
    record = RequestRecord.objects.get(operation_type="knowledge_base_search")
    assert record.entity == entity and record.status_code == 200
    assert record.request_id == response["X-Request-ID"]
    [line] = lines_of(RequestRecord.objects.filter(pk=record.pk))
    assert (line.service_type, line.quantity) == ("transformer", 1)


@pytest.mark.django_db(transaction=True)
def test_search_skips_documents_not_completed(api, entity, kb, sync_jobs):
    api.post("/api/v1/embedding-tasks/", {"document_id": "done", "knowledge_base_id": kb.kb_id,
                                          "content": "Steel beams"}, format="json")
    Document.objects.filter(doc_id="done").update(status="cancelled")

    body = api.get(f"/api/knowledge-bases/{kb.kb_id}/search", {"q": "steel"}).json()

    assert body["results"] == []


def test_search_bad_input(api, entity, kb, other_entity):
    foreign = KnowledgeBase.objects.create(entity=other_entity, name="theirs")

    assert api.get(f"/api/knowledge-bases/{kb.kb_id}/search", {"q": ""}).status_code == 400
    assert api.get(f"/api/knowledge-bases/{kb.kb_id}/search", {"q": "x", "k": "0"}).status_code == 400
    assert api.get(f"/api/knowledge-bases/{kb.kb_id}/search", {"q": "x", "k": "a"}).status_code == 400
    assert api.get(f"/api/knowledge-bases/{foreign.kb_id}/search", {"q": "x"}).status_code == 404
    assert not RequestRecord.objects.filter(operation_type="knowledge_base_search").exists()


@pytest.mark.django_db(transaction=True)
def test_embedding_task_large_content_is_accepted_up_to_the_limit(api, entity, sync_jobs,
                                                                  settings):
    settings.MAX_UPLOAD_MB = 4
    content = "Large documents are split into chunks and processed in batches. " * 50_000

    response = api.post("/api/v1/embedding-tasks/", {"content": content}, format="json")

    assert response.status_code == 200, response.content[:300]
    assert Document.objects.get().size == len(content)


def test_embedding_task_content_over_the_limit_is_413(api, entity, settings, nothing_left_behind):
    settings.MAX_UPLOAD_MB = 1

    response = api.post("/api/v1/embedding-tasks/", {"content": "x" * (1024 * 1024 + 1)},
                        format="json")

    assert response.status_code == 413
    assert "the limit is 1 MB" in response.json()["detail"]


def test_embedding_task_body_too_large_to_read_is_413(api, entity, settings, nothing_left_behind):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = api.post("/api/v1/embedding-tasks/", {"content": "x" * 2000}, format="json")

    assert response.status_code == 413


def test_embedding_task_batch_refuses_a_document_id_taken_before_or_within_it(api, entity, kb):
    before = stored_files()
    api.post("/api/v1/embedding-tasks/", {"document_id": "old", "content": "Old",
                                          "knowledge_base_id": kb.kb_id}, format="json")
    response = api.post("/api/v1/embedding-tasks/batch", [
        {"document_id": "old", "knowledge_base_id": kb.kb_id, "content": "Again"},
        {"document_id": "new", "knowledge_base_id": kb.kb_id, "content": "New"},
        {"document_id": "new", "knowledge_base_id": kb.kb_id, "content": "New twice"},
        {"knowledge_base_id": kb.kb_id, "content": "No id"},
    ], format="json")

    body = response.json()
    assert [t["status"] for t in body["tasks"]] == ["queued" if i in (1, 3) else "failed"
                                                    for i in range(4)]
    assert "document old already exists" in body["tasks"][0]["error"]
    assert "document new already exists" in body["tasks"][2]["error"]
    assert Document.objects.count() == Task.objects.count() == 3
    kept = set(Document.objects.values_list("stored_name", flat=True))
    assert stored_files() - before == kept  # the refused items' files are gone
    for document in Document.objects.exclude(doc_id="old"):
        assert document.task.params == {"document_pk": document.pk}
        assert document.task.metadata["doc_id"] == document.doc_id


def test_embedding_task_batch_creates_its_items_in_a_fixed_number_of_queries(api, entity, kb):
    """task_create_many, one INSERT of the documents, budgets read once per entity."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def posted(count, start):
        body = [{"document_id": f"d{start + i}", "content": f"Text {i}",
                 "knowledge_base_id": kb.kb_id} for i in range(count)]
        with CaptureQueriesContext(connection) as queries:
            answer = api.post("/api/v1/embedding-tasks/batch", body, format="json").json()
        assert answer["queued"] == count
        return len(queries)

    posted(1, 200)  # the first reads the prices (cached for the process)
    assert posted(30, 0) == posted(3, 100)
