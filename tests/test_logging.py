"""Every log line a request or a job writes carries its request_id and task_id."""
import json
import logging

import pytest
from pythonjsonlogger.json import JsonFormatter

from core.logcontext import LogContextFilter
from costs.models import RequestRecord
from tasks.dispatch import claim
from tasks.models import Task
from tasks.registry import job_register
from tasks.runner import task_run
from tasks.services import task_create

log = logging.getLogger("tests.logging")


@job_register("test.logs")
def logging_job(progress):
    log.warning("inside the job")


@pytest.fixture
def captured(settings):
    """Log records as the console handler formats them with LOG_FORMAT=json."""
    formatter = JsonFormatter(settings.LOGGING["formatters"]["json"]["format"])
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(formatter.format(record)))

    handler = Collect()
    handler.addFilter(LogContextFilter())
    logging.getLogger().addHandler(handler)
    yield lines
    logging.getLogger().removeHandler(handler)


def test_log_lines_of_a_request_carry_its_request_id_and_task_id(api, entity, captured):
    task_id = api.post("/api/tasks", {"kind": "noop"}, format="json").json()["task_id"]
    api.post(f"/api/tasks/{task_id}/cancel")

    # Re-prioritising a finished task is a 409, which Django logs after the view returned.
    response = api.post(f"/api/tasks/{task_id}/priority", {"priority": "high"}, format="json",
                        HTTP_X_REQUEST_ID="req_0123456789ab")

    assert response.status_code == 409
    line = next(line for line in captured if line["name"] == "django.request")
    assert line["request_id"] == response["X-Request-ID"] == "req_0123456789ab"
    assert line["task_id"] == task_id
    log.warning("after the request")
    assert (captured[-1]["request_id"], captured[-1]["task_id"]) == ("-", "-")


def test_log_lines_of_a_job_carry_its_task_id_and_attempt_request_id(entity, captured):
    task = task_create(kind="test.logs", entity=entity)
    claim(10)
    task_run(task_pk=task.pk, token=Task.objects.get(pk=task.pk).dispatch_token)

    line = next(line for line in captured if line["message"] == "inside the job")
    attempt = RequestRecord.objects.get(task_id=task.task_id, method="JOB")
    assert line["task_id"] == task.task_id
    assert line["request_id"] == attempt.request_id
    log.warning("after the job")
    assert (captured[-1]["request_id"], captured[-1]["task_id"]) == ("-", "-")
