"""The day's plan in a real browser (Chromium, see test_journeys.py): an editor
approves and assigns a reporter's proposal, the reporter finds it in "Việc của
tôi" on the admin home, presses "Viết bài", and the article links back to the
entry; the day's plan and the week are accessible, and the week prints."""

import importlib
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from playwright import sync_api

from articles import roles
from articles.planning.models import PlanEntry, PlanSlot, Stage
from tests.factories import make_contributor, make_editor, make_reporter, make_section

from . import axe
from .test_journeys import PASSWORD, SCREENSHOT_DIR, BrowserTestCase, log_in
from .test_journeys import pytestmark as journeys_pytestmark

expect = sync_api.expect
pytestmark = [*journeys_pytestmark, axe.pytestmark]


def ensure_plan_permissions():
    """The plan's permissions and slots migration planning 0002 gives; a
    transactional test case flushes them."""
    migration = importlib.import_module("articles.planning.migrations.0002_planning_groups")
    for name, codenames in ((roles.REPORTERS, migration.REPORTER_PERMISSIONS),
                            (roles.EDITORS, migration.EDITOR_PERMISSIONS)):
        Group.objects.get(name=name).permissions.add(
            *Permission.objects.filter(content_type__app_label="planning", codename__in=codenames)
        )
    for slot_name, order in migration.SLOTS:
        PlanSlot.objects.get_or_create(name=slot_name, defaults={"order": order})


class PlanningBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        ensure_plan_permissions()
        self.reporter = make_reporter("phongvien", password=PASSWORD, first_name="Trần Quốc")
        self.photographer = make_reporter("phongvienanh", password=PASSWORD, first_name="Lê Minh")
        self.editor = make_editor("bientap", password=PASSWORD, first_name="Nguyễn Hà")
        self.quoc = make_contributor("Trần Quốc", user=self.reporter)
        make_contributor("Lê Minh", user=self.photographer)
        self.section = make_section("Thời sự")
        self.entry = PlanEntry.objects.create(
            title="Nước sạch về xã vùng cao", section=self.section,
            planned_for=timezone.localdate(), proposed_by=self.reporter,
            slot=PlanSlot.objects.get(name="Trang chủ buổi sáng"),
            deadline=timezone.now() + timedelta(hours=4),
            notes="Gặp chủ tịch xã, chụp ảnh bể nước.",
        )

    def assert_accessible(self, page, context=None):
        self.assertEqual(axe.serious_violations(page, context), [], page.url)

    def test_an_editor_approves_and_assigns_and_the_reporter_writes(self):
        page = self.new_page(viewport={"width": 1366, "height": 900})
        log_in(page, self.url, "bientap")
        expect(page.locator(".desk-counts")).to_contain_text("1 Đề tài chờ duyệt")
        page.get_by_role("link", name="Đề tài chờ duyệt").click()
        page.get_by_role("link", name="Nước sạch về xã vùng cao").click()
        expect(page.locator(".plan-box")).to_contain_text("Đề xuất")
        page.select_option("#id_reporter", label="Trần Quốc (phongvien)")
        page.select_option("#id_photographer", label="Lê Minh (phongvienanh)")
        page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
        expect(page.locator(".messagelist .success")).to_be_visible()
        page.get_by_role("button", name="Duyệt đề tài").click()
        expect(page.locator(".messagelist .success")).to_contain_text("Đã duyệt đề tài.")
        expect(page.locator(".plan-box")).to_contain_text("Đã duyệt đề tài")
        self.assert_accessible(page)
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.state, Stage.APPROVED)
        self.assertEqual((self.entry.reporter, self.entry.photographer),
                         (self.reporter, self.photographer))

        page.goto(self.url("/admin/planning/planentry/day/"))
        row = page.locator("tr.plan-row", has_text="Nước sạch về xã vùng cao")
        expect(row).to_contain_text("Đã duyệt đề tài")
        expect(row).to_contain_text("Trần Quốc")
        self.assert_accessible(page)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT_DIR / "admin-plan-day.png", full_page=True)
        page.goto(self.url("/admin/planning/planentry/week/"))
        expect(page.locator(".plan-calendar tbody th")).to_have_text(["Thời sự"])
        expect(page.locator(".plan-calendar thead th")).to_have_count(8)
        self.assert_accessible(page)
        page.screenshot(path=SCREENSHOT_DIR / "admin-plan-week.png", full_page=True)
        page.emulate_media(media="print")
        expect(page.locator("#header")).to_be_hidden()
        expect(page.locator(".plan-calendar")).to_be_visible()
        page.emulate_media(media="screen")

        page = self.new_page(viewport={"width": 1366, "height": 900})
        log_in(page, self.url, "phongvien")
        my_work = page.locator("section.my-work")
        expect(my_work.get_by_role("heading", name="Việc của tôi")).to_be_visible()
        expect(my_work).to_contain_text("Nước sạch về xã vùng cao")
        self.assert_accessible(page)
        page.screenshot(path=SCREENSHOT_DIR / "admin-my-work.png", full_page=True)
        my_work.get_by_role("button", name="Viết bài").click()
        expect(page.locator(".messagelist .success")).to_contain_text(
            "Đã tạo bản nháp cho đề tài “Nước sạch về xã vùng cao”."
        )
        expect(page.locator("#id_headline")).to_have_value("Nước sạch về xã vùng cao")
        self.entry.refresh_from_db()
        article = self.entry.article
        self.assertEqual(self.entry.state, Stage.WRITING)
        self.assertEqual(article.created_by, self.reporter)
        self.assertEqual(article.byline(), "Tin: Trần Quốc - Ảnh: Lê Minh")
        self.assertEqual(page.url, self.url(f"/admin/articles/article/{article.pk}/change/"))
        back = page.locator(".plan-article-entry")
        expect(back).to_contain_text("Viết cho đề tài")
        expect(back.get_by_role("link", name="Nước sạch về xã vùng cao")).to_have_attribute(
            "href", f"/admin/planning/planentry/{self.entry.pk}/change/"
        )
        # Only the line this app adds: the article's own form is another test's.
        self.assert_accessible(page, ".plan-article-entry")

        # The entry links to its article; "Việc của tôi" now opens it.
        page.goto(self.url("/admin/"))
        page.locator("section.my-work").get_by_role("link", name="Mở bài").click()
        expect(page.locator("#id_headline")).to_have_value("Nước sạch về xã vùng cao")
        page.goto(self.url(f"/admin/planning/planentry/{self.entry.pk}/change/"))
        expect(page.locator(".plan-box")).to_contain_text("Đang viết")
        expect(page.locator(".plan-box").get_by_role("link", name="Nước sạch về xã vùng cao")
               ).to_have_attribute("href", f"/admin/articles/article/{article.pk}/change/")
        self.assert_no_script_errors()
