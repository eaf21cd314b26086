import logging
import os
import signal
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_q.cluster import Cluster
from django_q.management.commands.qcluster import Command as DjangoQClusterCommand

from tasks.clusters import cluster_heartbeat_beat, cluster_heartbeat_remove
from tasks.dispatch import dispatch
from tasks.reaper import reap

logger = logging.getLogger("tasks.tick")


class Command(DjangoQClusterCommand):
    help = (
        "Starts a django-q2 cluster, and in its otherwise idle main process TaskLedger's "
        "dispatcher tick (delayed retries, crash and timeout recovery) every "
        "TASK_TICK_SECONDS."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-tick", action="store_true",
            help="Run the cluster without TaskLedger's dispatcher tick (benchmarks only).",
        )

    def handle(self, *args, **options):
        settings.SECRET_KEY  # noqa: B018  (django-q2 signs tasks with it)
        if options.get("cluster_name"):
            os.environ["Q_CLUSTER_NAME"] = options["cluster_name"]
        # django-q2 stops the cluster from inside its signal handler by setting an Event
        # the sentinel waits on; if the same signal already killed the sentinel (SIGTERM
        # to the whole process group, as systemd and `timeout` send), Event.set() waits
        # forever for the dead waiter. So signals are only noted here, from before the
        # cluster starts, and the cluster is stopped outside the handler while alive.
        cluster = Cluster()
        stopping = []
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda number, frame: stopping.append(number))
        try:
            cluster.start()
        except RuntimeError:
            if stopping:  # the signal ended the sentinel while it was starting
                return
            raise
        if options.get("run_once"):
            cluster.stop()
            return
        started_at = timezone.now()
        while cluster.sentinel.is_alive() and not stopping:
            if not options.get("no_tick"):
                self._tick(started_at)
            time.sleep(settings.TASK_TICK_SECONDS)
        time.sleep(0.2)  # a group-wide signal may still be ending the sentinel
        if cluster.sentinel.is_alive():
            cluster.stop()
        self._forget()
        connection.close()

    @staticmethod
    def _tick(started_at) -> None:
        try:
            cluster_heartbeat_beat(started_at=started_at)
            reap()
            dispatch()
        except Exception:
            logger.exception("dispatcher tick failed; retrying next tick")
            connection.close()
        close_old_connections()

    @staticmethod
    def _forget() -> None:
        try:
            cluster_heartbeat_remove()
        except Exception:
            logger.exception("could not remove this cluster's heartbeat; it will age out")
