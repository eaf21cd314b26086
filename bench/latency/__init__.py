"""Latency: HTTP POST to job start."""
