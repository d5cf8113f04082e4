"""The desk in a real browser (Chromium, see test_journeys.py): a reporter's
own credit is on a new article already, their photo joins the byline, the
article list keeps headlines to two lines and the admin home counts the work."""

from django.utils import timezone
from playwright import sync_api

from articles.models import Article
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

from .test_journeys import PASSWORD, BrowserTestCase, log_in, pick_autocomplete

expect = sync_api.expect
Status = Article.Status

LONG_HEADLINE = (
    "Tỉnh triển khai đồng bộ nhiều giải pháp bảo đảm an ninh trật tự, an toàn giao thông "
    "trong dịp Tết Nguyên đán và mùa lễ hội xuân tại các huyện, thị xã và thành phố"
)


class DeskBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        self.reporter = make_reporter("phongvien", password=PASSWORD, first_name="Trần Quốc")
        self.editor = make_editor("bientap", password=PASSWORD, first_name="Nguyễn Hà")
        self.quoc = make_contributor("Trần Quốc", user=self.reporter)
        self.section = make_section("Thời sự")

    def test_the_reporters_credit_is_there_and_their_photo_joins_the_byline(self):
        page = self.new_page(viewport={"width": 1366, "height": 900})
        log_in(page, self.url, "phongvien")
        page.goto(self.url("/admin/articles/article/add/"))
        credit = page.locator("#credits-group tbody tr.form-row").first
        expect(credit.locator("select[name$=-role] option:checked")).to_have_text("Tin")
        expect(credit.locator(".select2-selection__rendered")).to_contain_text("Trần Quốc")

        page.fill("#id_headline", "Nông dân thi tài sản xuất giỏi")
        page.fill("#id_lead", "Sáng nay, hội thi nông dân sản xuất giỏi khai mạc.")
        page.locator(".ProseMirror[contenteditable=true]").click()
        page.keyboard.type("Hội thi có 40 đội tham gia.")
        pick_autocomplete(page, "id_section", "thoi", "Thời sự")
        page.fill("#id_tags", "Nông nghiệp")
        page.get_by_role("button", name="Gửi duyệt").click()
        expect(page.locator(".messagelist .success")).to_contain_text("Đã lưu và gửi bài")
        article = Article.objects.get()
        self.assertEqual(article.byline(), "Tin: Trần Quốc")

        photo = make_photo(creator="Trần Quốc", credit_line="Ảnh: Trần Quốc")
        add_photo(article, photo, is_lead=True)
        self.assertEqual(article.byline(), "Tin, ảnh: Trần Quốc")
        Article.objects.filter(pk=article.pk).update(
            status=Status.PUBLISHED, published_at=timezone.now()
        )
        page.goto(self.url(article.get_absolute_url()))
        expect(page.locator(".article__byline")).to_have_text("Tin, ảnh: Trần Quốc")
        expect(page.locator("figcaption")).to_have_text("Chú thích ảnh.")
        self.assert_no_script_errors()

    def test_two_line_headlines_and_the_counts_on_the_home_page(self):
        for number in range(3):
            make_article(
                headline=f"{LONG_HEADLINE} ({number})", status=Status.IN_REVIEW,
                published_at=None, created_by=self.reporter,
            )
        done = make_article(headline="Bài đã đăng", created_by=self.reporter)
        add_credit(done, self.quoc)
        page = self.new_page(viewport={"width": 1366, "height": 900})
        log_in(page, self.url, "bientap")

        page.goto(self.url("/admin/"))
        waiting = page.locator(".desk-counts a", has_text="Chờ tôi duyệt")
        expect(waiting.locator(".desk-count")).to_have_text("3")
        waiting.click()
        expect(page.locator("#result_list tbody tr")).to_have_count(3)

        page.goto(self.url("/admin/articles/article/"))
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(4)
        expect(rows.first.locator(".status-badge")).to_have_text("Chờ duyệt")
        expect(rows.last).to_contain_text("Bài đã đăng")
        link = rows.first.locator("th.field-headline a")
        lines = link.evaluate(
            "a => a.getBoundingClientRect().height"
            " / parseFloat(getComputedStyle(a).lineHeight)"
        )
        self.assertLessEqual(round(lines), 2)
        self.assertIn(LONG_HEADLINE, link.inner_text().replace("\n", " "))
        self.assert_no_script_errors()
