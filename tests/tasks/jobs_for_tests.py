"""Job kinds used only by the in-process tests."""
from tasks.registry import job_register


@job_register("test.unserialisable")
def unserialisable(progress):
    return {"when": object()}


@job_register("test.flaky_io", retry_on=(ConnectionError,))
def flaky_io(progress):
    raise ConnectionError("upstream reset the connection")


@job_register("test.crash")
def crash(progress):
    raise ZeroDivisionError("division by zero")


@job_register("test.slow_kind", timeout=7, retry_limit=1)
def slow_kind(progress):
    return None
