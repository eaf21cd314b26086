"""Stand-ins for what lies beyond the machine's edge, shared by tests/ and bench/.

The OpenAI-compatible HTTP server, the scripted analyst answering on it, and the builders
of real and hostile files: both the test suite and the benchmarks drive TaskLedger with
them, so they live here rather than in either (bench/ imports nothing from tests/). Not a
test package: pytest collects only tests/ (pyproject.toml, `testpaths`).
"""
