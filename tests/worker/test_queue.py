"""The queue without a worker process (SQLite and PostgreSQL): recovering a dead
worker's task, retries, the e-mail task's receipt, and the queue's admin."""

import smtplib
from datetime import timedelta
from unittest import mock

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.tasks import TaskResultStatus, default_task_backend
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article, Event
from articles.notifications import send_transition_mail
from articles.purges import purge_proxies
from articles.tasks import build_renditions
from newsroom.worker import retry
from newsroom.worker.models import MAX_CLAIMS, QueuedTask, Receipt, WorkerProcess
from tests.factories import make_article, make_editor, make_photo, make_reporter, make_user

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def running_task(*worker_ids):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, task_path="articles.tasks.build_renditions",
        args_kwargs={"args": [1], "kwargs": {}}, backend_name="default",
        worker_ids=list(worker_ids), started_at=timezone.now(),
    )


def worker(worker_id, seconds_ago=0, stopped=False):
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    return WorkerProcess.objects.create(
        worker_id=worker_id, host="app1", pid=1, seen_at=seen, stopped_at=seen if stopped else None
    )


@override_settings(NEWSROOM_WORKER_HEARTBEAT_SECONDS=10)
class RecoveryTests(TestCase):
    def test_the_task_of_a_silent_or_stopped_worker_goes_back_to_the_queue(self):
        worker("silent", seconds_ago=31)
        worker("stopped", stopped=True)
        worker("alive", seconds_ago=5)
        lost, stopped, busy = running_task("silent"), running_task("stopped"), running_task("alive")
        unknown = running_task("plain-db-worker")  # no heartbeat row: nothing says it died
        self.assertEqual(QueuedTask.objects.recover(), 2)
        for task, status in [(lost, "READY"), (stopped, "READY"), (busy, "RUNNING"),
                             (unknown, "RUNNING")]:
            task.refresh_from_db()
            self.assertEqual(task.status, status, task.worker_ids)
        self.assertEqual(QueuedTask.objects.recover(), 0)

    def test_a_task_that_killed_too_many_workers_fails(self):
        ids = [f"w{n}" for n in range(MAX_CLAIMS)]
        for worker_id in ids:
            worker(worker_id, seconds_ago=60)
        task = running_task(*ids)
        self.assertEqual(QueuedTask.objects.recover(), 0)
        task.refresh_from_db()
        self.assertEqual(task.status, TaskResultStatus.FAILED)
        self.assertEqual(task.exception_class_path, "newsroom.worker.models.WorkerLost")


class RetryTests(TestCase):
    def test_no_retry_in_the_request_or_after_the_last_attempt(self):
        self.assertFalse(retry.retry_later(purge_proxies, ["home"], [], attempt=1))  # immediate
        with override_settings(TASKS=DUMMY):
            self.assertFalse(retry.retry_later(purge_proxies, ["home"], [], attempt=5))
            self.assertEqual(default_task_backend.results, [])

    @override_settings(TASKS=DUMMY)
    def test_a_storage_failure_queues_the_next_attempt_later(self):
        with self.captureOnCommitCallbacks(execute=True):
            photo = make_photo()
        default_task_backend.clear()
        with (
            mock.patch("articles.renditions.ensure", side_effect=OSError("disk full")),
            self.assertRaises(OSError),
        ):
            build_renditions.call(photo.pk, attempt=2)
        [later] = default_task_backend.results
        self.assertEqual((later.args, later.kwargs), ([photo.pk], {"attempt": 3}))
        self.assertGreater(later.task.run_after, timezone.now() + timedelta(seconds=20))  # 30 s


class BrokenMail(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server went away")


class TransitionMailTests(TestCase):
    def setUp(self):
        reporter, editor = make_reporter(), make_editor()
        article = make_article(created_by=reporter)
        self.event = Event.objects.create(
            article=article, action="publish", actor=editor,
            from_status=Article.Status.APPROVED, to_status=Article.Status.PUBLISHED,
        )

    def test_sent_once_however_often_the_task_runs(self):
        self.assertEqual(send_transition_mail.call(self.event.pk), 1)
        self.assertEqual(send_transition_mail.call(self.event.pk), 0)
        self.assertEqual(len(mail.outbox), 1)
        self.assertTrue(Receipt.objects.filter(key=f"transition-mail-{self.event.pk}").exists())

    @override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.BrokenMail"}}, TASKS=DUMMY)
    def test_a_failed_send_keeps_no_receipt_and_is_retried(self):
        with self.assertRaises(smtplib.SMTPServerDisconnected):
            send_transition_mail.call(self.event.pk)
        self.assertFalse(Receipt.objects.exists())
        [later] = default_task_backend.results
        self.assertEqual((later.args, later.kwargs), ([self.event.pk], {"attempt": 2}))

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    def test_the_workflow_queues_the_mail_after_commit(self):
        article = make_article(status=Article.Status.DRAFT, created_by=make_reporter())
        with self.captureOnCommitCallbacks(execute=True):
            article.submit(by=article.created_by)
        queued = DBTaskResult.objects.get(task_path="articles.notifications.send_transition_mail")
        event = Event.objects.get(article=article, action="submit")
        self.assertEqual(queued.args_kwargs, {"args": [event.pk], "kwargs": {}})  # JSON
        self.assertEqual(mail.outbox, [])  # the worker sends it


class QueueAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.failed = DBTaskResult.objects.create(
            status=TaskResultStatus.FAILED, task_path="articles.purges.purge_proxies",
            args_kwargs={"args": [["home"], ["http://10.0.0.9/"]], "kwargs": {"attempt": 2}},
            backend_name="default", exception_class_path="articles.purges.PurgeFailed",
            traceback="Traceback…\narticles.purges.PurgeFailed: http://10.0.0.9/: timed out",
            finished_at=timezone.now(),
        )
        cls.waiting = DBTaskResult.objects.create(
            task_path="articles.tasks.build_renditions", backend_name="default",
            args_kwargs={"args": [5], "kwargs": {}},
        )
        cls.superuser = make_user(is_superuser=True)
        cls.editor = make_editor()
        cls.operator = make_user()
        cls.operator.user_permissions.add(
            Permission.objects.get(codename="view_queuedtask", content_type__app_label="worker")
        )

    def test_superusers_and_operators_see_pending_and_failed_tasks(self):
        url = reverse("admin:worker_queuedtask_changelist")
        for user in (self.superuser, self.operator):
            self.client.force_login(user)
            page = self.client.get(url).content.decode()
            self.assertIn("Đang chờ", page)
            self.assertIn("Thất bại", page)
            self.assertIn("PurgeFailed", page)
            for label in ("Tác vụ", "Trạng thái", "Lần thử", "Xếp hàng lúc", "Xong lúc", "Lỗi"):
                self.assertIn(label, page)  # Vietnamese, not the library's English labels
            self.assertNotIn("enqueued at", page.lower())
            failed = self.client.get(url, {"status": "FAILED"}).content.decode()
            self.assertIn("purge_proxies", failed)
            self.assertNotIn("build_renditions", failed)
            detail = self.client.get(
                reverse("admin:worker_queuedtask_change", args=[self.failed.pk])
            ).content.decode()
            self.assertIn("http://10.0.0.9/: timed out", detail)
            self.assertNotIn('name="_save"', detail)  # read-only

    def test_hidden_from_editors_and_never_editable(self):
        self.assertNotIn(DBTaskResult, admin.site._registry)  # the library's admin: replaced
        self.client.force_login(self.editor)
        self.assertEqual(
            self.client.get(reverse("admin:worker_queuedtask_changelist")).status_code, 403
        )
        self.assertNotIn(b"worker/queuedtask", self.client.get(reverse("admin:index")).content)
        self.client.force_login(self.superuser)
        self.assertEqual(self.client.get(reverse("admin:worker_queuedtask_add")).status_code, 403)
        response = self.client.post(
            reverse("admin:worker_queuedtask_delete", args=[self.failed.pk]), {"post": "yes"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(DBTaskResult.objects.filter(pk=self.failed.pk).exists())

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    def test_an_operator_reruns_a_failed_task_from_its_first_attempt(self):
        url = reverse("admin:worker_queuedtask_changelist")
        self.client.force_login(self.operator)  # may view, not rerun: no action offered
        self.assertNotIn(b'value="rerun"', self.client.get(url).content)
        self.operator.user_permissions.add(
            Permission.objects.get(codename="rerun_queuedtask", content_type__app_label="worker")
        )
        self.assertIn(b'value="rerun"', self.client.get(url).content)
        response = self.client.post(url, {
            "action": "rerun", "_selected_action": [self.failed.pk, self.waiting.pk],
        }, follow=True)
        self.assertContains(response, "Đã xếp lại 1 tác vụ vào hàng đợi.")
        again = DBTaskResult.objects.exclude(pk__in=[self.failed.pk, self.waiting.pk]).get()
        self.assertEqual(again.status, TaskResultStatus.READY)
        self.assertEqual(again.task_path, "articles.purges.purge_proxies")
        self.assertEqual(again.args_kwargs, {"args": [["home"], ["http://10.0.0.9/"]],
                                             "kwargs": {"attempt": 1}})

    def test_the_workers_with_their_heartbeat(self):
        worker("app1-worker", seconds_ago=1)
        self.client.force_login(self.superuser)
        page = self.client.get(reverse("admin:worker_workerprocess_changelist")).content.decode()
        self.assertIn("app1-worker", page)
        self.assertIn("icon-yes", page)
