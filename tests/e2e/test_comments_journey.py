"""A reader comments in a real browser; a moderator approves it in the queue.

Uses the browser set-up of test_journeys.py (Debian's Chromium, skipped on a
machine without it, a failure in CI).
"""

import importlib

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import override_settings

from articles import roles
from comments.models import Comment
from tests.e2e.test_journeys import PASSWORD, PHONE, BrowserTestCase, expect, log_in, pytestmark
from tests.factories import make_article, make_member, make_section

__all__ = ["pytestmark"]  # the e2e marker and the Chromium skip apply here too


def ensure_moderator_group():
    """The comment moderators' group that migration comments 0002 creates (a
    transactional test case flushes it)."""
    migration = importlib.import_module("comments.migrations.0002_moderator_group")
    group, _created = Group.objects.get_or_create(name=roles.MODERATORS)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="comments", codename__in=migration.MODERATOR_PERMISSIONS
        )
    )


@override_settings(NEWSROOM={**settings.NEWSROOM, "COMMENTS_MIN_SECONDS": 1})
class CommentJourneyTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        ensure_moderator_group()
        cache.clear()  # rate-limit counters from earlier tests (all from 127.0.0.1)

    def test_reader_comments_moderator_approves_reader_sees_it(self):
        article = make_article(
            headline="Khánh thành cầu mới qua sông Cái", section=make_section("Xã hội")
        )
        make_member(roles.MODERATORS, "kiemduyet", password=PASSWORD)
        text = "Cây cầu giúp bà con đi lại thuận tiện hơn nhiều.\nCảm ơn báo."

        # A reader on a phone writes a comment.
        reader = self.new_page(**PHONE)
        reader.goto(self.url(article.get_absolute_url()))
        block = reader.locator("#binh-luan")
        expect(block.locator("h2")).to_have_text("Bình luận")
        # The page may come from a cache: its form gets a render token when the
        # reader starts writing (issue 9, point 8).
        rendered = block.locator("[name=rendered]")
        expect(rendered).to_have_value("")
        reader.fill("#id_name", "Trần Thị Mai")
        expect(rendered).not_to_have_value("")
        reader.fill("#id_body", text)
        reader.wait_for_timeout(1200)  # past COMMENTS_MIN_SECONDS
        with reader.expect_response(lambda r: r.url.endswith("/gui/")) as answer:
            block.get_by_role("button", name="Gửi bình luận").click()
        self.assertEqual(answer.value.status, 200)  # JSON: no page load
        pending = block.locator(".comment--pending")
        expect(pending).to_contain_text("đang chờ duyệt")
        expect(pending).to_contain_text("Trần Thị Mai")
        expect(block.locator("[data-form-status]")).to_contain_text("chờ duyệt")
        comment = Comment.objects.get()
        self.assertEqual(comment.status, Comment.Status.PENDING)

        # After a reload it is still there, for this reader only.
        reader.reload()
        expect(reader.locator(".comment--pending")).to_contain_text("Cây cầu giúp bà con")
        stranger = self.new_page()
        stranger.goto(self.url(article.get_absolute_url()))
        expect(stranger.locator("#binh-luan")).not_to_contain_text("Cây cầu giúp bà con")

        # A moderator approves it in the queue.
        moderator = self.new_page(viewport={"width": 1280, "height": 900})
        log_in(moderator, self.url, "kiemduyet")
        moderator.goto(self.url("/admin/comments/comment/"))
        row = moderator.locator("#result_list tbody tr", has_text="Cây cầu giúp bà con")
        row.locator("input.action-select").check()
        moderator.select_option("select[name=action]", "approve_selected")
        moderator.locator("button[name=index], .actions button[type=submit]").first.click()
        expect(moderator.locator(".messagelist")).to_be_visible()
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.PUBLISHED)

        # The reader reloads: published, with its line break, and counted.
        reader.reload()
        published = reader.locator(f"#binh-luan-{comment.pk}")
        expect(published).to_contain_text("Cây cầu giúp bà con đi lại thuận tiện hơn nhiều.")
        expect(published).not_to_contain_text("đang chờ duyệt")
        expect(published.locator(".comment__text br")).to_have_count(1)
        expect(reader.locator(".comments__count")).to_have_text("(1)")
        self.assert_no_script_errors()

    def test_more_comments_reply_and_report_without_reloading(self):
        from tests.comments.test_reading import seed

        article = make_article(headline="Chợ phiên cuối năm", section=make_section("Đời sống"))
        tops, _replies = seed(article, 25)
        page = self.new_page(**PHONE)
        page.goto(self.url(article.get_absolute_url()))
        block = page.locator("#binh-luan")
        expect(block.locator(".comments__list > .comment")).to_have_count(20)
        page.evaluate("window.notReloaded = true")

        block.get_by_role("link", name="Xem thêm bình luận").click()
        expect(block.locator(".comments__list > .comment")).to_have_count(25)
        expect(block.get_by_role("link", name="Xem thêm bình luận")).to_have_count(0)

        # Reply to the oldest comment, loaded by the click above.
        oldest = block.locator(f"#binh-luan-{tops[-1].pk}")
        oldest.get_by_role("link", name="Trả lời").click()
        expect(oldest.locator("form#gui-binh-luan")).to_be_visible()
        page.fill("#id_name", "Lê Văn Tâm")
        page.fill("#id_body", "Tôi cũng thấy vậy.")
        page.wait_for_timeout(1200)
        oldest.get_by_role("button", name="Gửi bình luận").click()
        expect(oldest.locator("[data-replies] .comment--pending")).to_contain_text(
            "Tôi cũng thấy vậy."
        )
        reply = Comment.objects.get(name="Lê Văn Tâm")
        self.assertEqual(reply.parent_id, tops[-1].pk)

        # Another comment from the same form, without reloading: the spent
        # render token is replaced by a new one.
        form = block.locator("form#gui-binh-luan")
        expect(form.locator("[data-replying]")).to_be_hidden()
        page.fill("#id_body", "Chợ phiên năm nay đông vui hơn năm trước.")
        page.wait_for_timeout(1200)
        with page.expect_response(lambda r: r.url.endswith("/gui/")) as answer:
            form.get_by_role("button", name="Gửi bình luận").click()
        self.assertEqual(answer.value.status, 200)
        expect(block.locator(".comments__list > .comment--pending")).to_contain_text(
            "Chợ phiên năm nay đông vui hơn năm trước."
        )
        self.assertEqual(Comment.objects.filter(name="Lê Văn Tâm").count(), 2)

        # Report another comment.
        newest = block.locator(f"#binh-luan-{tops[0].pk}")
        newest.get_by_role("link", name="Báo vi phạm").click()
        newest.get_by_label("Quảng cáo, thư rác").check()
        newest.get_by_role("button", name="Gửi báo cáo").click()
        expect(newest.locator(".report__message")).to_contain_text("Cảm ơn bạn")
        self.assertEqual(tops[0].reports.get().reason, "spam")

        self.assertTrue(page.evaluate("window.notReloaded === true"))
        self.assert_no_script_errors()
