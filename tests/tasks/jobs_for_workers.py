"""Job kinds for real-worker tests, imported by the qcluster through TASK_JOB_MODULES."""
import signal
import time

from tasks.registry import job_register


@job_register("test.deaf_block", timeout=1, retry_limit=0)
def deaf_block(progress, *, seconds: float = 60):
    """Blocks as a call stuck outside Python would: deaf to the SIGALRM of django-q2's hard
    timeout, and without a progress report to stop at."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(seconds)


@job_register("test.marked", retry_limit=2)
def marked(progress, *, path: str):
    """Appends one byte to `path` each time it runs: the file counts the executions."""
    with open(path, "ab") as counter:
        counter.write(b".")
    return {"ran": True}
