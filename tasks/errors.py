"""What a job may raise to tell the framework how its failure should be handled."""


class RetryableError(Exception):
    """A transient failure (rate limit, 5xx, timeout): the task is retried with backoff."""


class PermanentError(Exception):
    """A failure that retrying cannot fix (bad input, invalid key): the task fails at once."""


class TaskCancelled(BaseException):
    """Raised inside a job at its next progress report once cancellation was requested.

    A BaseException, like asyncio.CancelledError, so a job's broad `except Exception`
    does not swallow it.
    """


class TaskTimedOut(BaseException):
    """Raised inside a job at its next progress report once its time budget is spent."""
