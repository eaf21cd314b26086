"""Interpretation of the live-progress figures (rewritten by hand when the figures move).

Written from the runs of 2026-11-22 (09:53 and 09:58 UTC, same machine, shared with four
other engineers' test and benchmark runs).
"""

LIVE_ANALYSIS = """
### Interpretation

**Redis mode.** The whole path from a worker's report to a client is the report's own
transaction (row update, event insert, commit; the after-commit hook that queues the push is
in it too) plus the push (sender thread, channels-redis, daphne, socket). In the 09:58 run
the p50 was 8.6 ms and the p95 19.5 ms, which meets the target. The report's own write was
5.1 ms at p50 and 13.1 ms at p95, so the push added about 3.5 ms at p50. That is in line
with bare channels-redis (p50 4.7 ms, DESIGN.md section 3). An earlier run the same day,
under heavier load (load average ~10 from other benchmarks), measured p50 12.8 ms and p95
71.3 ms, with the write alone at 7.7 ms and 35.3 ms. The tail comes from the PostgreSQL
commit on a shared VM, not from the push. A sync `async_to_sync(group_send)` per report
would add ~3.5 ms to every report inside the job; the sender thread makes queueing the push
cost microseconds.

**Embedded default.** The relay polls every `LIVE_RELAY_POLL_SECONDS` (0.1 s), so an event
waits 50 ms on average and 100 ms at worst before it is read: p50 60 ms, p95 107 ms. The
target (p95 <= 500 ms) is met with room to spare. Seed 003's 2.5 s polling makes a change
wait 1.25 s on average, about 20 times longer. A shorter poll interval buys latency for
queries: the relay makes one query per tick per daphne process while anyone in it is
watching, and none otherwise.

**1,000 clients.** Every client received every event of its task, in seq order, with no
duplicate, in both modes (16,000 of 16,000 deliveries). daphne grew by 41-45 KiB per
connection (WebSocket protocol objects, the consumer, its channel queue and task). At 100
reports/s (1,000 messages/s to deliver) Redis mode kept p95 at 24 ms. The embedded default
rose to p95 388 ms, because the relay's fan-out, daphne and the 1,000 client sockets of the
driver share two cores. The 09:53 run asked for 200 reports/s (2,000 messages/s). One daphne
process on this VM then delivered about 1,400-1,600 messages/s, so a backlog grew: every
event still arrived, but the embedded latency rose to p50 679 ms and p95 985 ms, and Redis
mode reached p95 157 ms. Past that rate, add daphne processes behind the load balancer
(Redis mode) and keep progress coalesced (`TASK_PROGRESS_INTERVAL`: at most 4 reports per
task per second by default). One measure is already in place: each event's WebSocket frame
is serialised once in the publisher, not once per client.
"""
