"""comments.moderation: the one place a comment's status changes. The
article's count follows every transition, in the same transaction, and every
change is logged with who and when."""

from datetime import timedelta
from unittest import mock

from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from articles import roles
from comments import moderation
from comments.models import Comment, ModerationEvent
from tests.factories import make_article, make_comment, make_member, make_user

Status = Comment.Status


class SetStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_member(roles.MODERATORS, "kiemduyet")

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
                self.assertTrue(comment.moderate(status, by=self.moderator))
                self.assertEqual(comment.status, status)
                self.assertEqual(Comment.objects.get(pk=comment.pk).status, status)
                self.assertEqual(self.count(), expected)

    def test_publish_reject_publish_keeps_other_comments_counted(self):
        make_comment(self.article, Status.PUBLISHED)
        comment = make_comment(self.article)
        comment.moderate(Status.PUBLISHED, by=self.moderator)
        self.assertEqual(self.count(), 2)
        comment.moderate(Status.REJECTED, by=self.moderator)
        self.assertEqual(self.count(), 1)
        comment.moderate(Status.PUBLISHED, by=self.moderator)
        self.assertEqual(self.count(), 2)

    def test_only_the_comments_article_changes(self):
        other = make_article()
        comment = make_comment(self.article)
        comment.moderate(Status.PUBLISHED, by=self.moderator)
        other.refresh_from_db()
        self.assertEqual((self.count(), other.comment_count), (1, 0))

    def test_same_status_changes_nothing_and_logs_nothing(self):
        comment = make_comment(self.article, Status.PUBLISHED)
        events = ModerationEvent.objects.count()
        self.assertFalse(comment.moderate(Status.PUBLISHED, by=self.moderator))
        self.assertEqual(self.count(), 1)
        self.assertEqual(ModerationEvent.objects.count(), events)

    def test_a_stale_instance_is_judged_by_the_stored_status(self):
        comment = make_comment(self.article)
        stale = Comment.objects.get(pk=comment.pk)
        comment.moderate(Status.PUBLISHED, by=self.moderator)
        # The stale copy still says "pending": publishing it again must not count twice.
        self.assertFalse(stale.moderate(Status.PUBLISHED, by=self.moderator))
        self.assertEqual(self.count(), 1)

    def test_every_change_is_logged_with_who_and_when(self):
        comment = make_comment(self.article)
        before = timezone.now()
        comment.moderate(Status.PUBLISHED, by=self.moderator, note="ok")
        comment.moderate(Status.SPAM)
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
        comment.moderate(Status.REJECTED, by=self.moderator)
        comment.refresh_from_db()
        self.assertEqual(comment.moderated_by, self.moderator)
        self.assertAlmostEqual(
            comment.moderated_at.timestamp(), timezone.now().timestamp(), delta=30
        )


class GuardTests(TestCase):
    """``Comment.moderate`` refuses a user who may not moderate and a status
    that does not exist, before anything changes."""

    def setUp(self):
        self.article = make_article()

    def assert_unchanged(self, comment):
        comment.refresh_from_db()
        self.article.refresh_from_db()
        self.assertEqual((comment.status, self.article.comment_count), (Status.PENDING, 0))
        self.assertFalse(ModerationEvent.objects.filter(comment=comment, note="").exists())

    def test_a_user_without_the_moderation_permission_is_refused(self):
        comment = make_comment(self.article)
        for user in (make_user("chixem"), make_member(roles.REPORTERS, "phongvien")):
            with self.subTest(user=user.username):
                with self.assertRaises(moderation.NotAllowed):
                    comment.moderate(Status.PUBLISHED, by=user)
                self.assert_unchanged(comment)

    def test_an_inactive_moderator_is_refused(self):
        comment = make_comment(self.article)
        inactive = make_member(roles.MODERATORS, "nghiviec", is_active=False)
        with self.assertRaises(moderation.NotAllowed):
            comment.moderate(Status.PUBLISHED, by=inactive)
        self.assert_unchanged(comment)

    def test_an_unknown_status_is_refused(self):
        comment = make_comment(self.article)
        with self.assertRaises(moderation.InvalidTransition):
            comment.moderate("deleted")
        self.assert_unchanged(comment)

    def test_every_move_between_two_statuses_is_in_the_table(self):
        for source in Status.values:
            self.assertEqual(moderation.TRANSITIONS[source], set(Status.values) - {source})


class SameTransactionTests(TestCase):
    """A failure after the status change undoes the count and the status too."""

    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_member(roles.MODERATORS, "kiemduyet")

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
                comment.moderate(Status.PUBLISHED, by=self.moderator)
        self.assert_unchanged(comment, Status.PENDING, 0)
        self.assertEqual(ModerationEvent.objects.count(), events)

    def test_an_error_later_in_the_callers_transaction_rolls_back_everything(self):
        comment = make_comment(self.article, Status.PUBLISHED)
        events = ModerationEvent.objects.count()
        with self.assertRaises(RuntimeError):
            with transaction.atomic():
                comment.moderate(Status.REJECTED, by=self.moderator)
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
