"""The "Embeddings" section of docs/benchmarks.md, from bench/embeddings.py's results."""
from bench.sections import engine_label, measured_on

TARGET_RATIO = 1.3  # OpenAI provider wall time vs (chunks / batch) x latency / concurrency


def embeddings_render(results: dict) -> list[str]:
    keys = [k for k in results if k.startswith("embeddings_") and isinstance(results[k], dict)]
    if not keys:
        return []
    lines = ["## Embeddings: ingestion throughput, memory, OpenAI concurrency, search", ""]
    for key in sorted(keys):
        value = results[key]
        if "error" in value:
            lines += [f"- `{key}` failed: `{value['error'].strip().splitlines()[-1][:300]}`", ""]
    local = next((results[k] for k in keys if k.startswith("embeddings_local_")
                  and "error" not in results[k]), None)
    memory = next((results[k] for k in keys if k.startswith("embeddings_memory_")
                   and "error" not in results[k]), None)
    openai = next((results[k] for k in keys if k.startswith("embeddings_openai_")
                   and "error" not in results[k]), None)
    search = next((results[k] for k in keys if k.startswith("embeddings_search_")
                   and "error" not in results[k]), None)
    engine = engine_label(keys[0])
    lines += [f"Measured on {measured_on(results, 'embeddings')} (`python -m bench.run --only embeddings`), on "
              f"the machine described above, {engine}, one job at a time in a real qcluster "
              "worker (bench/embeddings.py; a fresh database per scenario).",
              "", "| scenario | figure |", "| --- | --- |"]
    if local:
        lines.append(
            f"| local provider, {local['megabytes']:g} MB text ({local['chunks']:,} chunks of "
            f"<= {local['chunk_size']} chars, overlap {local['chunk_overlap']}, batches of "
            f"{local['batch_size']}) | **{local['chunks_per_second']:,.0f} chunks/s** "
            f"({local['seconds']:.1f} s from start to completion, both passes, storage and "
            f"ledger included) |")
    if memory:
        grown = memory["worker_rss_peak_mib"] - memory["worker_rss_baseline_mib"]
        lines.append(
            f"| peak worker memory, {memory['megabytes']:g} MB document ({memory['chunks']:,} "
            f"chunks, {memory['pages']:,} pages) | **{memory['worker_rss_peak_mib']:.0f} MiB** "
            f"resident at peak, {grown:+.0f} MiB over the worker's "
            f"{memory['worker_rss_baseline_mib']:.0f} MiB at the job's start (VmHWM "
            f"{memory['worker_vmhwm_mib']:.0f} MiB); {memory['chunks_per_second']:,.0f} chunks/s |")
    if openai:
        met = openai["ratio_to_ideal"] <= TARGET_RATIO
        lines.append(
            f"| OpenAI provider, {openai['chunks']:,} chunks against testsupport/openai_server.py at "
            f"{openai['latency'] * 1000:.0f} ms per request, batches of {openai['batch_size']}, "
            f"{openai['concurrency']} requests in flight | **{openai['seconds']:.2f} s** against "
            f"an ideal of {openai['batches']} x {openai['latency']:g} s / "
            f"{openai['concurrency']} = {openai['ideal_seconds']:.2f} s: "
            f"**{openai['ratio_to_ideal']:.2f}x** (target <= {TARGET_RATIO}x: "
            f"**{'met' if met else 'MISSED'}**). The bare SDK sending the same batches from "
            f"a thread pool of {openai['concurrency']} (nothing stored, no TaskLedger) took "
            f"{openai['bare_client_seconds']:.2f} s ({openai['bare_ratio_to_ideal']:.2f}x "
            f"the ideal): the job takes {openai['ratio_to_bare']:.2f}x the bare client"
            + (f"; the worker used {openai['worker_cpu_seconds']:.1f} s of CPU"
               if openai.get("worker_cpu_seconds") is not None else "") + " |")
    if search:
        lines.append(
            f"| search, {search['chunks']:,} chunks ({search['dimensions']} dimensions) in one "
            f"knowledge base, k=10, over HTTP | first query {search['cold_ms']:.0f} ms (reads "
            f"the matrix); then **p50 {search['warm_p50_ms']:.1f} ms, p95 "
            f"{search['warm_p95_ms']:.1f} ms** over {search['repeats']} queries |")
    lines += ["", EMBEDDINGS_ANALYSIS.strip(), ""]
    return lines


EMBEDDINGS_ANALYSIS = """
### Embeddings: how to read these figures

Kept in bench/embeddings_report.py; written from the runs of 2026-11-22 09:46-10:20 UTC,
13:20-13:50 UTC and 15:20-15:25 UTC (quiet machine, py-spy profile of the worker).

- Throughput counts the whole job: a first pass that extracts and chunks the text to know
  the total (for progress, ETA and the page count), a second that chunks again and embeds,
  one `COPY` (PostgreSQL; `bulk_create` on SQLite) and one ledger line per batch, and
  progress reports. Chunking itself is
  fast (6.4 MB in 0.04 s); the local provider embeds about 20,000 chunks/s in isolation;
  the rest is storage, so the writer thread (its own connection; two before COPY) is what
  matters: with storage inline in one thread the 10 MB figure was 1,240-2,330 chunks/s.
- Memory: extraction reads 1 MB blocks and the chunker holds about one chunk beyond its
  position, so the worker's growth does not depend on the document's size (5 MB: +10 MiB,
  50 MB: +11 to +18 MiB across runs); what grows is the set of stored positions (one int
  per chunk) and the list of chunk ids in the result (at most 10,000).
- OpenAI: `EMBEDDING_CONCURRENCY` (default 4) request threads keep that many requests in
  flight and record each answer's cost the moment it arrives; a writer thread stores
  the chunks, so a request slot never waits for storage. The ideal counts only the
  latency; the bare-client figure is what the test server, the SDK and this machine allow
  with nothing else running, so job / bare is TaskLedger's own overhead. The way here:
  one thread per slot embedding *and* storing took 2.38x the ideal (11.9 s; the bare
  client then 2.08x, because the test server computed vectors in a pure-Python loop,
  about 10 ms of GIL-bound work per batch of 50 on the same two cores; it now uses NumPy,
  5 ms); writer threads and the faster server gave 1.37x (bare 1.19x).
- The target (1.3x) is met since 2026-11-22 15:20 UTC: 1.17-1.26x the ideal over six runs
  (both engines), the bare client 1.08-1.12x, the job 1.06-1.13x the bare client. Two steps
  got there. First the job's own work: a py-spy profile of the worker (13:25 UTC) showed
  the writer threads spending most of their time in `bulk_create` (Django's INSERT has
  psycopg quote every 6 KB vector as a hex literal, in Python, holding the GIL the request
  threads need) and the daily cost roll-up making each ledger line a four-round-trip
  transaction in the request thread. Chunks are now stored with `COPY` on PostgreSQL and a
  usage line and its roll-up are one statement: worker CPU for the 10,000 chunks fell from
  3.3-3.9 s to 2.2-3.1 s, the local provider from 2,800 to 3,700 chunks/s (10 MB), and the
  OpenAI run from 1.37-1.44x to 1.32-1.36x. Then the test server: it slept `latency` and
  only then built its answer (50 vectors and a 400 KB body, ~5 ms of GIL-bound Python in
  the server process), so four answers due at once went out one after the other, ~20 ms
  late, and the "100 ms" server answered in 105-125 ms: the bare client alone measured
  1.20-1.23x. A provider's latency includes its own work, so the server now builds the
  answer first and sends it when it is due (tests/test_openai_server.py pins this down).
  Same job code, same machine: bare 1.23x -> 1.10x, job 1.33x -> 1.17-1.26x.
  Recording each answer's cost in the request thread before it sends its next batch is
  deliberate: the ledger gets every answer before anything else happens to it. Handing
  costs to a separate ledger thread was tried (not clearly faster under load) and would
  leave the answers queued for it unrecorded if the worker died. The openai SDK itself
  spends ~1.4 ms per request in `uuid4()` (its idempotency key; `os.urandom` is slow on
  this VM), bare client included.
- Search reads a knowledge base's vectors once into a NumPy matrix (kept per process until
  a document of the base completes or is removed) and answers with one matrix-vector
  product; the first query after a change pays the read (1.3-2.4 s for 100,000 chunks).
  Warm p50 is mostly the HTTP request, token authentication and the query's ledger record.
"""
