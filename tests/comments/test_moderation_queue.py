"""The moderation queue in the admin: order, filters, counts, bulk actions,
the buttons and staff reply on a comment's page, permissions, escaping and
the query budget."""

import re

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from articles import roles
from comments import moderation
from comments.models import Comment, ModerationEvent, Report
from tests.factories import make_article, make_comment, make_member, make_reporter, make_user

Status = Comment.Status
QUEUE = reverse("admin:comments_comment_changelist")

BANNED = {"code": "banned_word", "label": "Từ cấm", "matched": ["ngu"]}
LINKS = {"code": "links", "label": "Có đường dẫn", "matched": ["http://x.vn"]}
# A code that is a prefix of another, and a label quoting a code: neither may match.
LINK = {"code": "link", "label": 'Nhãn có "code": "links" bên trong', "matched": []}


def change_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


def moderate_url(comment):
    return reverse("admin:comments_comment_moderate", args=[comment.pk])


def reply_url(comment):
    return reverse("admin:comments_comment_reply", args=[comment.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def ids(response):
    return [comment.pk for comment in response.context["cl"].result_list]


class QueueTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_member(roles.MODERATORS, "kiemduyet", first_name="Lê Kiểm")
        cls.editor = make_member(roles.EDITORS, "bientap")
        cls.reporter = make_reporter("phongvien")
        cls.article = make_article(headline="Lũ về miền Trung")
        cls.other_article = make_article(headline="Giá lúa tăng")

    def setUp(self):
        self.client.force_login(self.moderator)

    def count(self, article=None):
        article = article or self.article
        article.refresh_from_db()
        return article.comment_count


class QueueListTests(QueueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.published_old = make_comment(cls.article, Status.PUBLISHED, minutes_ago=50)
        cls.pending_new = make_comment(cls.article, minutes_ago=5, reasons=[LINKS])
        cls.rejected = make_comment(
            cls.other_article, Status.REJECTED, minutes_ago=40, reasons=[BANNED]
        )
        cls.pending_old = make_comment(cls.other_article, minutes_ago=30, reasons=[BANNED, LINKS])
        cls.spam = make_comment(cls.article, Status.SPAM, minutes_ago=20, reasons=[LINK])

    def test_pending_first_then_oldest_first(self):
        response = self.client.get(QUEUE)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            ids(response),
            [
                self.pending_old.pk,
                self.pending_new.pk,
                self.published_old.pk,
                self.rejected.pk,
                self.spam.pk,
            ],
        )

    def test_filter_by_state(self):
        response = self.client.get(QUEUE, {"status__exact": "pending"})
        self.assertEqual(ids(response), [self.pending_old.pk, self.pending_new.pk])
        response = self.client.get(QUEUE, {"status__exact": "spam"})
        self.assertEqual(ids(response), [self.spam.pk])

    def test_filter_by_reason(self):
        response = self.client.get(QUEUE, {"reason": "banned_word"})
        self.assertEqual(ids(response), [self.pending_old.pk, self.rejected.pk])
        response = self.client.get(QUEUE, {"reason": "links"})
        self.assertEqual(ids(response), [self.pending_old.pk, self.pending_new.pk])
        response = self.client.get(QUEUE, {"reason": "link"})
        self.assertEqual(ids(response), [self.spam.pk])
        response = self.client.get(QUEUE, {"reason": "nothing"})
        self.assertEqual(ids(response), [])

    def test_reason_filter_offers_the_stored_labels(self):
        response = self.client.get(QUEUE)
        self.assertContains(response, "?reason=banned_word")
        self.assertContains(response, "Từ cấm")
        self.assertContains(response, "?reason=links")

    def test_filter_by_article(self):
        response = self.client.get(QUEUE, {"article": self.other_article.pk})
        self.assertEqual(ids(response), [self.pending_old.pk, self.rejected.pk])
        self.assertContains(response, "Giá lúa tăng")
        combined = self.client.get(
            QUEUE, {"article": self.other_article.pk, "status__exact": "pending"}
        )
        self.assertEqual(ids(combined), [self.pending_old.pk])

    def test_a_bad_article_id_filters_nothing(self):
        response = self.client.get(QUEUE, {"article": "abc"})
        self.assertEqual(len(ids(response)), 5)

    def test_search_by_name_and_text(self):
        named = make_comment(self.article, name="Nguyễn Thị Hoa", body="Cảm ơn tòa soạn.")
        response = self.client.get(QUEUE, {"q": "Hoa"})
        self.assertEqual(ids(response), [named.pk])
        response = self.client.get(QUEUE, {"q": "tòa soạn"})
        self.assertEqual(ids(response), [named.pk])

    def test_counts_per_state(self):
        response = self.client.get(QUEUE, {"status__exact": "spam"})
        counts = {state["status"]: state["count"] for state in response.context["state_counts"]}
        self.assertEqual(counts, {"pending": 2, "published": 1, "rejected": 1, "spam": 1})
        html = response.content.decode()
        match = re.search(
            r'data-status="pending">.*?<strong class="state-count">(\d+)</strong>', html
        )
        self.assertEqual(match.group(1), "2")
        self.assertContains(response, 'href="?status__exact=rejected"')

    def test_columns_show_reasons_article_links_and_reports(self):
        Report.objects.create(comment=self.pending_new, reason="abuse", client_hash="r1")
        Comment.objects.filter(pk=self.pending_new.pk).update(report_count=1)
        response = self.client.get(QUEUE, {"article": self.article.pk})
        self.assertContains(response, '<span class="reason-chip" data-code="links"')
        self.assertContains(response, "Có đường dẫn")
        self.assertContains(response, f'href="{QUEUE}?article={self.article.pk}"')
        self.assertContains(response, f'href="{self.article.get_absolute_url()}"')
        self.assertContains(response, 'class="status-badge comment-status-pending"')
        self.assertContains(response, '<td class="field-report_count">1</td>', html=True)

    def test_moderators_get_no_link_to_the_article_admin(self):
        article_admin = reverse("admin:articles_article_change", args=[self.article.pk])
        self.assertNotContains(self.client.get(QUEUE), article_admin)
        self.client.force_login(self.editor)
        self.assertContains(self.client.get(QUEUE), article_admin)

    def test_staff_replies_carry_the_newsroom_badge(self):
        make_comment(self.article, Status.PUBLISHED, name="Tòa soạn", staff_user=self.editor)
        response = self.client.get(QUEUE)
        self.assertContains(response, '<span class="staff-badge">Tòa soạn</span>', count=1)

    def test_no_add_and_no_delete(self):
        response = self.client.get(QUEUE)
        self.assertNotContains(response, reverse("admin:comments_comment_add"))
        actions = [
            name for name, _label in response.context["action_form"].fields["action"].choices
        ]
        self.assertEqual(actions, ["", "approve_selected", "reject_selected", "mark_spam_selected"])
        self.assertEqual(self.client.get(reverse("admin:comments_comment_add")).status_code, 403)
        superuser = make_user("sep", is_superuser=True)
        self.client.force_login(superuser)
        self.assertEqual(self.client.get(reverse("admin:comments_comment_add")).status_code, 403)
        delete = reverse("admin:comments_comment_delete", args=[self.spam.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(Comment.objects.filter(pk=self.spam.pk).exists())


class HighlightTests(QueueTestCase):
    def test_matches_are_highlighted_and_the_text_escaped(self):
        make_comment(self.article, body="<script>alert(1)</script> đồ ngu", reasons=[BANNED])
        response = self.client.get(QUEUE)
        html = response.content.decode()
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)
        self.assertNotIn("<script>alert(1)", html)
        self.assertRegex(html, r"<mark[^>]*>ngu</mark>")

    def test_long_text_is_cut_before_highlighting(self):
        body = "a & b " * 40 + "ngu ở cuối"
        make_comment(self.article, body=body, reasons=[BANNED])
        html = self.client.get(QUEUE).content.decode()
        cell = re.search(r'<th class="field-short_body">(.*?)</th>', html, re.S).group(1)
        self.assertIn("…", cell)
        self.assertNotIn("ngu ở cuối", cell)
        self.assertNotIn("<mark", cell)
        self.assertNotRegex(cell, r"&(?!amp;)")  # every & escaped whole, none cut in half

    def test_change_page_highlights_the_whole_text(self):
        body = "a & b " * 40 + "<b>ngu</b> ở cuối"
        comment = make_comment(self.article, body=body, reasons=[BANNED])
        html = self.client.get(change_url(comment)).content.decode()
        self.assertRegex(html, r"&lt;b&gt;<mark[^>]*>ngu</mark>&lt;/b&gt; ở cuối")


class BulkActionTests(QueueTestCase):
    def setUp(self):
        super().setUp()
        self.comments = [make_comment(self.article, minutes_ago=n) for n in range(3)]
        self.other = make_comment(self.other_article, Status.PUBLISHED)

    def act(self, action, comments):
        return self.client.post(
            QUEUE,
            {"action": action, "_selected_action": [comment.pk for comment in comments]},
            follow=True,
        )

    def statuses(self):
        return [Comment.objects.get(pk=comment.pk).status for comment in self.comments]

    def test_approve_selected(self):
        response = self.act("approve_selected", self.comments[:2])
        self.assertEqual(self.statuses(), ["published", "published", "pending"])
        self.assertEqual(self.count(), 2)
        self.assertEqual(self.count(self.other_article), 1)
        self.assertIn("Đã duyệt 2 bình luận.", messages_of(response))

    def test_reject_selected_uncounts_published_comments(self):
        self.act("approve_selected", self.comments)
        self.assertEqual(self.count(), 3)
        response = self.act("reject_selected", self.comments[1:])
        self.assertEqual(self.statuses(), ["published", "rejected", "rejected"])
        self.assertEqual(self.count(), 1)
        self.assertIn("Đã từ chối 2 bình luận.", messages_of(response))

    def test_mark_spam_selected(self):
        self.act("approve_selected", self.comments[:1])
        response = self.act("mark_spam_selected", [*self.comments, self.other])
        self.assertEqual(self.statuses(), ["spam", "spam", "spam"])
        self.assertEqual((self.count(), self.count(self.other_article)), (0, 0))
        self.assertIn("Đã đánh dấu 4 bình luận là thư rác.", messages_of(response))

    def test_publish_reject_publish_counts(self):
        for action, expected in [
            ("approve_selected", 3),
            ("reject_selected", 0),
            ("approve_selected", 3),
        ]:
            self.act(action, self.comments)
            self.assertEqual(self.count(), expected, action)

    def test_comments_already_in_the_state_are_reported(self):
        self.act("approve_selected", self.comments[:1])
        response = self.act("approve_selected", self.comments)
        self.assertIn("Đã duyệt 2 bình luận.", messages_of(response))
        self.assertIn("1 bình luận đã ở trạng thái này từ trước.", messages_of(response))
        self.assertEqual(self.count(), 3)

    def test_every_action_is_logged_with_who_and_when(self):
        before = timezone.now()
        self.act("reject_selected", self.comments[:2])
        events = ModerationEvent.objects.filter(to_status="rejected").order_by("comment_id")
        self.assertEqual(
            [(e.comment_id, e.actor, e.from_status) for e in events],
            [(c.pk, self.moderator, "pending") for c in self.comments[:2]],
        )
        for event in events:
            self.assertGreaterEqual(event.created_at, before)
        comment = Comment.objects.get(pk=self.comments[0].pk)
        self.assertEqual(comment.moderated_by, self.moderator)

    def test_editors_moderate_too(self):
        self.client.force_login(self.editor)
        self.act("approve_selected", self.comments)
        self.assertEqual(self.count(), 3)
        self.assertEqual(
            set(
                ModerationEvent.objects.filter(to_status="published")
                .exclude(note="created")
                .values_list("actor", flat=True)
            ),
            {self.editor.pk},
        )

    def test_reporters_cannot_act(self):
        self.client.force_login(self.reporter)
        response = self.client.post(
            QUEUE, {"action": "approve_selected", "_selected_action": [self.comments[0].pk]}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.statuses(), ["pending"] * 3)

    def test_without_the_moderate_permission_there_are_no_actions(self):
        viewer = make_user("chixem")
        viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
        self.client.force_login(viewer)
        response = self.client.get(QUEUE)
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["action_form"])
        self.act("approve_selected", self.comments)
        self.assertEqual(self.statuses(), ["pending"] * 3)


class CommentPageTests(QueueTestCase):
    def setUp(self):
        super().setUp()
        self.comment = make_comment(self.article, reasons=[BANNED], body="Đồ ngu.")

    def test_page_is_read_only_with_moderation_buttons(self):
        response = self.client.get(change_url(self.comment))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="_save"')
        self.assertContains(response, f'action="{moderate_url(self.comment)}"')
        for status in ("published", "rejected", "spam"):
            self.assertContains(response, f'name="status" value="{status}"')

    def test_a_post_to_the_change_form_changes_nothing(self):
        response = self.client.post(change_url(self.comment), {"status": "published", "body": "x"})
        self.assertEqual(response.status_code, 403)
        self.comment.refresh_from_db()
        self.assertEqual((self.comment.status, self.comment.body), ("pending", "Đồ ngu."))

    def test_buttons_change_the_status_and_log_the_note(self):
        for status, expected_count in [
            ("published", 1),
            ("rejected", 0),
            ("spam", 0),
            ("published", 1),
        ]:
            response = self.client.post(
                moderate_url(self.comment), {"status": status, "note": "xem lại"}
            )
            self.assertRedirects(response, change_url(self.comment))
            self.comment.refresh_from_db()
            self.assertEqual(self.comment.status, status)
            self.assertEqual(self.count(), expected_count)
        event = self.comment.events.first()
        self.assertEqual(
            (event.actor, event.to_status, event.note), (self.moderator, "published", "xem lại")
        )

    def test_the_page_shows_the_log_and_reports(self):
        self.client.post(moderate_url(self.comment), {"status": "rejected"})
        Report.objects.create(comment=self.comment, reason="abuse", client_hash="r1")
        response = self.client.get(change_url(self.comment))
        self.assertContains(response, 'class="moderation-event"', count=2)  # created, rejected
        self.assertContains(response, "Lê Kiểm")
        self.assertContains(response, "Xúc phạm, lăng mạ")
        self.assertNotContains(response, 'value="rejected"')  # the current state has no button

    def test_same_state_is_reported(self):
        self.client.post(moderate_url(self.comment), {"status": "rejected"})
        response = self.client.post(moderate_url(self.comment), {"status": "rejected"}, follow=True)
        self.assertIn("Bình luận đã ở trạng thái này từ trước.", messages_of(response))
        self.assertEqual(self.comment.events.filter(to_status="rejected").count(), 1)

    def test_bad_requests(self):
        self.assertEqual(self.client.get(moderate_url(self.comment)).status_code, 405)
        self.assertEqual(
            self.client.post(moderate_url(self.comment), {"status": "pending"}).status_code, 400
        )
        missing = reverse("admin:comments_comment_moderate", args=[999999])
        self.assertEqual(self.client.post(missing, {"status": "spam"}).status_code, 404)
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.status, "pending")

    def test_buttons_need_the_moderate_permission(self):
        viewer = make_user("chixem")
        viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
        self.client.force_login(viewer)
        response = self.client.get(change_url(self.comment))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, moderate_url(self.comment))
        self.assertEqual(
            self.client.post(moderate_url(self.comment), {"status": "spam"}).status_code, 403
        )
        self.assertEqual(
            self.client.post(reply_url(self.comment), {"body": "Chào bạn"}).status_code, 403
        )
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.status, "pending")


class StaffReplyTests(QueueTestCase):
    def setUp(self):
        super().setUp()
        self.comment = make_comment(self.article, Status.PUBLISHED, body="Khi nào có điện lại?")

    def test_reply_is_published_under_the_comment(self):
        response = self.client.get(change_url(self.comment))
        self.assertContains(response, f'action="{reply_url(self.comment)}"')
        response = self.client.post(
            reply_url(self.comment), {"body": "  Điện lực   cho biết 17 giờ.  "}, follow=True
        )
        self.assertIn("Đã đăng câu trả lời của tòa soạn.", messages_of(response))
        reply = Comment.objects.get(parent=self.comment)
        self.assertEqual(reply.status, "published")
        self.assertEqual(reply.name, "Tòa soạn")
        self.assertEqual(reply.staff_user, self.moderator)
        self.assertEqual(reply.article, self.article)
        self.assertEqual(reply.client_hash, "staff")
        self.assertTrue(reply.body.startswith("Điện lực"))
        self.assertEqual(len(reply.body_hash), 64)
        self.assertEqual(self.count(), 2)
        self.assertTrue(reply.events.filter(actor=self.moderator).exists())

    def test_a_reply_to_a_reply_joins_the_thread(self):
        reader_reply = make_comment(self.article, Status.PUBLISHED, parent=self.comment)
        self.client.post(reply_url(reader_reply), {"body": "Cảm ơn bạn."})
        staff = Comment.objects.get(staff_user=self.moderator)
        self.assertEqual(staff.parent, self.comment)

    def test_no_reply_to_a_comment_that_is_not_published(self):
        pending = make_comment(self.article)
        response = self.client.get(change_url(pending))
        self.assertNotContains(response, reply_url(pending))
        response = self.client.post(reply_url(pending), {"body": "Chào bạn."}, follow=True)
        self.assertIn(
            "Chỉ trả lời được bình luận đang hiện. Hãy duyệt bình luận trước.",
            messages_of(response),
        )
        self.assertFalse(Comment.objects.filter(parent=pending).exists())

    def test_an_empty_reply_is_refused(self):
        response = self.client.post(reply_url(self.comment), {"body": "   "}, follow=True)
        self.assertTrue(messages_of(response))
        self.assertFalse(Comment.objects.filter(parent=self.comment).exists())
        self.assertEqual(self.count(), 1)

    def test_reply_needs_post(self):
        self.assertEqual(self.client.get(reply_url(self.comment)).status_code, 405)

    def test_only_the_moderation_permission_replies_as_the_newsroom(self):
        """Issue 9, point 2: the reply is checked on the server, whatever the page showed."""
        inactive = make_member(roles.MODERATORS, "nghiviec", is_active=False)
        for user in (self.reporter, make_user("chixem"), inactive):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.post(reply_url(self.comment), {"body": "Tòa soạn đây."})
                self.assertIn(response.status_code, (302, 403))
                if response.status_code == 302:  # the admin sends an inactive user to log in
                    self.assertIn(reverse("admin:login"), response["Location"])
                with self.assertRaises(PermissionDenied):
                    moderation.reply_as_newsroom(self.comment, user, "Tòa soạn đây.", "0" * 64)
        self.assertFalse(Comment.objects.filter(parent=self.comment).exists())
        self.client.force_login(self.editor)  # editors moderate too
        self.client.post(reply_url(self.comment), {"body": "Biên tập trả lời."})
        reply = Comment.objects.get(parent=self.comment)
        self.assertEqual(reply.staff_user, self.editor)
        self.assertTrue(reply.is_staff_reply)


class PermissionTests(QueueTestCase):
    def test_moderators_see_only_comments(self):
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, QUEUE)
        self.assertNotContains(response, reverse("admin:articles_article_changelist"))
        self.assertNotContains(response, reverse("admin:app_list", args=["articles"]))
        self.assertEqual(
            self.client.get(reverse("admin:articles_article_changelist")).status_code, 403
        )

    def test_moderators_read_the_moderation_log(self):
        make_comment(self.article)
        response = self.client.get(reverse("admin:comments_moderationevent_changelist"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, reverse("admin:comments_moderationevent_add"))

    def test_editors_see_the_queue(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(QUEUE).status_code, 200)

    def test_reporters_are_refused(self):
        self.client.force_login(self.reporter)
        self.assertEqual(self.client.get(QUEUE).status_code, 403)
        comment = make_comment(self.article)
        self.assertEqual(self.client.get(change_url(comment)).status_code, 403)
        self.assertEqual(
            self.client.post(moderate_url(comment), {"status": "published"}).status_code, 403
        )

    def test_anonymous_visitors_are_sent_to_log_in(self):
        self.client.logout()
        response = self.client.get(QUEUE)
        self.assertRedirects(response, f"{reverse('admin:login')}?next={QUEUE}")
        comment = make_comment(self.article)
        response = self.client.post(moderate_url(comment), {"status": "published"})
        self.assertEqual(response.status_code, 302)
        comment.refresh_from_db()
        self.assertEqual(comment.status, "pending")


class QueryBudgetTests(QueueTestCase):
    """The queue runs a fixed number of queries however many comments it lists."""

    def fill(self, how_many):
        articles = [self.article, self.other_article, make_article(status="draft")]
        for n in range(how_many):
            make_comment(
                articles[n % 3],
                [Status.PENDING, Status.PUBLISHED, Status.REJECTED][n % 3],
                minutes_ago=n,
                reasons=[BANNED, LINKS][: n % 3],
                staff_user=self.editor if n % 5 == 0 else None,
            )

    def queries(self, params=None):
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(QUEUE, params or {})
        self.assertEqual(response.status_code, 200)
        return len(context.captured_queries)

    def test_5_and_50_comments_cost_the_same(self):
        self.fill(5)
        few = self.queries()
        filtered_few = self.queries({"article": self.article.pk, "reason": "links"})
        self.fill(45)
        self.assertEqual(self.queries(), few)
        self.assertEqual(
            self.queries({"article": self.article.pk, "reason": "links"}), filtered_few
        )
        # session, user, permissions (2), reason choices, state counts, two counts, the page
        with self.assertNumQueries(9):
            self.client.get(QUEUE)


class QueueQuerySetTests(TestCase):
    """The queue's filters as chainable QuerySet methods, on SQLite and PostgreSQL."""

    @classmethod
    def setUpTestData(cls):
        cls.article = make_article()
        cls.other = make_article()
        reason = {"code": "links", "label": "Có liên kết", "matched": ['"code": "phone"']}
        cls.with_links = make_comment(cls.article, reasons=[reason])
        cls.elsewhere = make_comment(cls.other, reasons=[reason])
        cls.plain = make_comment(cls.article, Status.PUBLISHED)

    def test_with_reason_matches_the_code_only(self):
        self.assertEqual(
            set(Comment.objects.with_reason("links")), {self.with_links, self.elsewhere}
        )
        # The same words inside a match are not the code.
        self.assertFalse(Comment.objects.with_reason("phone").exists())

    def test_filters_chain(self):
        queue = Comment.objects.with_queue_order().on_article(self.article.pk)
        self.assertEqual(list(queue.with_reason("links")), [self.with_links])
        self.assertEqual(
            dict(queue.order_by("queue_order").values_list("pk", "queue_order")),
            {self.with_links.pk: 0, self.plain.pk: 1},
        )

    def test_count_by_status_and_reason_labels(self):
        counts = Comment.objects.on_article(self.article.pk).count_by_status()
        self.assertEqual(counts, {"pending": 1, "published": 1, "rejected": 0, "spam": 0})
        self.assertEqual(Comment.objects.reason_labels(10), {"links": "Có liên kết"})


class NoteLabelTests(QueueTestCase):
    """The notes the system writes in the log are shown translated; a
    moderator's own note as typed."""

    def test_the_log_shows_the_systems_notes_translated(self):
        comment = make_comment(self.article)
        comment.moderate(Status.PUBLISHED, by=self.moderator, note=ModerationEvent.Note.QUEUE)
        comment.moderate(Status.REJECTED, by=self.moderator, note="Quảng cáo trá hình")
        for url in (
            reverse("admin:comments_moderationevent_changelist"),
            reverse("admin:comments_comment_change", args=[comment.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, "Bình luận mới")
                self.assertContains(response, "Thao tác hàng loạt trên hàng chờ duyệt")
                self.assertContains(response, "Quảng cáo trá hình")
                self.assertNotContains(response, ">queue<")
                self.assertNotContains(response, ">created<")

    def test_english_labels(self):
        events = {event.note: event for event in make_comment(self.article).events.all()}
        with translation.override("en"):
            self.assertEqual(str(events["created"].note_label), "New comment")
            self.assertEqual(
                str(ModerationEvent.Note.QUEUE.label), "Bulk action in the moderation queue"
            )
            self.assertEqual(str(ModerationEvent.Note.REPORTS.label), "Reader reports")
