import tempfile
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.messages import WARNING
from django.core.files.storage import default_storage
from django.test import TestCase, override_settings
from django.urls import reverse

from articles import renditions
from articles.models import Article, Contributor, Photo, Role, Section, Tag
from comments.models import Word
from tests.factories import (
    add_photo,
    image_upload,
    make_article,
    make_contributor,
    make_editor,
    make_photo,
    make_reporter,
    make_section,
    make_user,
)
from tests.forms import change_form_data, form_data, inline_management

NARROW = "Ảnh hẹp: bản cắt"


class ArticleAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", is_superuser=True)
        cls.section = make_section("Thời sự")
        cls.quoc = make_contributor("Trần Quốc")
        cls.photo = make_photo(caption="Ảnh kho")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_add_form_in_vietnamese_with_inlines_and_editor(self):
        response = self.client.get(reverse("admin:articles_article_add"))
        self.assertEqual(response.status_code, 200)
        for text in (
            "Tít",
            "Sapo",
            "Chuyên mục",
            "Ghi công",
            "Ảnh trong bài",
            "django_prose_editor",
        ):
            self.assertContains(response, text)
        # Slugs are built on the server: no prepopulated-field (URLify) JavaScript.
        self.assertContains(response, 'data-prepopulated-fields="[]"')
        # The editor's assets are bundled, never loaded from another host.
        for asset in response.content.decode().split('src="')[1:]:
            self.assertFalse(asset.startswith(("http://", "https://", "//")), asset[:80])

    def test_create_article_with_credits_photos_and_tags(self):
        data = {
            "headline": unicodedata.normalize("NFD", "Đồng Khởi mùa lễ hội"),
            "kicker": "",
            "source_tag": "",
            "slug": "",
            "lead": "Sáng nay, lễ hội khai mạc.",
            "body": '<p>Đoạn một.</p><script>alert(1)</script><p onclick="x()">Đoạn hai.</p>',
            "section": self.section.pk,
            "kind": "news",
            "tags": "Lễ hội, Đồng Khởi",
            **inline_management("credits", total=2),
            "credits-0-role": Role.objects.get(label="Tin").pk,
            "credits-0-contributor": self.quoc.pk,
            "credits-0-name": "",
            "credits-0-order": "1",
            "credits-1-role": Role.objects.get(label="Ảnh").pk,
            "credits-1-contributor": self.quoc.pk,
            "credits-1-name": "",
            "credits-1-order": "2",
            **inline_management("photo_uses", total=1),
            "photo_uses-0-photo": self.photo.pk,
            "photo_uses-0-is_lead": "on",
            "photo_uses-0-after_paragraph": "",
            "photo_uses-0-caption": "Khai mạc lễ hội.",
            "photo_uses-0-alt_text": "",
            "photo_uses-0-order": "0",
        }
        response = self.client.post(reverse("admin:articles_article_add"), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        article = Article.objects.get()
        self.assertEqual(article.headline, "Đồng Khởi mùa lễ hội")
        self.assertEqual(article.slug, "dong-khoi-mua-le-hoi")
        self.assertEqual(article.created_by, self.admin)
        # Status and publish time change only through the workflow's buttons.
        self.assertEqual((article.status, article.published_at), (Article.Status.DRAFT, None))
        self.assertNotIn("script", article.body)
        self.assertNotIn("onclick", article.body)
        self.assertEqual(article.byline(), "Tin, ảnh: Trần Quốc")
        self.assertEqual(sorted(t.slug for t in article.tags.all()), ["dong-khoi", "le-hoi"])
        self.assertEqual(article.photo_uses.get().display_caption, "Khai mạc lễ hội.")
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)
        editor = make_editor()
        article.submit(by=self.admin)
        article.approve(by=editor)
        local = ZoneInfo("Asia/Ho_Chi_Minh")
        article.publish(by=editor, at=datetime(2020, 1, 10, 13, 4, tzinfo=local))
        public = self.client.get(article.get_absolute_url())
        self.assertContains(public, "10/01/2020 - 13:04")

    def test_bad_publish_time_is_a_form_error_and_nothing_changes(self):
        article = make_article(status=Article.Status.APPROVED, published_at=None)
        url = reverse("admin:articles_article_transition", args=[article.pk, "publish"])
        response = self.client.post(url, {"at": "32/13/2020 25:00"}, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nhập một")  # Django's Vietnamese "enter a valid…" message
        article.refresh_from_db()
        self.assertEqual((article.status, article.published_at), (Article.Status.APPROVED, None))
        self.assertFalse(article.events.exists())

    def test_two_lead_photos_are_refused(self):
        data = {
            "headline": "Tít",
            "lead": "",
            "body": "",
            "kind": "news",
            "tags": "",
            **inline_management("credits"),
            **inline_management("photo_uses", total=2),
        }
        for i in range(2):
            data |= {
                f"photo_uses-{i}-photo": self.photo.pk,
                f"photo_uses-{i}-is_lead": "on",
                f"photo_uses-{i}-order": str(i),
            }
        response = self.client.post(reverse("admin:articles_article_add"), data)
        self.assertContains(response, "Mỗi bài chỉ có một ảnh đại diện.")
        self.assertFalse(Article.objects.exists())

    def test_search_is_accent_insensitive(self):
        make_article(headline="Phối hợp đảm bảo an ninh trật tự")
        make_article(headline="Giá dừa tăng mạnh")
        url = reverse("admin:articles_article_changelist")
        for query in ("dam bao an ninh", "ĐẢM BẢO", unicodedata.normalize("NFD", "đảm bảo")):
            with self.subTest(query):
                response = self.client.get(url, {"q": query})
                self.assertContains(response, "Phối hợp đảm bảo an ninh trật tự")
                self.assertNotContains(response, "Giá dừa tăng mạnh")

    def test_changelist_filters_and_badges(self):
        make_article(headline="Bài đăng", section=self.section)
        make_article(headline="Bài nháp", status=Article.Status.DRAFT)
        url = reverse("admin:articles_article_changelist")
        response = self.client.get(url, {"status__exact": "draft"})
        self.assertContains(response, "Bài nháp")
        self.assertNotContains(response, "Bài đăng")
        self.assertContains(response, "status-badge status-draft")
        response = self.client.get(url, {"section__id__exact": self.section.pk})
        self.assertContains(response, "Bài đăng")
        self.assertNotContains(response, "Bài nháp")


class LibraryAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", is_superuser=True)

    def setUp(self):
        self.client.force_login(self.admin)

    def test_photo_list_is_a_grid_of_renditions(self):
        photo = make_photo(alt_text="Cánh đồng lúa")
        response = self.client.get(reverse("admin:articles_photo_changelist"))
        self.assertContains(response, 'class="photo-tile"', count=1)
        thumbnail = renditions.rendition(photo, renditions.ORIGINAL, 64)
        self.assertContains(response, f'src="{thumbnail.url}"')
        self.assertNotContains(response, f'src="{photo.image.url}"')
        self.assertContains(response, "Cánh đồng lúa")
        self.assertContains(response, f'name="_selected_action" value="{photo.pk}"')

    def test_section_and_contributor_pages(self):
        make_section("An ninh - Trật tự")
        make_contributor("Lê Thị Bình", pen_name="Hoàng Mai")
        self.assertContains(
            self.client.get(reverse("admin:articles_section_changelist")), "an-ninh-trat-tu"
        )
        response = self.client.get(reverse("admin:articles_contributor_changelist"))
        self.assertContains(response, "Hoàng Mai")
        response = self.client.post(
            reverse("admin:articles_section_add"), {"name": "Tag", "slug": "tag", "order": "0"}
        )
        self.assertContains(response, "được dành cho hệ thống")


class ObjectToolsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", is_superuser=True)

    def setUp(self):
        self.client.force_login(self.admin)

    def test_view_on_site_only_for_public_articles_and_one_history_link(self):
        public = make_article(headline="Đã đăng")
        draft = make_article(headline="Nháp", status=Article.Status.DRAFT)
        response = self.client.get(reverse("admin:articles_article_change", args=[public.pk]))
        self.assertContains(response, f'href="{public.get_absolute_url()}" class="viewsitelink"')
        history = reverse("admin:articles_article_history", args=[public.pk])
        self.assertContains(response, f'href="{history}"', count=1)
        response = self.client.get(reverse("admin:articles_article_change", args=[draft.pk]))
        self.assertNotContains(response, "viewsitelink")


def warnings(response):
    return [str(m) for m in response.context["messages"] if m.level == WARNING]


class PhotoAdminTests(TestCase):
    """Renditions built at upload; a warning for photos whose 16:9 crop is under 1200 px."""

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", is_superuser=True)

    def setUp(self):
        self.client.force_login(self.admin)
        self.enterContext(override_settings(MEDIA_ROOT=tempfile.mkdtemp(dir=settings.MEDIA_ROOT)))

    def upload(self, size, **fields):
        data = {
            "image": image_upload(size=size),
            "alt_text": "Hội nghị",
            "caption": "",
            "credit_line": "Ảnh: T.Q",
            "focal_x": "0.5",
            "focal_y": "0.5",
            **fields,
        }
        return self.client.post(reverse("admin:articles_photo_add"), data, follow=True)

    def test_upload_builds_the_renditions_without_a_page_view(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.upload((640, 480))
        self.assertEqual(response.status_code, 200)
        photo = Photo.objects.get()
        names = renditions.standard_names(photo)
        # 16:9, 4:3, original: 320, 480, 640; 1:1 (480): 320, 480; WebP and JPEG.
        self.assertEqual(len(names), 2 * (3 + 3 + 3 + 2))
        for name in names:
            self.assertTrue(default_storage.exists(name), name)

    def test_focal_point_change_in_the_form_builds_the_new_set(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.upload((640, 480))
        photo = Photo.objects.get()
        old = renditions.standard_names(photo)
        url = reverse("admin:articles_photo_change", args=[photo.pk])
        data = {"alt_text": "Hội nghị", "caption": "", "credit_line": "Ảnh: T.Q"}
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, data | {"focal_x": "0.1", "focal_y": "0.5"})
        self.assertEqual(response.status_code, 302)
        photo.refresh_from_db()
        self.assertEqual(photo.focal_x, 0.1)
        for name in renditions.standard_names(photo):
            self.assertTrue(default_storage.exists(name), name)
        for name in old:
            self.assertFalse(default_storage.exists(name), name)

    def test_narrow_photo_warns_after_saving(self):
        # 1000 × 700: 16:9 is 1000 × 562; 900 × 1200 (portrait): 900 × 506; 2400 × 600
        # (a panorama): 16:9 is 1067 × 600.
        for size, width in [((1000, 700), 1000), ((900, 1200), 900), ((2400, 600), 1067)]:
            with self.subTest(size=size):
                response = self.upload(size)
                [warning] = warnings(response)
                self.assertIn(f"{NARROW} 16:9 chỉ rộng {width} px", warning)
                self.assertIn("ít nhất 1200 px", warning)

    def test_wide_photo_saves_without_a_warning(self):
        # 1600 × 1067 (3:2): 16:9 is 1600 × 900, 1:1 is 1067 × 1067: enough everywhere.
        for size in [(1600, 1200), (1600, 1067), (1200, 675)]:
            with self.subTest(size=size):
                response = self.upload(size)
                self.assertContains(response, "thành công")
                self.assertEqual(warnings(response), [])

    def test_narrow_warning_once_when_the_form_comes_back(self):
        response = self.upload((1000, 700), _continue="1")
        self.assertEqual(warnings(response), [])  # no message: the form says it
        self.assertContains(response, f"{NARROW} 16:9 chỉ rộng 1000 px", count=1)

    def test_change_form_and_list_mark_narrow_photos(self):
        narrow = make_photo(upload=image_upload(size=(1000, 700)), alt_text="Ảnh hẹp")
        wide = make_photo(upload=image_upload(size=(1600, 1200)), alt_text="Ảnh rộng")
        response = self.client.get(reverse("admin:articles_photo_change", args=[narrow.pk]))
        self.assertContains(response, "1000 × 700")
        self.assertContains(response, f"{NARROW} 16:9 chỉ rộng 1000 px", count=1)
        response = self.client.get(reverse("admin:articles_photo_change", args=[wide.pk]))
        self.assertContains(response, "1600 × 1200")
        self.assertNotContains(response, NARROW)
        response = self.client.get(reverse("admin:articles_photo_changelist"))
        self.assertContains(response, 'class="narrow-photo"', count=1)
        self.assertContains(response, f'title="{NARROW} 16:9 chỉ rộng 1000 px')
        self.assertContains(response, "1600 × 1200")


class ArticleLeadPhotoWarningTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", is_superuser=True)

    def setUp(self):
        self.client.force_login(self.admin)

    def save(self, article):
        url = reverse("admin:articles_article_change", args=[article.pk])
        return self.client.post(url, change_form_data(self.client, article), follow=True)

    def test_narrow_lead_photo_warns_and_the_article_is_saved(self):
        article = make_article(status=Article.Status.DRAFT)
        add_photo(article, make_photo(upload=image_upload(size=(900, 1200))), is_lead=True)
        add_photo(article, make_photo(upload=image_upload(size=(1600, 1200))), order=1)
        response = self.save(article)
        self.assertContains(response, "thành công")
        [warning] = warnings(response)
        self.assertIn("Ảnh đại diện của bài hẹp: bản cắt 16:9 chỉ rộng 900 px", warning)

    def test_wide_or_missing_lead_photo_saves_without_a_warning(self):
        article = make_article(status=Article.Status.DRAFT)
        self.assertEqual(warnings(self.save(article)), [])
        add_photo(article, make_photo(upload=image_upload(size=(900, 1200))), order=1)
        add_photo(article, make_photo(upload=image_upload(size=(1600, 1200))), is_lead=True)
        self.assertEqual(warnings(self.save(article)), [])


class TypedTextAdminTests(TestCase):
    """What editors type is stored clean, and what cannot be stored is a form error."""

    TOO_LONG = "dài 101 ký tự; mỗi thẻ dài tối đa 100 ký tự."

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", is_superuser=True)
        cls.section = make_section("Thời sự")

    def setUp(self):
        self.client.force_login(self.admin)

    def add_article(self, **fields):
        data = {
            "headline": "Tít bài",
            "lead": "Sapo.",
            "body": "<p>Đoạn.</p>",
            "section": self.section.pk,
            "kind": "news",
            "tags": "",
            **inline_management("credits"),
            **inline_management("photo_uses"),
            **fields,
        }
        return self.client.post(reverse("admin:articles_article_add"), data)

    def test_control_characters_typed_in_the_form_are_not_stored(self):
        response = self.add_article(
            headline="Tít\x01 bài\x1b[0m",
            lead="Sapo\x02 một\r\ndòng hai",
            tags="An\x03 ninh, Đồng\x9f Khởi",
            **inline_management("credits", total=1),
            **{
                "credits-0-role": Role.objects.get(label="Tin").pk,
                "credits-0-name": "Trần\x04 Quốc",
                "credits-0-order": "0",
            },
        )
        self.assertEqual(response.status_code, 302)
        article = Article.objects.get()
        self.assertEqual(article.headline, "Tít bài[0m")
        self.assertEqual(article.lead, "Sapo một\r\ndòng hai")
        self.assertEqual(sorted(article.tags.names()), ["An ninh", "Đồng Khởi"])
        self.assertEqual(article.credits.get().name, "Trần Quốc")

    def test_tag_name_too_long_is_a_form_error(self):
        response = self.add_article(tags="An ninh, " + "x" * 101)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.TOO_LONG)
        self.assertContains(response, "Thẻ “" + "x" * 40 + "…”")
        self.assertFalse(Article.objects.exists())
        self.assertFalse(Tag.objects.exists())

    def test_tag_too_long_on_an_existing_article_changes_nothing(self):
        article = make_article(section=self.section, status=Article.Status.DRAFT, tags=["Cũ"])
        data = change_form_data(self.client, article)
        data["headline"] = "Tít mới"
        data["tags"] = "Mới, " + "ý" * 101
        response = self.client.post(
            reverse("admin:articles_article_change", args=[article.pk]), data
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.TOO_LONG)
        article.refresh_from_db()
        self.assertNotEqual(article.headline, "Tít mới")
        self.assertEqual(list(article.tags.names()), ["Cũ"])
        self.assertFalse(article.revisions.exists())

    def test_longest_tags_are_stored(self):
        # 100 characters; folding "㎞" to "km" makes a 200-character slug, cut to 100.
        names = ["ư" * 100, "㎞" * 100, "㎞" * 99 + "m"]
        response = self.add_article(tags=", ".join(names))
        self.assertEqual(response.status_code, 302)
        tags = Tag.objects.all()
        self.assertEqual(sorted(tag.name for tag in tags), sorted(names))
        self.assertTrue(all(len(tag.slug) <= 100 for tag in tags))
        self.assertEqual(len({tag.slug for tag in tags}), 3)

    def test_tag_typed_as_nfd_or_with_controls_is_the_stored_tag(self):
        make_article(tags=["Đảm bảo"])
        typed = unicodedata.normalize("NFD", "Đảm bảo") + ", Đảm\x01 bảo"
        response = self.add_article(tags=typed)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Tag.objects.count(), 1)

    def test_names_that_are_only_stored_alike_are_form_errors(self):
        make_article(tags=["Đảm bảo"])
        make_contributor("Trần Quốc")
        Word.objects.create(text="từ xấu")
        cases = [
            ("admin:articles_tag_add", {"name": unicodedata.normalize("NFD", "Đảm bảo")}),
            ("admin:articles_tag_add", {"name": "Đảm bảo\x01"}),
            ("admin:articles_role_add", {"label": "Tin\x01", "order": "0"}),
            ("admin:articles_section_add", {"name": "Khác", "slug": "Thoi-Su", "order": "0"}),
            ("admin:articles_contributor_add", {"name": "Trần Văn", "slug": "Tran-Quoc"}),
            ("admin:comments_word_add", {"text": "từ\x1b xấu", "list": "banned"}),
        ]
        counts = {
            model: model.objects.count() for model in (Tag, Role, Section, Contributor, Word)
        }
        for url, data in cases:
            with self.subTest(url=url, data=data):
                response = self.client.post(reverse(url), data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "đã tồn tại")
        for model, count in counts.items():
            self.assertEqual(model.objects.count(), count, model.__name__)


class DefaultCreditTests(TestCase):
    """The add page's credit inline starts with the writer's own credit."""

    ADD = reverse("admin:articles_article_add")

    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien")
        cls.quoc = make_contributor("Trần Quốc", user=cls.reporter)
        cls.stranger = make_reporter("khach")
        cls.section = make_section("Thời sự")

    def initial_credits(self, response):
        formset = next(
            f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "credits"
        ).formset
        return [form.initial for form in formset.forms]

    def test_the_reporters_contributor_is_prefilled_in_the_fallback_role(self):
        self.client.force_login(self.reporter)
        response = self.client.get(self.ADD)
        self.assertEqual(
            self.initial_credits(response),
            [{"contributor": self.quoc.pk, "role": Role.objects.get(label="Tin").pk}],
        )
        self.assertContains(response, "Trần Quốc")  # the autocomplete shows the name
        self.assertNotContains(response, "credit-hint")

    def test_the_role_comes_from_the_profile(self):
        Contributor.objects.filter(pk=self.quoc.pk).update(
            default_role=Role.objects.get(label="Bài")
        )
        self.client.force_login(self.reporter)
        [initial] = self.initial_credits(self.client.get(self.ADD))
        self.assertEqual(initial["role"], Role.objects.get(label="Bài").pk)

    def test_a_user_without_a_contributor_gets_no_row_and_a_hint(self):
        self.client.force_login(self.stranger)
        response = self.client.get(self.ADD)
        self.assertEqual(self.initial_credits(response), [])
        self.assertContains(response, "chưa gắn với hồ sơ người đóng góp nào")

    def test_the_change_page_adds_no_row(self):
        article = make_article(status=Article.Status.DRAFT, published_at=None,
                               created_by=self.reporter)
        self.client.force_login(self.reporter)
        response = self.client.get(reverse("admin:articles_article_change", args=[article.pk]))
        self.assertEqual(self.initial_credits(response), [])

    def test_the_prefilled_row_as_posted_is_saved(self):
        """What the browser sends back from the add page, untouched, makes the credit."""
        self.client.force_login(self.reporter)
        data = form_data(self.client.get(self.ADD))
        data.update(headline="Tin mới", lead="Sapo.", body="<p>Đoạn.</p>",
                    section=self.section.pk)
        response = self.client.post(self.ADD, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[-2000:])
        article = Article.objects.get()
        self.assertEqual(article.byline(), "Tin: Trần Quốc")

    def test_the_contributor_admin_edits_the_default_role(self):
        admin_user = make_user("admin", is_superuser=True)
        self.client.force_login(admin_user)
        url = reverse("admin:articles_contributor_change", args=[self.quoc.pk])
        self.assertContains(self.client.get(url), "Vai trò mặc định")
        response = self.client.post(url, {
            "name": "Trần Quốc", "pen_name": "", "slug": self.quoc.slug, "bio": "",
            "user": self.reporter.pk, "default_role": Role.objects.get(label="Bài").pk,
        })
        self.assertEqual(response.status_code, 302)
        self.quoc.refresh_from_db()
        self.assertEqual(self.quoc.default_role.label, "Bài")
