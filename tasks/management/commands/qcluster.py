import logging
import os
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django_q.cluster import Cluster
from django_q.management.commands.qcluster import Command as DjangoQClusterCommand

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
            help="Run the bare django-q2 cluster without TaskLedger's dispatcher tick.",
        )

    def handle(self, *args, **options):
        settings.SECRET_KEY  # noqa: B018  (django-q2 signs tasks with it)
        if options.get("cluster_name"):
            os.environ["Q_CLUSTER_NAME"] = options["cluster_name"]
        cluster = Cluster()
        cluster.start()
        if options.get("run_once"):
            cluster.stop()
            return
        if options.get("no_tick"):
            return
        while cluster.sentinel.is_alive():
            try:
                reap()
                dispatch()
            except Exception:
                logger.exception("dispatcher tick failed; retrying next tick")
                connection.close()
            close_old_connections()
            time.sleep(settings.TASK_TICK_SECONDS)
        connection.close()
