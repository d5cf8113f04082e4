"""The workflow engine at model level: states, permissions, gates, e-mail."""

import inspect
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.core import mail
from django.test import TestCase, override_settings
from django.utils import timezone

from articles import workflow
from articles.models import Article, Correction, Event, Revision, WithdrawalReason
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_editor,
    make_photo,
    make_reporter,
    make_user,
)

Status = Article.Status

TARGETS = {
    "submit": Status.IN_REVIEW,
    "pull_back": Status.DRAFT,
    "approve": Status.APPROVED,
    "request_changes": Status.CHANGES_REQUESTED,
    "publish": Status.PUBLISHED,
    "unschedule": Status.APPROVED,
    "withdraw": Status.WITHDRAWN,
    "reopen": Status.DRAFT,
}
ARGUMENTS = {"note": "Ghi chú của tòa soạn.", "reason": WithdrawalReason.EDITORIAL}


def newsroom(**changes):
    return override_settings(NEWSROOM={**settings.NEWSROOM, **changes})


def transition(article, name, by, **arguments):
    """Transition ``name`` through its Article method, given the arguments it takes."""
    method = getattr(article, name)
    accepted = inspect.signature(method).parameters
    return method(by=by, **{key: value for key, value in arguments.items() if key in accepted})


def set_status(article, status, **fields):
    """Put an article in a state directly, as a fixture (not a transition)."""
    Article.objects.filter(pk=article.pk).update(status=status, **fields)
    article.refresh_from_db()
    return article


class WorkflowTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien", first_name="Quốc", last_name="Trần")
        cls.other_reporter = make_reporter("phongvien2")
        cls.editor = make_editor("bientap")
        cls.other_editor = make_editor("bientap2")
        cls.superuser = make_user("tongbientap", is_superuser=True)
        cls.photo = make_photo()

    def publishable(self, status=Status.DRAFT, published_at=None, **overrides):
        """An article that passes every publish gate, written by the reporter."""
        overrides.setdefault("created_by", self.reporter)
        article = make_article(status=Status.DRAFT, published_at=None, tags=["Thời sự"],
                               **overrides)
        add_credit(article, name="Trần Quốc")
        add_photo(article, self.photo, is_lead=True)
        return set_status(article, status, published_at=published_at)

    def actor_for(self, name):
        return self.reporter if name in ("submit", "pull_back") else self.editor


class TransitionStateTests(WorkflowTestCase):
    def test_each_transition_from_each_state(self):
        for name, spec in workflow.transitions().items():
            if spec.applies:  # offered by more than the state: test_approval_chains.py
                continue
            for state in Status:
                with self.subTest(transition=name, state=state):
                    article = self.publishable(state)
                    version = article.version
                    call = lambda a=article, n=name: transition(  # noqa: E731
                        a, n, self.actor_for(n), **ARGUMENTS
                    )
                    if state in spec.sources:
                        event = call()
                        article.refresh_from_db()
                        self.assertEqual(article.status, TARGETS[name])
                        self.assertEqual(article.version, version + 1)
                        self.assertEqual(
                            (event.action, event.from_status, event.to_status, event.actor),
                            (name, state, TARGETS[name], self.actor_for(name)),
                        )
                    else:
                        with self.assertRaises(workflow.InvalidTransition):
                            call()
                        article.refresh_from_db()
                        self.assertEqual(article.status, state)
                        self.assertEqual(article.version, version)
                        self.assertFalse(article.events.exists())

    def test_reporter_may_not_make_an_editors_transition(self):
        for name in ("approve", "request_changes", "publish", "unschedule", "withdraw", "reopen"):
            for state in workflow.transitions()[name].sources:
                with self.subTest(transition=name, state=state):
                    article = self.publishable(state)
                    with self.assertRaises(workflow.NotAllowed):
                        transition(article, name, self.reporter, **ARGUMENTS)
                    article.refresh_from_db()
                    self.assertEqual(article.status, state)
                    self.assertIsNone(article.published_at)
                    self.assertFalse(article.events.exists())

    def test_reporter_submits_and_pulls_back_only_their_own_article(self):
        article = self.publishable(created_by=self.other_reporter)
        with self.assertRaises(workflow.NotAllowed):
            article.submit(by=self.reporter)
        article.submit(by=self.other_reporter)
        with self.assertRaises(workflow.NotAllowed):
            article.pull_back(by=self.reporter)
        article.pull_back(by=self.other_reporter)
        self.assertEqual(article.status, Status.DRAFT)

    def test_a_submission_cannot_be_pulled_back_once_approved(self):
        article = self.publishable()
        article.submit(by=self.reporter)
        article.approve(by=self.editor)
        with self.assertRaises(workflow.InvalidTransition):
            article.pull_back(by=self.reporter)
        self.assertEqual(article.status, Status.APPROVED)

    def test_inactive_or_non_staff_users_may_do_nothing(self):
        article = self.publishable(Status.IN_REVIEW)
        for user in (make_editor(is_active=False), make_editor(is_staff=False)):
            with self.subTest(user=user), self.assertRaises(workflow.NotAllowed):
                article.approve(by=user)
        self.assertEqual(article.status, Status.IN_REVIEW)

    def test_request_changes_needs_a_note_and_clears_the_approval(self):
        article = self.publishable()
        article.submit(by=self.reporter)
        article.approve(by=self.editor)
        with self.assertRaises(workflow.NoteRequired):
            article.request_changes(by=self.editor, note="   ")
        self.assertEqual(article.status, Status.APPROVED)
        event = article.request_changes(by=self.editor, note="Thêm ý kiến của người dân.")
        self.assertEqual(event.note, "Thêm ý kiến của người dân.")
        self.assertEqual(article.status, Status.CHANGES_REQUESTED)
        self.assertEqual((article.approved_by, article.approved_at, article.approved_hash),
                         (None, None, ""))

    def test_withdraw_needs_an_internal_note_and_a_public_reason(self):
        article = self.publishable(Status.PUBLISHED, published_at=timezone.now())
        with self.assertRaises(workflow.NoteRequired):
            article.withdraw(by=self.editor, note="", reason=WithdrawalReason.LEGAL)
        with self.assertRaises(workflow.NoteRequired):
            article.withdraw(by=self.editor, note="Theo công văn số 12.", reason="")
        with self.assertRaises(workflow.NoteRequired):
            article.withdraw(by=self.editor, note="Theo công văn số 12.", reason="made-up")
        self.assertEqual(article.status, Status.PUBLISHED)
        article.withdraw(by=self.editor, note="Theo công văn số 12.", reason="legal")
        self.assertEqual(article.status, Status.WITHDRAWN)
        self.assertEqual(article.withdrawal_reason, WithdrawalReason.LEGAL)
        self.assertFalse(Article.objects.published().filter(pk=article.pk).exists())

    def test_superusers_transitions_are_logged_like_anyone_elses(self):
        article = self.publishable(Status.APPROVED)
        article.publish(by=self.superuser)
        event = article.events.get()
        self.assertEqual((event.action, event.actor), ("publish", self.superuser))
        self.assertEqual(article.published_by, self.superuser)


class FourEyesTests(WorkflowTestCase):
    def test_no_one_approves_what_they_wrote(self):
        article = self.publishable(created_by=self.editor)
        article.submit(by=self.editor)
        with self.assertRaises(workflow.NotAllowed) as refused:
            article.approve(by=self.editor)
        self.assertIn("chính mình", str(refused.exception))
        self.assertEqual(article.status, Status.IN_REVIEW)
        article.approve(by=self.other_editor)
        self.assertEqual(article.approved_by, self.other_editor)

    def test_the_last_editor_of_the_content_may_not_approve_it(self):
        article = self.publishable()
        article.record_revision(by=self.reporter)
        article.submit(by=self.reporter)
        article.lead = "Sapo đã biên tập lại."
        article.save()
        article.record_revision(by=self.editor)
        self.assertEqual(article.last_editor, self.editor)
        for user in (self.editor, self.reporter):
            with self.subTest(user=user), self.assertRaises(workflow.NotAllowed):
                article.approve(by=user)
        article.approve(by=self.other_editor)
        self.assertEqual(article.status, Status.APPROVED)

    def test_superusers_are_bound_by_it_too(self):
        article = self.publishable(created_by=self.superuser)
        article.submit(by=self.superuser)
        with self.assertRaises(workflow.NotAllowed):
            article.approve(by=self.superuser)

    def test_with_the_rule_off_a_self_approval_is_logged_in_the_event(self):
        article = self.publishable(created_by=self.editor)
        article.submit(by=self.editor)
        with newsroom(FOUR_EYES=False):
            event = article.approve(by=self.editor, note="Bài gấp.")
        self.assertEqual(article.status, Status.APPROVED)
        self.assertEqual(
            event.note, "Bài gấp. (Duyệt bài của chính mình: quy tắc hai người đang tắt.)"
        )
        other = self.publishable(Status.IN_REVIEW)
        with newsroom(FOUR_EYES=False):
            event = other.approve(by=self.editor)
        self.assertEqual(event.note, "")  # not one's own: nothing to log


class PublishGateTests(WorkflowTestCase):
    def test_every_missing_item_is_listed_in_one_refusal(self):
        article = make_article(status=Status.APPROVED, published_at=None, lead="", section=None)
        add_photo(article, make_photo(alt_text="", caption=""))
        with self.assertRaises(workflow.PublishBlocked) as blocked:
            article.publish(by=self.editor)
        expected = [
            "Chưa thể đăng bài:",
            "Thiếu sapo.",
            "Chưa chọn chuyên mục.",
            "Chưa ghi công tác giả.",
            "Ảnh 1 thiếu mô tả ảnh (alt).",
            "Ảnh 1 thiếu chú thích.",
            "Chưa gắn thẻ nào.",
        ]
        self.assertEqual(blocked.exception.messages, expected)
        self.assertEqual(str(blocked.exception), " ".join(expected))
        article.refresh_from_db()
        self.assertEqual((article.status, article.published_at), (Status.APPROVED, None))
        self.assertFalse(article.events.exists())

    def test_approving_refuses_what_publishing_would_refuse(self):
        article = make_article(status=Status.IN_REVIEW, published_at=None, lead="",
                               created_by=self.reporter)
        with self.assertRaises(workflow.PublishBlocked) as blocked:
            article.approve(by=self.editor)
        self.assertEqual(
            blocked.exception.messages,
            ["Chưa thể duyệt bài:", "Thiếu sapo.", "Chưa ghi công tác giả.", "Chưa gắn thẻ nào."],
        )
        article.refresh_from_db()
        self.assertEqual((article.status, article.approved_by, article.approved_hash),
                         (Status.IN_REVIEW, None, ""))
        self.assertFalse(article.events.exists())

    def test_submitting_an_incomplete_article_is_allowed(self):
        article = make_article(status=Status.DRAFT, published_at=None, lead="",
                               created_by=self.reporter)
        article.submit(by=self.reporter)
        self.assertEqual(article.status, Status.IN_REVIEW)

    def test_approval_gates_are_the_publish_gates_setting(self):
        article = make_article(status=Status.IN_REVIEW, published_at=None, lead="",
                               created_by=self.reporter)
        with newsroom(PUBLISH_GATES=["headline"]):
            article.approve(by=self.editor)
        self.assertEqual(article.status, Status.APPROVED)

    def test_gates_are_a_setting(self):
        article = make_article(status=Status.APPROVED, published_at=None, lead="", section=None)
        with newsroom(PUBLISH_GATES=["headline"]):
            article.publish(by=self.editor)
        self.assertEqual(article.status, Status.PUBLISHED)


class PublishByCommandTests(WorkflowTestCase):
    """Issue 9, point 3: a management command publishes through the same
    transitions and gates, with no user, in one transaction."""

    def test_from_each_state_the_workflows_own_transitions(self):
        paths = {
            Status.DRAFT: ["submit", "approve", "publish"],
            Status.CHANGES_REQUESTED: ["submit", "approve", "publish"],
            Status.IN_REVIEW: ["approve", "publish"],
            Status.APPROVED: ["publish"],
            Status.PUBLISHED: [],
        }
        for status, path in paths.items():
            with self.subTest(status=status):
                article = self.publishable(status)
                article.record_revision(self.reporter)
                events = article.publish_by_command("lenh_thu", "Ghi chú.")
                self.assertEqual([event.action for event in events], path)
                self.assertEqual(article.status, Status.PUBLISHED)
                for event in events:
                    self.assertIsNone(event.actor)
                    self.assertEqual(event.note, "Lệnh lenh_thu: Ghi chú.")

    def test_a_failed_gate_changes_nothing(self):
        article = self.publishable()
        article.tags.clear()
        article.section = None
        article.save()
        with self.assertRaises(workflow.PublishBlocked) as blocked:
            article.publish_by_command("lenh_thu", "Ghi chú.")
        self.assertEqual(
            blocked.exception.messages,
            ["Chưa thể đăng bài:", "Chưa chọn chuyên mục.", "Chưa gắn thẻ nào."],
        )
        self.assertEqual(article.status, Status.DRAFT)  # the caller's copy is refreshed
        article.refresh_from_db()
        self.assertEqual((article.status, article.approved_hash), (Status.DRAFT, ""))
        self.assertFalse(article.events.exists())

    def test_no_user_is_allowed_only_for_a_named_command(self):
        article = self.publishable(Status.APPROVED)
        with self.assertRaises(workflow.NotAllowed):
            article.publish(by=None)
        self.assertEqual(article.status, Status.APPROVED)
        self.assertFalse(article.events.exists())

    def test_a_withdrawn_article_is_refused(self):
        article = self.publishable(Status.WITHDRAWN, published_at=timezone.now())
        with self.assertRaises(workflow.InvalidTransition):
            article.publish_by_command("lenh_thu", "Ghi chú.")
        self.assertEqual(article.status, Status.WITHDRAWN)

    def test_only_the_last_transition_sends_email(self):
        editor = make_editor("bientap3", email="bientap3@example.com")
        article = self.publishable(created_by=editor)
        with self.captureOnCommitCallbacks(execute=True):
            article.publish_by_command("lenh_thu", "Ghi chú.")
        [message] = mail.outbox  # to the author, that it was published; no "please review"
        self.assertEqual(message.to, ["bientap3@example.com"])


class ApprovalBoundToContentTests(WorkflowTestCase):
    def approved(self):
        article = self.publishable()
        article.record_revision(by=self.reporter)
        article.submit(by=self.reporter)
        article.approve(by=self.editor)
        self.assertEqual(article.approved_hash, article.revisions.get().content_hash)
        return article

    def test_an_edit_after_approval_sends_the_article_back_to_review(self):
        article = self.approved()
        article.headline = "Tít đã sửa sau khi duyệt"
        article.save()
        revision = article.record_revision(by=self.other_editor)
        self.assertEqual(article.status, Status.IN_REVIEW)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.IN_REVIEW)
        self.assertEqual((article.approved_by, article.approved_hash), (None, ""))
        event = article.events.get(action="content_changed")
        self.assertEqual(
            (event.from_status, event.to_status, event.actor, event.revision),
            (Status.APPROVED, Status.IN_REVIEW, self.other_editor, revision),
        )
        with self.assertRaises(workflow.InvalidTransition):
            article.publish(by=self.editor)

    def test_a_scheduled_article_goes_back_to_review_too(self):
        article = self.approved()
        article.publish(by=self.editor, at=timezone.now() + timedelta(hours=2))
        self.assertEqual(article.status, Status.SCHEDULED)
        article.tags.add("Tin nóng")
        article.record_revision(by=self.editor)
        self.assertEqual(article.status, Status.IN_REVIEW)
        self.assertFalse(Article.objects.published(at=timezone.now() + timedelta(days=1))
                         .filter(pk=article.pk).exists())

    def test_saving_unchanged_content_keeps_the_approval(self):
        article = self.approved()
        self.assertIsNone(article.record_revision(by=self.other_editor))
        self.assertEqual(article.status, Status.APPROVED)
        self.assertFalse(article.events.filter(action="content_changed").exists())

    def test_publish_refuses_content_other_than_what_was_approved(self):
        article = self.approved()
        Revision.objects.create(
            article=article, number=2, data={}, content_hash="0" * 64, created_by=self.reporter
        )
        with self.assertRaises(workflow.InvalidTransition) as refused:
            article.publish(by=self.editor)
        self.assertIn("cần duyệt lại", str(refused.exception))
        self.assertEqual(article.status, Status.APPROVED)


class AtomicityAndMailTests(WorkflowTestCase):
    def test_a_failure_after_the_state_change_leaves_nothing_half_done(self):
        article = self.publishable(Status.APPROVED)
        with (
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            mock.patch.object(Event.objects, "create", side_effect=RuntimeError("disk full")),
            self.assertRaises(RuntimeError),
        ):
            article.publish(by=self.editor)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.APPROVED)
        self.assertEqual((article.published_at, article.published_by), (None, None))
        self.assertEqual(article.version, 1)
        self.assertFalse(Article.objects.published().filter(pk=article.pk).exists())
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])

    def test_mail_is_sent_only_after_commit(self):
        article = self.publishable()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            article.submit(by=self.reporter)
            self.assertEqual(mail.outbox, [])
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(mail.outbox, [])
        callbacks[0]()
        self.assertEqual(len(mail.outbox), 1)

    def test_editors_hear_of_submissions(self):
        article = self.publishable()
        with self.captureOnCommitCallbacks(execute=True):
            article.submit(by=self.reporter)
        [message] = mail.outbox
        self.assertIn("Bài chờ duyệt", message.subject)
        self.assertIn(article.headline, message.subject)
        self.assertIn(self.editor.email, message.to)
        self.assertIn(self.other_editor.email, message.to)
        self.assertNotIn(self.reporter.email, message.to)
        self.assertNotIn(self.other_reporter.email, message.to)

    def test_the_author_hears_what_editors_decided(self):
        article = self.publishable()
        steps = [
            ("submit", {}, None),
            ("request_changes", {"note": "Thêm nguồn tin."}, "Bài cần sửa"),
            ("submit", {}, None),
            ("approve", {}, "Bài đã được duyệt"),
            ("publish", {}, "Bài đã đăng"),
            ("withdraw", {"note": "Sai số liệu.", "reason": "error"}, "Bài đã bị gỡ"),
        ]
        for name, arguments, subject in steps:
            with self.subTest(name):
                mail.outbox = []
                actor = self.reporter if name == "submit" else self.editor
                with self.captureOnCommitCallbacks(execute=True):
                    transition(article, name, actor, **arguments)
                if subject is None:
                    continue
                [message] = mail.outbox
                self.assertEqual(message.to, [self.reporter.email])
                self.assertIn(subject, message.subject)
                for note in arguments.get("note", "").split():
                    self.assertIn(note, message.body)

    def test_pulling_back_mails_no_one(self):
        article = self.publishable(Status.IN_REVIEW)
        with self.captureOnCommitCallbacks(execute=True):
            article.pull_back(by=self.reporter)
        self.assertEqual(mail.outbox, [])


class ScheduleTests(WorkflowTestCase):
    def test_a_future_publish_time_schedules_and_the_clock_decides_visibility(self):
        article = self.publishable(Status.APPROVED)
        now = timezone.now()
        at = now + timedelta(hours=1)
        event = article.publish(by=self.editor, at=at)
        self.assertEqual(event.to_status, Status.SCHEDULED)
        self.assertEqual((article.status, article.published_at), (Status.SCHEDULED, at))
        self.assertIsNone(article.first_published_at)
        self.assertFalse(article.is_public)
        self.assertFalse(Article.objects.published().filter(pk=article.pk).exists())
        self.assertFalse(Article.objects.published(at=at - timedelta(seconds=1))
                         .filter(pk=article.pk).exists())
        self.assertTrue(Article.objects.published(at=at).filter(pk=article.pk).exists())
        self.assertTrue(Article.objects.published(at=now + timedelta(hours=2))
                        .filter(pk=article.pk).exists())

    def test_rescheduling_and_unscheduling(self):
        article = self.publishable(Status.APPROVED)
        later = timezone.now() + timedelta(days=1)
        article.publish(by=self.editor, at=timezone.now() + timedelta(hours=1))
        article.publish(by=self.editor, at=later)
        self.assertEqual((article.status, article.published_at), (Status.SCHEDULED, later))
        article.unschedule(by=self.editor)
        self.assertEqual(article.status, Status.APPROVED)
        self.assertFalse(Article.objects.published(at=later).filter(pk=article.pk).exists())

    def test_publishing_now_sets_the_first_publication(self):
        article = self.publishable(Status.APPROVED)
        article.publish(by=self.editor)
        self.assertEqual(article.status, Status.PUBLISHED)
        self.assertEqual(article.first_published_at, article.published_at)
        self.assertTrue(Article.objects.published().filter(pk=article.pk).exists())


class CorrectionTests(WorkflowTestCase):
    def setUp(self):
        self.article = self.publishable(
            Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=3)
        )

    def test_a_minor_correction_leaves_the_update_time(self):
        correction = self.article.correct(
            by=self.editor, kind=Correction.Kind.CORRECTION, text="Sửa tên xã cho đúng."
        )
        self.assertEqual(self.article.corrections.get(), correction)
        self.assertIsNone(self.article.updated_at)
        self.assertFalse(self.article.shows_update)
        event = self.article.events.get()
        self.assertEqual((event.action, event.actor), ("correct", self.editor))
        self.assertEqual(event.note, "Đính chính: Sửa tên xã cho đúng.")

    def test_a_major_correction_updates_the_update_time(self):
        correction = self.article.correct(
            by=self.editor, kind=Correction.Kind.UPDATE, text="Bổ sung số liệu mới.",
            is_major=True,
        )
        self.assertEqual(self.article.updated_at, correction.published_at)
        self.assertTrue(self.article.shows_update)

    def test_corrections_refused(self):
        draft = self.publishable()
        cases = [
            (self.article, self.reporter, "Sửa.", workflow.NotAllowed),
            (self.article, self.editor, "  ", workflow.NoteRequired),
            (draft, self.editor, "Sửa.", workflow.InvalidTransition),
        ]
        for article, user, text, error in cases:
            with self.subTest(error=error.__name__), self.assertRaises(error):
                article.correct(by=user, kind=Correction.Kind.CORRECTION, text=text)
        self.assertFalse(Correction.objects.exists())
        self.assertFalse(Event.objects.exists())
