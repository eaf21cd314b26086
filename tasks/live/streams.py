"""A task's Server-Sent Events stream: GET /api/tasks/{task_id}/stream (docs/live.md).

An async view: after its two reads (who is asking, and the events so far) it holds no
thread and no database connection; it waits on the channel layer like a WebSocket does
(Redis push, or the embedded relay) and sends a comment as keep-alive when idle. In Redis
mode a stream quiet for LIVE_CATCHUP_SECONDS reads its task's events back, so that a lost
push delays an event but never loses it.
"""
import asyncio

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET
from tasks.live import selectors
from tasks.live.addresses import live_group, live_mode
from tasks.live.auth import token_user_checked
from tasks.live.messages import LIVE_EVENT_TYPE, is_terminal, needs_backfill, sse_event
from tasks.live.relay import relay

REPLAY_PAGE = 500
RECONNECT_MS = 2000


async def _stream_user(request) -> tuple:
    """The API's authentication: `Authorization: Token|Bearer`, `?token=`, or the session;
    (user or None, the refusal while the address is over AUTH_FAILURE_RATE or None)."""
    keyword, _, key = request.headers.get("Authorization", "").partition(" ")
    if keyword in ("Token", "Bearer") and key.strip():
        return await database_sync_to_async(token_user_checked)(key.strip(), request)
    if request.GET.get("token"):
        return await database_sync_to_async(token_user_checked)(request.GET["token"], request)
    user = await request.auser()
    return (user if user.is_authenticated else None), None


def _after(request) -> int | None:
    """Last-Event-ID (an EventSource reconnecting) or ?after=; None when it is not a seq."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or "0"
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value >= 0 else None


def _error(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


@require_GET
async def task_stream(request, task_id: str):
    user, refusal = await _stream_user(request)
    if refusal is not None:
        response = _error(429, str(refusal.detail), "throttled")
        response["Retry-After"] = str(refusal.wait)
        return response
    if user is None:
        response = _error(401, "Authentication credentials were not provided or are invalid.",
                          "not_authenticated")
        response["WWW-Authenticate"] = "Token"
        return response
    after = _after(request)
    if after is None:
        return _error(400, "Last-Event-ID (or after) must be an event seq, a whole number "
                      ">= 0", "invalid_after")
    task = await database_sync_to_async(selectors.live_task_get)(user=user, task_id=task_id)
    if task is None:
        return _error(404, f"Task {task_id} not found", "not_found")
    if task.is_finished and (task.last_seq or 0) <= after:
        # An EventSource reconnects whenever a stream ends; 204 tells it there is nothing
        # more, so a client that did not close it after the terminal event stops here.
        return HttpResponse(status=204)
    response = StreamingHttpResponse(_events(task, after), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # proxies must not hold the events back
    return response


async def _events(task, after: int):
    """Persisted events after `after`, then live ones, each once; ends after the terminal one."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    group = live_group(task.task_id)
    following = False
    # Join before reading, as the WebSocket does: nothing committed in between is missed.
    await layer.group_add(group, channel)
    try:
        yield f"retry: {RECONNECT_MS}\n\n"
        last, ended = after, False
        while True:
            page = await database_sync_to_async(selectors.live_events_after)(
                task=task, after=last, limit=REPLAY_PAGE)
            for event in page:
                yield sse_event(event)
                last, ended = event["seq"], is_terminal(event)
            if len(page) < REPLAY_PAGE:
                break
        if ended:
            return
        if live_mode() == "relay":
            relay.follow(task_pk=task.pk, task_id=task.task_id, after=last)
            following = True
        pushed = live_mode() == "push"
        keepalive, catch_up = settings.LIVE_KEEPALIVE_SECONDS, settings.LIVE_CATCHUP_SECONDS
        wait = min(keepalive, catch_up) if pushed else keepalive
        silent = unchecked = 0.0  # seconds since the last output, and the last catch-up
        while True:
            try:
                event = await asyncio.wait_for(layer.receive(channel), wait)
            except asyncio.TimeoutError:
                silent, unchecked = silent + wait, unchecked + wait
                if pushed and unchecked >= catch_up:  # a lost push delays, never loses
                    unchecked = 0.0
                    for missed in await database_sync_to_async(selectors.live_events_after)(
                            task=task, after=last, limit=REPLAY_PAGE):
                        last, silent = missed["seq"], 0.0
                        yield sse_event(missed)
                        if is_terminal(missed):
                            return
                if silent >= keepalive:
                    silent = 0.0
                    yield ": keep-alive\n\n"
                continue
            if event.get("type") != LIVE_EVENT_TYPE or event["seq"] <= last:
                continue
            silent = unchecked = 0.0
            if needs_backfill(event, last):
                for missed in await database_sync_to_async(selectors.live_events_between)(
                        task_pk=task.pk, task_id=task.task_id, after=last, before=event["seq"]):
                    yield sse_event(missed)
            last = event["seq"]
            yield sse_event(event)
            if is_terminal(event):
                return
    finally:
        if following:
            relay.unfollow(task_pk=task.pk)
        await layer.group_discard(group, channel)

