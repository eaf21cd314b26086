"""Server-rendered pages: the dashboard, a task's live page, the upload and analyze forms.

Thin views over the selectors: everything a page changes goes through the JSON API from
the browser (session + CSRF), so the pages and the integrators share one set of rules.
"""
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse_lazy

from core.exceptions import NotFoundError
from costs.selectors import cost_by_service_today, entity_list_for_user, task_cost
from tasks import selectors
from tasks.live.addresses import task_stream_url
from tasks.models import TaskPriority
from tasks.presentation import event_describe, task_status_line
from tasks.registry import job_kind_get, job_kind_names
from tasks.serializers import TaskSerializer

page_login_required = login_required(login_url=reverse_lazy("login"))

# Where live.js listens: the WebSocket first, the SSE stream when that cannot connect
# (live.js puts each task's id in place of `{task_id}`).
LIVE_URLS = {"websocket": "/ws/tasks/", "stream": task_stream_url("{task_id}")}
RECENT_TASKS = 20
EVENT_LOG_LENGTH = 100


def _priorities() -> list[str]:
    return [priority.label for priority in sorted(TaskPriority, reverse=True)]


def _entities(user) -> list:
    return list(entity_list_for_user(user=user).order_by("entity_id")[:200])


def _task_row(task) -> dict:
    return {"task": task, "status_line": task_status_line(task), "percent": round(task.progress * 100)}


@page_login_required
def dashboard(request):
    tasks = selectors.task_recent(user=request.user, limit=RECENT_TASKS)
    kinds = [
        {"name": name, "description": job_kind_get(name).description}
        for name in job_kind_names(api_creatable=True)
    ]
    return render(request, "pages/dashboard.html", {
        "rows": [_task_row(task) for task in tasks],
        "queue": selectors.queue_status(user=request.user),
        "costs": cost_by_service_today(user=request.user),
        "kinds": kinds,
        "priorities": _priorities(),
        "entities": _entities(request.user),
        "live_urls": LIVE_URLS,
        "recent_limit": RECENT_TASKS,
    })


@page_login_required
def task_page(request, task_id: str):
    try:
        task = selectors.task_get(user=request.user, task_id=task_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    events = selectors.task_event_recent(task=task, limit=EVENT_LOG_LENGTH)
    try:
        cost = task_cost(user=request.user, task_id=task.task_id)
    except NotFoundError:
        cost = None
    state = TaskSerializer(task).data
    state["last_seq"] = events[-1].id if events else 0
    state["status_line"] = task_status_line(task)
    return render(request, "pages/task.html", {
        "task": task,
        "row": _task_row(task),
        "events": [{"event": event, "text": event_describe(event)} for event in reversed(events)],
        "cost": cost,
        "state": state,
        "live_urls": LIVE_URLS,
    })


@page_login_required
def upload_page(request):
    return render(request, "pages/upload.html", {
        "entities": _entities(request.user),
        "priorities": _priorities(),
    })


@page_login_required
def analyze_page(request):
    return render(request, "pages/analyze.html", {"entities": _entities(request.user)})
