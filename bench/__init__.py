"""Benchmarks for TaskLedger's task framework; `make bench` runs them (bench/run.py)."""
