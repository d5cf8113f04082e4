"""403 and 404 inside the admin: the admin's layout, Vietnamese, a way back.

A reporter who opens a page they may not see used to get Django's bare English
"403 Forbidden" and no link anywhere; readers' pages keep their own answers.
"""

from django.test import TestCase, override_settings
from django.urls import reverse

from articles import roles
from tests.factories import make_member, make_reporter, make_user

FORBIDDEN = "/admin/auth/user/"  # no newsroom role sees the accounts
MISSING = "/admin/khong-co-trang-nay/"


@override_settings(LANGUAGE_CODE="vi")
class AdminErrorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien")
        cls.moderator = make_member(roles.MODERATORS, "kiemduyet")

    def setUp(self):
        self.client.force_login(self.reporter)

    def assert_admin_page(self, response, status):
        self.assertEqual(response.status_code, status)
        self.assertTemplateUsed(response, "admin/base_site.html")
        self.assertContains(response, 'id="user-tools"', status_code=status)  # the admin's header
        self.assertContains(response, f'href="{reverse("admin:index")}"', status_code=status)
        self.assertIn("no-store", response["Cache-Control"])

    def test_forbidden_page_for_a_reporter(self):
        response = self.client.get(FORBIDDEN)
        self.assert_admin_page(response, 403)
        self.assertContains(response, "<h1>Không có quyền xem trang này</h1>", status_code=403)
        self.assertContains(response, "Về trang quản trị", status_code=403)
        self.assertNotContains(response, "Forbidden", status_code=403)

    def test_a_model_the_moderator_may_not_see(self):
        self.client.force_login(self.moderator)
        response = self.client.get(reverse("admin:articles_article_changelist"))
        self.assert_admin_page(response, 403)

    def test_missing_page_for_staff(self):
        response = self.client.get(MISSING)
        self.assert_admin_page(response, 404)
        self.assertContains(response, "<h1>Không tìm thấy trang</h1>", status_code=404)

    def test_back_goes_to_the_page_they_came_from(self):
        came_from = "http://testserver" + reverse("admin:articles_article_changelist")
        response = self.client.get(FORBIDDEN, headers={"referer": came_from})
        self.assertContains(
            response, f'<a href="{came_from}" class="button">Quay lại trang trước</a>',
            status_code=403, html=True,
        )

    def test_back_never_leaves_the_site(self):
        response = self.client.get(FORBIDDEN, headers={"referer": "https://evil.example/x"})
        self.assertNotContains(response, "evil.example", status_code=403)
        self.assertContains(
            response, f'<a href="{reverse("admin:index")}" class="button">Quay lại trang trước</a>',
            status_code=403, html=True,
        )

    def test_english_when_chosen(self):
        self.client.cookies["newsroom_language"] = "en"
        response = self.client.get(FORBIDDEN)
        self.assert_admin_page(response, 403)
        self.assertContains(response, "You may not see this page", status_code=403)
        self.assertContains(response, "Back to the previous page", status_code=403)

    def test_public_pages_keep_their_answers(self):
        response = self.client.get("/khong-co-trang-nay/")
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "404.html")
        self.assertTemplateNotUsed(response, "admin/base_site.html")

    def test_not_staff_gets_no_admin_page(self):
        self.client.force_login(make_user("banDoc", is_staff=False))
        response = self.client.get(MISSING)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("admin:login")))
