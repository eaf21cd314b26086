import logging
import os
import signal
import time

from django.conf import settings
from django.core.management import CommandError
from django.db import close_old_connections, connection
from django.utils import timezone
from django_q.cluster import Cluster
from django_q.management.commands.qcluster import Command as DjangoQClusterCommand

from tasks.clusters import cluster_heartbeat_beat, cluster_heartbeat_remove
from tasks.reaper import reap
from tasks.sentinel import install as sentinel_install
from tasks.subreaper import become_subreaper, orphans_end

logger = logging.getLogger("tasks.tick")

# A sentinel that dies more often than this is being killed on sight: stop restarting it.
RESTART_LIMIT, RESTART_WINDOW = 5, 60


class Command(DjangoQClusterCommand):
    help = (
        "Starts a django-q2 cluster whose pusher claims tasks from TaskLedger's task table, "
        "and in its otherwise idle main process TaskLedger's tick (cluster heartbeat, crash "
        "and timeout recovery) every TASK_TICK_SECONDS."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-tick", action="store_true",
            help="Run the cluster without TaskLedger's tick (benchmarks only).",
        )

    def handle(self, *args, **options):
        settings.SECRET_KEY  # noqa: B018  (django-q2 signs tasks with it)
        if options.get("cluster_name"):
            os.environ["Q_CLUSTER_NAME"] = options["cluster_name"]
        state = sentinel_install()
        become_subreaper()
        # django-q2 stops the cluster from inside its signal handler by setting an Event
        # the sentinel waits on; if the same signal already killed the sentinel (SIGTERM
        # to the whole process group, as systemd and `timeout` send), Event.set() waits
        # forever for the dead waiter. So signals are only noted here, from before the
        # cluster starts, and the cluster is stopped outside the handler while alive.
        stopping, self.restarts, self.restarted = [], [], 0
        cluster = self._start(stopping)
        if cluster is None:
            return
        if options.get("run_once"):
            cluster.stop()
            return
        started_at = timezone.now()
        while not stopping:
            if not cluster.sentinel.is_alive():
                cluster = self._restart(cluster, stopping)
                if cluster is None:
                    break
            if not options.get("no_tick"):
                self._tick(started_at, state, restarts=self.restarted)
            time.sleep(settings.TASK_TICK_SECONDS)
        time.sleep(0.2)  # a group-wide signal may still be ending the sentinel
        if cluster is not None and cluster.sentinel.is_alive():
            cluster.stop()
        orphans_end(keep=set())
        self._forget()
        connection.close()

    def _start(self, stopping: list) -> Cluster | None:
        """Start a cluster; one whose sentinel dies while starting is started again."""
        while True:
            cluster = Cluster()  # installs django-q2's handlers; ours replace them
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda number, frame: stopping.append(number))
            try:
                cluster.start()
                return cluster
            except RuntimeError as exc:
                if stopping:  # the signal ended the sentinel while it was starting
                    return None
                logger.critical("%s; starting it again", exc)
                orphans_end(keep=set())
                self._count_restart()

    def _restart(self, dead: Cluster, stopping: list) -> Cluster | None:
        """The sentinel died: end what it left behind and start a fresh cluster."""
        time.sleep(0.5)  # a signal to the whole group ends the sentinel first: wait for ours
        if stopping:
            return None
        logger.critical("the cluster's sentinel %s died (exit code %s); restarting the cluster",
                        dead.sentinel.pid, dead.sentinel.exitcode)
        orphans_end(keep=set())
        self._count_restart()
        connection.close()  # the fork must not share this process's connection
        return self._start(stopping)

    def _count_restart(self) -> None:
        """More than RESTART_LIMIT restarts in RESTART_WINDOW seconds means something kills
        the sentinel on sight: exit non-zero, and leave the remedy to the supervisor."""
        now = time.monotonic()
        self.restarts[:] = [moment for moment in self.restarts if now - moment < RESTART_WINDOW]
        self.restarts.append(now)
        self.restarted += 1
        if len(self.restarts) > RESTART_LIMIT:
            self._forget()
            raise CommandError(
                f"the cluster's sentinel died {len(self.restarts)} times in {RESTART_WINDOW} s; "
                "giving up (see the log above)")

    @staticmethod
    def _tick(started_at, state, *, restarts: int) -> None:
        try:
            cluster_heartbeat_beat(started_at=started_at, state=state, restarts=restarts)
            reap()
            __import__("schedules.services").services.schedules_fire()  # docs/schedules.md
        except Exception:
            logger.exception("tick failed; retrying next tick")
            connection.close()
        close_old_connections()

    @staticmethod
    def _forget() -> None:
        try:
            cluster_heartbeat_remove()
        except Exception:
            logger.exception("could not remove this cluster's heartbeat; it will age out")
