"""End-to-end journeys in a real browser (Chromium through Playwright).

A reporter logs into the Vietnamese admin, uploads a photo, writes an article
and submits it; an editor approves and publishes it with the workflow's
buttons; a reader on a phone reads and shares it; a draft stays a 404.

Playwright's browser download does not work here: the tests drive Debian's
Chromium (``/usr/bin/chromium``, or ``$E2E_CHROMIUM``) and are skipped when it
is missing. The live server is Django's own (``StaticLiveServerTestCase``),
which serves /static/ from the finders and /media/ from MEDIA_ROOT.
"""

import importlib
import io
import os
import re
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.sql import emit_post_migrate_signal
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright import sync_api

from articles import roles
from articles.models import Article, Photo, Role
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_editor,
    make_photo,
    make_reporter,
    make_section,
)

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
LOCALE = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36"
    ),
}
# Screenshots stay after the run, for a person to look at; E2E_DOCS_SCREENSHOTS=1
# writes them into docs/screenshots/, the copies the README shows.
SCREENSHOT_DIR = Path(
    os.environ.get("E2E_SCREENSHOT_DIR", Path(tempfile.gettempdir()) / "newsroom-e2e")
    if not os.environ.get("E2E_DOCS_SCREENSHOTS")
    else Path(settings.BASE_DIR) / "docs" / "screenshots"
)
PASSWORD = "mat-khau-thu-nghiem-2020"

expect = sync_api.expect

pytestmark = [
    pytest.mark.e2e,
    # On a developer machine without Chromium these are skipped; CI (CI=true)
    # installs it, and there a missing browser is a failure, never a skip.
    pytest.mark.skipif(
        not shutil.which(CHROMIUM) and not os.environ.get("CI"),
        reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]


def jpeg_bytes(size=(1200, 800)):
    """A small photo-like JPEG: sky, field, a sun."""
    image = Image.new("RGB", size, (120, 170, 215))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle([0, height * 3 // 5, width, height], fill=(70, 140, 60))
    sun = height // 5
    left, top = width * 3 // 4, height // 8
    draw.ellipse([left, top, left + sun, top + sun], fill=(250, 210, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def ensure_roles():
    """The roles migration 0002 creates; a transactional test case flushes them."""
    for label, order, is_photo in (("Tin", 10, False), ("Ảnh", 30, True)):
        Role.objects.get_or_create(label=label, defaults={"order": order, "is_photo": is_photo})


def ensure_groups():
    """The groups migration 0006 creates; a transactional test case flushes them
    (and a flush after a serialized-rollback test leaves no permissions either,
    so they are made again first)."""
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    migration = importlib.import_module("articles.migrations.0006_newsroom_groups")
    for name, codenames in (
        (roles.REPORTERS, migration.REPORTER_PERMISSIONS),
        (roles.EDITORS, migration.EDITOR_PERMISSIONS),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def log_in(page, url, username):
    """Log in through the real (Vietnamese) login form."""
    page.goto(url("/admin/"))
    expect(page).to_have_url(url("/admin/login/?next=/admin/"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(url("/admin/"))
    expect(page.locator("#site-name")).to_contain_text("Tòa soạn")


def pick_autocomplete(page, select_id, search, option_text):
    """Choose an option of an admin autocomplete (select2 over AJAX) by typing."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").press_sequentially(search)
    page.locator(
        ".select2-container--open .select2-results__option:not(.loading-results)",
        has_text=option_text,
    ).click()
    expect(page.locator(f"#{select_id} + .select2 .select2-selection__rendered")).to_contain_text(
        option_text
    )


def no_horizontal_scroll(page):
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


class BrowserTestCase(StaticLiveServerTestCase):
    """One Chromium per class; a fresh browser context per test."""

    @classmethod
    def setUpClass(cls):
        # Playwright's sync API runs an event loop in this thread; the ORM
        # calls the tests make around it are still plain synchronous code.
        cls._async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        cls.playwright = sync_api.sync_playwright().start()
        try:
            cls.browser = cls.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        except BaseException:
            cls.playwright.stop()
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()
        if cls._async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls._async_unsafe

    def setUp(self):
        ensure_roles()
        ensure_groups()
        self.errors = []

    def new_page(self, **options):
        context = self.browser.new_context(**LOCALE, **options)
        context.set_default_timeout(10_000)
        self.addCleanup(context.close)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def url(self, path):
        return f"{self.live_server_url}{path}"

    def assert_no_script_errors(self):
        self.assertEqual(self.errors, [], "JavaScript errors on the page")


class ReporterJourneyTests(BrowserTestCase):
    def test_reporter_writes_and_submits_an_editor_approves_and_publishes(self):
        reporter = make_reporter("phongvien", password=PASSWORD, first_name="Trần Quốc")
        editor = make_editor("bientap", password=PASSWORD, first_name="Nguyễn Hà")
        section = make_section("An ninh - Trật tự")
        make_section("Kinh tế")
        quoc = make_contributor("Trần Quốc")
        make_contributor("Trần Thị Quế")
        tmp = Path(tempfile.mkdtemp(prefix="newsroom-e2e-upload-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        photo_file = tmp / "Ảnh tuần tra đêm.jpg"
        photo_file.write_bytes(jpeg_bytes())
        page = self.new_page(viewport={"width": 1280, "height": 900})

        log_in(page, self.url, "phongvien")

        # Upload a photo to the library.
        page.goto(self.url("/admin/articles/photo/add/"))
        page.set_input_files("#id_image", str(photo_file))
        page.fill("#id_alt_text", "Tổ tuần tra đi trên đường làng ban đêm")
        page.fill("#id_caption", "Tổ tuần tra của xã.")
        page.fill("#id_credit_line", "Ảnh: Trần Quốc")
        page.click("input[name=_save]")
        expect(page.locator(".messagelist .success")).to_be_visible()
        photo = Photo.objects.get()
        self.assertEqual((photo.width, photo.height), (1200, 800))
        self.assertRegex(photo.image.name, r"^photos/\d{4}/\d{2}/anh-tuan-tra-dem(_\w+)?\.jpg$")

        # Write the article.
        page.goto(self.url("/admin/articles/article/add/"))
        headline = "Phối hợp đảm bảo an ninh trật tự dịp Tết Nguyên đán"
        lead = "Công an xã và lực lượng dân quân tổ chức tuần tra vào ban đêm."
        page.fill("#id_headline", headline)
        page.fill("#id_lead", lead)
        body_editor = page.locator(".ProseMirror[contenteditable=true]")
        body_editor.click()
        page.keyboard.type("Đêm 9/1, tổ tuần tra xuất quân tại ấp Phú Hòa.")
        page.keyboard.press("Enter")
        page.keyboard.type("Người dân phấn khởi, yên tâm đón Tết.")
        expect(body_editor.locator("p")).to_have_count(2)
        pick_autocomplete(page, "id_section", "an ninh", section.name)
        page.fill("#id_tags", "An ninh, Tết Nguyên đán")

        add_credit_row = page.locator("#credits-group .add-row a")
        add_credit_row.click()
        add_credit_row.click()
        page.select_option("#id_credits-0-role", label="Tin")
        pick_autocomplete(page, "id_credits-0-contributor", "Quốc", "Trần Quốc")
        page.fill("#id_credits-0-order", "1")
        page.select_option("#id_credits-1-role", label="Ảnh")
        pick_autocomplete(page, "id_credits-1-contributor", "tran quoc", "Trần Quốc")
        page.fill("#id_credits-1-order", "2")

        page.locator("#photo_uses-group .add-row a").click()
        pick_autocomplete(page, "id_photo_uses-0-photo", "tuần tra", "Tổ tuần tra")
        page.check("#id_photo_uses-0-is_lead")
        page.fill("#id_photo_uses-0-caption", "Tổ tuần tra xuất quân đêm 9/1.")

        # Status and publish time are not the reporter's to set.
        expect(page.locator("#id_status")).to_have_count(0)
        expect(page.locator("#id_published_at_0")).to_have_count(0)
        with page.expect_request(
            lambda request: request.method == "POST" and request.url.endswith("/article/add/")
        ) as posted:
            page.click("input[name=_save]")
        expect(page.locator(".messagelist .success")).to_be_visible()
        expect(page).to_have_url(self.url("/admin/articles/article/"))
        self.assert_no_script_errors()

        # The editor wrote its HTML into the hidden textarea that was posted.
        form = parse_qs(posted.value.post_data)
        self.assertEqual(
            form["body"][0],
            "<p>Đêm 9/1, tổ tuần tra xuất quân tại ấp Phú Hòa.</p>"
            "<p>Người dân phấn khởi, yên tâm đón Tết.</p>",
        )
        article = Article.objects.get()
        self.assertEqual(article.status, Article.Status.DRAFT)
        self.assertEqual(article.created_by, reporter)
        self.assertEqual(article.section, section)
        self.assertEqual(article.byline(), "Tin, ảnh: Trần Quốc")
        self.assertEqual(article.credits.filter(contributor=quoc).count(), 2)

        # The reporter submits it from the workflow box: no button to approve or publish.
        page.locator("#result_list").get_by_role("link", name=headline).click()
        box = page.locator(".workflow-box")
        expect(box.locator(".status-badge")).to_have_text("Bản nháp")
        expect(box.get_by_role("button", name="Duyệt", exact=True)).to_have_count(0)
        expect(box.get_by_role("button", name="Đăng / hẹn giờ đăng")).to_have_count(0)
        box.get_by_role("button", name="Gửi duyệt").click()
        expect(page.locator(".messagelist .success")).to_contain_text("Đã gửi bài")
        expect(box.locator(".status-badge")).to_have_text("Chờ duyệt")
        expect(page.locator("input[name=_save]")).to_have_count(0)  # read-only now
        self.assert_no_script_errors()

        # An editor finds it waiting for review, approves and publishes it.
        desk = self.new_page(viewport={"width": 1280, "height": 900})
        log_in(desk, self.url, "bientap")
        desk.goto(self.url("/admin/articles/article/?desk=to_review"))
        desk.locator("#result_list").get_by_role("link", name=headline).click()
        box = desk.locator(".workflow-box")
        expect(box.locator(".status-badge")).to_have_text("Chờ duyệt")
        box.get_by_role("button", name="Duyệt", exact=True).click()
        expect(desk.locator(".messagelist .success")).to_contain_text("Đã duyệt bài")
        expect(box.locator(".status-badge")).to_have_text("Đã duyệt")
        publish = box.locator("form[data-transition=publish]")
        expect(publish.get_by_label("Giờ đăng")).to_have_value("")  # empty: now
        publish.get_by_role("button", name="Đăng / hẹn giờ đăng").click()
        expect(desk.locator(".messagelist .success")).to_contain_text("Đã đăng bài")
        expect(box.locator(".status-badge")).to_have_text("Đã đăng")
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        desk.screenshot(path=SCREENSHOT_DIR / "admin-article-published.png", full_page=True)
        article.refresh_from_db()
        self.assertEqual(article.status, Article.Status.PUBLISHED)
        self.assertEqual((article.approved_by, article.published_by), (editor, editor))
        self.assertEqual(
            list(article.events.order_by("created_at", "id").values_list("action", "actor")),
            [("submit", reporter.pk), ("approve", editor.pk), ("publish", editor.pk)],
        )
        published = timezone.localtime(article.published_at).strftime("%d/%m/%Y - %H:%M")

        # The public page, in the order the design gives.
        page.goto(self.url(article.get_absolute_url()))
        expect(page).to_have_title(f"{headline} - {settings.NEWSROOM['NAME']}")
        expect(page.locator(".article__section")).to_have_text(section.name)
        expect(page.locator("h1.article__headline")).to_have_text(headline)
        expect(page.locator(".article__time")).to_have_text(published)
        expect(page.locator(".article__lead")).to_have_text(
            f"{settings.NEWSROOM['SOURCE_TAG']} - {lead}"
        )
        figure = page.locator("figure.photo--lead")
        image = figure.locator("img")
        # A rendition (never the stored original), in a <picture> with WebP first.
        rendition = re.compile(rf"^{settings.MEDIA_URL}renditions/{photo.pk}/")
        expect(image).to_have_attribute("src", rendition)
        expect(figure.locator("picture source[type='image/webp']")).to_have_count(1)
        expect(image).to_have_attribute("alt", "Tổ tuần tra đi trên đường làng ban đêm")
        expect(image).to_have_attribute("loading", "eager")
        # width/height keep the photo's 3:2 shape, so nothing shifts as it loads.
        width, height = int(image.get_attribute("width")), int(image.get_attribute("height"))
        self.assertEqual(width * 2, height * 3)
        self.assertGreater(image.evaluate("img => img.complete && img.naturalWidth"), 0)
        expect(figure.locator(".photo__caption")).to_have_text("Tổ tuần tra xuất quân đêm 9/1.")
        expect(figure.locator(".photo__credit")).to_have_text("Ảnh: Trần Quốc")
        expect(page.locator(".article__body p")).to_have_text([
            "Đêm 9/1, tổ tuần tra xuất quân tại ấp Phú Hòa.",
            "Người dân phấn khởi, yên tâm đón Tết.",
        ])
        expect(page.locator(".article__byline")).to_have_text("Tin, ảnh: Trần Quốc")
        tags = page.locator(".article__tags a[rel=tag]")
        expect(tags).to_have_text(["An ninh", "Tết Nguyên đán"])
        self.assertEqual(
            [tags.nth(i).get_attribute("href") for i in range(2)],
            ["/tag/an-ninh/", "/tag/tet-nguyen-dan/"],
        )
        share = page.locator("section.share")
        share_url = self.url(article.get_absolute_url())
        expect(share.get_by_role("link", name="Facebook")).to_have_attribute(
            "href", f"https://www.facebook.com/sharer/sharer.php?u={quote(share_url, safe='')}"
        )
        expect(share.get_by_role("link", name="X", exact=True)).to_have_attribute(
            "href",
            f"https://x.com/intent/post?url={quote(share_url, safe='')}"
            f"&text={quote(headline, safe='')}",
        )
        expect(share.get_by_role("link", name="E-mail")).to_have_attribute(
            "href", f"mailto:?subject={quote(headline, safe='')}&body={quote(share_url, safe='')}"
        )
        expect(share.get_by_role("button", name="Chép đường dẫn")).to_be_visible()
        tops = [
            page.locator(selector).first.bounding_box()["y"]
            for selector in (
                ".article__section", ".article__headline", ".article__time", ".article__lead",
                "figure.photo--lead", ".article__body", ".article__byline", ".article__tags",
                "section.share",
            )
        ]
        self.assertEqual(tops, sorted(tops), "article parts out of order")

        # A tag link leads to the tag's page, which lists the article.
        tags.first.click()
        expect(page).to_have_url(self.url("/tag/an-ninh/"))
        expect(page.get_by_role("link", name=headline)).to_be_visible()
        self.assert_no_script_errors()


class ReaderJourneyTests(BrowserTestCase):
    def make_story(self):
        section = make_section("An ninh - Trật tự")
        photo = make_photo(
            upload=SimpleUploadedFile("tuan-tra.jpg", jpeg_bytes(), content_type="image/jpeg"),
            alt_text="Tổ tuần tra trên đường làng", caption="Tổ tuần tra của xã.",
            credit_line="Ảnh: Trần Quốc",
        )
        article = make_article(
            headline="Phối hợp đảm bảo an ninh trật tự dịp Tết Nguyên đán Giáp Thìn",
            lead="Công an xã và lực lượng dân quân tổ chức tuần tra vào ban đêm, "
                 "bảo đảm cho người dân vui xuân, đón Tết an toàn.",
            body="<p>Đêm 9/1, tổ tuần tra xuất quân tại ấp Phú Hòa, xã Phú Khánh.</p>"
                 "<p>Theo Công an xã, từ đầu tháng đến nay chưa xảy ra vụ trộm cắp nào; "
                 "người dân phấn khởi, yên tâm đón Tết.</p>"
                 "<p>Xem thêm tại https://songxanh.example.vn/an-ninh-trat-tu/"
                 "phoi-hop-dam-bao-an-ninh-trat-tu-dip-tet-nguyen-dan-giap-thin-a1.html</p>",
            section=section, tags=["An ninh", "Tết Nguyên đán", "Phú Khánh"],
        )
        add_photo(article, photo, is_lead=True, caption="Tổ tuần tra xuất quân đêm 9/1.")
        quoc = make_contributor("Trần Quốc")
        add_credit(article, quoc, "Tin", order=1)
        add_credit(article, quoc, "Ảnh", order=2)
        make_article(
            headline="Giá dừa tăng mạnh, nông dân phấn khởi", section=make_section("Kinh tế"),
            published_at=timezone.now() - timedelta(hours=2),
        )
        return article

    def assert_fits_the_phone(self, page):
        scroll_width, inner_width = no_horizontal_scroll(page)
        self.assertLessEqual(scroll_width, inner_width, f"{page.url} scrolls sideways")
        expect(page.locator(".masthead__name")).to_be_in_viewport()
        expect(page.locator(".masthead__name")).to_have_text(settings.NEWSROOM["NAME"])
        footer = page.locator("footer.legal-footer")
        footer.scroll_into_view_if_needed()
        expect(footer).to_be_in_viewport()
        for key in ("PUBLISHER", "LICENCE", "ADDRESS", "EDITOR_IN_CHIEF"):
            expect(footer).to_contain_text(settings.NEWSROOM[key])

    def test_reader_on_a_phone_reads_and_copies_the_link(self):
        article = self.make_story()
        page = self.new_page(**PHONE)
        page.context.grant_permissions(
            ["clipboard-read", "clipboard-write"], origin=self.live_server_url
        )
        # This Chromium may or may not have a Web Share API: take it away.
        page.add_init_script("delete Navigator.prototype.share; delete navigator.share;")

        page.goto(self.url("/"))
        top_story = page.get_by_role("region", name="Tin nổi bật").get_by_role(
            "link", name=article.headline
        )
        expect(top_story).to_be_visible()
        self.assert_fits_the_phone(page)

        top_story.click()
        expect(page).to_have_url(self.url(article.get_absolute_url()))
        expect(page.locator(".article__byline")).to_have_text("Tin, ảnh: Trần Quốc")
        lead_image = page.locator("figure.photo--lead img")
        self.assertGreater(lead_image.evaluate("img => img.complete && img.naturalWidth"), 0)
        box = lead_image.bounding_box()
        self.assertLessEqual(box["x"] + box["width"], 390)
        self.assert_fits_the_phone(page)

        # No navigator.share: the native share button stays hidden.
        self.assertEqual(page.evaluate("typeof navigator.share"), "undefined")
        expect(page.locator("button.share__native")).to_be_hidden()

        copy = page.get_by_role("button", name="Chép đường dẫn")
        copy.scroll_into_view_if_needed()
        copy.tap()
        expect(page.locator(".share__status")).to_have_text("Đã chép đường dẫn")
        self.assertEqual(
            page.evaluate("navigator.clipboard.readText()"),
            self.url(article.get_absolute_url()),
        )

        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=SCREENSHOT_DIR / "article-mobile.png", full_page=True)
        page.goto(self.url("/"))
        page.screenshot(path=SCREENSHOT_DIR / "home-mobile.png", full_page=True)
        self.assert_no_script_errors()

    def test_native_share_button_where_the_phone_has_one(self):
        article = self.make_story()
        page = self.new_page(**PHONE)
        page.add_init_script(
            "navigator.share = (data) => { window.sharedWith = data; return Promise.resolve(); };"
        )
        page.goto(self.url(article.get_absolute_url()))
        native = page.locator("button.share__native")
        expect(native).to_be_visible()
        expect(native).to_have_text("Chia sẻ (Zalo…)")
        native.tap()
        page.wait_for_function("() => window.sharedWith !== undefined")
        self.assertEqual(
            page.evaluate("window.sharedWith"),
            {"title": article.headline, "url": self.url(article.get_absolute_url())},
        )
        self.assert_no_script_errors()

    def test_draft_is_a_vietnamese_404(self):
        draft = make_article(headline="Bài còn nháp", status=Article.Status.DRAFT)
        page = self.new_page()
        response = page.goto(self.url(draft.get_absolute_url()))
        self.assertEqual(response.status, 404)
        expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
        expect(page).to_have_title(f"Không tìm thấy trang - {settings.NEWSROOM['NAME']}")
        expect(page.locator("body")).not_to_contain_text("Bài còn nháp")
        expect(page.locator("footer.legal-footer")).to_contain_text(settings.NEWSROOM["LICENCE"])
        page.get_by_role("link", name="Về trang chủ").click()
        expect(page).to_have_url(self.url("/"))
