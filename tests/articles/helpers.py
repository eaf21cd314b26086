"""Shared steps of the article tests: upload a specification, run its task in-process."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from articles.models import Article
from tasks.dispatch import claim
from tasks.models import Task
from tasks.runner import task_run

SPEC = (
    "Product: Mounting bracket MB-200\n"
    "Material: stainless steel sheet 2 mm, powder coated, welded\n"
    "Net weight: 2.5 kg\n"
    "Fasteners: 4x M6 zinc-plated steel screws\n"
)


def spec_file(text: str = SPEC, name: str = "spec.txt", content_type="text/plain"):
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type=content_type)


def analyze(api, *, name="Mounting bracket", spec=None, **fields):
    """POST /api/analyze as the analysis clients' frontend does (multipart)."""
    data = {"articleName": name, "productSpecification": spec or spec_file(), **fields}
    return api.post("/api/analyze", data, format="multipart")


def run_task(task: Task, *, attempts: int = 10) -> Task:
    """Dispatch and run the task's attempts in this process until it has finished."""
    for _ in range(attempts):
        claim(10)
        current = Task.objects.get(pk=task.pk)
        if current.status != "pending" or not current.dispatch_token:
            break
        # After-commit work (dispatch, pushes) runs as it would in a worker.
        with TestCase.captureOnCommitCallbacks(execute=True):
            task_run(task_pk=task.pk, token=current.dispatch_token)
    task.refresh_from_db()
    return task


def run_article(article_id: int) -> Article:
    article = Article.objects.get(pk=article_id)
    run_task(article.task)
    article.refresh_from_db()
    return article
