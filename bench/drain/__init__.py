"""Drain: jobs queued before the cluster starts, drained (no-op and 20 ms jobs)."""
