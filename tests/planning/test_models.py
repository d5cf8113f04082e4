"""Plan entries: the transitions, who may make each, "đã có bài" and "trễ hạn"."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from articles.models import Article, Credit
from articles.planning.models import PlanEntry, Stage
from articles.workflow import InvalidTransition, NotAllowed
from tests.factories import make_article, make_contributor, make_editor, make_reporter, role

from .factories import make_entry

Status = Article.Status


class TransitionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor("bientap")
        cls.reporter = make_reporter("phongvien", first_name="Trần Quốc")
        cls.other = make_reporter("phongvien2")
        cls.photographer = make_reporter("anh")
        cls.reporter_profile = make_contributor("Trần Quốc", user=cls.reporter)
        cls.photo_profile = make_contributor("Lê Ảnh", user=cls.photographer)

    def proposal(self, **overrides):
        return make_entry(proposed_by=self.reporter, **overrides)

    def test_an_editor_approves_and_the_proposer_is_assigned(self):
        entry = self.proposal()
        entry.approve(self.editor)
        entry.refresh_from_db()
        self.assertEqual(entry.stage, Stage.APPROVED)
        self.assertEqual(entry.reporter, self.reporter)
        self.assertEqual(entry.approved_by, self.editor)
        self.assertIsNotNone(entry.approved_at)

    def test_approving_keeps_the_reporter_the_editor_assigned(self):
        entry = self.proposal(reporter=self.other)
        entry.approve(self.editor)
        entry.refresh_from_db()
        self.assertEqual(entry.reporter, self.other)

    def test_an_editor_s_own_entry_stays_unassigned_until_they_choose(self):
        entry = make_entry(proposed_by=self.editor)
        entry.approve(self.editor)
        entry.refresh_from_db()
        self.assertEqual(entry.stage, Stage.APPROVED)
        self.assertIsNone(entry.reporter)

    def test_a_reporter_cannot_approve_or_cancel(self):
        entry = self.proposal()
        for method in (entry.approve, entry.cancel):
            with self.subTest(method.__name__), self.assertRaises(NotAllowed):
                method(self.reporter)
        entry.refresh_from_db()
        self.assertEqual(entry.state, Stage.PROPOSED)
        self.assertIsNone(entry.approved_by)

    def test_approve_twice_is_refused(self):
        entry = self.proposal()
        entry.approve(self.editor)
        stale = PlanEntry.objects.get(pk=entry.pk)
        stale.state = Stage.PROPOSED  # a page opened before the first click
        with self.assertRaises(InvalidTransition):
            stale.approve(self.editor)
        self.assertEqual(stale.state, Stage.APPROVED)  # refreshed from the row

    def test_the_assigned_reporter_starts_the_article(self):
        entry = self.proposal(reporter=self.reporter, photographer=self.photographer)
        entry.approve(self.editor)
        article = entry.start_writing(self.reporter)
        entry.refresh_from_db()
        self.assertEqual(entry.state, Stage.WRITING)
        self.assertEqual(entry.article, article)
        self.assertEqual(article.plan_entry, entry)
        self.assertEqual(article.headline, entry.title)
        self.assertEqual(article.section, entry.section)
        self.assertEqual(article.status, Status.DRAFT)
        self.assertEqual(article.created_by, self.reporter)
        self.assertEqual(article.last_editor, self.reporter)
        self.assertEqual(article.revisions.count(), 1)
        credits = [(c.contributor, c.role) for c in article.credits.all()]
        self.assertEqual(credits, [(self.reporter_profile, role("Tin")),
                                   (self.photo_profile, role("Ảnh"))])

    def test_a_reporter_without_a_profile_starts_an_article_without_credits(self):
        entry = self.proposal(reporter=self.other)
        entry.approve(self.editor)
        article = entry.start_writing(self.other)
        self.assertEqual(article.credits.count(), 0)

    def test_only_the_assigned_reporter_starts_the_article(self):
        entry = self.proposal()
        entry.approve(self.editor)
        before = Article.objects.count()
        for user in (self.other, self.editor, self.photographer):
            with self.subTest(user.username), self.assertRaises(NotAllowed):
                entry.start_writing(user)
        self.assertEqual(Article.objects.count(), before)
        entry.refresh_from_db()
        self.assertEqual(entry.state, Stage.APPROVED)

    def test_an_unapproved_or_started_entry_gets_no_second_article(self):
        entry = self.proposal(reporter=self.reporter)
        before = Article.objects.count()
        with self.assertRaises(InvalidTransition):
            entry.start_writing(self.reporter)  # still a proposal
        self.assertEqual(Article.objects.count(), before)
        entry.approve(self.editor)
        entry.start_writing(self.reporter)
        stale = PlanEntry.objects.get(pk=entry.pk)
        stale.state = Stage.APPROVED  # a second tab
        with self.assertRaises(InvalidTransition):
            stale.start_writing(self.reporter)
        self.assertEqual(Article.objects.count(), before + 1)
        self.assertEqual(Credit.objects.filter(article__plan_entry=entry).count(), 1)

    def test_an_editor_cancels_from_every_open_state_but_not_twice(self):
        for state in (Stage.PROPOSED, Stage.APPROVED, Stage.WRITING):
            with self.subTest(state):
                entry = make_entry(state=state, reporter=self.reporter)
                entry.cancel(self.editor)
                entry.refresh_from_db()
                self.assertEqual(entry.stage, Stage.CANCELLED)
                self.assertEqual(entry.cancelled_by, self.editor)
                with self.assertRaises(InvalidTransition):
                    entry.cancel(self.editor)

    def test_a_cancelled_entry_is_not_approved_or_written(self):
        entry = make_entry(state=Stage.CANCELLED, reporter=self.reporter)
        with self.assertRaises(InvalidTransition):
            entry.approve(self.editor)
        with self.assertRaises(InvalidTransition):
            entry.start_writing(self.reporter)


class EditRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor()
        cls.reporter = make_reporter()
        cls.other = make_reporter()

    def test_who_may_edit(self):
        cases = [
            (Stage.PROPOSED, self.reporter, True),
            (Stage.PROPOSED, self.other, False),
            (Stage.PROPOSED, self.editor, True),
            (Stage.APPROVED, self.reporter, False),
            (Stage.APPROVED, self.editor, True),
            (Stage.WRITING, self.editor, True),
            (Stage.CANCELLED, self.editor, False),
        ]
        for state, user, allowed in cases:
            with self.subTest(state=state, user=user.username):
                entry = make_entry(state=state, proposed_by=self.reporter, reporter=self.reporter)
                self.assertEqual(entry.may_edit(user), allowed)


class StageAndLateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter()

    def writing(self, status, **overrides):
        article = make_article(status=status, created_by=self.reporter)
        return make_entry(state=Stage.WRITING, article=article, reporter=self.reporter,
                          **overrides)

    def test_filed_follows_the_article(self):
        expected = {
            Status.DRAFT: Stage.WRITING,
            Status.CHANGES_REQUESTED: Stage.WRITING,  # sent back: being written again
            Status.IN_REVIEW: Stage.FILED,
            Status.APPROVED: Stage.FILED,
            Status.PUBLISHED: Stage.FILED,
        }
        for status, stage in expected.items():
            with self.subTest(status):
                entry = self.writing(status)
                self.assertEqual(entry.stage, stage)
                self.assertEqual(PlanEntry.objects.in_stage(stage).filter(pk=entry.pk).count(), 1)
                other = Stage.WRITING if stage == Stage.FILED else Stage.FILED
                self.assertFalse(PlanEntry.objects.in_stage(other).filter(pk=entry.pk).exists())

    def test_late_is_a_passed_deadline_and_no_submitted_article(self):
        past = timezone.now() - timedelta(minutes=5)
        future = timezone.now() + timedelta(hours=1)
        cases = {
            "approved, not started, past": (make_entry(state=Stage.APPROVED, deadline=past), True),
            "writing a draft, past": (self.writing(Status.DRAFT, deadline=past), True),
            "sent back, past": (self.writing(Status.CHANGES_REQUESTED, deadline=past), True),
            "submitted, past": (self.writing(Status.IN_REVIEW, deadline=past), False),
            "draft, not yet due": (self.writing(Status.DRAFT, deadline=future), False),
            "no deadline": (make_entry(state=Stage.APPROVED, deadline=None), False),
            "a proposal, past": (make_entry(state=Stage.PROPOSED, deadline=past), False),
            "cancelled, past": (make_entry(state=Stage.CANCELLED, deadline=past), False),
        }
        late = set(PlanEntry.objects.late().values_list("pk", flat=True))
        for name, (entry, expected) in cases.items():
            with self.subTest(name):
                self.assertEqual(entry.is_late(), expected)
                self.assertEqual(entry.pk in late, expected)
