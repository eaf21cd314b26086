"""The interpretation of the figures, kept apart from the code that renders them.

Written from the run of 2026-11-22 and the one-off investigations made beside it (py-spy
profiles of the qcluster tree, and experiments with the recommended fixes applied as
monkeypatches through TASK_JOB_MODULES and a settings override, never as project code).
Re-read it when the figures above move.
"""

ANALYSIS = """
## Interpretation

**Read this with its date.** The throughput part below was written on 2026-11-22, about an
engine that has since been replaced: there is no dispatcher, advisory lock or slot count
any more (the task table is the queue, claimed by each cluster's pusher: docs/tasks.md),
starts are one statement on PostgreSQL, and outcomes are written in batches by the
cluster's closer. Its recommendations are history; the tables above are current.

### Throughput (2026-11-22): target missed by a wide margin

Where it stands (run of 2026-11-22 15:31 UTC): tracked keeps 13% of bare on PostgreSQL +
Redis (64 vs ~496 tasks/s) and 11-14% on the embedded default (75-99 vs ~690), at 13.0 ms
(PostgreSQL) / 9.4 ms (SQLite) of client CPU per tracked no-op against 2.1-2.5 / 1.5-2.0 ms
bare. The first session's 29% was against a bare run that measured 246 tasks/s at 4.9 ms
per job on a loaded machine; bare now does twice that on the same code, tracked about the
same, so the ratio fell. The fixes recommended below (items 1, 2 and 6, the fixed-SQL
dispatcher of 3, and closing the attempt's ledger record in the completion transaction)
are in. What is left is the number of statements per tracked task, ~14 in 3-4
transactions against none for bare.

**Experiment, 2026-11-22 15:35 UTC: a worker runs its successor itself.** When an attempt
ends, the completion transaction also claims the next ready task (same ordered query, so
strict priority holds; the slot passes from one task to the next and is never seen free)
and the worker runs it at once instead of handing it to django-q2 (diff in the session
note; not shipped). Same run, same machine: SQLite + ORM 75 -> 218-233 tasks/s (11% ->
30-33% of bare; CPU per job 9.4 -> 4.3 ms), PostgreSQL + Redis 64 -> 62-78 tasks/s (13% ->
14%; CPU 13.0 -> 10.5 ms). On PostgreSQL the hand-off was not the limit: a py-spy profile
of the worker shows 60% of its time in the start and completion transactions, most of it
waiting for PostgreSQL to answer ~14 round trips a task on two cores it shares with the
workers. Shipping it would also need django-q2's per-message hard timeout replaced for
chained attempts (its SIGALRM and the guard's timer are armed once per message).

**What 80% takes.** At ~500 bare tasks/s, 80% leaves ~2.5 ms of CPU per tracked task,
creation included, on two cores shared with the database. The tracking this issue asks for
is at least a task INSERT, a start (status + `task_started` event), an end (status +
`task_completed` event + the attempt's ledger record), each visible when it happens
(live progress, the API, cancellation): ~6 statements and 2-3 commits per task, which at
~0.15-0.3 ms a round trip plus Django's ORM is 5-10 ms today and perhaps 3-4 ms with a raw
SQL hot path and chaining (an estimated 40-50% of bare). Beyond that the writes have to be
batched across tasks (write-behind: starts and completions of many short tasks committed
together, events visible a few ms later, at-least-once on SIGKILL), which changes what
"tracked" promises. That is a product decision, not an optimisation.

The first run's analysis, kept for its measurements: tracking kept 10-13% of bare
django-q2's throughput with `MAX_CONCURRENT_TASKS` equal to
the worker count, and about 25% on the ORM broker with four times as many slots: far from 80%.
This is not noise: the CPU-per-job column, which a busy neighbour barely moves, says a
tracked no-op costs about 32-39 ms of client-side CPU against 4.5-5.5 ms for a bare one on
PostgreSQL + Redis (7x, before counting the server's own work) and 11-12 ms on SQLite (3x;
bare pays SQLite reconnects there, see 3). Three things add up.

**1. The broker is never kept fed.** The dispatcher hands django-q2 a task only when a
slot is free, so with slots = workers every hand-off is serial: completion commit ->
dispatch transaction -> enqueue -> pusher -> worker -> start transaction. On Redis that
costs a median 30-35 ms between "dispatched" and "started". On the ORM broker django-q2's
pusher sleeps `poll` (0.1 s) whenever it finds the queue empty, which with just-in-time
dispatch is every time, so "dispatched -> started" is ~95 ms and throughput is pinned at
about workers / (poll + run) = 2 / 0.105 s = 19 tasks/s, as measured. Four times as many
slots keeps the ORM queue non-empty and doubles throughput; on PostgreSQL + Redis it did
not help (one-off: 13.8 and 27 tasks/s against 24.6 and 32 with 2 slots) because there the
limit is CPU, not hand-off latency.

**2. The per-task work on the worker's critical path.** For one tracked no-op the worker
runs, besides the job: a new database connection (PostgreSQL with `DB_POOL=0` has
`CONN_MAX_AGE=0`, and django-q2 closes old connections before every task: 5-10 ms here,
see Machine); the start transaction (SELECT ... FOR UPDATE, UPDATE, event INSERT, COMMIT);
a dispatch after the start, which can free no slot (advisory lock, COUNT, COMMIT: wasted,
and every other dispatcher queues behind its lock); the attempt's ledger record; the completion
transaction (SELECT ... FOR UPDATE, UPDATE, event INSERT, COMMIT); the dispatch for the
successor (lock, COUNT, SELECT ... FOR UPDATE SKIP LOCKED, UPDATE, COMMIT); and
`async_task()`, which builds a new Redis client per call (`get_broker()`), i.e. a TCP
connect per task (3-8 ms here). That is ~20 statements in 5 transactions plus two connects,
where the bare job has none, on a VM where one loopback round trip costs ~0.4 ms. In the
SQLite profile `tasks/dispatch.py` alone was ~40% of the worker's time per task, two thirds
of it in Python compiling the ORM queries (the ready-task queryset with its prerequisite
subquery), not in SQLite. The creating side pays too: every `task_create()` runs a whole
dispatch transaction in the caller even when no slot is free, so 2,000 creates took ~28 s
on PostgreSQL, competing with the workers for the advisory lock.

**3. Connection churn on the embedded default.** SQLite runs with `CONN_MAX_AGE=0`, and
django-q2's ORM broker calls `close_old_connections()` on every broker call, so the pusher
reconnects to SQLite twice per dequeue poll and a worker reconnects after each enqueue;
Django's SQLite connect (two PRAGMAs, ~30 registered functions) is about a millisecond
here. This hurts bare django-q2 as much as TaskLedger: with `CONN_MAX_AGE=None` bare went
from ~100-165 to 330-500 tasks/s and from ~11 to 3-4 ms CPU per job (one-off). All writes
also serialise on SQLite's one write lock (every transaction is BEGIN IMMEDIATE).

What fixing some of this buys (one-off, 1,000 jobs, 2 workers, same machine):

| setting | tasks/s | CPU per job |
| --- | ---: | ---: |
| PostgreSQL + Redis as shipped (`DB_POOL=0` in qcluster), 2 slots | 20.0 | |
| + persistent connections in qcluster | 29.8 | |
| + cached broker, no dispatch on start | 37.6 | |
| + 8 slots | 46.7 | |
| bare, same run (before / after) | 207 / 289 | |
| SQLite + ORM as shipped, 2 slots | 19.2 | 34.3 ms |
| `Q_POLL=0.01` | 37.2 | 32.8 ms |
| + cached broker, no dispatch on start | 41.3 | 29.3 ms |
| + `CONN_MAX_AGE=None` | 44.8 | 22.1 ms |
| bare with `CONN_MAX_AGE=None` (before / after) | 327 / 502 | 4.2 / 2.9 ms |

Bare django-q2 itself is bounded here by its producer: `async_task()` reconnects to Redis
on every call, and the enqueue loop takes nearly the whole run ("creating / enqueueing
took"), which is why bare does 190-290 tasks/s on this VM against the ~540 of DESIGN.md's
reference machine. The cheap fixes double tracked throughput, and tracking is still at
10-20% of bare: 80% needs the tracked no-op's ~20 ms of client CPU cut to a few ms, i.e. a
handful of statements per task instead of ~20, and no ORM query compilation on the hot
path.

Recommendations, most effect first:

1. `tasks/transitions.py`: call `dispatch_after_commit()` only for transitions that free
   a slot or make work ready (to completed, failed, cancelled, pending), not for pending ->
   processing. Saves a transaction and an advisory-lock acquisition per task.
2. `tasks/dispatch.py` `_enqueue()`: pass a broker created once per process
   (`async_task(..., broker=...)`, re-created after fork, keyed by `os.getpid()`), saving a
   Redis connect per task.
3. `tasks/dispatch.py` `dispatch()`: claim in one statement,
   `UPDATE tasks_task SET dispatch_token=%s, dispatched_at=%s WHERE id IN (SELECT id ...
   ORDER BY priority DESC, created_at, id LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING id,
   task_id, timeout_seconds`, as fixed SQL (no ORM compilation); count slots with a raw
   COUNT served by a partial index on exactly the slot predicate (`status = 'processing' OR
   (status = 'pending' AND dispatch_token <> '')`; today it reads every pending row, 0.5 ms
   per 2,000 pending, growing with the backlog).
4. `tasks/runner.py`: start with one `UPDATE ... WHERE id = %s AND status = 'pending' AND
   dispatch_token = %s RETURNING ...` instead of SELECT FOR UPDATE + save; and claim the
   successor inside the completion transaction (one COMMIT and one lock fewer per task,
   enqueue after commit).
5. `tasks/dispatch.py`: keep the broker primed: hand out up to `Q_WORKERS` + a small
   prefetch (one per worker) while `MAX_CONCURRENT_TASKS` caps the *processing* rows; a
   prefetch only delays a later higher-priority task by the prefetch depth. On the ORM
   broker this is the 2x in the table above.
6. Settings (outside this brief's files, but the largest single wins): SQLite
   `CONN_MAX_AGE=None`; qcluster on PostgreSQL with persistent connections instead of the
   pool (next section); `Q_POLL` around 0.02 on the ORM broker (a poll is a cheap read once
   connections persist).

### Connection pool and fork (a correctness bug, found by this benchmark)

With the default `DB_POOL=1` on PostgreSQL, a tracked throughput run started corrupting
database connections once workers were being recycled, and then crawled: 1,055 of 2,000
tasks in 240 s, with `ProgrammingError: the last operation didn't produce records (command
status: BEGIN)`, `can't change 'autocommit' now: connection in transaction status
INTRANS`, `Save with update_fields did not affect any rows`, the sentinel's "Could not
create task from schedule", and tasks recovered by the reaper as "worker lost". The same
psycopg connection object (same address) was logged by the sentinel and by a worker.
Cause: Django keeps its pools in the class attribute `DatabaseWrapper._connection_pools`.
The sentinel uses the database for the scheduler (every 30 s); before forking a
replacement worker (`recycle=500`, or after a timeout kill) django-q2 calls
`db.connections.close_all()` precisely so that no connection crosses the fork, but with a
pool that only returns the connection to the pool, still open, and the child inherits the
pool with its socket: several processes then talk over one PostgreSQL session. Fix: give
qcluster processes persistent connections instead of the pool (the pool is only needed
under ASGI; `CONN_MAX_AGE` with `CONN_HEALTH_CHECKS` suits long-lived workers), or drop
inherited pools in an `os.register_at_fork(after_in_child=...)` hook without closing them
(closing would end the parent's session). The benchmark runs qcluster with `DB_POOL=0`,
which is correct but reconnects for every task.

### Latency

POST -> started p50 is 15 ms on PostgreSQL + Redis and 19 ms on SQLite + ORM (run of
15:31 UTC), p95 27 / 36 ms: the dispatch runs in the request's on-commit hook, so the
worker has usually started the job before the response is sent (POST response p50 20 /
15 ms). The first run measured ~45 ms and ~95 ms; since then the broker client is kept per
process, the dispatcher is fixed SQL and the ORM broker polls every 0.02 s.

### Progress reporting: targets met

A report costs ~3-4 us of the job's CPU in place (~2 us in isolation), so 100,000
reports add 12-18% to a job doing ~25 us of work per step (a 32 KiB SHA-256 here): within
1.2x. The target holds for any job doing at least ~20 us of work per report; a job that
reports after every ~5 us of work pays 1.6x. Rows written are bounded by time, not by
reports: one event plus one row update per `TASK_PROGRESS_INTERVAL` (0.25 s) and a
heartbeat UPDATE every 2 s, ~33 rows for a 3 s job against 7 for the silent one. A
lighter fast path in `tasks/progress.py` (one clock read per report instead of two:
`check()` and `_report()` each call `time.monotonic()`; no re-validation of values that did
not change) would trim the per-report cost further, but it meets the target as it is.
"""
