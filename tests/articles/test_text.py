import unicodedata

from django.test import SimpleTestCase, TestCase

from newsroom.text import fold, nfc, slugify
from tests.factories import make_article, make_contributor, make_section

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
