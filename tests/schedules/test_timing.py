"""When schedules fire: cron in a time zone across DST changes (computed, not waited for),
and intervals."""
from datetime import datetime, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest

from schedules.timing import Timing, TimingError, cron_check, timing_check, timezone_check

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt_timezone.utc
START = datetime(2026, 1, 1, tzinfo=UTC)


def berlin(cron: str) -> Timing:
    return Timing(cron=cron, timezone="Europe/Berlin", interval_seconds=None, start_at=START)


def utc_times(firings) -> list[str]:
    return [moment.astimezone(UTC).strftime("%m-%d %H:%M") for moment in firings]


def test_timing_cron_daily_in_berlin_spring_forward_runs_once_after_the_gap():
    # 29 March 2026: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that night.
    firings = berlin("30 2 * * *").upcoming(datetime(2026, 3, 27, 12, tzinfo=UTC), 4)

    assert [f.isoformat() for f in firings] == [
        "2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00",
        "2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00",
    ]
    assert utc_times(firings) == ["03-28 01:30", "03-29 01:00", "03-30 00:30", "03-31 00:30"]


def test_timing_cron_daily_in_berlin_fall_back_runs_once_in_the_repeated_hour():
    # 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice that night.
    firings = berlin("30 2 * * *").upcoming(datetime(2026, 10, 23, 12, tzinfo=UTC), 3)

    assert [f.isoformat() for f in firings] == [
        "2026-10-24T02:30:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00",
    ]
    # The gap between the two local 02:30s grows by the hour the clocks gave back.
    assert firings[2].astimezone(UTC) - firings[1].astimezone(UTC) == timedelta(hours=25)


def test_timing_cron_half_hourly_in_berlin_across_both_changes():
    fall = berlin("*/30 * * * *").upcoming(datetime(2026, 10, 24, 23, tzinfo=UTC), 6)
    # 01:00, 01:30, 02:00, 02:30 CEST, then the repeated 02:00 and 02:30 (CET) are passed
    # over, then 03:00 CET.
    assert utc_times(fall) == ["10-24 23:00", "10-24 23:30", "10-25 00:00", "10-25 00:30",
                               "10-25 02:00", "10-25 02:30"]
    spring = berlin("*/30 * * * *").upcoming(datetime(2026, 3, 29, 0, tzinfo=UTC), 4)
    # 01:00, 01:30 CET, then 03:00 CEST (02:00 and 02:30 do not exist).
    assert [f.strftime("%H:%M%z") for f in spring] == ["01:00+0100", "01:30+0100",
                                                      "03:00+0200", "03:30+0200"]


def test_timing_cron_weekly_monday_six_keeps_local_time_across_the_change():
    firings = berlin("0 6 * * 1").upcoming(datetime(2026, 3, 20, tzinfo=UTC), 3)

    assert [f.strftime("%a %d %H:%M") for f in firings] == ["Mon 23 06:00", "Mon 30 06:00",
                                                            "Mon 06 06:00"]
    assert utc_times(firings) == ["03-23 05:00", "03-30 04:00", "04-06 04:00"]


def test_timing_cron_latest_due_counts_the_firings_it_stands_for():
    timing = berlin("0 6 * * 1")
    latest, count = timing.latest_due(datetime(2026, 3, 23, 5, tzinfo=UTC),
                                      datetime(2026, 4, 7, tzinfo=UTC))
    assert (latest.isoformat(), count) == ("2026-04-06T06:00:00+02:00", 3)


def test_timing_interval_fires_from_start_every_n_seconds_and_stops_at_end():
    timing = Timing(cron="", timezone="UTC", interval_seconds=10, start_at=START,
                    end_at=START + timedelta(seconds=30))

    assert timing.next_after(START - timedelta(days=1)) == START
    assert timing.next_after(START + timedelta(seconds=5)) == START + timedelta(seconds=10)
    assert timing.next_after(START + timedelta(seconds=10)) == START + timedelta(seconds=20)
    assert timing.next_after(START + timedelta(seconds=10), inclusive=True) == (
        START + timedelta(seconds=10))
    assert timing.next_after(START + timedelta(seconds=30)) is None
    assert timing.latest_due(START, START + timedelta(hours=1)) == (
        START + timedelta(seconds=30), 4)


def test_timing_cron_does_not_fire_before_start():
    timing = Timing(cron="0 * * * *", timezone="UTC", interval_seconds=None,
                    start_at=datetime(2026, 1, 1, 10, 0, 0, 1, tzinfo=UTC))
    assert timing.next_after(START) == datetime(2026, 1, 1, 11, tzinfo=UTC)


@pytest.mark.parametrize("expression", ["61 * * * *", "* * * *", "* * * * * *", "every day", ""])
def test_timing_cron_check_refuses_what_is_not_five_cron_fields(expression):
    with pytest.raises(TimingError) as refused:
        cron_check(expression)
    assert refused.value.field == "cron" and "five fields" in refused.value.message


def test_timing_timezone_check_accepts_iana_names_only():
    assert timezone_check("Europe/Berlin") == BERLIN
    for name in ["CEST", "Europe/Nowhere", "", "../etc/passwd"]:
        with pytest.raises(TimingError):
            timezone_check(name)


def test_timing_check_refuses_end_before_start_and_impossible_dates():
    with pytest.raises(TimingError) as refused:
        timing_check(Timing(cron="", timezone="UTC", interval_seconds=5, start_at=START,
                            end_at=START), now=START)
    assert refused.value.field == "end_at"
    with pytest.raises(TimingError) as refused:
        timing_check(berlin("0 0 30 2 *"), now=START)
    assert refused.value.field == "cron"
