"""What the worker keeps besides the library's queue table (``django_tasks_db``):

* ``QueuedTask``: the queue's rows under Vietnamese names, for the admin;
* ``WorkerProcess``: one row per running ``manage.py run_worker``, its heartbeat.
  The library marks a task RUNNING when a worker claims it and nothing else: a
  worker killed mid-task (SIGKILL, OOM, a machine lost) would leave it RUNNING for
  ever. A worker whose heartbeat is older than three periods is dead, and the
  next worker puts its task back in the queue (``QueuedTask.objects.recover``);
* ``Receipt``: proof that a once-only effect (an e-mail) happened, so a task run
  again does not repeat it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

# A task claimed this many times (its workers all died) is given up as failed:
# a photo that kills every worker that opens it must not loop for ever.
MAX_CLAIMS = 5


def heartbeat_period():
    return timedelta(seconds=settings.NEWSROOM_WORKER_HEARTBEAT_SECONDS)


class WorkerLost(Exception):
    """Stored as the error of a task whose workers died too often."""


class QueuedTaskQuerySet(DBTaskResultQuerySet):
    def abandoned(self):
        """RUNNING tasks whose last worker is gone: stopped, or silent for three
        heartbeat periods. Tasks of a worker that never wrote a heartbeat (the
        library's plain ``db_worker``) are left alone: nothing says it is dead."""
        silent = timezone.now() - 3 * heartbeat_period()
        dead = WorkerProcess.objects.filter(
            models.Q(stopped_at__isnull=False) | models.Q(seen_at__lt=silent)
        ).values_list("worker_id", flat=True)
        dead = set(dead)
        return [
            task
            for task in self.running().only("id", "worker_ids")
            if task.worker_ids and task.worker_ids[-1] in dead
        ]

    def recover(self):
        """Put the abandoned tasks back in the queue (or fail them after
        ``MAX_CLAIMS`` claims). Returns how many were put back."""
        put_back = 0
        for found in self.abandoned():
            with transaction.atomic():
                task = (
                    self.select_for_update(skip_locked=True)
                    .filter(pk=found.pk, status=TaskResultStatus.RUNNING)
                    .first()
                )
                if task is None or task.worker_ids != found.worker_ids:
                    continue  # another worker recovered it meanwhile
                if len(task.worker_ids) >= MAX_CLAIMS:
                    task.set_failed(WorkerLost(f"{len(task.worker_ids)} workers died running it"))
                    continue
                task.status = TaskResultStatus.READY
                task.save(update_fields=["status"])
                put_back += 1
        return put_back


class QueuedTask(DBTaskResult):
    """A row of the task queue (the library's model, named for the admin)."""

    objects = QueuedTaskQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("tác vụ nền")
        verbose_name_plural = _("tác vụ nền")
        permissions = [("rerun_queuedtask", _("Có thể chạy lại tác vụ nền"))]

    def __str__(self):
        return f"{self.task_path.rsplit('.', 1)[-1]} ({self.pk})"


class WorkerProcess(models.Model):
    worker_id = models.CharField(_("mã tiến trình"), max_length=64, primary_key=True)
    host = models.CharField(_("máy"), max_length=255)
    pid = models.PositiveIntegerField(_("PID"))
    started_at = models.DateTimeField(_("khởi động lúc"), default=timezone.now)
    seen_at = models.DateTimeField(_("nhịp gần nhất"), default=timezone.now)
    stopped_at = models.DateTimeField(_("dừng lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("tiến trình worker")
        verbose_name_plural = _("tiến trình worker")

    def __str__(self):
        return f"{self.host}:{self.pid}"

    @property
    def alive(self):
        return self.stopped_at is None and self.seen_at >= timezone.now() - 3 * heartbeat_period()


class Receipt(models.Model):
    """A once-only effect that happened: ``key`` names it (``transition-mail-<event>``)."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("biên nhận")
        verbose_name_plural = _("biên nhận")

    def __str__(self):
        return self.key
