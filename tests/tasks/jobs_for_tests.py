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


@job_register("test.leaky")
def leaky(progress):
    """A library error whose text names a server path and a SQL fragment."""
    raise OSError("Package not found at '/srv/taskledger/var/media/documents/x.docx' "
                  "(SELECT * FROM tasks_task)")


@job_register("test.slow_kind", timeout=7, retry_limit=1)
def slow_kind(progress):
    return None


@job_register("test.metered", retry_limit=1, operation_type="file_upload", task_type="upload")
def metered(progress, *, pages=10, chunks=45, fail_first=False, wait_for_cancel=False):
    """Pays for pages and chunks, then fails on the first attempt if asked."""
    import time

    progress.usage_record(service_type="file_processor", unit="pages", quantity=pages,
                          breakdown={"pages": pages, "format": "pdf"})
    if fail_first and progress.task.attempts == 1:
        from tasks.errors import RetryableError

        raise RetryableError("embedding service unavailable (503)")
    progress.usage_record(service_type="transformer", unit="chunks", quantity=chunks)
    while wait_for_cancel:
        progress.send_progress_text("waiting to be cancelled")
        time.sleep(0.05)
    return {"pages": pages, "chunks": chunks}
