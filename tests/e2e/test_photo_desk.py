"""Photos at the desk in a real browser (Chromium, see test_journeys.py): the
article form's drop zone (files chosen, and a real drop event), the focal point
set by a click with the crops following, the library grid and its search, and
a reporter's whole article with one photo in at most 12 clicks.

What is counted as a click: every ``click()`` the test makes through
``Clicks`` (link, button, the body editor, opening and picking in the section
list), the login's button too; opening the file chooser counts as one click
(``set_input_files`` stands for choosing in it). Typing and tabbing are not
clicks. The page itself also counts every real (trusted) click it receives,
so no click can happen outside the counter."""

import base64
import io
import shutil
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from playwright import sync_api

from articles.models import Article, ArticlePhoto, Photo, Tag
from tests.factories import make_photo, make_reporter, make_section

from . import axe
from .test_journeys import (
    PASSWORD,
    SCREENSHOT_DIR,
    BrowserTestCase,
    jpeg_bytes,
    log_in,
    pick_autocomplete,
)
from .test_journeys import pytestmark as browser_marks

pytestmark = [*browser_marks, axe.pytestmark]

expect = sync_api.expect
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
MAX_CLICKS = 12
UPLOAD_WAIT = 60_000  # ms: renditions are built in the request here (no worker)

# Every trusted press the page receives, kept across page loads of the tab (a
# click starts with one; select2 picks on mouseup, so there is no "click" there).
COUNT_TRUSTED_CLICKS = """
document.addEventListener("pointerdown", (event) => {
  if (event.isTrusted) {
    const count = Number(sessionStorage.getItem("trustedClicks") || "0") + 1;
    sessionStorage.setItem("trustedClicks", String(count));
  }
}, true);
"""

DROP_FILES = """
(files) => {
  const transfer = new DataTransfer();
  for (const file of files) {
    const bytes = Uint8Array.from(atob(file.data), (char) => char.charCodeAt(0));
    transfer.items.add(new File([bytes], file.name, { type: file.type }));
  }
  return transfer;
}
"""


def scene(size, sky, ground, sun=(250, 210, 60)):
    """A photo-like JPEG in the colours given (the library's tiles differ)."""
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle([0, height * 3 // 5, width, height], fill=ground)
    radius = height // 8
    draw.ellipse([width // 5, height // 6, width // 5 + 2 * radius, height // 6 + 2 * radius],
                 fill=sun)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


class Clicks:
    """Every click of a journey goes through ``click``: the count is the test's."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def choose_files(self, input_locator, files):
        """Opening the file chooser is one click; picking in it is not."""
        self.count += 1
        input_locator.set_input_files(files)

    def trusted(self):
        return int(self.page.evaluate("Number(sessionStorage.getItem('trustedClicks') || 0)"))


class PhotoDeskBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.reporter = make_reporter("phongvien", password=PASSWORD, first_name="Trần Quốc")
        self.section = make_section("An ninh - Trật tự")
        make_section("Kinh tế")
        self.tmp = Path(tempfile.mkdtemp(prefix="newsroom-e2e-photos-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def photo_file(self, name, size=(1200, 800)):
        path = self.tmp / name
        path.write_bytes(jpeg_bytes(size))
        return path

    def test_drop_zone_uploads_several_files_and_the_rows_are_saved(self):
        page = self.new_page(**DESKTOP)
        dialogs = []

        def on_dialog(dialog):
            dialogs.append(dialog.type)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        log_in(page, self.url, "phongvien")
        page.goto(self.url("/admin/articles/article/add/"))
        zone = page.locator("[data-photo-drop]")
        # Two files at once through "Chọn ảnh" (the keyboard's way).
        page.get_by_label("Chọn ảnh").set_input_files(
            [self.photo_file("Tuần tra đêm.jpg"), self.photo_file("Chợ quê.jpg", (800, 600))]
        )
        rows = page.locator("#photo_uses-group .inline-related.dynamic-photo_uses")
        # Renditions are built in the request here (no worker): give the two time.
        expect(rows).to_have_count(2, timeout=UPLOAD_WAIT)
        items = zone.locator(".photo-drop__list li")
        expect(items.nth(0)).to_contain_text("Tuần tra đêm.jpg: Đã tải lên (1200 × 800).")
        expect(items.nth(0)).to_contain_text("Đặt làm ảnh đại diện")
        expect(items.nth(1)).to_contain_text("Đã tải lên (800 × 600).")
        expect(items.nth(1)).not_to_contain_text("Đặt làm ảnh đại diện")
        expect(rows.nth(0).locator("input[name$='-is_lead']")).to_be_checked()
        expect(rows.nth(1).locator("input[name$='-is_lead']")).not_to_be_checked()
        expect(rows.nth(0).locator(".select2-selection__rendered")).to_contain_text("tuan-tra-dem")
        expect(rows.nth(0).locator(".field-preview img.photo-use-thumb")).to_have_attribute(
            "alt", "Ảnh vừa tải lên: Tuần tra đêm.jpg")

        # Two more in one real drop: one photo, one file that is not an image.
        files = [
            {"name": "Cầu mới.jpg", "type": "image/jpeg",
             "data": base64.b64encode(jpeg_bytes((1600, 900))).decode()},
            {"name": "ghi-chu.jpg", "type": "image/jpeg",
             "data": base64.b64encode(b"not a photo at all").decode()},
        ]
        transfer = page.evaluate_handle(DROP_FILES, files)
        zone.dispatch_event("dragover", {"dataTransfer": transfer})
        expect(zone).to_have_class("photo-drop photo-drop--over")
        zone.dispatch_event("drop", {"dataTransfer": transfer})
        expect(rows).to_have_count(3, timeout=UPLOAD_WAIT)
        expect(zone.locator(".photo-drop__status:not(.photo-drop__done)"
                            ":not(.photo-drop__error)")).to_have_count(0, timeout=UPLOAD_WAIT)
        refused = items.filter(has_text="ghi-chu.jpg")
        expect(refused.locator(".photo-drop__error")).to_have_text(
            "Tệp này không phải ảnh JPEG, PNG hoặc WebP hợp lệ.")
        expect(items.filter(has_text="Cầu mới.jpg")).to_contain_text("Đã tải lên (1600 × 900).")
        self.assertEqual(Photo.objects.count(), 3)
        axe.assert_accessible(self, page, "#photo_uses-group")

        # A new photo row is a change not saved: leaving asks first.
        page.get_by_role("link", name="Trang chủ").click()
        self.assertEqual(dialogs, ["beforeunload"])
        expect(page).to_have_url(self.url("/admin/articles/article/add/"))

        page.fill("#id_headline", "Cầu mới nối hai bờ sông")
        page.fill("#id_lead", "Sáng nay, cây cầu mới được thông xe.")
        rows.nth(0).locator("textarea[name$='-caption']").fill("Tổ tuần tra đêm 9/1.")
        rows.nth(2).locator("textarea[name$='-caption']").fill("Cầu mới nhìn từ bờ bắc.")
        pick_autocomplete(page, "id_section", "an ninh", self.section.name)
        page.locator("input[name=_continue]").click()
        expect(page.locator(".messagelist .success")).to_be_visible()
        article = Article.objects.get()
        uses = list(article.photo_uses.order_by("order").values_list(
            "photo__image", "is_lead", "caption", "order"))
        self.assertEqual([(lead, caption, order) for _image, lead, caption, order in uses], [
            (True, "Tổ tuần tra đêm 9/1.", 0),
            (False, "", 1),
            (False, "Cầu mới nhìn từ bờ bắc.", 2),
        ])
        self.assertRegex(uses[0][0], r"tuan-tra-dem")
        self.assertEqual(dialogs, ["beforeunload"])  # saving asked nothing
        self.assert_no_script_errors()

    def test_focal_point_by_a_click_with_the_crops_previewed(self):
        photo = make_photo(
            upload=SimpleUploadedFile("dong-lua.jpg", jpeg_bytes((1600, 900)),
                                      content_type="image/jpeg"),
            alt_text="Cánh đồng lúa", caption="Mùa gặt.",
        )
        page = self.new_page(**DESKTOP)
        log_in(page, self.url, "phongvien")
        page.goto(self.url(f"/admin/articles/photo/{photo.pk}/change/"))
        expect(page.locator(".photo-dimensions")).to_have_text("1600 × 900")
        square = page.locator(".focal-crop-1x1 img")
        expect(square).to_have_css("object-position", "50% 50%")
        image = page.locator(".focal-editor__image")
        box = image.bounding_box()

        def click_at(fx, fy):
            image.click(position={"x": box["width"] * fx, "y": box["height"] * fy})
            for name, expected in (("focal_x", fx), ("focal_y", fy)):
                value = float(page.locator(f"#id_{name}").input_value())
                self.assertAlmostEqual(value, expected, delta=0.004)

        def crop_x(ratio):
            """The crop's left edge over the room there is (object-position x), in %."""
            position = page.locator(f".focal-crop-{ratio} img").evaluate(
                "image => getComputedStyle(image).objectPosition")
            return float(position.split()[0].rstrip("%"))

        click_at(0.2, 0.3)
        # 1:1 of 1600 × 900 is 900 × 900 at left = 0.2 × 1600 − 450 → 0 (clamped);
        # 4:3 is 1200 × 900 at left 0 too; 16:9 is the whole photo.
        expect(square).to_have_css("object-position", "0% 50%")
        self.assertEqual(page.locator(".focal-crop-1x1").get_attribute("data-left"), "0")
        click_at(0.75, 0.5)
        # 1:1: left = 0.75 × 1600 − 450 = 750 of 700 room → clamped to 700 (100%).
        expect(square).to_have_css("object-position", "100% 50%")
        self.assertEqual(crop_x("4x3"), 100)  # 1200 − 600 = 600 of 400 room
        # Fine-tuning by typing moves them too.
        page.fill("#id_focal_x", "0.5")
        expect(page.locator(".focal-crop-4x3 img")).to_have_css("object-position", "50% 50%")
        click_at(0.625, 0.5)
        # 1:1: left = 1000 − 450 = 550 of 700 → 78.6 %; 4:3: 1000 − 600 = 400 of 400.
        self.assertAlmostEqual(crop_x("1x1"), 78.57, delta=0.5)
        self.assertEqual(crop_x("4x3"), 100)
        marker = page.locator(".focal-editor .focal-point circle").first
        self.assertAlmostEqual(float(marker.get_attribute("cx").rstrip("%")), 62.5, delta=0.4)
        drawn, now = marker.bounding_box(), image.bounding_box()  # where it was clicked
        self.assertAlmostEqual(drawn["x"] + drawn["width"] / 2, now["x"] + now["width"] * 0.625,
                               delta=3)
        self.assertAlmostEqual(drawn["y"] + drawn["height"] / 2, now["y"] + now["height"] * 0.5,
                               delta=3)
        stored = (float(page.locator("#id_focal_x").input_value()),
                  float(page.locator("#id_focal_y").input_value()))
        axe.assert_accessible(self, page, "#photo_form")
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.locator(".field-large_preview").scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOT_DIR / "admin-focal-point.png")
        page.locator("input[name=_continue]").click(timeout=UPLOAD_WAIT)
        expect(page.locator(".messagelist .success")).to_be_visible()
        photo.refresh_from_db()
        self.assertEqual((photo.focal_x, photo.focal_y), stored)  # the spot clicked
        self.assertAlmostEqual(crop_x("1x1"), 78.57, delta=0.5)  # as saved
        self.assert_no_script_errors()

    def test_a_chosen_file_shows_its_size_and_crops_before_saving(self):
        page = self.new_page(**DESKTOP)
        log_in(page, self.url, "phongvien")
        page.goto(self.url("/admin/articles/photo/add/"))
        expect(page.locator(".photo-dimensions")).to_have_text("—")
        expect(page.locator("[data-focal-editor]")).to_be_hidden()
        page.set_input_files("#id_image", str(self.photo_file("cho-noi.jpg", (1000, 700))))
        expect(page.locator(".photo-dimensions")).to_have_text("1000 × 700")
        expect(page.locator("[data-focal-editor]")).to_be_visible()
        image = page.locator(".focal-editor__image")
        box = image.bounding_box()
        image.click(position={"x": box["width"] * 0.9, "y": box["height"] * 0.5})
        clicked = float(page.locator("#id_focal_x").input_value())
        self.assertAlmostEqual(clicked, 0.9, delta=0.004)
        page.fill("#id_alt_text", "Chợ nổi")
        page.locator("input[name=_continue]").click(timeout=UPLOAD_WAIT)
        expect(page.locator(".messagelist .success")).to_be_visible()
        photo = Photo.objects.get()
        self.assertEqual((photo.width, photo.height, photo.focal_x), (1000, 700, clicked))
        # The narrow note once, on the form (no message above it).
        expect(page.locator(".narrow-photo")).to_have_count(1)
        expect(page.locator(".messagelist .warning")).to_have_count(0)
        self.assert_no_script_errors()

    def test_library_grid_with_a_folded_search(self):
        for name, alt, caption, credit, picture in [
            ("dong-lua.jpg", "Cánh đồng lúa chín", "Mùa gặt ở Đồng Khởi.", "Ảnh: Trần Quốc",
             scene((1600, 1067), (140, 190, 230), (205, 170, 40))),
            ("cho-noi.jpg", "Chợ nổi Cái Răng", "Ghe thuyền họp chợ từ sáng sớm.", "Ảnh: TTXVN",
             scene((1200, 800), (250, 180, 120), (60, 110, 150))),
            ("cau-moi.jpg", "Cầu mới", "Cây cầu nối hai bờ.", "Ảnh: Lê Bình",
             scene((1000, 700), (200, 210, 220), (90, 90, 100), sun=(240, 240, 240))),
            ("tuan-tra.jpg", "Tổ tuần tra", "Tuần tra ban đêm.", "Ảnh: Trần Quốc",
             scene((1200, 800), (20, 30, 70), (30, 60, 40), sun=(230, 230, 200))),
        ]:
            make_photo(upload=SimpleUploadedFile(name, picture, content_type="image/jpeg"),
                       alt_text=alt, caption=caption, credit_line=credit)
        page = self.new_page(**DESKTOP)
        log_in(page, self.url, "phongvien")
        page.goto(self.url("/admin/articles/photo/"))
        tiles = page.locator(".photo-grid .photo-tile")
        expect(tiles).to_have_count(4)
        # Thumbnails are renditions, never the stored original; a grid, not a table.
        for source in tiles.locator("img").evaluate_all("images => images.map(i => i.currentSrc)"):
            self.assertIn("/media/renditions/", source)
        self.assertEqual(page.locator("#result_list table").count(), 0)
        boxes = [tiles.nth(i).bounding_box() for i in range(4)]
        self.assertEqual(len({round(b["y"]) for b in boxes}), 1, "four tiles on one line")
        expect(tiles.filter(has_text="Cầu mới")).to_contain_text("ảnh hẹp")
        expect(tiles.filter(has_text="Cánh đồng")).not_to_contain_text("ảnh hẹp")
        axe.assert_accessible(self, page, "#result_list")  # the search bar is Django's
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / "admin-photo-library.png")

        page.fill("#searchbar", "tran quoc")
        page.keyboard.press("Enter")
        expect(tiles).to_have_count(2)
        page.fill("#searchbar", "CHO NOI cai rang")
        page.keyboard.press("Enter")
        expect(tiles).to_have_count(1)
        expect(tiles.first).to_contain_text("Chợ nổi Cái Răng")
        expect(tiles.first).to_contain_text("Ảnh: TTXVN")
        tiles.first.locator(".photo-tile__link").click()
        expect(page.locator("#id_alt_text")).to_have_value("Chợ nổi Cái Răng")
        self.assert_no_script_errors()

    def test_tags_field_suggests_existing_tags(self):
        Tag.objects.create(name="Tết Nguyên đán")
        Tag.objects.create(name="An ninh")
        page = self.new_page(**DESKTOP)
        log_in(page, self.url, "phongvien")
        page.goto(self.url("/admin/articles/article/add/"))
        tags = page.locator("#id_tags")
        expect(tags).to_have_attribute("list", "id_tags_suggestions")
        tags.press_sequentially("An ninh, Tết")
        options = page.locator("#id_tags_suggestions option")
        expect(options).to_have_count(1)  # "An ninh" is already typed
        expect(options.first).to_have_attribute("value", "An ninh, Tết Nguyên đán")
        # The typing is autosaved: let that write finish, so no request of this
        # page is still in the database when the next test empties the tables.
        expect(page.locator(".writing-autosave-status")).to_contain_text("Đã lưu tạm lúc")
        self.assert_no_script_errors()

    def test_a_reporter_writes_and_submits_with_one_photo_in_at_most_12_clicks(self):
        """Counted from the login page (the login's button is a click) to the
        article "Chờ duyệt" with its photo and caption."""
        page = self.new_page(**DESKTOP)
        page.add_init_script(COUNT_TRUSTED_CLICKS)
        clicks = Clicks(page)
        page.goto(self.url("/admin/login/?next=/admin/"))
        page.fill("#id_username", "phongvien")
        page.fill("#id_password", PASSWORD)
        clicks.click(page.locator("input[type=submit]"))
        expect(page).to_have_url(self.url("/admin/"))

        clicks.click(page.locator("a[href='/admin/articles/article/add/']").first)
        headline = "Phối hợp đảm bảo an ninh trật tự dịp Tết"
        page.fill("#id_headline", headline)
        page.fill("#id_lead", "Công an xã và dân quân tuần tra vào ban đêm.")
        clicks.click(page.locator(".field-body .ProseMirror[contenteditable=true]"))
        page.keyboard.type("Đêm 9/1, tổ tuần tra xuất quân tại ấp Phú Hòa.")
        clicks.click(page.locator("#id_section + .select2 .select2-selection"))
        page.locator(".select2-container--open .select2-search__field").press_sequentially(
            "an ninh")
        clicks.click(page.locator(
            ".select2-container--open .select2-results__option:not(.loading-results)",
            has_text=self.section.name,
        ))
        clicks.choose_files(page.get_by_label("Chọn ảnh"), str(self.photo_file("tuan-tra.jpg")))
        row = page.locator("#photo_uses-group .inline-related.dynamic-photo_uses")
        expect(row).to_have_count(1, timeout=UPLOAD_WAIT)
        expect(row.locator("input[name$='-is_lead']")).to_be_checked()
        row.locator("textarea[name$='-caption']").fill("Tổ tuần tra xuất quân đêm 9/1.")
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.locator("#photo_uses-group").evaluate("group => group.scrollIntoView()")
        page.screenshot(path=SCREENSHOT_DIR / "admin-article-photos.png")
        clicks.click(page.get_by_role("button", name="Gửi duyệt"))
        expect(page.locator(".workflow-box .status-badge")).to_have_text("Chờ duyệt")

        article = Article.objects.get()
        self.assertEqual((article.headline, article.status), (headline, Article.Status.IN_REVIEW))
        self.assertEqual(article.section, self.section)
        use = ArticlePhoto.objects.get(article=article)
        self.assertEqual((use.is_lead, use.caption), (True, "Tổ tuần tra xuất quân đêm 9/1."))
        self.assertEqual((use.photo.width, use.photo.height), (1200, 800))
        # The file chooser is no click the page sees: the page saw one fewer.
        self.assertEqual(clicks.trusted(), clicks.count - 1)
        self.assertLessEqual(clicks.count, MAX_CLICKS)
        self.assertEqual(clicks.count, 7)  # login, add, body, section ×2, chooser, submit
        self.assert_no_script_errors()
