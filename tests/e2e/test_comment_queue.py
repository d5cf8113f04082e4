"""The comment moderation queue as a moderator works it, in Chromium: laid out
for 1366 px and a 768 px tablet (screenshots in docs/screenshots/), axe-core
finding no serious or critical violation on the queue and on a comment's
page, and the keyboard: "A" approves and opens the next pending comment.

Uses the browser set-up of test_journeys.py and tests/e2e/axe.py (skipped
without Chromium or axe-core on a developer machine, a failure in CI).
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings

from articles import roles
from comments.models import Comment
from tests.e2e import axe
from tests.e2e.test_comments_journey import ensure_moderator_group
from tests.e2e.test_journeys import PASSWORD, BrowserTestCase, expect, log_in
from tests.e2e.test_journeys import pytestmark as browser_marks
from tests.factories import make_article, make_comment, make_member

pytestmark = [*browser_marks, axe.pytestmark]

# The README shows the copies committed in docs/screenshots/; a run writes them
# there only when asked (E2E_DOCS_SCREENSHOTS=1), so tests leave the tree clean.
SCREENSHOTS = (
    Path(settings.BASE_DIR) / "docs" / "screenshots"
    if os.environ.get("E2E_DOCS_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "newsroom-e2e"
)
PRE_MODERATION = {
    "code": "pre_moderation",
    "label": "Duyệt trước theo chế độ của bài",
    "matched": [],
}
LINKS = {"code": "links", "label": "Có đường dẫn", "matched": ["http://x.vn"]}
LONG_TEXT = (
    "Cây cầu mới giúp bà con hai bên sông đi lại thuận tiện hơn nhiều, nhất là vào mùa mưa lũ "
    "khi đò ngang phải nghỉ. Mong chính quyền sớm làm thêm đường dẫn và đèn chiếu sáng."
)


class CommentQueueBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        ensure_moderator_group()
        make_member(roles.MODERATORS, "kiemduyet", password=PASSWORD)
        article = make_article(headline="Khánh thành cầu mới qua sông Cái, nối hai xã vùng lũ")
        self.oldest = make_comment(
            article, minutes_ago=40, name="Trần Thị Mai", body=LONG_TEXT, reasons=[PRE_MODERATION]
        )
        self.second = make_comment(
            article,
            minutes_ago=30,
            name="Nguyễn Văn Hùng",
            body="Xem thêm ảnh tại http://x.vn nhé mọi người.",
            reasons=[LINKS],
        )
        make_comment(article, Comment.Status.PUBLISHED, minutes_ago=60, name="Lê Hoa")
        make_comment(article, Comment.Status.REJECTED, minutes_ago=50, name="Phạm Tú")

    def moderator_page(self, width, height):
        page = self.new_page(viewport={"width": width, "height": height})
        log_in(page, self.url, "kiemduyet")
        return page

    def assert_queue_laid_out(self, page):
        """The comment column gets the width and the last column is on screen."""
        page.goto(self.url("/admin/comments/comment/"))
        body_cell = page.locator("#result_list tbody tr", has_text="Trần Thị Mai").locator(
            ".field-short_body"
        )
        self.assertGreaterEqual(body_cell.bounding_box()["width"], 240)
        sent = page.locator("#result_list thead th.column-created_at")
        expect(sent).to_be_visible()
        box = sent.bounding_box()
        self.assertLessEqual(box["x"] + box["width"], page.viewport_size["width"])

    def test_queue_at_1366_axe_and_approve_and_next_by_keyboard(self):
        page = self.moderator_page(1366, 900)
        self.assert_queue_laid_out(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "queue-1366.png"), full_page=True)
        axe.assert_accessible(self, page)

        page.goto(self.url(f"/admin/comments/comment/{self.oldest.pk}/change/"))
        expect(page.locator(".shortcut-help")).to_contain_text("Phím tắt")
        expect(page.locator(".moderation-box .reason-neutral")).to_contain_text(
            "Duyệt trước theo chế độ"
        )
        page.screenshot(path=str(SCREENSHOTS / "queue-comment-1366.png"), full_page=True)
        axe.assert_accessible(self, page)

        # Typing "a" in the note field is text, not a decision.
        page.locator("#id_note").press_sequentially("a")
        expect(page.locator("#id_note")).to_have_value("a")
        self.oldest.refresh_from_db()
        self.assertEqual(self.oldest.status, Comment.Status.PENDING)
        page.locator("#id_note").fill("")
        page.locator("#id_note").blur()

        with page.expect_navigation():
            page.keyboard.press("a")
        expect(page).to_have_url(self.url(f"/admin/comments/comment/{self.second.pk}/change/"))
        expect(page.locator(".messagelist")).to_contain_text("Trần Thị Mai")
        self.oldest.refresh_from_db()
        self.assertEqual(self.oldest.status, Comment.Status.PUBLISHED)
        self.assert_no_script_errors()

    def test_queue_on_a_tablet(self):
        page = self.moderator_page(768, 1024)
        self.assert_queue_laid_out(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "queue-768.png"), full_page=True)
        axe.assert_accessible(self, page)
        page.goto(self.url(f"/admin/comments/comment/{self.oldest.pk}/change/"))
        page.screenshot(path=str(SCREENSHOTS / "queue-comment-768.png"), full_page=True)
        axe.assert_accessible(self, page)
