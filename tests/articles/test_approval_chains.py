"""Approval in several levels (duyệt nhiều cấp): the chains, each level's
approval and send-back, four eyes per level, the content hash, the sensitive
mark, "Chờ tôi duyệt" per level, and the e-mail to the next level."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import chains, roles, workflow
from articles.models import ApprovalChain, ApprovalLevel, Article, ArticleApproval
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_editor,
    make_member,
    make_photo,
    make_reporter,
    make_section,
    make_user,
)

Status = Article.Status


def newsroom(**changes):
    return override_settings(NEWSROOM={**settings.NEWSROOM, **changes})


def group(name):
    return Group.objects.get(name=name)


def make_chain(name, levels, sections=(), kind="", is_default=False):
    chain = ApprovalChain.objects.create(name=name, kind=kind, is_default=is_default)
    chain.sections.set(sections)
    for position, (group_name, label) in enumerate(levels, start=1):
        chain.levels.create(position=position, group=group(group_name), label=label)
    return chain


THREE_LEVELS = [
    (roles.SECTION_HEADS, "Trưởng ban"),
    (roles.MANAGING_EDITORS, "Thư ký tòa soạn"),
    (roles.EDITORS_IN_CHIEF, "Tổng biên tập"),
]
TWO_LEVELS = THREE_LEVELS[:2]


class ChainTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.news = make_section("Thời sự")
        cls.sport = make_section("Thể thao")
        cls.football = make_section("Bóng đá", parent=cls.sport)
        cls.culture = make_section("Văn hóa")
        make_chain("Thời sự: ba cấp", THREE_LEVELS, [cls.news])
        make_chain("Thể thao: hai cấp", TWO_LEVELS, [cls.sport])
        cls.reporter = make_reporter("phongvien")
        cls.head = make_member(roles.SECTION_HEADS, "truongban")
        cls.other_head = make_member(roles.SECTION_HEADS, "truongban2")
        cls.managing = make_member(roles.MANAGING_EDITORS, "thuky")
        cls.chief = make_member(roles.EDITORS_IN_CHIEF, "tongbientap")
        cls.editor = make_editor("bientap")
        # One person holding two levels (a small desk): four eyes stops them twice.
        cls.both = make_member(roles.SECTION_HEADS, "kiemnhiem")
        cls.both.groups.add(group(roles.MANAGING_EDITORS))
        cls.photo = make_photo()

    def article(self, section=None, status=Status.IN_REVIEW, **overrides):
        """A publishable article written by the reporter, in review by default."""
        article = make_article(
            status=Status.DRAFT, published_at=None, section=section or self.news,
            created_by=self.reporter, tags=["Thời sự"], **overrides,
        )
        add_credit(article, name="Trần Quốc")
        add_photo(article, self.photo, is_lead=True)
        article.record_revision(self.reporter)
        if status != Status.DRAFT:
            article.submit(by=self.reporter)
        return article

    def waiting_at(self, article):
        article.refresh_from_db()
        level = chains.standing(article).current
        return level and level.label


class DefaultChainTests(TestCase):
    def test_the_migration_makes_the_default_chain_of_one_level_the_editors(self):
        chain = ApprovalChain.objects.get(is_default=True)
        self.assertEqual(
            [(level.group.name, level.label) for level in chain.levels.all()],
            [(roles.EDITORS, "Biên tập viên")],
        )
        for name in (roles.SECTION_HEADS, roles.MANAGING_EDITORS, roles.EDITORS_IN_CHIEF):
            self.assertTrue(group(name).permissions.filter(codename="approve_article").exists())
            self.assertFalse(group(name).permissions.filter(codename="change_article").exists())

    def test_one_approval_by_an_editor_approves_as_before(self):
        reporter, editor = make_reporter(), make_editor()
        article = make_article(status=Status.IN_REVIEW, created_by=reporter, tags=["x"])
        add_credit(article, name="A")
        article.approve(by=editor)
        self.assertEqual(article.status, Status.APPROVED)
        self.assertEqual(article.approved_by, editor)
        self.assertEqual(article.approvals.get().label, "Biên tập viên")

    def test_without_any_chain_anyone_who_may_approve_approves(self):
        ApprovalChain.objects.all().delete()
        article = make_article(status=Status.IN_REVIEW, created_by=make_reporter(), tags=["x"])
        add_credit(article, name="A")
        article.approve(by=make_editor())
        self.assertEqual(article.status, Status.APPROVED)


class ChainSelectionTests(ChainTestCase):
    def levels(self, section, kind=Article.Kind.NEWS, sensitive=False):
        article = Article(section=section, kind=kind, is_sensitive=sensitive)
        return [level.label for level in chains.ChainBook().levels_for(article)]

    def test_a_section_takes_its_chain_and_its_children_their_parents(self):
        self.assertEqual(self.levels(self.news), ["Trưởng ban", "Thư ký tòa soạn",
                                                  "Tổng biên tập"])
        self.assertEqual(self.levels(self.sport), ["Trưởng ban", "Thư ký tòa soạn"])
        self.assertEqual(self.levels(self.football), ["Trưởng ban", "Thư ký tòa soạn"])
        self.assertEqual(self.levels(self.culture), ["Biên tập viên"])  # the default
        self.assertEqual(self.levels(None), ["Biên tập viên"])

    def test_section_and_kind_beat_section_beats_kind_beats_default(self):
        make_chain("Ảnh", [(roles.MANAGING_EDITORS, "Thư ký tòa soạn")], kind=Article.Kind.PHOTO)
        make_chain("Ảnh thể thao", [(roles.EDITORS_IN_CHIEF, "Tổng biên tập")],
                   [self.sport], kind=Article.Kind.PHOTO)
        self.assertEqual(self.levels(self.football, Article.Kind.PHOTO), ["Tổng biên tập"])
        self.assertEqual(self.levels(self.sport, Article.Kind.NEWS),
                         ["Trưởng ban", "Thư ký tòa soạn"])
        self.assertEqual(self.levels(self.culture, Article.Kind.PHOTO), ["Thư ký tòa soạn"])
        self.assertEqual(self.levels(self.culture, Article.Kind.NEWS), ["Biên tập viên"])

    def test_a_child_named_directly_beats_its_parent(self):
        make_chain("Bóng đá", [(roles.EDITORS_IN_CHIEF, "Tổng biên tập")], [self.football])
        self.assertEqual(self.levels(self.football), ["Tổng biên tập"])
        self.assertEqual(self.levels(self.sport), ["Trưởng ban", "Thư ký tòa soạn"])

    def test_sensitive_adds_the_top_level_once(self):
        self.assertEqual(self.levels(self.sport, sensitive=True),
                         ["Trưởng ban", "Thư ký tòa soạn", "Tổng biên tập"])
        self.assertEqual(self.levels(self.news, sensitive=True),
                         ["Trưởng ban", "Thư ký tòa soạn", "Tổng biên tập"])
        self.assertEqual(self.levels(self.culture, sensitive=True),
                         ["Biên tập viên", "Tổng biên tập"])
        with newsroom(SENSITIVE_GROUP=""):
            self.assertEqual(self.levels(self.culture, sensitive=True), ["Biên tập viên"])


class LevelTransitionTests(ChainTestCase):
    def test_three_levels_then_publication(self):
        article = self.article()
        self.assertEqual(self.waiting_at(article), "Trưởng ban")
        event = article.approve(by=self.head, note="Được.")
        self.assertEqual((article.status, event.level, event.to_status),
                         (Status.IN_REVIEW, "Trưởng ban", Status.IN_REVIEW))
        self.assertEqual(self.waiting_at(article), "Thư ký tòa soạn")
        self.assertEqual(article.approved_by, None)  # not approved until the last level
        with self.assertRaises(workflow.InvalidTransition):
            article.publish(by=self.editor)  # refused until every level
        article.approve(by=self.managing)
        self.assertEqual((article.status, self.waiting_at(article)),
                         (Status.IN_REVIEW, "Tổng biên tập"))
        with self.assertRaises(workflow.InvalidTransition):
            article.publish(by=self.editor)
        article.approve(by=self.chief)
        self.assertEqual(article.status, Status.APPROVED)
        self.assertEqual(article.approved_by, self.chief)
        self.assertEqual(
            list(article.approvals.values_list("label", "approved_by__username")),
            [("Trưởng ban", "truongban"), ("Thư ký tòa soạn", "thuky"),
             ("Tổng biên tập", "tongbientap")],
        )
        article.publish(by=self.editor)
        self.assertEqual(article.status, Status.PUBLISHED)
        self.assertEqual(
            list(article.events.order_by("pk").values_list("action", "level")),
            [("submit", ""), ("approve", "Trưởng ban"), ("approve", "Thư ký tòa soạn"),
             ("approve", "Tổng biên tập"), ("publish", "")],
        )
        self.assertEqual(workflow.event_label(article.events.filter(action="approve").first()),
                         "Duyệt (Tổng biên tập)")

    def test_only_the_level_it_waits_at_approves_or_sends_back(self):
        article = self.article()
        for user in (self.managing, self.chief, self.editor):
            with self.subTest(user.username):
                with self.assertRaises(workflow.NotAllowed):
                    article.approve(by=user)
                with self.assertRaises(workflow.NotAllowed):
                    article.request_changes(by=user, note="Sửa.")
        self.assertFalse(article.approvals.exists())
        self.assertEqual(article.events.count(), 1)  # the submission only
        names = [spec.name for spec in workflow.available_transitions(article, self.managing)]
        self.assertNotIn("approve", names)
        self.assertIn("approve", [s.name for s in workflow.available_transitions(article,
                                                                                 self.head)])

    def test_four_eyes_own_content_at_every_level(self):
        article = self.article()
        article.approve(by=self.head)
        # The managing editor rewrote it: it goes back to the first level, and they
        # approve no level of what they wrote.
        Article.objects.filter(pk=article.pk).update(headline="Tít của thư ký")
        article.refresh_from_db()
        article.record_revision(self.managing)
        self.assertEqual(self.waiting_at(article), "Trưởng ban")
        article.approve(by=self.other_head)
        with self.assertRaises(workflow.NotAllowed) as refusal:
            article.approve(by=self.managing)
        self.assertIn("chính mình viết", str(refusal.exception))
        self.assertTrue(workflow.approval_blocked(article, self.managing))

    def test_nobody_approves_two_levels_of_the_same_article(self):
        article = self.article(section=self.sport)
        article.approve(by=self.both)
        self.assertEqual(self.waiting_at(article), "Thư ký tòa soạn")
        with self.assertRaises(workflow.NotAllowed) as refusal:
            article.approve(by=self.both)
        self.assertIn("Trưởng ban", str(refusal.exception))
        self.assertNotIn(article.pk, Article.objects.to_review_by(self.both).values_list(
            "pk", flat=True))
        with newsroom(FOUR_EYES=False):
            event = article.approve(by=self.both)
        self.assertEqual(article.status, Status.APPROVED)
        self.assertIn("quy tắc hai người đang tắt", event.note)

    def test_send_back_to_the_previous_level_drops_its_approval(self):
        article = self.article()
        self.assertNotIn("send_back", [s.name for s in
                                       workflow.available_transitions(article, self.head)])
        with self.assertRaises(workflow.InvalidTransition):
            article.send_back(by=self.head, note="?")
        article.approve(by=self.head)
        with self.assertRaises(workflow.NoteRequired):
            article.send_back(by=self.managing, note=" ")
        with self.assertRaises(workflow.NotAllowed):
            article.send_back(by=self.head, note="Tôi muốn xem lại.")  # no longer its level
        event = article.send_back(by=self.managing, note="Kiểm tra lại số liệu.")
        self.assertEqual((article.status, event.level), (Status.IN_REVIEW, "Trưởng ban"))
        self.assertEqual(self.waiting_at(article), "Trưởng ban")
        self.assertFalse(article.approvals.exists())
        self.assertEqual(workflow.event_label(event), "Trả về cấp trước (Trưởng ban)")

    def test_send_back_to_the_reporter_clears_every_level(self):
        article = self.article()
        article.approve(by=self.head)
        article.request_changes(by=self.managing, note="Thêm nguồn.")
        self.assertEqual(article.status, Status.CHANGES_REQUESTED)
        self.assertFalse(article.approvals.exists())
        article.submit(by=self.reporter)
        self.assertEqual(self.waiting_at(article), "Trưởng ban")

    def test_a_content_edit_returns_it_to_the_first_level_that_did_not_approve_it(self):
        article = self.article()
        article.approve(by=self.head)
        article.approve(by=self.managing)
        Article.objects.filter(pk=article.pk).update(lead="Sapo đã sửa.")
        article.refresh_from_db()
        article.record_revision(self.editor)
        self.assertEqual(article.status, Status.IN_REVIEW)
        self.assertEqual(self.waiting_at(article), "Trưởng ban")
        self.assertFalse(article.approvals.exists())
        event = article.events.get(action="content_changed")
        self.assertIn("Trưởng ban, Thư ký tòa soạn", event.note)
        self.assertEqual(event.level, "Trưởng ban")

    def test_an_edit_after_the_last_level_sends_it_back_to_review_at_the_first(self):
        article = self.article(section=self.sport)
        article.approve(by=self.head)
        article.approve(by=self.managing)
        self.assertEqual(article.status, Status.APPROVED)
        Article.objects.filter(pk=article.pk).update(headline="Tít mới")
        article.refresh_from_db()
        article.record_revision(self.editor)
        self.assertEqual(article.status, Status.IN_REVIEW)
        self.assertEqual(self.waiting_at(article), "Trưởng ban")
        with self.assertRaises(workflow.InvalidTransition):
            article.publish(by=self.editor)

    def test_an_unchanged_save_keeps_the_approvals(self):
        article = self.article()
        article.approve(by=self.head)
        self.assertIsNone(article.record_revision(self.editor))
        self.assertEqual(self.waiting_at(article), "Thư ký tòa soạn")

    def test_approval_is_bound_to_the_content_hash(self):
        article = self.article()
        article.approve(by=self.head)
        approval = article.approvals.get()
        self.assertEqual(approval.content_hash, article.revisions.get(number=1).content_hash)

    def test_a_command_passes_every_level(self):
        article = self.article(status=Status.DRAFT)
        events = article.publish_by_command("import_article", "nhập bài")
        self.assertEqual([event.action for event in events], ["submit", "approve", "publish"])
        self.assertEqual(article.status, Status.PUBLISHED)
        self.assertEqual(article.approvals.count(), 3)


class SensitiveTests(ChainTestCase):
    def test_marking_sensitive_adds_the_top_level(self):
        article = self.article(section=self.sport)
        article.mark_sensitive(by=self.head)
        self.assertTrue(article.is_sensitive)
        article.approve(by=self.head)
        article.approve(by=self.managing)
        self.assertEqual((article.status, self.waiting_at(article)),
                         (Status.IN_REVIEW, "Tổng biên tập"))
        article.approve(by=self.chief)
        self.assertEqual(article.status, Status.APPROVED)

    def test_marking_an_approved_article_sends_it_to_the_top_level(self):
        article = self.article(section=self.sport)
        article.approve(by=self.head)
        article.approve(by=self.managing)
        event = article.mark_sensitive(by=self.editor)
        self.assertEqual((event.from_status, event.to_status),
                         (Status.APPROVED, Status.IN_REVIEW))
        self.assertEqual((article.status, article.approved_by), (Status.IN_REVIEW, None))
        self.assertEqual(self.waiting_at(article), "Tổng biên tập")
        with self.assertRaises(workflow.InvalidTransition):
            article.mark_sensitive(by=self.editor)  # once

    def test_only_the_top_level_lifts_the_mark(self):
        article = self.article(section=self.sport)
        with self.assertRaises(workflow.NotAllowed):
            article.mark_sensitive(by=self.reporter)
        article.mark_sensitive(by=self.head)
        article.approve(by=self.head)
        article.approve(by=self.managing)
        for user in (self.head, self.managing, self.editor):
            with self.subTest(user.username), self.assertRaises(workflow.NotAllowed):
                article.unmark_sensitive(by=user)
        article.unmark_sensitive(by=self.chief)
        # The level it waited at is no longer asked: the chain is complete.
        self.assertEqual((article.status, article.is_sensitive), (Status.APPROVED, False))
        self.assertEqual(article.approved_by, self.managing)


class ToReviewTests(ChainTestCase):
    def ids(self, user):
        return set(Article.objects.to_review_by(user).values_list("pk", flat=True))

    def test_waiting_at_my_level(self):
        first, second = self.article(), self.article(section=self.sport)
        second.approve(by=self.head)
        self.assertEqual(self.ids(self.head), {first.pk})
        self.assertEqual(self.ids(self.other_head), {first.pk})
        self.assertEqual(self.ids(self.managing), {second.pk})
        self.assertEqual(self.ids(self.chief), set())
        self.assertEqual(self.ids(self.editor), set())
        self.assertEqual(self.ids(self.reporter), set())
        first.approve(by=self.head)
        first.approve(by=self.managing)
        self.assertEqual(self.ids(self.chief), {first.pk})
        self.assertEqual(self.ids(self.managing), {second.pk})
        superuser = make_user("admin", is_superuser=True)
        self.assertEqual(self.ids(superuser), {first.pk, second.pk})

    def test_the_list_filter_and_the_home_count(self):
        first = self.article()
        self.article(section=self.sport).approve(by=self.head)
        self.client.force_login(self.managing)
        changelist = reverse("admin:articles_article_changelist")
        response = self.client.get(changelist, {"desk": "to_review"})
        self.assertEqual(response.context["cl"].result_count, 1)
        self.assertContains(response, "Chờ thư ký tòa soạn duyệt")
        self.client.force_login(self.head)
        response = self.client.get(changelist, {"desk": "to_review"})
        self.assertEqual([a.pk for a in response.context["cl"].result_list], [first.pk])
        home = self.client.get(reverse("admin:index"))
        self.assertContains(home, '<span class="desk-count">1</span>', html=True)


    def test_the_list_does_not_grow_with_the_articles_in_review(self):
        self.client.force_login(self.managing)
        changelist = reverse("admin:articles_article_changelist")
        self.article().approve(by=self.head)
        self.client.get(changelist)  # warm: content types, sessions
        with CaptureQueriesContext(connection) as before:
            self.client.get(changelist)
        for section in (self.news, self.sport, self.football):
            self.article(section=section).approve(by=self.other_head)
        self.article(section=self.culture)
        with self.assertNumQueries(len(before)):
            response = self.client.get(changelist)
        self.assertContains(response, "Chờ thư ký tòa soạn duyệt", count=4)
        self.assertContains(response, "Chờ biên tập viên duyệt", count=1)


class MailTests(ChainTestCase):
    def test_mail_goes_to_the_next_levels_group(self):
        with self.captureOnCommitCallbacks(execute=True):
            article = self.article()
        [message] = mail.outbox
        self.assertEqual(sorted(message.to), sorted([self.head.email, self.other_head.email,
                                                     self.both.email]))
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            article.approve(by=self.head)
        [message] = mail.outbox
        self.assertEqual(sorted(message.to), sorted([self.managing.email, self.both.email]))
        self.assertIn("Bài chờ thư ký tòa soạn duyệt", message.subject)
        self.assertIn("Đang chờ cấp duyệt: thư ký tòa soạn", message.body)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            article.approve(by=self.managing)
        [message] = mail.outbox
        self.assertEqual(message.to, [self.chief.email])
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            article.send_back(by=self.chief, note="Xem lại.")
        [message] = mail.outbox
        self.assertEqual(sorted(message.to), sorted([self.managing.email, self.both.email]))
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            article.approve(by=self.managing)
            article.approve(by=self.chief)
        self.assertEqual(mail.outbox[-1].to, [self.reporter.email])  # approved: the author

    def test_marked_sensitive_once_approved_the_top_level_hears_of_it(self):
        article = self.article(section=self.sport)
        with self.captureOnCommitCallbacks(execute=True):
            article.mark_sensitive(by=self.head)  # in review: nobody new to tell
        self.assertEqual(mail.outbox, [])
        article.approve(by=self.head)
        article.approve(by=self.managing)
        article.unmark_sensitive(by=self.chief)
        self.assertEqual(article.status, Status.APPROVED)
        with self.captureOnCommitCallbacks(execute=True):
            article.mark_sensitive(by=self.editor)
        [message] = mail.outbox
        self.assertEqual(message.to, [self.chief.email])
        self.assertIn("Bài chờ tổng biên tập duyệt", message.subject)


class ChainAdminTests(ChainTestCase):
    def setUp(self):
        self.admin = make_user("admin", is_superuser=True)

    def post_chain(self, **fields):
        data = {
            "name": "Kinh tế", "kind": "", "levels-TOTAL_FORMS": "1",
            "levels-INITIAL_FORMS": "0", "levels-MIN_NUM_FORMS": "1",
            "levels-MAX_NUM_FORMS": "1000", "levels-0-position": "1",
            "levels-0-group": str(group(roles.SECTION_HEADS).pk), "levels-0-label": "",
        } | fields
        self.client.force_login(self.admin)
        return self.client.post(reverse("admin:articles_approvalchain_add"), data)

    def test_a_chain_is_added_with_its_levels(self):
        response = self.post_chain(sections=[str(self.culture.pk)])
        self.assertEqual(response.status_code, 302)
        chain = ApprovalChain.objects.get(name="Kinh tế")
        self.assertEqual([str(level) for level in chain.levels.all()], ["Trưởng ban"])
        listing = self.client.get(reverse("admin:articles_approvalchain_changelist"))
        self.assertContains(listing, "Trưởng ban → Thư ký tòa soạn → Tổng biên tập")

    def test_a_chain_naming_nothing_is_refused(self):
        response = self.post_chain()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Chọn chuyên mục hoặc thể loại")
        self.assertFalse(ApprovalChain.objects.filter(name="Kinh tế").exists())

    def test_a_level_whose_group_may_not_approve_is_refused(self):
        response = self.post_chain(**{"sections": [str(self.culture.pk)],
                                      "levels-0-group": str(group(roles.REPORTERS).pk)})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "chưa có quyền “Duyệt bài”")
        self.assertFalse(ApprovalLevel.objects.filter(chain__name="Kinh tế").exists())

    def test_a_second_default_chain_is_refused(self):
        response = self.post_chain(is_default="on")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(ApprovalChain.objects.filter(is_default=True).count(), 1)

    def test_editors_and_levels_may_not_change_chains(self):
        for user in (self.editor, self.chief, self.head):
            self.client.force_login(user)
            with self.subTest(user.username):
                response = self.client.get(reverse("admin:articles_approvalchain_add"))
                self.assertEqual(response.status_code, 403)


class WorkflowBoxTests(ChainTestCase):
    def change(self, article, user):
        self.client.force_login(user)
        return self.client.get(reverse("admin:articles_article_change", args=[article.pk]))

    def test_the_box_shows_where_the_article_is_and_each_level(self):
        article = self.article()
        article.approve(by=self.head)
        response = self.change(article, self.managing)
        self.assertContains(response, "Chờ thư ký tòa soạn duyệt")
        self.assertContains(response, 'aria-current="step"')
        self.assertContains(response, "đã duyệt (truongban,")
        shown = [b["transition"].name for b in response.context["workflow"]["buttons"]]
        self.assertEqual(shown, ["approve", "send_back", "request_changes", "mark_sensitive"])
        response = self.change(article, self.head)
        shown = [b["transition"].name for b in response.context["workflow"]["buttons"]]
        self.assertEqual(shown, ["mark_sensitive"])

    def test_the_box_says_why_a_second_level_is_refused(self):
        article = self.article(section=self.sport)
        article.approve(by=self.both)
        response = self.change(article, self.both)
        self.assertContains(response, "Bạn đã duyệt bài này ở cấp “Trưởng ban”")

    def test_the_buttons_post_through_the_levels(self):
        article = self.article()
        self.client.force_login(self.head)
        url = reverse("admin:articles_article_transition", args=[article.pk, "approve"])
        response = self.client.post(url, {})
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.managing)
        url = reverse("admin:articles_article_transition", args=[article.pk, "send_back"])
        response = self.client.post(url, {"note": "Thiếu ảnh."}, follow=True)
        self.assertContains(response, "Đã trả bài")
        self.assertEqual(ArticleApproval.objects.filter(article=article).count(), 0)
