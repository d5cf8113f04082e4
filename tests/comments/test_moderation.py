"""comments.moderation: the one place a comment's status changes. The
article's count follows every transition, in the same transaction, and every
change is logged with who and when."""

from datetime import timedelta
from unittest import mock

from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from comments import moderation
from comments.models import Comment, ModerationEvent
from tests.factories import make_article, make_comment, make_user

Status = Comment.Status


class SetStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_user("kiemduyet")

    def setUp(self):
        self.article = make_article()

    def count(self):
        self.article.refresh_from_db()
        return self.article.comment_count

    def test_create_counts_only_published_comments(self):
        make_comment(self.article, Status.PENDING)
        self.assertEqual(self.count(), 0)
        make_comment(self.article, Status.PUBLISHED)
        self.assertEqual(self.count(), 1)
        make_comment(self.article, Status.REJECTED)
        self.assertEqual(self.count(), 1)

    def test_count_after_every_transition(self):
        comment = make_comment(self.article)
        steps = [
            (Status.PUBLISHED, 1),
            (Status.REJECTED, 0),
            (Status.PUBLISHED, 1),
            (Status.SPAM, 0),
            (Status.PENDING, 0),
            (Status.PUBLISHED, 1),
            (Status.PENDING, 0),
        ]
        for status, expected in steps:
            with self.subTest(status=status):
                self.assertTrue(moderation.set_status(comment, status, by=self.moderator))
                self.assertEqual(comment.status, status)
                self.assertEqual(Comment.objects.get(pk=comment.pk).status, status)
                self.assertEqual(self.count(), expected)

    def test_publish_reject_publish_keeps_other_comments_counted(self):
        make_comment(self.article, Status.PUBLISHED)
        comment = make_comment(self.article)
        moderation.set_status(comment, Status.PUBLISHED, by=self.moderator)
        self.assertEqual(self.count(), 2)
        moderation.set_status(comment, Status.REJECTED, by=self.moderator)
        self.assertEqual(self.count(), 1)
        moderation.set_status(comment, Status.PUBLISHED, by=self.moderator)
        self.assertEqual(self.count(), 2)

    def test_only_the_comments_article_changes(self):
        other = make_article()
        comment = make_comment(self.article)
        moderation.set_status(comment, Status.PUBLISHED, by=self.moderator)
        other.refresh_from_db()
        self.assertEqual((self.count(), other.comment_count), (1, 0))

    def test_same_status_changes_nothing_and_logs_nothing(self):
        comment = make_comment(self.article, Status.PUBLISHED)
        events = ModerationEvent.objects.count()
        self.assertFalse(moderation.set_status(comment, Status.PUBLISHED, by=self.moderator))
        self.assertEqual(self.count(), 1)
        self.assertEqual(ModerationEvent.objects.count(), events)

    def test_a_stale_instance_is_judged_by_the_stored_status(self):
        comment = make_comment(self.article)
        stale = Comment.objects.get(pk=comment.pk)
        moderation.set_status(comment, Status.PUBLISHED, by=self.moderator)
        # The stale copy still says "pending": publishing it again must not count twice.
        self.assertFalse(moderation.set_status(stale, Status.PUBLISHED, by=self.moderator))
        self.assertEqual(self.count(), 1)

    def test_every_change_is_logged_with_who_and_when(self):
        comment = make_comment(self.article)
        before = timezone.now()
        moderation.set_status(comment, Status.PUBLISHED, by=self.moderator, note="ok")
        moderation.set_status(comment, Status.SPAM)
        first, second = (
            ModerationEvent.objects.filter(comment=comment)
            .exclude(note="created")
            .order_by("created_at", "id")
        )
        self.assertEqual(
            (first.actor, first.from_status, first.to_status, first.note),
            (self.moderator, Status.PENDING, Status.PUBLISHED, "ok"),
        )
        self.assertEqual(
            (second.actor, second.from_status, second.to_status), (None, "published", "spam")
        )
        self.assertLessEqual(before, first.created_at)
        self.assertLess(first.created_at - before, timedelta(seconds=30))
        comment.refresh_from_db()
        self.assertIsNone(comment.moderated_by)  # the last change was the system's
        self.assertIsNotNone(comment.moderated_at)

    def test_moderated_by_and_at_are_set(self):
        comment = make_comment(self.article)
        moderation.set_status(comment, Status.REJECTED, by=self.moderator)
        comment.refresh_from_db()
        self.assertEqual(comment.moderated_by, self.moderator)
        self.assertAlmostEqual(
            comment.moderated_at.timestamp(), timezone.now().timestamp(), delta=30
        )


class SameTransactionTests(TestCase):
    """A failure after the status change undoes the count and the status too."""

    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_user("kiemduyet")

    def setUp(self):
        self.article = make_article()

    def assert_unchanged(self, comment, status, count):
        comment.refresh_from_db()
        self.article.refresh_from_db()
        self.assertEqual((comment.status, self.article.comment_count), (status, count))

    def test_a_failing_log_write_rolls_back_status_and_count(self):
        comment = make_comment(self.article)
        events = ModerationEvent.objects.count()
        with mock.patch.object(
            ModerationEvent.objects, "create", side_effect=RuntimeError("disk full")
        ):
            with self.assertRaises(RuntimeError):
                moderation.set_status(comment, Status.PUBLISHED, by=self.moderator)
        self.assert_unchanged(comment, Status.PENDING, 0)
        self.assertEqual(ModerationEvent.objects.count(), events)

    def test_an_error_later_in_the_callers_transaction_rolls_back_everything(self):
        comment = make_comment(self.article, Status.PUBLISHED)
        events = ModerationEvent.objects.count()
        with self.assertRaises(RuntimeError):
            with transaction.atomic():
                moderation.set_status(comment, Status.REJECTED, by=self.moderator)
                raise RuntimeError("after the change")
        self.assert_unchanged(comment, Status.PUBLISHED, 1)
        self.assertEqual(ModerationEvent.objects.count(), events)

    def test_a_failing_create_leaves_no_count(self):
        with mock.patch.object(
            ModerationEvent.objects, "create", side_effect=RuntimeError("disk full")
        ):
            with self.assertRaises(RuntimeError):
                make_comment(self.article, Status.PUBLISHED)
        self.article.refresh_from_db()
        self.assertEqual(self.article.comment_count, 0)
        self.assertFalse(Comment.objects.filter(article=self.article).exists())
