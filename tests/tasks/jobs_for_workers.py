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
