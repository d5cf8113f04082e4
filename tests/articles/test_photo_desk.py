"""Photos at the desk (issue 13, point 4): the article form's upload endpoint,
the narrow-photo rule, the library's folded search, the focal-point editor.
The browser side is tests/e2e/test_photo_desk.py."""

import html
import io
import json
import tempfile

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from PIL import Image

from articles import roles
from articles.admin.photos import narrow_photo_warning
from articles.meta import narrow_crop
from articles.models import Article, Photo, Tag
from tests.factories import (
    add_photo,
    image_upload,
    make_article,
    make_member,
    make_photo,
    make_reporter,
    make_section,
    make_user,
)
from tests.forms import inline_management

UPLOAD = reverse("admin:articles_article_photo_upload")


def jpeg_with_gps(size=(64, 48)):
    """A JPEG carrying EXIF with a GPS block, as a phone writes it."""
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"
    exif.get_ifd(0x8825)[2] = (10.0, 45.0, 0.0)  # GPSLatitude
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


class PhotoUploadEndpointTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien")
        cls.moderator = make_member(roles.MODERATORS, "kiemduyet")

    def setUp(self):
        self.enterContext(override_settings(MEDIA_ROOT=tempfile.mkdtemp(dir=settings.MEDIA_ROOT)))
        self.client.force_login(self.reporter)

    def post(self, upload, client=None):
        return (client or self.client).post(UPLOAD, {"image": upload})

    def test_a_reporter_uploads_a_photo_into_the_library(self):
        upload = SimpleUploadedFile("Ảnh tuần tra.jpg", jpeg_with_gps((1600, 1067)),
                                    content_type="image/jpeg")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post(upload)
        self.assertEqual(response.status_code, 201, response.content)
        answer = response.json()
        photo = Photo.objects.get()
        self.assertEqual(answer["photo"]["id"], photo.pk)
        self.assertEqual((answer["photo"]["width"], answer["photo"]["height"]), (1600, 1067))
        self.assertEqual(answer["photo"]["url"], photo.image.url)
        self.assertEqual(answer["photo"]["change_url"],
                         reverse("admin:articles_photo_change", args=[photo.pk]))
        self.assertIsNone(answer["lead_warning"])  # 1600 × 1067 is wide enough
        self.assertRegex(photo.image.name, r"^photos/\d{4}/\d{2}/anh-tuan-tra(_\w+)?\.jpg$")
        # Re-encoded like any library upload: no EXIF, no GPS.
        with photo.image.open("rb") as stored, Image.open(stored) as image:
            self.assertEqual(dict(image.getexif()), {})
            self.assertNotIn("exif", image.info)
        self.assertEqual(LogEntry.objects.get().object_id, str(photo.pk))

    def test_a_narrow_photo_says_so_for_the_lead(self):
        response = self.post(image_upload(size=(1000, 700)))
        self.assertEqual(response.status_code, 201)
        self.assertIn("Ảnh đại diện của bài hẹp: bản cắt 16:9 chỉ rộng 1000 px",
                      response.json()["lead_warning"])

    def test_not_an_image_is_refused_with_a_translated_reason(self):
        upload = SimpleUploadedFile("anh.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
        response = self.post(upload)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(),
                         {"errors": ["Tệp này không phải ảnh JPEG, PNG hoặc WebP hợp lệ."]})
        self.assertFalse(Photo.objects.exists())

    def test_no_file_is_refused(self):
        response = self.client.post(UPLOAD, {})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(len(response.json()["errors"]), 1)
        self.assertFalse(Photo.objects.exists())

    def test_a_file_over_the_byte_cap_is_refused(self):
        limits = settings.NEWSROOM | {"PHOTO_MAX_BYTES": 1000}
        with override_settings(NEWSROOM=limits):
            response = self.post(image_upload(size=(400, 300), quality=95))
        self.assertEqual(response.status_code, 400)
        [error] = response.json()["errors"]
        self.assertIn("Tệp ảnh quá lớn", error)
        self.assertFalse(Photo.objects.exists())

    def test_a_photo_over_the_pixel_cap_is_refused(self):
        limits = settings.NEWSROOM | {"PHOTO_MAX_PIXELS": 1_000_000}
        with override_settings(NEWSROOM=limits):
            response = self.post(image_upload(size=(1200, 1000)))
        self.assertEqual(response.status_code, 400)
        self.assertIn("quá nhiều điểm ảnh", response.json()["errors"][0])
        self.assertFalse(Photo.objects.exists())

    def test_staff_without_the_permission_is_refused(self):
        client = Client()
        client.force_login(self.moderator)
        response = self.post(image_upload(), client)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json(),
                         {"errors": ["Bạn không có quyền tải ảnh lên thư viện."]})
        self.assertFalse(Photo.objects.exists())

    def test_anonymous_and_non_staff_go_to_the_login(self):
        reader = make_user("bandoc", is_staff=False)
        anonymous, member = Client(), Client()
        member.force_login(reader)
        for client in (anonymous, member):
            response = self.post(image_upload(), client)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("admin:login")))
        self.assertFalse(Photo.objects.exists())

    def test_get_is_refused_and_csrf_is_checked(self):
        self.assertEqual(self.client.get(UPLOAD).status_code, 405)
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.reporter)
        self.assertEqual(self.post(image_upload(), strict).status_code, 403)
        self.assertFalse(Photo.objects.exists())


class ArticleFormDropZoneTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien")
        cls.section = make_section("Thời sự")

    def setUp(self):
        self.enterContext(override_settings(MEDIA_ROOT=tempfile.mkdtemp(dir=settings.MEDIA_ROOT)))
        self.client.force_login(self.reporter)

    def test_the_add_page_has_the_drop_zone_and_no_add_popup(self):
        response = self.client.get(reverse("admin:articles_article_add"))
        self.assertContains(response, "data-photo-drop", count=1)
        self.assertContains(response, '<label class="photo-drop__choose" for="photo-drop-input">'
                                      "Chọn ảnh</label>")
        self.assertContains(response, "newsroom_admin/photo_upload.js")
        page = response.content.decode()
        zone = page.split('data-photo-drop data-config="', 1)[1].split('"', 1)[0]
        config = json.loads(html.unescape(zone))
        self.assertEqual(config["url"], UPLOAD)
        self.assertNotContains(response, 'id="add_id_photo_uses-__prefix__-photo"')

    def test_no_drop_zone_where_the_article_is_read_only(self):
        article = make_article(status=Article.Status.IN_REVIEW, created_by=self.reporter)
        response = self.client.get(reverse("admin:articles_article_change", args=[article.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "data-photo-drop")

    def test_an_uploaded_photo_is_saved_with_the_new_article(self):
        photo_id = self.client.post(UPLOAD, {"image": image_upload(size=(1600, 900))}).json()[
            "photo"]["id"]
        data = {
            "headline": "Tít", "kicker": "", "source_tag": "", "slug": "", "lead": "Sapo.",
            "body": "<p>Đoạn.</p>", "section": self.section.pk, "kind": "news", "tags": "",
            **inline_management("credits", total=0),
            **inline_management("photo_uses", total=1),
            "photo_uses-0-photo": photo_id, "photo_uses-0-is_lead": "on",
            "photo_uses-0-after_paragraph": "", "photo_uses-0-caption": "Chú thích.",
            "photo_uses-0-alt_text": "", "photo_uses-0-order": "0",
        }
        response = self.client.post(reverse("admin:articles_article_add"), data)
        self.assertEqual(response.status_code, 302)
        use = Article.objects.get().photo_uses.get()
        self.assertEqual((use.photo_id, use.is_lead, use.caption), (photo_id, True, "Chú thích."))


class NarrowPhotoRuleTests(TestCase):
    """Narrow means the 16:9 crop (the share image) is under 1200 px."""

    def photo(self, width, height):
        return Photo(width=width, height=height)

    def test_true_and_false(self):
        cases = {
            (1600, 1067): None,  # the photo: 16:9 is 1600 × 900, 1:1 1067 × 1067
            (1200, 800): None,
            (1200, 675): None,
            (1920, 1080): None,
            (1199, 800): ("16x9", 1199),
            (1000, 700): ("16x9", 1000),
            (900, 1200): ("16x9", 900),  # portrait: as wide as the photo
            (2400, 600): ("16x9", 1067),  # panorama: cut to 1067 × 600
            (0, 0): None,  # no size known
        }
        for (width, height), expected in cases.items():
            with self.subTest(size=(width, height)):
                self.assertEqual(narrow_crop(self.photo(width, height)), expected)
                warning = narrow_photo_warning(self.photo(width, height))
                self.assertEqual(warning is None, expected is None)

    def test_the_lead_warning_names_the_crop_and_the_width_needed(self):
        warning = narrow_photo_warning(self.photo(1000, 700), lead=True)
        self.assertIn("bản cắt 16:9 chỉ rộng 1000 px", warning)
        self.assertIn("ít nhất 1200 px", warning)


class NarrowWarningOnceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", is_superuser=True)

    def setUp(self):
        self.enterContext(override_settings(MEDIA_ROOT=tempfile.mkdtemp(dir=settings.MEDIA_ROOT)))
        self.client.force_login(self.admin)

    def test_photo_saved_from_the_list_link_warns_once(self):
        photo = make_photo(upload=image_upload(size=(1000, 700)))
        url = reverse("admin:articles_photo_change", args=[photo.pk])
        data = {"alt_text": "Hội nghị", "caption": "", "credit_line": "", "focal_x": "0.5",
                "focal_y": "0.5", "creator": "", "copyright_notice": ""}
        response = self.client.post(url, data, follow=True)  # "Lưu": to the grid
        text = "Ảnh hẹp: bản cắt 16:9 chỉ rộng 1000 px"
        self.assertEqual(
            [str(m) for m in response.context["messages"]].count(
                narrow_photo_warning(photo)), 1)
        self.assertContains(response, f'<li class="warning">{text}', count=1)
        response = self.client.post(url, data | {"_continue": "1"}, follow=True)
        self.assertNotContains(response, f'<li class="warning">{text}')
        self.assertContains(response, f'<div class="help narrow-photo">⚠ {text}', count=1)

    def test_a_wide_lead_photo_of_the_article_gives_no_warning(self):
        article = make_article(status=Article.Status.DRAFT)
        add_photo(article, make_photo(upload=image_upload(size=(1600, 1067))), is_lead=True)
        photo = Photo.objects.get()
        self.assertIsNone(narrow_photo_warning(photo, lead=True))


class LibrarySearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien")
        cls.field = make_photo(alt_text="Cánh đồng lúa chín", caption="Mùa gặt ở Đồng Khởi.")
        cls.market = make_photo(alt_text="Chợ nổi", caption="", credit_line="Ảnh: Trần Quốc")
        cls.named = make_photo(upload=image_upload(name="Tuần tra đêm.jpg"), alt_text="",
                               caption="")

    def setUp(self):
        self.client.force_login(self.reporter)

    def search(self, term):
        response = self.client.get(reverse("admin:articles_photo_changelist"), {"q": term})
        self.assertEqual(response.status_code, 200)
        return {photo.pk for photo in response.context["cl"].result_list}

    def test_folded_words_in_any_field_or_the_file_name(self):
        self.assertEqual(self.search("dong khoi"), {self.field.pk})
        self.assertEqual(self.search("CÁNH đồng"), {self.field.pk})
        self.assertEqual(self.search("tran quoc"), {self.market.pk})
        self.assertEqual(self.search("tuan tra"), {self.named.pk})
        self.assertEqual(self.search("lúa chợ"), set())  # every word must match
        self.assertEqual(self.search(""), {self.field.pk, self.market.pk, self.named.pk})

    def test_the_search_text_follows_edits(self):
        self.market.caption = "Ghe thuyền trên sông"
        self.market.save()
        self.assertEqual(self.search("ghe thuyen"), {self.market.pk})

    def test_the_article_form_autocomplete_is_folded_too(self):
        response = self.client.get(reverse("admin:autocomplete"), {
            "app_label": "articles", "model_name": "articlephoto", "field_name": "photo",
            "term": "canh dong",
        })
        self.assertEqual([row["id"] for row in response.json()["results"]], [str(self.field.pk)])


class FocalEditorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien")

    def setUp(self):
        self.enterContext(override_settings(MEDIA_ROOT=tempfile.mkdtemp(dir=settings.MEDIA_ROOT)))
        self.client.force_login(self.reporter)

    def test_the_change_form_shows_the_picture_and_each_crop(self):
        photo = make_photo(upload=image_upload(size=(1600, 1067)), focal_x=0.25, focal_y=0.75)
        response = self.client.get(reverse("admin:articles_photo_change", args=[photo.pk]))
        self.assertContains(response, 'data-focal-editor data-focal-x="0.250000" '
                                      'data-focal-y="0.750000">')
        self.assertContains(response, f'class="focal-editor__image" src="{photo.image.url}"')
        for ratio in ("16x9", "4x3", "1x1"):
            self.assertContains(response, f'data-ratio="{ratio}"', count=1)
        self.assertContains(response, 'cx="25%" cy="75%"', count=2)
        self.assertContains(response, "newsroom_admin/focal_point.js")
        self.assertContains(response, '<span class="photo-dimensions">1600 × 1067</span>')

    def test_the_add_form_never_says_zero_by_zero(self):
        response = self.client.get(reverse("admin:articles_photo_add"))
        self.assertNotContains(response, "0 × 0")
        self.assertContains(response, '<span class="photo-dimensions">—</span>')
        self.assertContains(response, 'data-focal-y="0.500000" hidden>')

    def test_a_click_posts_the_two_stored_fields(self):
        photo = make_photo(upload=image_upload(size=(640, 480)))
        url = reverse("admin:articles_photo_change", args=[photo.pk])
        data = {"alt_text": "Hội nghị", "caption": "", "credit_line": "", "creator": "",
                "copyright_notice": "", "focal_x": "0.125", "focal_y": "0.900"}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        photo.refresh_from_db()
        self.assertEqual((photo.focal_x, photo.focal_y), (0.125, 0.9))


class TagSuggestionTests(TestCase):
    """The "Thẻ" field suggests existing tags through the admin's autocomplete view."""

    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien")
        cls.moderator = make_member(roles.MODERATORS, "kiemduyet")
        Tag.objects.create(name="Tết Nguyên đán")
        Tag.objects.create(name="An ninh")

    def suggestions(self, user, term):
        client = Client()
        client.force_login(user)
        return client.get(reverse("admin:autocomplete"), {
            "app_label": "articles", "model_name": "article", "field_name": "tags",
            "term": term,
        })

    def test_a_reporter_gets_existing_tags_accents_optional(self):
        for term in ("Tết", "tet nguyen"):
            with self.subTest(term):
                response = self.suggestions(self.reporter, term)
                self.assertEqual([tag["text"] for tag in response.json()["results"]],
                                 ["Tết Nguyên đán"])

    def test_staff_without_the_tag_permission_gets_nothing(self):
        self.assertEqual(self.suggestions(self.moderator, "tet").status_code, 403)

    def test_the_article_form_loads_the_suggestions(self):
        self.client.force_login(self.reporter)
        response = self.client.get(reverse("admin:articles_article_add"))
        self.assertContains(response, f'data-url="{reverse("admin:autocomplete")}"')
        self.assertContains(response, "newsroom_admin/tag_suggestions.js")
