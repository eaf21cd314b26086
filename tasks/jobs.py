"""Built-in job kinds: diagnostics an operator can run to check that workers work."""
import time

from rest_framework import serializers

from tasks.errors import PermanentError, RetryableError
from tasks.registry import job_register


class NoParams(serializers.Serializer):
    pass


@job_register("noop", params_serializer=NoParams, description="Does nothing; measures overhead.")
def noop(progress) -> dict:
    return {"ok": True}


class CountParams(serializers.Serializer):
    steps = serializers.IntegerField(min_value=1, max_value=1_000_000, default=10)
    delay_seconds = serializers.FloatField(min_value=0, max_value=60, default=0.1)
    report = serializers.BooleanField(default=True)
    fail_attempts = serializers.IntegerField(min_value=0, max_value=100, default=0)
    fail_at_step = serializers.IntegerField(min_value=1, default=1)
    failure = serializers.ChoiceField(["retryable", "permanent"], default="retryable")


@job_register(
    "demo.count",
    params_serializer=CountParams,
    description="Counts to `steps`, sleeping `delay_seconds` per step and reporting each; "
    "the first `fail_attempts` attempts fail at `fail_at_step`.",
)
def demo_count(progress, *, steps=10, delay_seconds=0.1, report=True, fail_attempts=0,
               fail_at_step=1, failure="retryable") -> dict:
    attempt = progress.task.attempts
    for step in range(1, steps + 1):
        if delay_seconds:
            time.sleep(delay_seconds)
        if attempt <= fail_attempts and step == fail_at_step:
            error = RetryableError if failure == "retryable" else PermanentError
            raise error(f"demo failure at step {step} of attempt {attempt}")
        if report:
            progress.set_units(step, steps, text=f"step {step} of {steps}")
        elif progress.is_cancelled:
            break
    return {"steps": steps, "attempt": attempt}


# django-q2's own calls (its scheduler's), run as tracked tasks (tasks.broker.enqueue).
# Not creatable through the API: it names the function it runs.
CALL_KIND = "django_q.call"


@job_register(CALL_KIND, retry_limit=0,
              description="A django-q2 call (a schedule's function), tracked like any task.")
def django_q_call(progress, *, func: str, args=(), kwargs=None):
    from django.utils.module_loading import import_string

    return import_string(func)(*args, **(kwargs or {}))
