"""Approval in several levels in a real browser (Chromium, see test_journeys.py):
one article walks a chain of three levels, Trưởng ban → Thư ký tòa soạn →
Tổng biên tập, each level with its own buttons, to publication."""

import importlib

from django.contrib.auth.models import Group, Permission
from playwright import sync_api

from articles import roles
from articles.models import ApprovalChain, Article
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_editor,
    make_member,
    make_photo,
    make_reporter,
    make_section,
)

from .test_journeys import PASSWORD, SCREENSHOT_DIR, BrowserTestCase, log_in

expect = sync_api.expect
Status = Article.Status

LEVELS = [
    (roles.SECTION_HEADS, "Trưởng ban"),
    (roles.MANAGING_EDITORS, "Thư ký tòa soạn"),
    (roles.EDITORS_IN_CHIEF, "Tổng biên tập"),
]


def ensure_level_groups():
    """The groups migration 0019 creates; a transactional test case flushes them."""
    migration = importlib.import_module("articles.migrations.0022_default_approval_chain")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=migration.LEVEL_PERMISSIONS
    )
    groups = []
    for name, _label in LEVELS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        groups.append(group)
    return groups


class ApprovalChainBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        groups = ensure_level_groups()
        section = make_section("Thời sự")
        chain = ApprovalChain.objects.create(name="Thời sự")
        chain.sections.add(section)
        for position, (group, (_name, label)) in enumerate(zip(groups, LEVELS, strict=True), 1):
            chain.levels.create(position=position, group=group, label=label)
        self.reporter = make_reporter("phongvien", password=PASSWORD, first_name="Trần Quốc")
        make_member(roles.SECTION_HEADS, "truongban", password=PASSWORD, first_name="Lê Ban")
        make_member(roles.MANAGING_EDITORS, "thuky", password=PASSWORD, first_name="Võ Thư")
        make_member(roles.EDITORS_IN_CHIEF, "tongbientap", password=PASSWORD,
                    first_name="Đặng Tổng")
        make_editor("bientap", password=PASSWORD, first_name="Nguyễn Hà")
        self.article = make_article(
            headline="Tỉnh họp bàn phương án phòng chống bão số 9", status=Status.DRAFT,
            published_at=None, section=section, created_by=self.reporter, tags=["Thời sự"],
        )
        add_credit(self.article, name="Trần Quốc")
        add_photo(self.article, make_photo(), is_lead=True)
        self.article.record_revision(self.reporter)
        self.article.submit(by=self.reporter)

    def act(self, username, button, waiting=None, note=None, shot=None):
        """Log in as ``username``, open the article, check where it waits, press ``button``."""
        page = self.new_page(viewport={"width": 1366, "height": 900})
        log_in(page, self.url, username)
        # "Chờ tôi duyệt" on the admin home leads to the article waiting at my level.
        page.get_by_role("link", name="Chờ tôi duyệt").click()
        page.get_by_role("link", name=self.article.headline).click()
        box = page.locator(".workflow-box")
        if waiting:
            expect(box.locator(".workflow-waiting")).to_have_text(waiting)
        if shot:
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            box.screenshot(path=SCREENSHOT_DIR / shot)
        form = box.locator(f"form[data-transition={button}]")
        if note:
            form.locator("textarea").fill(note)
        form.get_by_role("button").click()
        expect(page.locator(".messagelist .success")).to_be_visible()
        self.assert_no_script_errors()
        return page

    def test_three_levels_to_publication(self):
        self.act("truongban", "approve", "Chờ trưởng ban duyệt")
        page = self.act("thuky", "send_back", "Chờ thư ký tòa soạn duyệt",
                        note="Kiểm tra lại số hộ dân phải sơ tán.")
        expect(page.locator(".workflow-waiting")).to_have_text("Chờ trưởng ban duyệt")
        self.act("truongban", "approve", "Chờ trưởng ban duyệt")
        self.act("thuky", "approve", "Chờ thư ký tòa soạn duyệt",
                 shot="approval-chain-levels.png")
        page = self.act("tongbientap", "approve", "Chờ tổng biên tập duyệt")
        expect(page.locator(".status-badge")).to_have_text("Đã duyệt")
        levels = page.locator(".workflow-level--approved")
        expect(levels).to_have_count(3)

        # Whoever may publish publishes it.
        page = self.new_page(viewport={"width": 1366, "height": 900})
        log_in(page, self.url, "bientap")
        page.goto(self.url(f"/admin/articles/article/{self.article.pk}/change/"))
        page.locator("form[data-transition=publish]").get_by_role("button").click()
        expect(page.locator(".messagelist .success")).to_contain_text("Đã đăng bài")
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Status.PUBLISHED)
        self.assertEqual(
            list(self.article.events.order_by("pk").values_list("action", "level")),
            [("submit", ""), ("approve", "Trưởng ban"), ("send_back", "Trưởng ban"),
             ("approve", "Trưởng ban"), ("approve", "Thư ký tòa soạn"),
             ("approve", "Tổng biên tập"), ("publish", "")],
        )
        page.goto(self.url(self.article.get_absolute_url()))
        expect(page.locator("h1")).to_have_text(self.article.headline)
        self.assert_no_script_errors()
