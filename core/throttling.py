"""Rate limits on what a hostile client repeats: failed authentication per client address
(API token, sign-in forms, WebSocket `?token=`), tasks created and files uploaded per user
and per entity.

Counts live in the `throttle` cache (Redis when REDIS_URL is set, so every daphne process
shares them; else each process's memory). DRF's throttles answer 429 with Retry-After.
"""
import functools
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import caches
from django.dispatch import receiver
from django.http import HttpResponse
from django.http.request import HttpHeaders
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle


class FailedAuthenticationThrottle(SimpleRateThrottle):
    """Failed authentications per client address (AUTH_FAILURE_RATE); counted only on failure."""

    scope = "auth_failure"

    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        return settings.AUTH_FAILURE_RATE

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def check(self, request) -> None:
        """Refuse with 429 while this address is over its failed-authentication rate."""
        self._history_load(request)
        if len(self.history) >= self.num_requests:
            raise exceptions.Throttled(
                wait=self.wait(),
                detail=f"too many failed authentication attempts from this address; the "
                       f"limit is {self.rate} (AUTH_FAILURE_RATE)",
            )

    def failure_record(self, request=None) -> None:
        """Count one failed authentication of `request`'s address (else the one `check`
        looked at)."""
        if request is not None:
            self._history_load(request)
        self.now = self.timer()
        self.throttle_success()

    def _history_load(self, request) -> None:
        self.key, self.now = self.get_cache_key(request), self.timer()
        self.history = [moment for moment in self.cache.get(self.key, [])
                        if moment > self.now - self.duration]


def login_throttled(view):
    """A sign-in form view (the login page, the admin's, the browsable API's) refused with
    429 and Retry-After while the client's address is over AUTH_FAILURE_RATE.

    Failures are counted by `_login_failure_count`, from Django's own `user_login_failed`.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            try:
                FailedAuthenticationThrottle().check(request)
            except exceptions.Throttled as refusal:
                response = HttpResponse(f"{refusal.detail}\n",
                                        status=429, content_type="text/plain; charset=utf-8")
                response["Retry-After"] = str(refusal.wait)
                return response
        return view(request, *args, **kwargs)

    return wrapped


@receiver(user_login_failed, dispatch_uid="core.throttling.login_failure")
def _login_failure_count(sender, credentials, request=None, **kwargs):
    """A failed sign-in by password counts against the address like a wrong token."""
    if request is not None:
        FailedAuthenticationThrottle().failure_record(request)


def scope_request(scope) -> SimpleNamespace:
    """What the throttles read of a request (its address and X-Forwarded-For), for an ASGI
    scope such as a WebSocket handshake's."""
    client = scope.get("client") or ("", 0)
    meta = {"REMOTE_ADDR": client[0] or ""}
    for name, value in scope.get("headers", []):
        if name == b"x-forwarded-for":
            meta["HTTP_X_FORWARDED_FOR"] = value.decode("latin1")
    return SimpleNamespace(META=meta, headers=HttpHeaders(meta))


class ItemRateThrottle(SimpleRateThrottle):
    """Items (tasks created, files uploaded) per user or per entity, a batch counting each.

    A sliding estimate over two fixed windows (the last window's count, weighted by how
    much of it still overlaps the last `duration`, plus this window's): two cache reads and
    one atomic increment per charge, however many items, where DRF's own history list would
    hold one timestamp per item.
    """

    def __init__(self, *, scope: str, setting: str, per: str, noun: str):
        self.scope, self.setting, self.per, self.noun = scope, setting, per, noun
        self.rate = getattr(settings, setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)

    @property
    def cache(self):
        return caches["throttle"]

    def charge(self, *, ident: str, count: int) -> tuple[str, int] | None:
        """Count `count` items for `ident`, or raise Throttled (429) and count nothing."""
        if self.num_requests is None or count <= 0:
            return None
        now = self.timer()
        window, elapsed = divmod(now, self.duration)
        key = f"throttle_{self.scope}_{ident}_{int(window)}"
        self.cache.add(key, 0, timeout=2 * self.duration + 1)
        used = self.cache.incr(key, count)
        previous = self.cache.get(f"throttle_{self.scope}_{ident}_{int(window) - 1}", 0)
        share = 1 - elapsed / self.duration
        if previous * share + used <= self.num_requests:
            return key, count
        self.cache.decr(key, count)
        raise exceptions.Throttled(
            wait=self._wait(used - count, previous, share, count),
            detail=f"too many {self.noun}: {count} more would pass the limit of {self.rate} "
                   f"per {self.per} ({self.setting})",
        )

    def refund(self, charged: tuple[str, int] | None) -> None:
        if charged is not None:
            self.cache.decr(*charged)

    def _wait(self, used: int, previous: int, share: float, count: int) -> float:
        """Seconds until `count` more items fit (a whole window when they never can)."""
        limit = self.num_requests
        if count > limit:
            return self.duration
        if used + count <= limit:  # the last window's weight has to fall
            needed_share = (limit - used - count) / previous
            return max(1.0, (share - needed_share) * self.duration)
        # This window is full by itself: wait into the next one, where it is the last.
        needed_share = (limit - count) / used
        return max(1.0, (share + 1 - needed_share) * self.duration)


# (scope, per-user setting, per-entity setting, what is counted)
TASK_RATES = ("tasks", "TASK_CREATE_RATE_USER", "TASK_CREATE_RATE_ENTITY", "tasks created")
UPLOAD_RATES = ("uploads", "UPLOAD_RATE_USER", "UPLOAD_RATE_ENTITY", "files uploaded")


def creation_charge(*, user, entity_ids: list[str], uploads: bool = False) -> None:
    """Count one task per item of `entity_ids` (the entity each is for) against the user's
    and each entity's rate, and against the upload rates when they are files; all or none.

    Raises Throttled, which the API answers with 429, Retry-After and the limit named.
    Called before anything is stored, so a refused request leaves nothing behind.
    """
    per_entity: dict[str, int] = {}
    for entity_id in entity_ids:
        per_entity[entity_id] = per_entity.get(entity_id, 0) + 1
    done = []
    try:
        for scope, user_setting, entity_setting, noun in (
                [TASK_RATES, UPLOAD_RATES] if uploads else [TASK_RATES]):
            throttle = ItemRateThrottle(scope=f"{scope}_user", setting=user_setting,
                                        per="user", noun=noun)
            done.append((throttle, throttle.charge(ident=str(user.pk), count=len(entity_ids))))
            throttle = ItemRateThrottle(scope=f"{scope}_entity", setting=entity_setting,
                                        per="entity", noun=noun)
            for entity_id, count in per_entity.items():
                done.append((throttle, throttle.charge(ident=entity_id, count=count)))
    except exceptions.Throttled:
        for throttle, charged in done:
            throttle.refund(charged)
        raise
