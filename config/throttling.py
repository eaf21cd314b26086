"""Rate limits on what a hostile client repeats: failed authentication per client address.

Counts live in the `throttle` cache (Redis when REDIS_URL is set, so every daphne process
shares them; else each process's memory). DRF's throttles answer 429 with Retry-After.
"""
from django.conf import settings
from django.core.cache import caches
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
        self.key, self.now = self.get_cache_key(request), self.timer()
        self.history = [moment for moment in self.cache.get(self.key, [])
                        if moment > self.now - self.duration]
        if len(self.history) >= self.num_requests:
            raise exceptions.Throttled(
                wait=self.wait(),
                detail=f"too many failed authentication attempts from this address; the "
                       f"limit is {self.rate} (AUTH_FAILURE_RATE)",
            )

    def failure_record(self) -> None:
        """Count one failed authentication of the address `check` looked at."""
        self.now = self.timer()
        self.throttle_success()
