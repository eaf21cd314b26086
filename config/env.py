"""Typed readers for settings that come from the environment.

Each reader fails start-up with a message naming the variable and what it accepts, so a
typo in a deployment is caught before the first request, not in the middle of a job.
"""
import os
import re

from django.core.exceptions import ImproperlyConfigured


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_str(name: str, default: str = "") -> str:
    """Return the variable as text, or the default when unset or empty."""
    return _raw(name) or default


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """Return the variable as a whole number no smaller than `minimum`."""
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number >= {minimum}, got {raw!r}"
        )
    return value


def env_float(name: str, default: float, *, minimum: float = 0.0) -> float:
    """Return the variable as a number no smaller than `minimum`."""
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = None
    if value is None or value != value or value < minimum:
        raise ImproperlyConfigured(f"{name} must be a number >= {minimum}, got {raw!r}")
    return value


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """Return the variable as a flag (1/0, true/false, yes/no, on/off)."""
    raw = _raw(name)
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1, 0, true, false, yes, no, on, off; got {raw!r}"
    )


def env_list(name: str, default: list[str]) -> list[str]:
    """Return the variable as a comma-separated list."""
    raw = _raw(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, schemes: tuple[str, ...]) -> str:
    """Return the variable as a URL whose scheme is one of `schemes`, or ''."""
    raw = _raw(name)
    if raw is None:
        return ""
    scheme = raw.split("://", 1)[0].lower() if "://" in raw else ""
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with one of "
            f"{', '.join(s + '://' for s in schemes)}; got {raw.split('@')[-1]!r}"
        )
    return raw


_RATE = re.compile(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)")
_OFF = {"off", "none", "0"}


def env_rate(name: str, default: str, *, may_be_off: bool = True) -> str | None:
    """Return the variable as a DRF rate ("30/min"); None when it is "off" and may be."""
    raw = _raw(name) or default
    if may_be_off and raw.lower() in _OFF:
        return None
    if not _RATE.fullmatch(raw):
        also = ', or "off"' if may_be_off else ""
        raise ImproperlyConfigured(f"{name} must be a count per second, minute, hour or day, "
                                   f"e.g. 30/min{also}; got {raw!r}")
    return raw
