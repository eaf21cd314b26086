"""Benchmark-only job for the live-progress scenarios (TASK_JOB_MODULES=bench.harness.jobs,bench.live.jobs)."""
import time

from rest_framework import serializers

from tasks.registry import job_register


class TickerParams(serializers.Serializer):
    events = serializers.IntegerField(min_value=1, max_value=100_000, default=1000)
    interval = serializers.FloatField(min_value=0, max_value=5, default=0.02)
    wait_seconds = serializers.FloatField(min_value=0, max_value=60, default=1.0)


@job_register("bench.live_ticker", params_serializer=TickerParams,
              description="Reports progress `events` times, stamping each report's wall time.")
def live_ticker(progress, *, events=1000, interval=0.02, wait_seconds=1.0) -> dict:
    time.sleep(wait_seconds)  # lets the benchmark's client subscribe before the first report
    write_ms = []
    for i in range(1, events + 1):
        time.sleep(interval)
        # The text carries the moment of the report, so the client can time the path.
        started = time.time()
        progress.send_progress(f"t={started:.6f}", i / events)
        write_ms.append((time.time() - started) * 1000)  # the report's own write and commit
    return {"events": events, "write_ms": write_ms}
