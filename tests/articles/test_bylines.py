from django.core.exceptions import ValidationError
from django.test import TestCase

from articles.bylines import render_byline
from articles.models import Credit
from tests.factories import add_credit, make_article, make_contributor, role


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


class CreditNameTests(TestCase):
    def test_a_role_formula_in_a_free_text_name_is_refused(self):
        credit = Credit(article=make_article(), name="Tin, ảnh: Trần Quốc", role=role("Tin"))
        with self.assertRaises(ValidationError) as refused:
            credit.full_clean()
        [message] = refused.exception.message_dict["name"]
        self.assertIn("Vai trò (“Tin, ảnh:”) được in từ cột vai trò", message)
        Credit(article=credit.article, name="TTXVN", role=role("Nguồn")).full_clean()
