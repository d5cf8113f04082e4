"""``manage.py run_worker``: the library's ``db_worker`` with a heartbeat.

Everything ``db_worker`` does and takes (``--queue-name``, ``--interval``,
``--batch``, ``--max-tasks``…) is unchanged. Around it, a thread writes this
worker's heartbeat (``WorkerProcess``) every ``NEWSROOM_WORKER_HEARTBEAT_SECONDS``
and puts back in the queue the tasks of workers that stopped beating (killed
mid-task): ``db_worker`` alone would leave them RUNNING for ever.
"""

import contextlib
import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker

from newsroom.worker.models import QueuedTask, WorkerProcess

logger = logging.getLogger("worker")

# Rows of workers silent for this long are deleted (their tasks were recovered long ago).
FORGET_AFTER = timedelta(days=1)


def beat(worker_id):
    """One heartbeat: this worker is alive; recover the tasks of dead ones."""
    WorkerProcess.objects.filter(pk=worker_id).update(seen_at=timezone.now())
    recovered = QueuedTask.objects.recover()
    if recovered:
        logger.warning("Put back %d task(s) of a worker that died", recovered)
    WorkerProcess.objects.filter(seen_at__lt=timezone.now() - FORGET_AFTER).delete()


def _beat_forever(worker_id, stop):
    try:
        while not stop.wait(settings.NEWSROOM_WORKER_HEARTBEAT_SECONDS):
            try:
                beat(worker_id)
            except DatabaseError as error:  # the database is away: try again next period
                logger.warning("Worker heartbeat failed: %s", error)
    finally:
        connection.close()


@contextlib.contextmanager
def heartbeat(worker_id):
    now = timezone.now()
    WorkerProcess.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": now,
                  "seen_at": now, "stopped_at": None},
    )
    beat(worker_id)
    stop = threading.Event()
    thread = threading.Thread(target=_beat_forever, args=(worker_id, stop), daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
        WorkerProcess.objects.filter(pk=worker_id).update(stopped_at=timezone.now())


class Command(db_worker.Command):
    @property
    def help(self):
        return _("Chạy worker tác vụ nền (db_worker của django-tasks-db, kèm nhịp tim).")

    def handle(self, *args, **options):
        with heartbeat(options["worker_id"]):
            super().handle(*args, **options)
