"""Hostile uploads end refused or failed in the user's words: no answer, task error, event,
ledger line or CSV export names a server path or holds a traceback."""
import io
import json
import re
import zipfile

import pytest

from costs.models import RequestRecord
from tasks.exports import tasks_csv_response
from tasks.models import Task, TaskEvent
from testsupport.bombs import (
    docx_many_nodes, docx_one_huge_member, pdf_flate_bomb, pdf_many_pages,
    zip_lying_about_sizes,
)
from testsupport.files import docx_bytes, pdf_bytes
from tests.embeddings.test_apis import upload

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A path rooted at "/" with at least two components, as a storage or library path is.
ROOTED_PATH = re.compile(r"(?:^|[\s'\"(\[=:,])/[^\s/'\"]+/[^\s'\"]*")


def _zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    return out.getvalue()


def _hostile():
    yield "huge.docx", docx_one_huge_member(200), DOCX, "failed"
    yield "liar.docx", zip_lying_about_sizes(docx_one_huge_member(40)), DOCX, "failed"
    yield "nodes.docx", docx_many_nodes(24), DOCX, "failed"
    yield "flate.pdf", pdf_flate_bomb(100), "application/pdf", "failed"
    yield "pages.pdf", pdf_many_pages(5001), "application/pdf", "failed"
    yield "damaged.pdf", b"%PDF-1.4\nthis is not really a pdf", "application/pdf", "failed"
    yield "cut.pdf", pdf_bytes(["a page"])[:200], "application/pdf", "failed"
    yield "cut.docx", docx_bytes(["a paragraph"])[:300], DOCX, 415
    yield "fake.docx", b"PK not a zip at all", DOCX, 415
    yield "other.docx", _zip_without_document(), DOCX, 415
    yield "fake.pdf", b"MZ\x90\x00 a program", "application/pdf", 415
    yield "binary.txt", b"\x7fELF\x02\x01\x01\x00" * 10, "text/plain", 415


@pytest.mark.django_db(transaction=True)
def test_hostile_uploads_errors_reveal_no_path_or_traceback(api, entity, settings, sync_jobs):
    settings.EXTRACTION_MEMORY_MB = 200  # the many-nodes bomb meets the limit at 24 MB
    messages = []
    for name, data, content_type, expected in _hostile():
        response = upload(api, name=name, data=data, content_type=content_type)
        if expected == 415:
            assert response.status_code == 415, (name, response.content)
            messages.append(response.json()["detail"])
            continue
        assert response.status_code == 200, (name, response.content)
        task = api.get(f"/api/tasks/{response.json()['task_id']}").json()
        assert task["status"] == "failed", (name, task)
        assert task["retry_count"] == 0, name
        messages.append(task["error_message"])
    messages += [json.dumps(data) for data in TaskEvent.objects.values_list("data", flat=True)]
    messages += list(RequestRecord.objects.values_list("error_message", flat=True))
    csv = b"".join(tasks_csv_response(None, Task.objects.all()).streaming_content).decode()
    messages.append(csv)

    assert Task.objects.filter(status="failed").count() == 7
    for message in messages:
        assert not ROOTED_PATH.search(message), message
        assert "Traceback" not in message, message
        assert str(settings.MEDIA_ROOT) not in message
