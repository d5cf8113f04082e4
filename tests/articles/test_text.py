import unicodedata

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save
from django.test import SimpleTestCase, TestCase

from articles.models import Correction, Role
from comments.models import Word
from newsroom.text import fold, nfc, normalize, slugify, strip_controls
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_photo,
    make_section,
)

HEADLINE = "Phối hợp đảm bảo an ninh trật tự"


class SlugifyTests(SimpleTestCase):
    def test_vietnamese_headline(self):
        self.assertEqual(slugify(HEADLINE), "phoi-hop-dam-bao-an-ninh-trat-tu")

    def test_d_with_stroke(self):
        self.assertEqual(slugify("Đồng Khởi"), "dong-khoi")

    def test_nfd_input_gives_same_slug(self):
        nfd = unicodedata.normalize("NFD", HEADLINE)
        self.assertNotEqual(nfd, HEADLINE)
        self.assertEqual(slugify(nfd), slugify(HEADLINE))
        self.assertEqual(slugify(unicodedata.normalize("NFD", "Đồng Khởi")), "dong-khoi")

    def test_punctuation_and_spaces(self):
        self.assertEqual(slugify("  “Văn hóa giao thông” – 2020!  "), "van-hoa-giao-thong-2020")

    def test_max_length_cuts_at_word(self):
        self.assertEqual(slugify(HEADLINE, max_length=12), "phoi-hop-dam")


class FoldTests(SimpleTestCase):
    def test_fold_strips_marks_and_case(self):
        self.assertEqual(fold("ĐẢM BẢO An Ninh"), "dam bao an ninh")
        self.assertEqual(fold(unicodedata.normalize("NFD", "Đảm bảo")), "dam bao")

    def test_nfc(self):
        self.assertEqual(nfc(unicodedata.normalize("NFD", HEADLINE)), HEADLINE)
        self.assertIsNone(nfc(None))


class NormalisedOnSaveTests(TestCase):
    def test_text_fields_are_stored_nfc(self):
        nfd = unicodedata.normalize("NFD", HEADLINE)
        article = make_article(headline=nfd, lead=unicodedata.normalize("NFD", "Sáng nay"))
        article.refresh_from_db()
        self.assertEqual(article.headline, HEADLINE)
        self.assertEqual(article.lead, "Sáng nay")
        self.assertEqual(article.slug, "phoi-hop-dam-bao-an-ninh-trat-tu")
        self.assertEqual(article.headline_folded, "phoi hop dam bao an ninh trat tu")

    def test_section_and_contributor_slugs(self):
        section = make_section("An ninh - Trật tự")
        self.assertEqual(section.slug, "an-ninh-trat-tu")
        self.assertEqual(make_section("An ninh - Trật tự").slug, "an-ninh-trat-tu-2")
        contributor = make_contributor(unicodedata.normalize("NFD", "Trần Quốc"))
        self.assertEqual(contributor.name, "Trần Quốc")
        self.assertEqual(contributor.slug, "tran-quoc")

    def test_tag_slugs(self):
        article = make_article(tags=["Đồng Khởi", unicodedata.normalize("NFD", "Đảm bảo an ninh")])
        slugs = sorted(tag.slug for tag in article.tags.all())
        self.assertEqual(slugs, ["dam-bao-an-ninh", "dong-khoi"])
        names = sorted(tag.name for tag in article.tags.all())
        self.assertIn("Đảm bảo an ninh", names)


# Every C0/C1 control character an editor can paste, but NUL (forms refuse it).
CONTROLS = "\x01\x08\x1b\x7f\x80\x9f"


def control_characters(text, multiline):
    allowed = "\t\n\r" if multiline else ""
    return [char for char in text if unicodedata.category(char) == "Cc" and char not in allowed]


class ControlCharacterTests(SimpleTestCase):
    def test_one_line_text(self):
        self.assertEqual(
            strip_controls(f"Tít{CONTROLS} bài\tmột\r\nhai\x0bba\x85bốn\x00"),
            "Tít bài một hai ba bốn",
        )

    def test_multiline_text_keeps_tabs_and_line_breaks(self):
        self.assertEqual(
            strip_controls(f"Dòng một\r\nDòng{CONTROLS} hai\n\tthụt\x0bba", multiline=True),
            "Dòng một\r\nDòng hai\n\tthụt\nba",
        )

    def test_other_characters_are_kept(self):
        text = "Đảm bảo\u00a0an ninh – “trật tự” 😀 \u200b"
        self.assertEqual(strip_controls(text), text)
        self.assertEqual(strip_controls(text, multiline=True), text)
        self.assertIsNone(strip_controls(None))

    def test_normalize_is_nfc_without_controls(self):
        nfd = unicodedata.normalize("NFD", "Phối\x01 hợp")
        self.assertEqual(normalize(nfd), "Phối hợp")


class ControlCharactersRemovedOnSaveTests(TestCase):
    def test_every_text_an_editor_types(self):
        x = CONTROLS
        section = make_section(f"Thời{x} sự", description=f"Mô{x} tả\ndòng hai")
        contributor = make_contributor(f"Trần{x} Quốc", pen_name=f"T.Q{x}", bio=f"Tiểu{x} sử")
        article = make_article(
            headline=f"Tít{x}\tbài",
            kicker=f"Tít{x} phụ",
            source_tag=f"BDK{x}.VN",
            lead=f"Sapo{x}\r\ndòng hai",
            body=f"<p>Đoạn{x} một</p>",
            section=section,
            tags=[f"An{x} ninh"],
        )
        photo = make_photo(
            alt_text=f"Mô{x} tả",
            caption=f"Chú{x} thích",
            creator=f"Người{x} chụp",
            credit_line=f"Ảnh:{x} T.Q",
            copyright_notice=f"©{x} Báo",
        )
        rows = [
            section,
            contributor,
            article,
            article.tags.get(),
            add_credit(article, None, "Tin", name=f"Tên{x} người"),
            photo,
            add_photo(article, photo, caption=f"Chú{x} thích riêng", alt_text=f"Mô{x} tả riêng"),
            Correction.objects.create(article=article, text=f"Sửa{x} lại\nhai dòng"),
            Role.objects.create(label=f"Đồ{x} họa 3D"),
            Word.objects.create(text=f"từ{x} xấu"),
        ]
        for row in rows:
            row.refresh_from_db()
            for field in row._meta.concrete_fields:
                if isinstance(field, (models.CharField, models.TextField)):
                    multiline = isinstance(field, models.TextField)
                    value = getattr(row, field.attname)
                    with self.subTest(model=type(row).__name__, field=field.name):
                        self.assertEqual(control_characters(value, multiline), [])
        self.assertEqual(article.headline, "Tít bài")
        self.assertEqual(article.headline_folded, "tit bai")
        self.assertEqual(article.lead, "Sapo\r\ndòng hai")
        self.assertEqual(section.description, "Mô tả\ndòng hai")
        self.assertEqual(article.tags.get().name, "An ninh")
        self.assertEqual(article.body, "<p>Đoạn một</p>")

    def test_every_model_editors_type_into_is_cleaned_on_save(self):
        for label in ("articles", "comments"):
            for model in apps.get_app_config(label).get_models():
                with self.subTest(model=model.__name__):
                    self.assertTrue(pre_save.has_listeners(model))
