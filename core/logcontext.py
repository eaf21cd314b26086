"""Who a log line is about: the request id and task id in effect, on every record.

The request middleware (until `request_finished`) and the task runner set them for the
code they run; a filter on
the console handler copies them onto each record, so `%(request_id)s` / `%(task_id)s`
(and the JSON format's fields) work for every logger, including Django's and django-q2's.
"""
import contextvars
import logging
from contextlib import contextmanager

NONE = "-"
request_id_var = contextvars.ContextVar("request_id", default=NONE)
task_id_var = contextvars.ContextVar("task_id", default=NONE)


@contextmanager
def log_context(*, request_id: str | None = None, task_id: str | None = None):
    """Log under these ids for the duration of the block; both are restored after it,
    including a task id named inside it (a thread serves many requests)."""
    request_token = request_id_var.set(request_id or request_id_var.get())
    task_token = task_id_var.set(task_id or task_id_var.get())
    try:
        yield
    finally:
        task_id_var.reset(task_token)
        request_id_var.reset(request_token)


def log_context_request(request_id: str) -> None:
    """Log under this request from here on: set at the start of every request, and kept
    until it has finished, so Django's own lines about its response carry it too."""
    request_id_var.set(request_id)
    task_id_var.set(NONE)


def log_context_task(task_id: str) -> None:
    """Name the task the rest of the current request is about (a view learns it late)."""
    if task_id:
        task_id_var.set(task_id)


def log_context_clear(**kwargs) -> None:
    """A request has finished: what this thread logs next is about no request."""
    request_id_var.set(NONE)
    task_id_var.set(NONE)


class LogContextFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        record.task_id = task_id_var.get()
        return True
