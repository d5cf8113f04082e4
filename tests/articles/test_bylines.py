from django.core.exceptions import ValidationError
from django.test import TestCase

from articles.bylines import render_byline
from articles.models import Credit
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_photo,
    role,
)


class BylineTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.quoc = make_contributor("Trần Quốc")
        cls.an = make_contributor("Nguyễn Văn An")
        cls.binh = make_contributor("Lê Thị Bình", pen_name="Hoàng Mai")

    def byline(self, article):
        article.refresh_from_db()
        return article.byline()

    def test_one_person_news_and_photo(self):
        article = make_article()
        add_credit(article, self.quoc, "Tin", order=1)
        add_credit(article, self.quoc, "Ảnh", order=2)
        self.assertEqual(self.byline(article), "Tin, ảnh: Trần Quốc")

    def test_one_person_article_and_photo(self):
        article = make_article()
        add_credit(article, self.quoc, "Ảnh", order=1)
        add_credit(article, self.quoc, "Bài", order=2)
        self.assertEqual(self.byline(article), "Bài, ảnh: Trần Quốc")

    def test_different_people(self):
        article = make_article()
        add_credit(article, self.an, "Bài", order=1)
        add_credit(article, self.quoc, "Ảnh", order=2)
        self.assertEqual(self.byline(article), "Bài: Nguyễn Văn An - Ảnh: Trần Quốc")

    def test_several_people_one_role(self):
        article = make_article()
        add_credit(article, self.an, "Bài", order=1)
        add_credit(article, self.quoc, "Bài", order=2)
        self.assertEqual(self.byline(article), "Bài: Nguyễn Văn An, Trần Quốc")

    def test_wire_source(self):
        article = make_article()
        add_credit(article, None, "Nguồn", name="TTXVN")
        self.assertEqual(self.byline(article), "Theo TTXVN")

    def test_own_reporting_and_wire_source(self):
        article = make_article()
        add_credit(article, self.an, "Tin", order=1)
        add_credit(article, None, "Nguồn", name="TTXVN", order=2)
        self.assertEqual(self.byline(article), "Tin: Nguyễn Văn An - Theo TTXVN")

    def test_pen_name_shown(self):
        article = make_article()
        add_credit(article, self.binh, "Bài")
        self.assertEqual(self.byline(article), "Bài: Hoàng Mai")

    def test_free_text_name_merges_roles(self):
        article = make_article()
        add_credit(article, None, "Tin", name="Minh Khoa", order=1)
        add_credit(article, None, "Ảnh", name="Minh Khoa", order=2)
        self.assertEqual(self.byline(article), "Tin, ảnh: Minh Khoa")

    def test_no_credits(self):
        self.assertEqual(render_byline([]), "")


class PhotographerInBylineTests(TestCase):
    """A photo's photographer credited on the article joins the byline's photo role."""

    @classmethod
    def setUpTestData(cls):
        cls.quoc = make_contributor("Trần Quốc")
        cls.an = make_contributor("Nguyễn Văn An")
        cls.binh = make_contributor("Lê Thị Bình", pen_name="Hoàng Mai")

    def page(self, article):
        return self.client.get(article.get_absolute_url()).content.decode()

    def test_reporters_own_photo_merges_into_tin_anh(self):
        article = make_article()
        add_credit(article, self.quoc, "Tin")
        add_photo(article, make_photo(creator="Trần Quốc", credit_line="Ảnh: Trần Quốc"),
                  is_lead=True)
        self.assertEqual(article.byline(), "Tin, ảnh: Trần Quốc")
        self.assertEqual(article.credits.count(), 1)  # no second row stored
        page = self.page(article)
        self.assertIn('<p class="article__byline">Tin, ảnh: Trần Quốc</p>', page)
        # The caption does not say it again.
        self.assertNotIn("photo__credit", page)
        self.assertIn("Chú thích ảnh.", page)

    def test_matching_ignores_accents_and_case_and_knows_the_pen_name(self):
        article = make_article()
        add_credit(article, self.binh, "Bài")
        add_photo(article, make_photo(creator="hoang mai", credit_line="Ảnh: Hoàng Mai"))
        self.assertEqual(article.byline(), "Bài, ảnh: Hoàng Mai")
        other = make_article()
        add_credit(other, self.binh, "Bài")
        add_photo(other, make_photo(creator="Lê Thị Bình", credit_line="Ảnh: Lê Thị Bình"))
        self.assertEqual(other.byline(), "Bài, ảnh: Hoàng Mai")

    def test_free_text_credit_merges_too(self):
        article = make_article()
        add_credit(article, None, "Tin", name="Minh Khoa")
        add_photo(article, make_photo(creator="Minh Khoa", credit_line="Ảnh: Minh Khoa"))
        self.assertEqual(article.byline(), "Tin, ảnh: Minh Khoa")

    def test_a_photographer_not_credited_on_the_article_stays_under_the_photo(self):
        article = make_article()
        add_credit(article, self.quoc, "Tin")
        add_photo(article, make_photo(creator="Hữu Đức", credit_line="Ảnh: Hữu Đức"),
                  is_lead=True)
        self.assertEqual(article.byline(), "Tin: Trần Quốc")
        self.assertIn('<span class="photo__credit">Ảnh: Hữu Đức</span>', self.page(article))

    def test_two_people_each_keep_their_roles(self):
        article = make_article()
        add_credit(article, self.an, "Bài", order=1)
        add_credit(article, self.quoc, "Tin", order=2)
        add_photo(article, make_photo(creator="Trần Quốc", credit_line="Ảnh: Trần Quốc"))
        self.assertEqual(article.byline(), "Bài: Nguyễn Văn An - Tin, ảnh: Trần Quốc")

    def test_an_existing_photo_credit_is_not_doubled_and_the_caption_is_left_out(self):
        article = make_article()
        add_credit(article, self.an, "Bài", order=1)
        add_credit(article, self.quoc, "Ảnh", order=2)
        add_photo(article, make_photo(creator="Trần Quốc", credit_line="Ảnh: Trần Quốc"),
                  is_lead=True)
        self.assertEqual(article.byline(), "Bài: Nguyễn Văn An - Ảnh: Trần Quốc")
        self.assertNotIn("photo__credit", self.page(article))

    def test_a_credit_line_that_says_more_is_kept(self):
        article = make_article()
        add_credit(article, self.quoc, "Tin")
        add_photo(article, make_photo(creator="Trần Quốc", credit_line="Ảnh: Trần Quốc/TTXVN"),
                  is_lead=True)
        self.assertEqual(article.byline(), "Tin, ảnh: Trần Quốc")
        self.assertIn("Ảnh: Trần Quốc/TTXVN", self.page(article))

    def test_a_photo_by_two_photographers_hides_its_line_only_if_both_are_credited(self):
        article = make_article()
        add_credit(article, self.quoc, "Tin", order=1)
        photo = make_photo(creator="Trần Quốc, Hữu Đức", credit_line="Ảnh: Trần Quốc, Hữu Đức")
        add_photo(article, photo, is_lead=True)
        self.assertEqual(article.byline(), "Tin, ảnh: Trần Quốc")
        self.assertIn("Ảnh: Trần Quốc, Hữu Đức", self.page(article))
        add_credit(article, None, "Tin", name="Hữu Đức", order=2)
        self.assertEqual(article.byline(), "Tin, ảnh: Trần Quốc, Hữu Đức")
        self.assertNotIn("photo__credit", self.page(article))

    def test_a_source_never_takes_the_photo_role(self):
        article = make_article()
        add_credit(article, None, "Nguồn", name="TTXVN")
        add_photo(article, make_photo(creator="TTXVN", credit_line="Ảnh: TTXVN"), is_lead=True)
        self.assertEqual(article.byline(), "Theo TTXVN")
        self.assertIn('<span class="photo__credit">Ảnh: TTXVN</span>', self.page(article))

    def test_a_photo_without_a_creator_changes_nothing(self):
        article = make_article()
        add_credit(article, self.quoc, "Tin")
        add_photo(article, make_photo(creator="", credit_line="Ảnh: Trần Quốc"), is_lead=True)
        self.assertEqual(article.byline(), "Tin: Trần Quốc")
        self.assertIn('<span class="photo__credit">Ảnh: Trần Quốc</span>', self.page(article))


class CreditNameTests(TestCase):
    def test_a_role_formula_in_a_free_text_name_is_refused(self):
        credit = Credit(article=make_article(), name="Tin, ảnh: Trần Quốc", role=role("Tin"))
        with self.assertRaises(ValidationError) as refused:
            credit.full_clean()
        [message] = refused.exception.message_dict["name"]
        self.assertIn("Vai trò (“Tin, ảnh:”) được in từ cột vai trò", message)
        Credit(article=credit.article, name="TTXVN", role=role("Nguồn")).full_clean()
