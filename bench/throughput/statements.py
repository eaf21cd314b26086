"""Driver: SQL statements per tracked no-op, counted along the path a cluster takes
(`make bench`, scenario `throughput`).

    python -m bench.throughput.statements --count 400

In this process, as a cluster does it: `task_create`, a claim of `Q_WORKERS` tasks at a
time (the pusher), each attempt started and run (a worker, tasks.runner.attempt_run), and
the outcomes written in batches of B (the closer, tasks.outcomes), for several B. Every
statement sent to the database is counted, the live pushes' cost reads included (Redis
mode); transaction control (BEGIN, SAVEPOINT, COMMIT) is not, and is reported as commits.
"""
import argparse
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench.harness.processes import emit_result  # noqa: E402
from tasks.dispatch import claim  # noqa: E402
from tasks.outcomes import outcomes_close  # noqa: E402
from tasks.live.push import pusher  # noqa: E402
from tasks.runner import attempt_run  # noqa: E402
from tasks.services import task_create  # noqa: E402

BATCH_SIZES = (1, 2, 4, 8, 32)
_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK")


class Counter:
    def __init__(self):
        self.statements = {"create": 0, "claim": 0, "start": 0, "close": 0}
        self.commits = dict.fromkeys(self.statements, 0)
        self.phase = "create"

    def __call__(self, execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith(_CONTROL):
            self.statements[self.phase] += 1
        return execute(sql, params, many, context)


def _measure(count: int, batch: int) -> dict:
    counter = Counter()
    commit = connection.commit

    def counted_commit():
        counter.commits[counter.phase] += 1
        return commit()

    connection.commit = counted_commit
    try:
        with connection.execute_wrapper(counter):
            for _ in range(count):
                task_create(kind="bench.noop", params={})
            outcomes = []
            while True:
                counter.phase = "claim"
                claims = claim(settings.Q_CLUSTER["workers"], owner="bench")
                if not claims:
                    break
                counter.phase = "start"
                outcomes += [attempt_run(task_pk=c.pk, token=c.token, kind=c.kind) for c in claims]
            counter.phase = "close"
            for start in range(0, len(outcomes), batch):
                outcomes_close(outcomes[start:start + batch])
            pusher.flush()
    finally:
        connection.commit = commit
    return {
        "batch": batch,
        "statements_per_task": sum(counter.statements.values()) / count,
        "commits_per_task": sum(counter.commits.values()) / count,
        "by_phase": {phase: round(n / count, 3) for phase, n in counter.statements.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=400)
    options = parser.parse_args()
    emit_result({"runs": [_measure(options.count, batch) for batch in BATCH_SIZES]})


if __name__ == "__main__":
    main()
