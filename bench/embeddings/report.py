"""The "Embeddings" section of docs/benchmarks.md, from bench/embeddings/driver.py's results."""
from bench.harness.sections import Target, engine_label, judged, measured_on, prose

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
              "worker (bench/embeddings/driver.py; a fresh database per scenario).",
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
    lines += ["", prose(__file__, "analysis.md"), ""]
    return lines


def embeddings_summary(results: dict) -> list[Target]:
    """The OpenAI provider's wall time against the ideal of its batches in flight."""
    target = Target(f"embeddings (OpenAI provider): wall <= {TARGET_RATIO}x the ideal",
                    "embeddings")
    for engine in ("pg", "sqlite"):
        figure = judged(results.get(f"embeddings_openai_{engine}"),
                        lambda v: f"{v['ratio_to_ideal']:.2f}x",
                        lambda v: v["ratio_to_ideal"] <= TARGET_RATIO)
        if figure:
            target.figures[engine] = figure
    return [target]
