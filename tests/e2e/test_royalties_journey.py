"""The accountant's month in a real browser (Chromium, see test_journeys.py):
last month's statement, a reporter's own statement with the article they
wrote, then closing the month (issue 15, part 3)."""

import datetime
import importlib

from django.utils import timezone
from playwright import sync_api

from articles import roles
from articles.models import Role
from articles.royalties.models import BaseAmount, RoyaltyLine
from tests.factories import add_credit, make_article, make_contributor, make_member, make_reporter

from .test_journeys import PASSWORD, SCREENSHOT_DIR, BrowserTestCase, log_in

expect = sync_api.expect

HEADLINE = "Nông dân xã Long Phú thu hoạch lúa sớm tránh lũ"


class AccountantJourneyTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        # A transactional test case flushed the migrations' rows: make them again.
        migration = importlib.import_module(
            "articles.royalties.migrations.0002_accountants_and_default_rates")
        from django.apps import apps

        migration.create_group_and_defaults(apps, None)
        # BrowserTestCase makes only "Tin" and "Ảnh" again; this test credits a source.
        Role.objects.get_or_create(label="Nguồn", defaults={"order": 90, "is_source": True})

    def test_accountant_opens_a_reporters_statement_and_closes_the_month(self):
        make_member(roles.ACCOUNTANTS, "ketoan", password=PASSWORD)
        reporter = make_reporter("phongvien", password=PASSWORD)
        quoc = make_contributor("Trần Quốc", user=reporter)
        BaseAmount.objects.create(amount_per_point=100_000, valid_from=datetime.date(2000, 1, 1))
        last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        when = timezone.make_aware(datetime.datetime(last_month.year, last_month.month, 5, 9))
        article = make_article(headline=HEADLINE, published_at=when, first_published_at=when)
        add_credit(article, quoc, "Tin")
        add_credit(article, name="TTXVN", role_label="Nguồn")
        other = make_article(headline="Khánh thành cầu Rạch Miễu 2", published_at=when,
                             first_published_at=when)
        add_credit(other, name="Hoàng Vũ", role_label="Tin")
        month_label = f"{last_month.month:02d}/{last_month.year}"

        page = self.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, self.url, "ketoan")
        page.goto(self.url("/admin/royalties/royaltymonth/"))
        page.get_by_role("link", name=f"Bảng kê tháng {month_label}").click()
        expect(page.locator("h1")).to_have_text(f"Bảng kê nhuận bút tháng {month_label}")
        people = page.locator("table.royalty-people")
        expect(people).to_contain_text("Trần Quốc")
        expect(people).to_contain_text("Hoàng Vũ")
        expect(page.locator("tfoot .total")).to_have_text("300.000")
        expect(page.locator("table.royalty-lines")).not_to_contain_text("TTXVN")

        people.get_by_role("link", name="Trần Quốc").click()
        lines = page.locator("table.royalty-lines")
        expect(lines).to_contain_text(HEADLINE)
        expect(lines).not_to_contain_text("Rạch Miễu")
        expect(page.locator("tfoot .total")).to_have_text("150.000")
        expect(page.locator(".payment-details")).to_contain_text("Chưa có thông tin thanh toán")
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / "admin-royalty-statement.png", full_page=True)

        page.get_by_role("button", name=f"Khóa sổ tháng {month_label}").click()
        expect(page.locator(".messagelist")).to_contain_text(f"Đã khóa sổ tháng {month_label}")
        expect(page.locator(".month-state")).to_contain_text("Đã khóa sổ lúc")
        expect(page.get_by_role("button", name=f"Khóa sổ tháng {month_label}")).to_have_count(0)
        line = RoyaltyLine.objects.get(article=article)
        self.assertTrue(line.month.is_closed)
        self.assertEqual(line.amount, 150_000)
        self.assert_no_script_errors()
