"""The background worker to run beside the site: `db_worker` that outlives a database error.

django-tasks-db's worker stops for good when a poll meets a database error (on SQLite,
"database is locked" while it takes its exclusive transaction), and exports then wait forever.
This command takes the same options, logs the error, closes the connections and polls again
after a back-off that grows from one second to a minute.
"""

import logging
import os
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("healthjustice.reporting.worker")

FIRST_BACK_OFF_SECONDS = 1.0
MAX_BACK_OFF_SECONDS = 60.0


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        back_off = FIRST_BACK_OFF_SECONDS
        while True:
            try:
                super().run()
                return
            except DatabaseError:
                if not self.running:
                    return
                logger.exception(
                    "Database error in the task worker; polling again in %.0f s", back_off
                )
                connections.close_all()
                time.sleep(back_off)
                back_off = min(back_off * 2, MAX_BACK_OFF_SECONDS)


class Command(db_worker.Command):
    help = "Run background tasks, carrying on after a database error (db_worker's options)."

    def handle(self, *, verbosity: int, **options: Any) -> None:
        self.configure_logging(verbosity)
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
