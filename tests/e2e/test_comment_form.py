"""The comment form and thread in a real browser (issue 14): a success clears
an earlier refusal, the button and the success text look like the site's, the
reply and report links are 44 px targets on a phone, a staff reply shows one
"Tòa soạn", and a long thread sorts "Mới nhất / Cũ nhất" without reloading.

Uses the browser set-up of test_journeys.py (Debian's Chromium, skipped on a
machine without it, a failure in CI).
"""

from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from articles import roles
from comments.models import Comment, Word
from tests.e2e.axe import assert_accessible
from tests.e2e.test_journeys import PHONE, SCREENSHOT_DIR, BrowserTestCase, expect, pytestmark
from tests.factories import make_article, make_comment, make_member

__all__ = ["pytestmark"]  # the e2e marker and the Chromium skip apply here too

Status = Comment.Status
BRAND = "rgb(11, 90, 138)"  # --brand in static/css/site.css
TOUCH = 44  # px, WCAG 2.5.5


@override_settings(NEWSROOM={**settings.NEWSROOM, "COMMENTS_MIN_SECONDS": 1})
class CommentFormTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()  # rate-limit counters from earlier tests (all from 127.0.0.1)
        # A transactional test case flushes the list the migration loaded.
        Word.objects.get_or_create(text="lồn", defaults={"list": Word.List.BANNED})

    def send(self, page, form):
        page.wait_for_timeout(1200)  # past COMMENTS_MIN_SECONDS
        with page.expect_response(lambda r: r.url.endswith("/gui/")):
            form.get_by_role("button", name="Gửi bình luận").click()

    def test_a_success_clears_the_earlier_refusal(self):
        article = make_article(headline="Sửa đường liên xã trước mùa mưa")
        page = self.new_page(**PHONE)
        page.goto(self.url(article.get_absolute_url()))
        form = page.locator("form#gui-binh-luan")
        page.fill("#id_name", "Phạm Thị Hoa")
        page.fill("#id_body", "Đồ lồn")
        self.send(page, form)
        form = page.locator("form#gui-binh-luan")  # the server's form replaced it
        expect(form.locator(".comment-form__message")).to_contain_text("không được đăng")
        self.assertFalse(Comment.objects.exclude(status=Status.REJECTED).exists())

        page.fill("#id_body", "Mong đường sớm được sửa, bà con đi lại vất vả.")
        self.send(page, form)
        status = form.locator("[data-form-status]")
        expect(status).to_contain_text("chờ duyệt")
        expect(form.locator(".comment-form__message")).to_have_count(0)
        expect(form.locator(".errorlist")).to_have_count(0)
        self.assertEqual(Comment.objects.get(name="Phạm Thị Hoa", status=Status.PENDING).body,
                         "Mong đường sớm được sửa, bà con đi lại vất vả.")

        # The success text and the button in the site's colours.
        button = form.get_by_role("button", name="Gửi bình luận")
        expect(button).to_have_css("background-color", BRAND)
        expect(button).to_have_css("color", "rgb(255, 255, 255)")
        self.assertGreaterEqual(button.bounding_box()["height"], TOUCH)
        expect(status).to_have_css("background-color", "rgb(232, 245, 233)")
        expect(status).to_have_css("font-weight", "600")
        assert_accessible(self, page, "#binh-luan")
        self.assert_no_script_errors()

    def test_touch_targets_and_one_staff_badge_on_a_phone(self):
        article = make_article(headline="Lịch cắt điện tuần này")
        editor = make_member(roles.EDITORS, "bientap")
        top = make_comment(
            article, Status.PUBLISHED, name="Lê Minh", body="Xã tôi có bị cắt không?"
        )
        reply = make_comment(
            article, Status.PUBLISHED, name="Tòa soạn", body="Có, sáng thứ Bảy.", parent=top,
            staff_user=editor,
        )
        page = self.new_page(**PHONE)
        page.goto(self.url(article.get_absolute_url()))
        block = page.locator("#binh-luan")
        for name in ("Trả lời", "Báo vi phạm"):
            link = block.get_by_role("link", name=name).first
            box = link.bounding_box()
            self.assertGreaterEqual(box["height"], TOUCH, name)
            self.assertGreaterEqual(box["width"], TOUCH, name)
        meta = block.locator(f"#binh-luan-{reply.pk} .comment__meta")
        self.assertEqual(meta.inner_text().count("Tòa soạn"), 1)
        expect(meta.locator(".comment__badge")).to_have_count(1)
        expect(block.locator(f"#binh-luan-{top.pk} > .comment__meta")).to_contain_text("Lê Minh")
        assert_accessible(self, page, "#binh-luan")
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        block.screenshot(path=SCREENSHOT_DIR / "comments-390.png")
        self.assert_no_script_errors()

    def test_a_long_thread_sorts_oldest_first_without_reloading(self):
        from tests.comments.test_reading import seed

        article = make_article(headline="Chợ hoa xuân bến Bình Đông")
        tops, _replies = seed(article, 25)
        page = self.new_page(**PHONE)
        page.goto(self.url(article.get_absolute_url()))
        page.evaluate("window.notReloaded = true")
        block = page.locator("#binh-luan")
        comments = block.locator(".comments__list > .comment")
        expect(comments.first).to_have_id(f"binh-luan-{tops[0].pk}")
        oldest = block.get_by_role("link", name="Cũ nhất")
        self.assertGreaterEqual(oldest.bounding_box()["height"], TOUCH)
        oldest.click()
        expect(comments.first).to_have_id(f"binh-luan-{tops[24].pk}")
        expect(oldest).to_have_attribute("aria-current", "true")
        expect(block.get_by_role("link", name="Mới nhất")).not_to_have_attribute(
            "aria-current", "true"
        )
        block.get_by_role("link", name="Xem thêm bình luận").click()
        expect(comments).to_have_count(25)
        expect(comments.last).to_have_id(f"binh-luan-{tops[0].pk}")
        block.get_by_role("link", name="Mới nhất").click()
        expect(comments.first).to_have_id(f"binh-luan-{tops[0].pk}")
        expect(comments).to_have_count(20)
        self.assertTrue(page.evaluate("window.notReloaded === true"))
        self.assert_no_script_errors()
