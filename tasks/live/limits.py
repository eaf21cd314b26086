"""How fast one WebSocket connection may send frames, and when it has abused that.

Each frame costs the server a parse and often a database read, so a connection gets a
budget of LIVE_FRAME_RATE frames (a token bucket: that many at once, refilled at that
rate). A frame over budget is answered with an error frame and not acted on. A client that
keeps going (LIVE_ABUSE_STRIKES refused frames, or refused subscriptions, with no pause
long enough to refill the whole budget) is closed with 4429.
"""
import time

from rest_framework.throttling import SimpleRateThrottle


class FrameBudget:
    """One connection's frame budget and its strikes."""

    def __init__(self, *, rate: str, strikes: int, clock=time.monotonic):
        count, seconds = SimpleRateThrottle.parse_rate(None, rate)
        self.rate, self.capacity, self.per_second = rate, float(count), count / seconds
        self.strikes_allowed, self.strikes = strikes, 0
        self.clock = clock
        self.tokens, self.at = self.capacity, clock()

    def take(self) -> bool:
        """Spend one frame of the budget; False (a strike) when there is none left."""
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens >= self.capacity:  # a pause that refilled everything forgives
            self.strikes = 0
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        self.strikes += 1
        return False

    def strike(self) -> None:
        """Count a refusal other than the rate's (a subscription over the limit)."""
        self.strikes += 1

    @property
    def abused(self) -> bool:
        return self.strikes >= self.strikes_allowed
