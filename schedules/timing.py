"""When a schedule fires: cron expressions (through croniter) in a time zone, or intervals.

A cron schedule fires once at each local wall-clock time its expression names. Where the
clocks go forward (Europe/Berlin, last Sunday of March, 02:00 -> 03:00) a time inside the
gap does not exist, and croniter gives the first moment after it (03:00). Where they go
back (last Sunday of October, 03:00 -> 02:00) a time in the repeated hour happens twice;
the schedule fires at the first and passes over the second, so a daily 02:30 runs once.
Interval schedules fire every `interval_seconds` from `start_at`, whatever the clocks say.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from croniter import CroniterBadCronError, CroniterBadDateError, croniter

ONE_MICROSECOND = timedelta(microseconds=1)
CRON_FIELDS = ("minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) "
               "day-of-week (0-6, 0 is Sunday)")
# Firings counted one by one before the latest is found by stepping back from now.
COUNT_LIMIT = 10_000


class TimingError(ValueError):
    """An expression or zone that cannot be used; `field` names the input at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def timezone_check(name: str) -> ZoneInfo:
    """Return the IANA zone `name`, or raise TimingError."""
    try:
        if name and name in available_timezones():
            return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise TimingError("timezone", f"timezone must be an IANA time zone name such as UTC or "
                                  f"Europe/Berlin; got {name!r}")


def cron_check(expression: str) -> str:
    """Return the expression, normalised, or raise TimingError saying what is accepted."""
    normalised = " ".join(expression.split())
    if len(normalised.split()) != 5 or not croniter.is_valid(normalised):
        raise TimingError("cron", f"cron must be five fields: {CRON_FIELDS}, e.g. "
                                  f"'0 6 * * 1' for Mondays at 06:00; got {expression!r}")
    return normalised


def _repeated_wall_time(moment: datetime, zone: ZoneInfo) -> bool:
    """Whether this is the second occurrence of its local time (the hour the clocks repeat)."""
    first = moment.replace(tzinfo=None).replace(tzinfo=zone, fold=0)
    return first.utcoffset() != moment.utcoffset()


@dataclass(frozen=True)
class Timing:
    cron: str
    timezone: str
    interval_seconds: int | None
    start_at: datetime
    end_at: datetime | None = None

    def next_after(self, moment: datetime, *, inclusive: bool = False) -> datetime | None:
        """The first firing after `moment` (or at it, if inclusive); None past end_at."""
        floor = self.start_at - ONE_MICROSECOND
        base = moment - ONE_MICROSECOND if inclusive else moment
        base = max(base, floor)
        found = self._interval_next(base) if self.interval_seconds else self._cron_next(base)
        if found is None or (self.end_at is not None and found > self.end_at):
            return None
        return found

    def upcoming(self, moment: datetime, count: int) -> list[datetime]:
        """The next `count` firings from `moment` on (fewer if the schedule ends)."""
        firings, found = [], self.next_after(moment, inclusive=True)
        while found is not None and len(firings) < count:
            firings.append(found)
            found = self.next_after(found)
        return firings

    def latest_due(self, first: datetime, now: datetime) -> tuple[datetime, int]:
        """The last firing at or before `now`, from the due firing `first` on, and how many
        firings that is, `first` included (COUNT_LIMIT+ counts stop at COUNT_LIMIT)."""
        until = min(now, self.end_at) if self.end_at is not None else now
        if until < first:
            return first, 1
        if self.interval_seconds:
            step = timedelta(seconds=self.interval_seconds)
            passed = (until - first) // step
            return first + passed * step, passed + 1
        latest, count = first, 1
        while count < COUNT_LIMIT:
            found = self.next_after(latest)
            if found is None or found > until:
                return latest, count
            latest, count = found, count + 1
        return self._cron_previous(until), count

    # --- the two kinds ------------------------------------------------------------------
    def _interval_next(self, base: datetime) -> datetime:
        step = timedelta(seconds=self.interval_seconds)
        if base < self.start_at:
            return self.start_at
        return self.start_at + ((base - self.start_at) // step + 1) * step

    def _cron_next(self, base: datetime) -> datetime | None:
        zone = ZoneInfo(self.timezone)
        try:
            moments = croniter(self.cron, base.astimezone(zone))
            while True:
                found = moments.get_next(datetime)
                if not _repeated_wall_time(found, zone):
                    return found
        except CroniterBadDateError:  # e.g. "0 0 30 2 *": no such day
            return None

    def _cron_previous(self, until: datetime) -> datetime:
        zone = ZoneInfo(self.timezone)
        moments = croniter(self.cron, (until + ONE_MICROSECOND).astimezone(zone))
        while True:
            found = moments.get_prev(datetime)
            if not _repeated_wall_time(found, zone):
                return found


def timing_check(timing: Timing, *, now: datetime) -> None:
    """Raise TimingError unless the schedule would ever fire from now (or its start) on."""
    if timing.end_at is not None and timing.end_at <= timing.start_at:
        raise TimingError("end_at", "end_at must be later than start_at")
    try:
        upcoming = timing.next_after(max(now, timing.start_at), inclusive=True)
    except (CroniterBadCronError, CroniterBadDateError):
        upcoming = None
    if upcoming is None and timing.end_at is None:
        raise TimingError("cron", f"cron {timing.cron!r} never fires: no date and time matches it")
