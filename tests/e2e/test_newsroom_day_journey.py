"""A newsroom's day in a real browser (Chromium, see test_journeys.py), issue 15's
"done when": one article through a three-level chain, from plan entry to
publication, and the month's statement for its reporter shows it.

An editor approves a reporter's proposal (đề tài) and assigns it; the reporter
finds it in "Việc của tôi", presses "Viết bài", writes the draft and submits it;
Trưởng ban, Thư ký tòa soạn and Tổng biên tập approve it in turn; an editor
publishes it; the accountant opens this month's royalty statement, then the
reporter's, and finds the article paid; the plan entry shows the article's state.
One browser, one context per person."""

import datetime
import importlib

from django.apps import apps
from django.utils import timezone
from playwright import sync_api

from articles import roles
from articles.models import ApprovalChain, Article
from articles.planning.models import PlanEntry, PlanSlot, Stage
from articles.royalties.models import BaseAmount, RoyaltyLine
from tests.factories import make_contributor, make_editor, make_member, make_reporter, make_section

from .test_approval_chain_journey import LEVELS, ensure_level_groups
from .test_journeys import PASSWORD, BrowserTestCase, log_in
from .test_planning_journey import ensure_plan_permissions

expect = sync_api.expect
Status = Article.Status

TITLE = "Nước sạch về xã vùng cao Tà Xùa"
LEAD = "Sau ba năm chờ đợi, hơn 400 hộ dân xã Tà Xùa đã có nước sạch dùng hằng ngày."


class NewsroomDayBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        # A transactional test case flushed the migrations' rows: make them again.
        ensure_plan_permissions()
        groups = ensure_level_groups()
        importlib.import_module(
            "articles.royalties.migrations.0002_accountants_and_default_rates"
        ).create_group_and_defaults(apps, None)
        # "Tin" is paid 1.5 points (the default rates); a point is 100.000 đồng.
        BaseAmount.objects.create(amount_per_point=100_000, valid_from=datetime.date(2000, 1, 1))

        self.section = make_section("Thời sự")
        chain = ApprovalChain.objects.create(name="Thời sự")
        chain.sections.add(self.section)
        for position, (group, (_name, label)) in enumerate(zip(groups, LEVELS, strict=True), 1):
            chain.levels.create(position=position, group=group, label=label)

        self.reporter = make_reporter("phongvien", password=PASSWORD, first_name="Trần Quốc")
        make_contributor("Trần Quốc", user=self.reporter)
        make_editor("bientap", password=PASSWORD, first_name="Nguyễn Hà")
        make_member(roles.SECTION_HEADS, "truongban", password=PASSWORD, first_name="Lê Ban")
        make_member(roles.MANAGING_EDITORS, "thuky", password=PASSWORD, first_name="Võ Thư")
        make_member(roles.EDITORS_IN_CHIEF, "tongbientap", password=PASSWORD,
                    first_name="Đặng Tổng")
        make_member(roles.ACCOUNTANTS, "ketoan", password=PASSWORD)
        self.entry = PlanEntry.objects.create(
            title=TITLE, section=self.section, planned_for=timezone.localdate(),
            proposed_by=self.reporter, slot=PlanSlot.objects.get(name="Trang chủ buổi sáng"),
            deadline=timezone.now() + datetime.timedelta(hours=4),
        )

    def page_for(self, username):
        page = self.new_page(viewport={"width": 1366, "height": 900})
        log_in(page, self.url, username)
        return page

    def approve_at_level(self, username, waiting):
        """The level's member finds the article in "Chờ tôi duyệt" and approves it."""
        page = self.page_for(username)
        page.get_by_role("link", name="Chờ tôi duyệt").click()
        page.get_by_role("link", name=TITLE).click()
        box = page.locator(".workflow-box")
        expect(box.locator(".workflow-waiting")).to_have_text(waiting)
        box.locator("form[data-transition=approve]").get_by_role("button").click()
        expect(page.locator(".messagelist .success")).to_be_visible()
        self.assert_no_script_errors()
        return box

    def test_from_plan_entry_through_three_levels_to_the_reporters_statement(self):
        # An editor approves the proposal and assigns it to the reporter.
        desk = self.page_for("bientap")
        desk.goto(self.url(f"/admin/planning/planentry/{self.entry.pk}/change/"))
        desk.select_option("#id_reporter", label="Trần Quốc (phongvien)")
        desk.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
        expect(desk.locator(".messagelist .success")).to_be_visible()
        desk.get_by_role("button", name="Duyệt đề tài").click()
        expect(desk.locator(".plan-box")).to_contain_text("Đã duyệt đề tài")

        # The reporter starts the article from "Việc của tôi" and writes it.
        page = self.page_for("phongvien")
        my_work = page.locator("section.my-work")
        expect(my_work).to_contain_text(TITLE)
        my_work.get_by_role("button", name="Viết bài").click()
        expect(page.locator("#id_headline")).to_have_value(TITLE)
        page.fill("#id_lead", LEAD)
        body = page.locator(".ProseMirror[contenteditable=true]")
        body.click()
        page.keyboard.type("Công trình nước sạch do tỉnh đầu tư đã hoàn thành.")
        page.fill("#id_tags", "Nước sạch, Tà Xùa")
        page.click("input[name=_continue]")
        expect(page.locator(".messagelist .success")).to_be_visible()
        box = page.locator(".workflow-box")
        box.get_by_role("button", name="Gửi duyệt").click()
        expect(page.locator(".messagelist .success")).to_contain_text("Đã gửi bài")
        expect(box.locator(".workflow-waiting")).to_have_text("Chờ trưởng ban duyệt")
        self.assert_no_script_errors()
        self.entry.refresh_from_db()
        article = self.entry.article
        self.assertEqual(self.entry.stage, Stage.FILED)

        # Three levels approve in turn, each seeing where the article waits.
        self.approve_at_level("truongban", "Chờ trưởng ban duyệt")
        self.approve_at_level("thuky", "Chờ thư ký tòa soạn duyệt")
        box = self.approve_at_level("tongbientap", "Chờ tổng biên tập duyệt")
        expect(box.locator(".status-badge")).to_have_text("Đã duyệt")
        expect(box.locator(".workflow-level--approved")).to_have_count(3)

        # An editor publishes it.
        desk.goto(self.url(f"/admin/articles/article/{article.pk}/change/"))
        desk.locator("form[data-transition=publish]").get_by_role("button").click()
        expect(desk.locator(".messagelist .success")).to_contain_text("Đã đăng bài")
        article.refresh_from_db()
        self.assertEqual(article.status, Status.PUBLISHED)
        self.assertEqual(
            list(article.events.order_by("pk").values_list("action", "level")),
            [("submit", ""), ("approve", "Trưởng ban"), ("approve", "Thư ký tòa soạn"),
             ("approve", "Tổng biên tập"), ("publish", "")],
        )

        # The accountant: this month's statement, then the reporter's.
        today = timezone.localdate()
        month_label = f"{today.month:02d}/{today.year}"
        books = self.page_for("ketoan")
        books.goto(self.url("/admin/royalties/royaltymonth/"))
        books.get_by_role("link", name=f"Bảng kê tháng {month_label}").click()
        expect(books.locator("h1")).to_have_text(f"Bảng kê nhuận bút tháng {month_label}")
        books.locator("table.royalty-people").get_by_role("link", name="Trần Quốc").click()
        expect(books.locator("table.royalty-lines")).to_contain_text(TITLE)
        expect(books.locator("tfoot .total")).to_have_text("150.000")
        self.assertEqual(RoyaltyLine.objects.get(article=article).amount, 150_000)
        self.assert_no_script_errors()

        # The plan entry shows its article, published.
        desk.goto(self.url(f"/admin/planning/planentry/{self.entry.pk}/change/"))
        plan_box = desk.locator(".plan-box")
        expect(plan_box.locator(".plan-stage")).to_have_text("Đã có bài")
        expect(plan_box.locator(".status-badge")).to_have_text("Đã đăng")
        expect(plan_box.get_by_role("link", name=TITLE)).to_have_attribute(
            "href", f"/admin/articles/article/{article.pk}/change/"
        )
        self.assert_no_script_errors()
