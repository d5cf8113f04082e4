"""Scheduled articles: visible at their time because visibility is a query;
``publish_scheduled`` only does the side effects, once."""

import threading
from datetime import timedelta
from io import StringIO
from unittest import mock, skipUnless

from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from articles import roles
from articles.models import Article, Event
from tests.factories import add_credit, make_article, make_user


def clock_at(moment):
    """Move the clock everything reads through ``timezone.now()``."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def run_command(*args):
    out = StringIO()
    call_command("publish_scheduled", *args, stdout=out)
    return out.getvalue()


class PublishScheduledTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_user("phongvien", email="phongvien@example.com")
        cls.reporter.groups.add(Group.objects.get(name=roles.REPORTERS))
        cls.editor = make_user("bientap", email="bientap@example.com")
        cls.editor.groups.add(Group.objects.get(name=roles.EDITORS))

    def setUp(self):
        # Through the workflow, as the newsroom does it: write, submit, approve, schedule.
        self.at = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
        self.article = make_article(
            headline="Khai mạc lễ hội",
            status=Article.Status.DRAFT,
            published_at=None,
            created_by=self.reporter,
            tags=["Lễ hội"],
        )
        add_credit(self.article)
        self.article.record_revision(self.reporter)
        self.article.submit(by=self.reporter)
        self.article.approve(by=self.editor)
        self.article.publish(by=self.editor, at=self.at)
        self.assertEqual(self.article.status, Article.Status.SCHEDULED)
        mail.outbox.clear()

    def test_visible_at_its_time_without_any_job(self):
        url = self.article.get_absolute_url()
        self.assertNotIn(self.article, Article.objects.published())
        self.assertEqual(self.client.get(url).status_code, 404)

        self.assertNotIn(self.article, Article.objects.published(at=self.at - timedelta(seconds=1)))
        self.assertIn(self.article, Article.objects.published(at=self.at))
        with clock_at(self.at):
            self.assertTrue(Article.objects.get(pk=self.article.pk).is_public)
            self.assertContains(self.client.get(url), "Khai mạc lễ hội")
        # Nothing ran: still "scheduled", no event, no e-mail.
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Article.Status.SCHEDULED)
        self.assertFalse(Event.objects.filter(action="publish_scheduled").exists())
        self.assertEqual(mail.outbox, [])

    def test_command_before_the_time_does_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            out = run_command()
        self.assertIn("Đã đăng 0 bài đến giờ hẹn.", out)
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Article.Status.SCHEDULED)
        self.assertEqual(mail.outbox, [])

    def test_command_after_the_time_publishes_once_and_tells_the_author(self):
        version = self.article.version
        with clock_at(self.at + timedelta(minutes=1)):
            with self.captureOnCommitCallbacks() as callbacks:
                out = run_command()
            self.assertEqual(mail.outbox, [])  # nothing is sent before the commit
            for callback in callbacks:
                callback()

            self.assertIn("Đã đăng 1 bài đến giờ hẹn.", out)
            self.article.refresh_from_db()
            self.assertEqual(self.article.status, Article.Status.PUBLISHED)
            self.assertEqual(self.article.published_at, self.at)  # the printed time stays
            self.assertEqual(self.article.first_published_at, self.at)
            self.assertEqual(self.article.version, version + 1)
            event = Event.objects.get(action="publish_scheduled")
            self.assertIsNone(event.actor)
            self.assertEqual(
                (event.from_status, event.to_status),
                (Article.Status.SCHEDULED, Article.Status.PUBLISHED),
            )
            self.assertEqual(len(mail.outbox), 1)
            self.assertEqual(mail.outbox[0].to, ["phongvien@example.com"])
            self.assertIn("Khai mạc lễ hội", mail.outbox[0].subject)

            # Run again (next minute's cron, or a second machine): nothing more.
            with self.captureOnCommitCallbacks(execute=True):
                out = run_command()
        self.assertIn("Đã đăng 0 bài đến giờ hẹn.", out)
        self.assertEqual(Event.objects.filter(action="publish_scheduled").count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_unscheduled_article_is_left_alone(self):
        self.article.unschedule(by=self.editor)
        with clock_at(self.at + timedelta(minutes=1)), self.captureOnCommitCallbacks(execute=True):
            out = run_command()
            self.assertNotIn(self.article, Article.objects.published())
        self.assertIn("Đã đăng 0 bài", out)
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Article.Status.APPROVED)

    def test_dry_run_lists_what_is_due_and_changes_nothing(self):
        later = make_article(
            headline="Bài hẹn ngày mai",
            status=Article.Status.SCHEDULED,
            published_at=self.at + timedelta(days=1),
        )
        with clock_at(self.at + timedelta(minutes=1)), self.captureOnCommitCallbacks(execute=True):
            out = run_command("--dry-run")
        self.assertIn("Khai mạc lễ hội", out)
        self.assertIn(timezone.localtime(self.at).strftime("%d/%m/%Y - %H:%M"), out)
        self.assertNotIn(later.headline, out)
        self.assertIn("1 bài đã đến giờ hẹn.", out)
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Article.Status.SCHEDULED)
        self.assertFalse(Event.objects.filter(action="publish_scheduled").exists())
        self.assertEqual(mail.outbox, [])


@skipUnless(connection.vendor == "postgresql", "SQLite has no row locks; needs PostgreSQL")
class ConcurrentRunnersTests(TransactionTestCase):
    serialized_rollback = True  # keep the roles and groups made by migrations

    def test_two_runners_at_once_publish_each_article_once(self):
        author = make_user("tacgia", email="tacgia@example.com")
        due = timezone.now() - timedelta(minutes=1)
        articles = [
            make_article(status=Article.Status.SCHEDULED, published_at=due, created_by=author)
            for _ in range(10)
        ]
        barrier = threading.Barrier(2)
        published = []

        def runner():
            try:
                barrier.wait()
                published.append(len(Article.objects.publish_due()))
            finally:
                connection.close()

        threads = [threading.Thread(target=runner) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        self.assertEqual(sum(published), 10)
        events = Event.objects.filter(action="publish_scheduled")
        self.assertEqual(events.count(), 10)
        self.assertEqual(
            sorted(events.values_list("article", flat=True)), sorted(a.pk for a in articles)
        )
        self.assertEqual(
            Article.objects.filter(status=Article.Status.PUBLISHED).count(), len(articles)
        )
        self.assertEqual(len(mail.outbox), 10)
