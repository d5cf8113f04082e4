"""Working through the queue from a comment's page (issue 13, point 9): a
decision then the next pending comment, "N" to skip, the message when none is
left, the permission checked on the server, the shortcut help line, and the
pre-moderation reason shown as a neutral state rather than a warning chip."""

from django.contrib.auth.models import Permission
from django.test import TestCase
from django.urls import reverse

from articles import roles
from comments.models import Comment
from tests.comments.test_moderation_queue import (
    QUEUE,
    QueueTestCase,
    change_url,
    messages_of,
    moderate_url,
)
from tests.factories import make_article, make_comment, make_member, make_user

Status = Comment.Status
PRE_MODERATION = {"code": "pre_moderation", "label": "Duyệt trước theo chế độ của bài"}
BANNED = {"code": "banned_word", "label": "Từ bị cấm", "matched": ["ngu"]}


def next_url(comment):
    return reverse("admin:comments_comment_next", args=[comment.pk])


class ApproveAndNextTests(QueueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Queue order: pending, oldest first; a published comment in between in
        # time, and one pending comment older than the one being decided.
        cls.skipped = make_comment(cls.article, minutes_ago=50, name="Bỏ qua")
        cls.current = make_comment(cls.article, minutes_ago=40, name="Đang xem")
        cls.published = make_comment(cls.other_article, Status.PUBLISHED, minutes_ago=35)
        cls.following = make_comment(cls.other_article, minutes_ago=30, name="Kế tiếp")
        cls.newest = make_comment(cls.article, minutes_ago=10, name="Mới nhất")

    def decide(self, comment, status, **extra):
        return self.client.post(moderate_url(comment), {"status_and_next": status, **extra})

    def test_approve_and_next_opens_the_oldest_pending_after_this_one(self):
        response = self.decide(self.current, "published", note="ổn")
        self.assertRedirects(response, change_url(self.following))
        self.current.refresh_from_db()
        self.assertEqual(self.current.status, Status.PUBLISHED)
        self.assertEqual(self.current.events.first().note, "ổn")
        self.assertEqual(self.count(), 1)  # the article's count follows
        self.assertIn("Bình luận của “Đang xem” giờ ở trạng thái: Đã hiện.", messages_of(response))

    def test_reject_and_spam_and_next(self):
        self.assertRedirects(self.decide(self.current, "rejected"), change_url(self.following))
        self.assertRedirects(self.decide(self.following, "spam"), change_url(self.newest))
        self.current.refresh_from_db()
        self.following.refresh_from_db()
        self.assertEqual((self.current.status, self.following.status), ("rejected", "spam"))

    def test_same_created_at_is_ordered_by_id(self):
        twin = make_comment(self.article, name="Sinh đôi", created_at=self.current.created_at)
        self.assertGreater(twin.pk, self.current.pk)
        self.assertRedirects(self.decide(self.current, "published"), change_url(twin))

    def test_a_decision_already_made_still_moves_on(self):
        self.current.moderate(Status.REJECTED, by=self.moderator)
        response = self.decide(self.current, "rejected")
        self.assertRedirects(response, change_url(self.following))
        self.assertIn("Bình luận đã ở trạng thái này từ trước.", messages_of(response))

    def test_nothing_after_the_last_one_says_so_and_opens_the_queue(self):
        response = self.decide(self.newest, "published")
        self.assertRedirects(response, QUEUE)
        self.assertIn(
            "Không còn bình luận chờ duyệt nào sau bình luận này. "
            "Những bình luận đã bỏ qua vẫn ở đầu hàng đợi.",
            messages_of(response),
        )

    def test_nothing_pending_at_all(self):
        for comment in (self.skipped, self.current, self.following):
            comment.moderate(Status.PUBLISHED, by=self.moderator)
        response = self.decide(self.newest, "spam")
        self.assertRedirects(response, QUEUE)
        self.assertIn("Đã hết bình luận chờ duyệt.", messages_of(response))

    def test_skip_with_n_decides_nothing(self):
        response = self.client.get(next_url(self.current))
        self.assertRedirects(response, change_url(self.following))
        self.current.refresh_from_db()
        self.assertEqual(self.current.status, Status.PENDING)
        self.assertRedirects(self.client.get(next_url(self.published)), change_url(self.following))

    def test_bad_decisions(self):
        for data in (
            {},
            {"status_and_next": "pending"},
            {"status": "published", "status_and_next": "published"},
        ):
            with self.subTest(data=data):
                self.assertEqual(
                    self.client.post(moderate_url(self.current), data).status_code, 400
                )
        self.current.refresh_from_db()
        self.assertEqual(self.current.status, Status.PENDING)

    def test_the_permission_is_checked_on_the_server(self):
        viewer = make_user("chixem")
        viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
        self.client.force_login(viewer)
        page = self.client.get(change_url(self.current))
        self.assertNotContains(page, 'name="status_and_next"')
        self.assertContains(page, "Phím tắt: N sang bình luận chờ duyệt kế tiếp.")
        self.assertEqual(self.decide(self.current, "published").status_code, 403)
        self.current.refresh_from_db()
        self.assertEqual(self.current.status, Status.PENDING)
        # Skipping is only looking: who may see the comment may skip.
        self.assertRedirects(self.client.get(next_url(self.current)), change_url(self.following))
        self.client.force_login(self.reporter)
        self.assertEqual(self.client.get(next_url(self.current)).status_code, 403)
        self.assertEqual(self.decide(self.current, "published").status_code, 403)

    def test_editors_moderate_and_move_on(self):
        self.client.force_login(self.editor)
        self.assertRedirects(self.decide(self.current, "published"), change_url(self.following))

    def test_the_page_offers_the_next_buttons_and_documents_the_shortcuts(self):
        response = self.client.get(change_url(self.current))
        for status, key in (("published", "a"), ("rejected", "r"), ("spam", "s")):
            self.assertContains(response, f'name="status_and_next" value="{status}"')
            self.assertContains(response, f'data-shortcut="{key}"')
        self.assertContains(response, "Duyệt và sang bình luận kế tiếp")
        self.assertContains(response, f'href="{next_url(self.current)}" data-shortcut="n"')
        self.assertContains(response, "Phím tắt: A duyệt, R từ chối, S thư rác")
        self.assertContains(response, "newsroom_admin/comment_shortcuts.js")
        # A published comment has no "approve" to press.
        response = self.client.get(change_url(self.published))
        self.assertNotContains(response, 'name="status_and_next" value="published"')


class NeutralReasonTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_member(roles.MODERATORS, "kiemduyet")
        article = make_article()
        cls.held = make_comment(article, reasons=[PRE_MODERATION])
        cls.flagged = make_comment(article, reasons=[BANNED, PRE_MODERATION])

    def setUp(self):
        self.client.force_login(self.moderator)

    def test_pre_moderation_is_a_state_not_a_warning_chip(self):
        for url in (QUEUE, change_url(self.held)):
            with self.subTest(url=url):
                response = self.client.get(url)
                html = response.content.decode()
                self.assertInHTML(
                    '<span class="reason-neutral" data-code="pre_moderation">'
                    "Duyệt trước theo chế độ của bài</span>",
                    html,
                )
                self.assertNotIn('class="reason-chip" data-code="pre_moderation"', html)

    def test_real_reasons_stay_chips(self):
        response = self.client.get(change_url(self.flagged))
        self.assertContains(
            response,
            '<span class="reason-chip" data-code="banned_word">Từ bị cấm: ngu</span>',
            html=True,
        )
        response = self.client.get(QUEUE)
        self.assertContains(response, 'class="reason-chip" data-code="banned_word" title="ngu"')
