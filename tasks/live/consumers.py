"""The live-progress WebSocket at /ws/tasks/ and /api/v1/ws/embedding-tasks (one protocol,
docs/live.md)."""
import asyncio
import json
import logging
import time
from dataclasses import dataclass, field

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from tasks.live import selectors
from tasks.live.addresses import live_group, live_mode
from tasks.live.limits import FrameBudget
from tasks.live.messages import is_terminal, needs_backfill, now_iso, ws_state_messages
from tasks.live.relay import relay
from tasks.selectors import queue_status

logger = logging.getLogger(__name__)

ACTIONS = ("subscribe", "unsubscribe", "ping", "get_queue_status")
REPLAY_PAGE = 500
UNAUTHENTICATED = 4401
THROTTLED = 4429


@dataclass
class Subscription:
    task_pk: int
    task_id: str
    group: str
    last_seq: int  # the newest event this client has; older or equal ones are dropped
    ended: bool = False  # the client has the task's terminal event
    heard_at: float = field(default_factory=time.monotonic)  # its last event, or check


class TaskProgressConsumer(AsyncWebsocketConsumer):
    """Follows tasks for one client: their state first, then every event, each once, in order."""

    async def connect(self):
        self.subscriptions: dict[str, Subscription] = {}
        self._catch_up_timer = None
        self.budget = FrameBudget(rate=settings.LIVE_FRAME_RATE,
                                  strikes=settings.LIVE_ABUSE_STRIKES)
        self.user = self.scope.get("user")
        await self.accept()
        refusal = self.scope.get("auth_refused")
        if refusal is not None:
            await self._error("too_many_failed_authentications", str(refusal.detail),
                              retry_after=refusal.wait)
            await self.close(code=THROTTLED)
        elif not getattr(self.user, "is_authenticated", False):
            await self._error("not_authenticated", "authenticate with ?token=<API token> or "
                              "a logged-in session")
            await self.close(code=UNAUTHENTICATED)
        elif live_mode() == "push":
            self._catch_up_timer = asyncio.create_task(self._catch_up_every())

    async def disconnect(self, code):
        if getattr(self, "_catch_up_timer", None) is not None:
            self._catch_up_timer.cancel()
        for subscription in list(getattr(self, "subscriptions", {}).values()):
            await self._drop(subscription)

    async def receive(self, text_data=None, bytes_data=None):
        if self.budget.abused:  # closing already; frames still in flight are dropped
            return
        if not self.budget.take():
            return await self._refuse(
                "rate_limited", f"more than {self.budget.rate} frames on this connection "
                "(LIVE_FRAME_RATE); this frame was ignored: slow down")
        frame = text_data if text_data is not None else bytes_data
        limit = settings.LIVE_MAX_FRAME_BYTES
        size = len(frame.encode() if isinstance(frame, str) else frame or b"")
        if size > limit:
            return await self._error("frame_too_large",
                                     f"frame of {size} bytes refused; at most {limit} accepted")
        try:
            message = json.loads(frame)
        except (TypeError, ValueError):
            return await self._error("invalid_json", "frames must be JSON objects such as "
                                     '{"action": "subscribe", "task_id": "..."}')
        if not isinstance(message, dict):
            return await self._error("invalid_message", "frames must be JSON objects with an "
                                     "\"action\"")
        action = message.get("action")
        if action not in ACTIONS:
            return await self._error(
                "unknown_action", f"action must be one of {', '.join(ACTIONS)}; got {action!r}"
            )
        try:
            await getattr(self, f"action_{action}")(message)
        except Exception:
            # A failed read (database restarting, say) must not close every subscription
            # of this connection with 1011; the client may simply try the action again.
            logger.exception("live: %s failed", action)
            await self._error("server_error", f"could not complete {action} now; try again")

    # --- actions --------------------------------------------------------------------------
    async def action_ping(self, message):
        await self._send({"type": "pong", "timestamp": now_iso()})

    async def action_get_queue_status(self, message):
        data = await database_sync_to_async(queue_status)(user=self.user)
        await self._send({"type": "queue_status", "data": data})

    async def action_subscribe(self, message):
        task_id, after = message.get("task_id"), message.get("after")
        if not isinstance(task_id, str) or not 0 < len(task_id) <= 64:
            return await self._error("invalid_task_id", "task_id must be a task id string "
                                     "(1 to 64 characters)", task_id=task_id)
        if after is not None and (isinstance(after, bool) or not isinstance(after, int)
                                  or after < 0):
            return await self._error("invalid_after", "after must be an event seq, a whole "
                                     f"number >= 0; got {after!r}", task_id=task_id)
        if task_id in self.subscriptions:  # again, perhaps from another seq: start over
            await self._drop(self.subscriptions.pop(task_id))
        limit = settings.LIVE_MAX_SUBSCRIPTIONS
        if len(self.subscriptions) >= limit:
            self.budget.strike()
            return await self._refuse(
                "too_many_subscriptions", f"at most {limit} subscriptions per connection; "
                "unsubscribe from finished tasks first", task_id=task_id)

        # Join the group before reading: an event committed after the read is pushed to
        # us, one committed before it is in the read, and a repeat is dropped by seq.
        group = live_group(task_id)
        await self.channel_layer.group_add(group, self.channel_name)
        task = await database_sync_to_async(selectors.live_task_get)(user=self.user,
                                                                     task_id=task_id)
        if task is None:
            await self.channel_layer.group_discard(group, self.channel_name)
            return await self._error("not_found", f"Task {task_id} not found", task_id=task_id)
        subscription = Subscription(task.pk, task_id, group, task.last_seq or 0,
                                    ended=task.is_finished)
        if after is None:
            costs = await database_sync_to_async(selectors.live_costs)(task_ids=[task_id])
            cost = costs.get(task_id)
            for state in ws_state_messages(task=task, cost=cost):
                await self._send(state)
        else:
            subscription.last_seq = after
            await self._replay(task, subscription)
        self.subscriptions[task_id] = subscription
        if live_mode() == "relay":
            relay.follow(task_pk=task.pk, task_id=task_id, after=subscription.last_seq)

    async def action_unsubscribe(self, message):
        task_id = message.get("task_id")
        if not isinstance(task_id, str):
            return await self._error("invalid_task_id", "task_id must be a task id string")
        subscription = self.subscriptions.pop(task_id, None)
        if subscription is None:
            return await self._error("not_subscribed", "not subscribed to that task_id",
                                     task_id=task_id)
        await self._drop(subscription)

    # --- live events (channel layer) -------------------------------------------------------
    async def task_event(self, event):
        subscription = self.subscriptions.get(event["task_id"])
        if subscription is None or event["seq"] <= subscription.last_seq:
            return
        if needs_backfill(event, subscription.last_seq):
            for missed in await database_sync_to_async(selectors.live_events_between)(
                    task_pk=subscription.task_pk, task_id=subscription.task_id,
                    after=subscription.last_seq, before=event["seq"]):
                await self.send(text_data=missed["ws_text"])
        self._delivered(subscription, event)
        await self.send(text_data=event["ws_text"])

    async def live_catch_up(self, message):
        """Redis mode: deliver what a lost push left out (a full channel, a process killed
        between its commit and its push). Subscriptions quiet for LIVE_CATCHUP_SECONDS
        whose task has not ended are read back from the persisted events, in one query."""
        quiet_since = time.monotonic() - settings.LIVE_CATCHUP_SECONDS
        quiet = {s.task_pk: s for s in self.subscriptions.values()
                 if not s.ended and s.heard_at <= quiet_since}
        if not quiet:
            return
        events = await database_sync_to_async(selectors.live_events_for)(
            cursors={pk: s.last_seq for pk, s in quiet.items()})
        for subscription in quiet.values():
            subscription.heard_at = time.monotonic()
        for event in events:
            subscription = quiet[event["task_pk"]]
            if event["seq"] > subscription.last_seq and self.subscriptions.get(
                    subscription.task_id) is subscription:
                self._delivered(subscription, event)
                await self.send(text_data=event["ws_text"])

    async def _catch_up_every(self) -> None:
        # A message to ourselves, so that the check runs between the consumer's other
        # messages, never beside them.
        while True:
            await asyncio.sleep(settings.LIVE_CATCHUP_SECONDS)
            if self.subscriptions:
                await self.channel_layer.send(self.channel_name, {"type": "live.catch_up"})

    @staticmethod
    def _delivered(subscription: Subscription, event: dict) -> None:
        subscription.last_seq = event["seq"]
        subscription.heard_at = time.monotonic()
        subscription.ended = subscription.ended or is_terminal(event)

    # --- helpers ---------------------------------------------------------------------------
    async def _replay(self, task, subscription: Subscription) -> None:
        while True:
            page = await database_sync_to_async(selectors.live_events_after)(
                task=task, after=subscription.last_seq, limit=REPLAY_PAGE)
            for event in page:
                self._delivered(subscription, event)
                await self.send(text_data=event["ws_text"])
            if len(page) < REPLAY_PAGE:
                return

    async def _drop(self, subscription: Subscription) -> None:
        await self.channel_layer.group_discard(subscription.group, self.channel_name)
        if live_mode() == "relay":
            relay.unfollow(task_pk=subscription.task_pk)

    async def _send(self, message: dict) -> None:
        await self.send(text_data=json.dumps(message))

    async def _refuse(self, code: str, text: str, **extra) -> None:
        """Answer a frame over a limit; close with 4429 once the client keeps at it."""
        if not self.budget.abused:
            return await self._error(code, text, **extra)
        await self._error(code, f"{text}; closing this connection after "
                          f"{self.budget.strikes} refused frames (LIVE_ABUSE_STRIKES)", **extra)
        await self.close(code=THROTTLED)

    async def _error(self, code: str, text: str, **extra) -> None:
        await self._send({"type": "error", "code": code, "message": text,
                          **{k: v for k, v in extra.items() if v is not None}})
