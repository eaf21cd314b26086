"""Claim ready tasks from the task table, best first, for the cluster that will run them.

The task table is the only queue: a cluster's pusher (tasks.broker) claims what its
workers can take, in one statement, and each worker starts its claim in one more. No
claim waits on another cluster's: PostgreSQL skips rows another claim has locked
(`FOR UPDATE SKIP LOCKED`), so N clusters claim at the same time with no lock between them
and nothing counted across the deployment. SQLite has one writer at a time anyway.
"""
import secrets
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from tasks.models import Task
from tasks.registry import GROUP_KIND

# Extra seconds django-q2 allows past a task's own timeout before it kills the worker,
# so the job's cooperative timeout fires first and is recorded cleanly.
HARD_TIMEOUT_GRACE = 5

_TASKS = Task._meta.db_table
_PREREQUISITES = Task.prerequisites.through._meta.db_table

# Claiming runs for every batch a pusher takes, so its statements are fixed SQL rather
# than ORM queries built anew each time. Both are backed by the partial index on ready
# tasks (task_ready_idx).
_READY = f"""
    SELECT t.id FROM {_TASKS} t
    WHERE t.status = 'pending' AND t.dispatch_token = '' AND t.kind <> %s
      AND (t.run_after IS NULL OR t.run_after <= %s)
      AND NOT EXISTS (
          SELECT 1 FROM {_PREREQUISITES} p JOIN {_TASKS} q ON q.id = p.to_task_id
          WHERE p.from_task_id = t.id AND q.status <> 'completed')
    ORDER BY t.priority DESC, t.created_at, t.id
    LIMIT %s"""
# A materialised CTE: PostgreSQL may run an `IN (SELECT ... LIMIT n)` subquery more than
# once within one UPDATE and claim more than n rows.
_CLAIM_POSTGRESQL = f"""
    WITH ready AS MATERIALIZED ({_READY} FOR UPDATE OF t SKIP LOCKED)
    UPDATE {_TASKS} SET dispatch_token = %s, dispatched_at = %s
    FROM ready WHERE {_TASKS}.id = ready.id
    RETURNING {_TASKS}.id, task_id, timeout_seconds, priority, created_at, kind"""
_CLAIM_SQLITE = f"""
    UPDATE {_TASKS} SET dispatch_token = %s, dispatched_at = %s
    WHERE id IN ({_READY}) AND status = 'pending' AND dispatch_token = ''
    RETURNING id, task_id, timeout_seconds, priority, created_at, kind"""
_ANY_READY_SQLITE = f"SELECT 1 FROM ({_READY})"


@dataclass(frozen=True)
class Claim:
    pk: int
    task_id: str
    timeout_seconds: int
    token: str
    kind: str = ""


def claim(limit: int, *, owner: str = "") -> list[Claim]:
    """Claim up to `limit` ready tasks for one cluster, best first.

    `owner` (at most 16 characters) prefixes the claim's dispatch token, so that a cluster
    can release its own claims (tasks.reaper.dispatches_release) and no other's.

    Ready: pending, not claimed, past any backoff delay, every prerequisite completed;
    highest priority first, oldest first within a priority. A claimed task stays pending
    until a worker starts it (tasks.starts.attempt_start); a claim that no worker starts is
    released by the reaper after DISPATCH_STALE_SECONDS.
    """
    if limit <= 0:
        return []
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    ready = [GROUP_KIND, now, limit]
    token = owner[:16] + secrets.token_hex(8)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_CLAIM_POSTGRESQL, [*ready, token, now])
            rows = cursor.fetchall()
        else:
            # A read first: an idle pusher polls, and must not take SQLite's write lock
            # from the web process each time it finds nothing.
            cursor.execute(_ANY_READY_SQLITE, ready)
            if not cursor.fetchall():  # all, so that the read ends before the write begins
                return []
            with transaction.atomic():
                cursor.execute(_CLAIM_SQLITE, [token, now, *ready])
                rows = cursor.fetchall()
    # RETURNING keeps no order: hand the batch out best first.
    rows.sort(key=lambda row: (-row[3], str(row[4]), row[0]))
    return [Claim(pk, task_id, timeout, token, kind) for pk, task_id, timeout, _, _, kind in rows]
