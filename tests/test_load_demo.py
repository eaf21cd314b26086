"""`manage.py load_demo`: a populated system in one command, and nothing doubled on a rerun."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from articles.models import Article
from costs.models import Entity, RequestRecord
from demo import services as demo_services
from embeddings.models import Chunk, Document, KnowledgeBase
from tasks.models import Task, TaskStatus
from tests.ledger import lines_of
from tests.processes import wait_for

FAST_COUNT = {"steps": 3, "delay_seconds": 0}


@pytest.fixture(autouse=True)
def _quick_count(monkeypatch):
    """The demo's counting task is slow on purpose (to be watched); tests need not wait."""
    monkeypatch.setattr(demo_services, "DEMO_COUNT_PARAMS", FAST_COUNT)


def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def demo_counts() -> dict:
    entity = Entity.objects.get(entity_id="demo_company")
    return {
        "entities": Entity.objects.count(),
        "users": get_user_model().objects.count(),
        "knowledge_bases": KnowledgeBase.objects.filter(entity=entity).count(),
        "documents": Document.objects.filter(entity=entity).count(),
        "articles": Article.objects.filter(entity=entity).count(),
        "tasks": Task.objects.filter(entity=entity).count(),
    }


@pytest.mark.django_db
def test_load_demo_creates_entity_users_documents_articles_and_task(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    output = load_demo()

    entity = Entity.objects.get(entity_id="demo_company")
    member = get_user_model().objects.get(username="demo")
    operator = get_user_model().objects.get(username="admin")
    assert operator.is_staff and operator.is_superuser
    assert list(entity.members.all()) == [member] and not member.is_staff
    assert Token.objects.get(user=member).key in output
    assert Token.objects.get(user=operator).key in output
    assert "password:" in output
    filenames = {path.name for path in demo_services.demo_document_files()}
    assert filenames == {"warehouse-handbook.md", "price-list.csv", "supplier-code.html",
                         "safety-sheet.pdf", "delivery-terms.docx"}
    documents = Document.objects.filter(entity=entity)
    assert {d.original_filename for d in documents} == filenames
    assert {d.format for d in documents} == {"md", "csv", "html", "pdf", "docx"}
    assert all(d.task.status == TaskStatus.PENDING and d.task.entity == entity for d in documents)
    articles = Article.objects.filter(entity=entity)
    assert articles.count() == 3
    assert all(a.task.kind == "article.analyze" for a in articles)
    count = Task.objects.get(entity=entity, kind="demo.count")
    assert count.params == FAST_COUNT and count.created_by == member
    assert Task.objects.filter(entity=entity).count() == 5 + 3 + 1


@pytest.mark.django_db
def test_load_demo_prints_links_to_the_service_where_it_runs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    output = load_demo("--url", "http://127.0.0.1:8123/")
    assert "open http://127.0.0.1:8123/ " in output
    assert "http://127.0.0.1:8123/api/entities/demo_company/costs" in output
    assert "http://127.0.0.1:8123/api/tasks/" in output  # the new operator's example
    assert ":8000" not in output


@pytest.mark.django_db
def test_load_demo_second_run_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo()
    before = demo_counts()
    password_hash = get_user_model().objects.get(username="demo").password

    output = load_demo()

    assert demo_counts() == before
    assert "password:" not in output
    assert output.count("exists   document") == 5 and output.count("exists   article") == 3
    assert get_user_model().objects.get(username="demo").password == password_hash


@pytest.mark.django_db(transaction=True)
def test_load_demo_work_completes_when_jobs_run(settings, tmp_path, sync_jobs):
    settings.MEDIA_ROOT = tmp_path
    load_demo()

    entity = Entity.objects.get(entity_id="demo_company")
    tasks = Task.objects.filter(entity=entity)
    assert {t.kind: t.status for t in tasks}.keys() == {
        "embeddings.upload", "article.analyze", "demo.count"}
    assert [t.error_message for t in tasks if t.status != TaskStatus.COMPLETED] == []
    for document in Document.objects.filter(entity=entity):
        assert document.status == "completed", document.original_filename
        assert Chunk.objects.filter(document=document).exists(), document.original_filename
    assert set(Article.objects.filter(entity=entity).values_list("processing_status", flat=True)) \
        == {"completed"}
    assert len(lines_of(RequestRecord.objects.filter(entity=entity))) >= 5 + 3


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_load_demo_work_completes_under_a_real_qcluster(qcluster):
    qcluster()
    load_demo()

    entity = Entity.objects.get(entity_id="demo_company")
    tasks = Task.objects.filter(entity=entity)
    wait_for(lambda: not tasks.exclude(status=TaskStatus.COMPLETED).exists(), timeout=90,
             message="every demo task to complete: "
                     f"{list(tasks.values_list('kind', 'status', 'error_message'))}")
    assert Chunk.objects.filter(document__entity=entity).values("document").distinct().count() == 5
    assert RequestRecord.objects.filter(entity=entity, task_type="article_analysis").exists()


@pytest.mark.django_db
def test_load_demo_reuses_the_operator_make_run_made(settings, tmp_path, monkeypatch):
    """`make run` made the operator under TASKLEDGER_ADMIN_USER; a later load_demo in a shell
    without it must use that operator, not make a second superuser named admin."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("TASKLEDGER_ADMIN_USER", "ops")
    call_command("ensure_operator", stdout=io.StringIO())
    monkeypatch.delenv("TASKLEDGER_ADMIN_USER")

    output = load_demo()

    superusers = get_user_model().objects.filter(is_superuser=True)
    assert list(superusers.values_list("username", flat=True)) == ["ops"]
    assert "Operator 'ops' exists" in output
