"""Load the demo: an entity, a member, a knowledge base, documents, articles and a counting task.

Everything goes through the apps' own services, so the demo's documents are chunked and
embedded, and its articles analysed, by the worker exactly as uploads through the API are,
and the ledger fills up the same way. Loading twice adds nothing: each piece is looked up by
its name first.
"""
import mimetypes
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework.authtoken.models import Token

from articles.models import Article
from articles.services import article_create
from costs.models import Entity
from embeddings.models import Document, KnowledgeBase
from embeddings.services import document_upload, knowledge_base_create
from tasks.models import Task
from tasks.services import task_create

FILES = Path(__file__).resolve().parent / "files"
DEMO_ENTITY_ID = "demo_company"
DEMO_ENTITY_NAME = "Demo Company"
DEMO_MEMBER = "demo"
DEMO_KNOWLEDGE_BASE = "Demo Company handbook"
# Slow enough that a newcomer sees its progress bar move on the dashboard.
DEMO_COUNT_PARAMS = {"steps": 30, "delay_seconds": 1.0}
ARTICLES = {
    "mounting-bracket.txt": ("Mounting bracket MB-200", "Stainless steel wall bracket"),
    "cable-cover.txt": ("Cable cover CV-115", "Aluminium cable duct cover"),
    "foot-pad.txt": ("Foot pad FT-300", "Rubber machine foot with a steel insert"),
}


@dataclass
class DemoSummary:
    entity: Entity
    member: object
    member_password: str | None  # set only when the member was created by this run
    member_token: str
    knowledge_base: KnowledgeBase
    documents_created: list[Document] = field(default_factory=list)
    documents_existing: list[Document] = field(default_factory=list)
    articles_created: list[Article] = field(default_factory=list)
    articles_existing: list[Article] = field(default_factory=list)
    count_task: Task | None = None
    count_task_created: bool = False


def demo_document_files() -> list[Path]:
    """The sample documents shipped in demo/files/documents, in a stable order."""
    return sorted(path for path in (FILES / "documents").iterdir() if path.is_file())


def demo_load() -> DemoSummary:
    """Create whatever part of the demo is missing and queue its work; return what exists."""
    with transaction.atomic():
        entity, _ = Entity.objects.get_or_create(
            entity_id=DEMO_ENTITY_ID, defaults={"name": DEMO_ENTITY_NAME})
        member, password = _member_ensure(entity=entity)
        token, _ = Token.objects.get_or_create(user=member)
        knowledge_base = (KnowledgeBase.objects.filter(entity=entity, name=DEMO_KNOWLEDGE_BASE).first()
                          or knowledge_base_create(entity=entity, name=DEMO_KNOWLEDGE_BASE))
    summary = DemoSummary(entity=entity, member=member, member_password=password,
                          member_token=token.key, knowledge_base=knowledge_base)
    for path in demo_document_files():
        _document_ensure(summary=summary, path=path)
    for filename, (name, description) in ARTICLES.items():
        _article_ensure(summary=summary, path=FILES / "articles" / filename, name=name,
                        description=description)
    _count_task_ensure(summary=summary)
    return summary


def _member_ensure(*, entity: Entity) -> tuple[object, str | None]:
    User = get_user_model()
    member = User.objects.filter(username=DEMO_MEMBER).first()
    password = None
    if member is None:
        password = secrets.token_urlsafe(12)
        member = User.objects.create_user(username=DEMO_MEMBER, password=password)
    entity.members.add(member)
    return member, password


def _upload(path: Path) -> SimpleUploadedFile:
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)


def _document_ensure(*, summary: DemoSummary, path: Path) -> None:
    # Each upload commits on its own: its task is dispatched once the row is visible.
    existing = Document.objects.filter(knowledge_base=summary.knowledge_base,
                                       original_filename=path.name).first()
    if existing is not None:
        summary.documents_existing.append(existing)
        return
    document = document_upload(
        entity=summary.entity, knowledge_base=summary.knowledge_base, upload=_upload(path),
        metadata={"source": "load_demo"}, user=summary.member,
    )
    summary.documents_created.append(document)


def _article_ensure(*, summary: DemoSummary, path: Path, name: str, description: str) -> None:
    existing = Article.objects.filter(entity=summary.entity, article_name=name).first()
    if existing is not None:
        summary.articles_existing.append(existing)
        return
    article = article_create(article_name=name, description=description,
                             specification=_upload(path), entity=summary.entity,
                             created_by=summary.member)
    summary.articles_created.append(article)


def _count_task_ensure(*, summary: DemoSummary) -> None:
    existing = Task.objects.filter(entity=summary.entity, kind="demo.count",
                                   metadata__source="load_demo").first()
    if existing is not None:
        summary.count_task = existing
        return
    summary.count_task = task_create(
        kind="demo.count", entity=summary.entity, created_by=summary.member,
        params=DEMO_COUNT_PARAMS, metadata={"source": "load_demo"},
    )
    summary.count_task_created = True
