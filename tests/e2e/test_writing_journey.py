"""The writing page in a real browser (Chromium, see test_journeys.py): a
reporter's text survives closing the tab (autosave, then restore), and leaving
a form with unsaved changes asks first."""

import time

from django.test import override_settings
from playwright import sync_api

from articles.models import Article, Autosave
from tests.factories import make_reporter

from .test_journeys import PASSWORD, SCREENSHOT_DIR, BrowserTestCase, log_in

expect = sync_api.expect

HEADLINE = "Mưa lớn gây ngập nhiều tuyến đường nội ô"
BODY = "Chiều 2/12, mưa lớn kéo dài hơn một giờ."


def wait_for_autosave(contains, deadline=15):
    """Poll the database (the live server's thread writes it) for the autosave."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        autosave = Autosave.objects.first()
        if autosave and contains in autosave.data.get("body", ""):
            return autosave
        time.sleep(0.2)
    raise AssertionError(f"no autosave holding {contains!r} within {deadline} s")


@override_settings(NEWSROOM_AUTOSAVE_IDLE_SECONDS=0.5)
class WritingPageBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.reporter = make_reporter("phongvien", password=PASSWORD, first_name="Trần Quốc")

    def test_text_survives_closing_the_tab_and_is_submitted_after_restore(self):
        page = self.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, self.url, "phongvien")
        page.goto(self.url("/admin/articles/article/add/"))

        page.locator("#id_headline").press_sequentially(HEADLINE)
        counts = page.locator("#id_headline_count")
        expect(counts).to_have_text(f"{len(HEADLINE)}/100 ký tự · 9 từ")
        editor = page.locator(".field-body .ProseMirror[contenteditable=true]")
        # A tall editor, named by its label.
        self.assertGreaterEqual(editor.bounding_box()["height"], 300)
        expect(editor).to_have_accessible_name("Nội dung:")
        editor.click()
        page.keyboard.type(BODY)
        expect(page.locator("#id_body_count")).to_have_text(f"{len(BODY)} ký tự · 9 từ")
        wait_for_autosave("kéo dài")
        expect(page.locator(".writing-autosave-status")).to_contain_text("Đã lưu tạm lúc")
        self.assertFalse(Article.objects.exists())  # an autosave is no article
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / "admin-writing-page.png", full_page=True)

        context = page.context
        page.close()  # the tab is closed: no leave dialog is run, nothing was saved

        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto(self.url("/admin/articles/article/add/"))
        notice = page.locator(".writing-autosave")
        expect(notice).to_contain_text("Bạn có một bản đang viết chưa lưu")
        expect(page.locator("#id_headline")).to_have_value("")
        notice.get_by_role("link", name="Khôi phục bản đang viết lúc").click()
        expect(page.locator(".writing-autosave--restored")).to_contain_text(
            "Đã khôi phục bản đang viết lúc"
        )
        expect(page.locator("#id_headline")).to_have_value(HEADLINE)
        expect(page.locator(".field-body .ProseMirror[contenteditable]")).to_have_text(BODY)

        # "Gửi duyệt" on the add page: saved and submitted in one click.
        page.get_by_role("button", name="Gửi duyệt").click()
        expect(page.locator(".messagelist .success")).to_contain_text("Đã lưu và gửi bài")
        expect(page.locator(".workflow-box .status-badge")).to_have_text("Chờ duyệt")
        expect(page.locator(".body-view p")).to_have_text(BODY)  # formatted, read-only
        article = Article.objects.get()
        self.assertEqual((article.headline, article.status), (HEADLINE, Article.Status.IN_REVIEW))
        self.assertEqual(article.body, f"<p>{BODY}</p>")
        self.assertFalse(Autosave.objects.exists())
        self.assert_no_script_errors()

    def test_leaving_with_unsaved_changes_asks_first(self):
        page = self.new_page(viewport={"width": 1280, "height": 900})
        dialogs = []

        def on_dialog(dialog):
            dialogs.append(dialog.type)
            dialog.dismiss()  # stay on the page

        page.on("dialog", on_dialog)
        log_in(page, self.url, "phongvien")
        add = self.url("/admin/articles/article/add/")
        page.goto(add)
        # Nothing typed yet: leaving asks nothing.
        page.locator("#id_headline").click()
        page.get_by_role("link", name="Trang chủ").click()
        expect(page).to_have_url(self.url("/admin/"))
        self.assertEqual(dialogs, [])

        page.goto(add)
        page.locator("#id_headline").press_sequentially(HEADLINE)
        page.get_by_role("link", name="Trang chủ").click()
        expect(page.locator("#id_headline")).to_have_value(HEADLINE)
        self.assertEqual(dialogs, ["beforeunload"])
        expect(page).to_have_url(add)

        # Saving is no leaving: no dialog.
        page.locator("input[name=_save]").click()
        expect(page.locator(".messagelist .success")).to_be_visible()
        self.assertEqual(dialogs, ["beforeunload"])
        self.assertTrue(Article.objects.filter(headline=HEADLINE).exists())
        self.assert_no_script_errors()
