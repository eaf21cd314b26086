"""Benchmarks for TaskLedger's task framework; `make bench` runs them (bench/run.py).

bench/harness/ is shared; bench/<scenario>/ holds one scenario's driver, run step and report
section; bench/run.py and bench/report.py on top assemble them."""
