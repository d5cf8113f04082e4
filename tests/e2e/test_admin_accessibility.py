"""axe-core on every admin page a reporter, an editor and a comment moderator
may open, in Chromium: no serious or critical violation (issue 13, point 10).

The pages are enumerated by tests/admin_pages.py (the admin's registry for
objects in every state, then every admin page linked from those), so a new
model admin or page is checked without a change here; a superuser then opens
the pages of the shapes no role reached (delete confirmations, users, the
task queue), and every admin URL pattern that is a page must have been opened.
Beyond GET pages: the login page, a 403 and a 404 inside the admin, every add
form with a row added to each inline and then sent empty (its validation
errors), the article form with its headline cleared, and the conflict page of
a stale save.

One Chromium, one browser context per role. Uses the set-up of
test_journeys.py and tests/e2e/axe.py (skipped without Chromium or axe-core on
a developer machine, a failure in CI).
"""

import datetime
import importlib
from datetime import timedelta

from django.apps import apps as django_apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.db.models import F
from django.utils import timezone

from articles import roles
from articles.models import Article, Correction, ShareLink
from articles.royalties.models import BaseAmount
from comments.models import Word
from tests.admin_pages import (
    ADMIN,
    admin_routes,
    crawl,
    refused_page,
    registry_pages,
    route_of,
    shape,
)
from tests.e2e import axe
from tests.e2e.test_comments_journey import ensure_moderator_group
from tests.e2e.test_journeys import PASSWORD, BrowserTestCase, expect, log_in
from tests.e2e.test_journeys import pytestmark as browser_marks
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_comment,
    make_contributor,
    make_member,
    make_reporter,
    make_section,
    make_user,
)

pytestmark = [*browser_marks, axe.pytestmark]

Status = Article.Status
NOT_FOUND = ADMIN + "khong-co-trang-nay/"
LINKS = "els => els.map(element => element.getAttribute('href'))"


class AdminAccessibilityTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        ensure_moderator_group()
        # ensure_groups() sets the editors' article permissions only; they moderate too.
        Group.objects.get(name=roles.EDITORS).permissions.add(
            *Permission.objects.filter(
                group__name=roles.MODERATORS, content_type__app_label="comments"
            )
        )
        self.reporter = make_reporter("phongvien", password=PASSWORD, first_name="Trần Quốc")
        self.editor = make_member(roles.EDITORS, "bientap", password=PASSWORD,
                                  first_name="Nguyễn Hà")
        self.moderator = make_member(roles.MODERATORS, "kiemduyet", password=PASSWORD)
        self.superuser = make_user("quantri", password=PASSWORD, is_superuser=True)
        # The accountant (issue 15): the group its migration makes, flushed by the
        # transactional reset before this test, and a base amount so the published
        # article has a royalty month with its statement pages.
        importlib.import_module(
            "articles.royalties.migrations.0002_accountants_and_default_rates"
        ).create_group_and_defaults(django_apps, None)
        self.accountant = make_member(roles.ACCOUNTANTS, "ketoan", password=PASSWORD)
        BaseAmount.objects.create(amount_per_point=100_000, valid_from=datetime.date(2000, 1, 1))
        self.make_desk()

    def make_desk(self):
        """An article in every state, with what their pages show (credits, photos,
        revisions, a correction, a share link), and comments in every state."""
        writer = make_contributor("Trần Quốc", user=self.reporter)
        section = make_section("Thời sự")
        later = timezone.now() + timedelta(hours=3)
        for status in Status:
            article = make_article(
                headline=f"Lũ về miền Trung ({status.label})", status=status,
                published_at=later if status == Status.SCHEDULED else None,
                section=section, created_by=self.reporter, tags=["lũ lụt"],
                withdrawal_reason="legal" if status == Status.WITHDRAWN else "",
            )
            add_credit(article, writer)
            add_photo(article, is_lead=True)
            article.record_revision(self.reporter)
            article.body += "<p>Đoạn ba.</p>"
            article.save()
            article.record_revision(self.editor)
            LogEntry.objects.log_actions(
                self.reporter.pk, [article], CHANGE, single_object=True,
                change_message='[{"changed": {"fields": ["Tít"]}}]',
            )
            if status == Status.PUBLISHED:
                Correction.objects.create(article=article, kind=Correction.Kind.CORRECTION,
                                          text="Sửa tên xã.", created_by=self.editor)
                ShareLink.objects.issue(article, article.revisions.last(), self.editor, 3)
                for comment_status in ("pending", "published", "rejected", "spam"):
                    make_comment(article, comment_status, minutes_ago=10, name="Trần Thị Mai")
        self.own_draft = Article.objects.get(status=Status.DRAFT)
        # Someone else's draft: the reporter's read-only view.
        make_article(headline="Bài của biên tập viên", status=Status.DRAFT, published_at=None,
                     section=section, created_by=self.editor)
        for word_list in Word.List:
            Word.objects.create(text=f"từ {word_list.value}", list=word_list)

    def test_every_admin_page_of_every_role(self):
        violations, opened, shown = {}, set(), set()

        def check(page, what=None):
            found = axe.serious_violations(page)
            if found:
                where = what or page.url.removeprefix(self.live_server_url)
                violations[f"{user.username}: {where}"] = found

        for user in (self.reporter, self.editor, self.moderator, self.accountant,
                     self.superuser):
            page = self.new_page(viewport={"width": 1366, "height": 900})
            page.on("dialog", lambda dialog: dialog.accept())
            if user == self.reporter:
                page.goto(self.url(ADMIN))
                check(page, "login")
                opened.add(route_of(page.url.removeprefix(self.live_server_url)))
            log_in(page, self.url, user.username)
            checked = set()

            def open_page(url, came_from, page=page, checked=checked):
                response = page.goto(self.url(url))
                final = page.url.removeprefix(self.live_server_url)
                if (response is None or response.status not in (200, 403)
                        or "html" not in response.headers.get("content-type", "")
                        or final in checked):
                    return None
                checked.add(final)
                if response.status == 200:
                    shown.add(shape(url))
                check(page)
                return page.eval_on_selector_all("a[href]", LINKS)

            seeds = [ADMIN, *registry_pages(user), NOT_FOUND, refused_page(user)]
            seeds = [url for url in seeds if url]
            if user == self.superuser:  # only what no role reached
                urls = crawl(seeds, open_page, skip_shapes=shown)
            else:
                urls = crawl(seeds, open_page)
                self.check_forms(page, urls, check)
            opened |= {route_of(url) for url in urls}

        report = "\n".join(
            f"{url}\n" + "\n".join(f"  {line}" for line in lines)
            for url, lines in violations.items()
        )
        if violations:
            self.fail(f"axe-core, serious and critical violations:\n{report}")
        missing = admin_routes(self.superuser) - opened
        self.assertEqual(missing, set(), "admin pages the crawl never opened (link them, "
                         "or list them in tests/admin_pages.py NOT_PAGES if they are no page)")
        self.assert_no_script_errors()

    def check_forms(self, page, urls, check):
        """Pages after a click or a bad submit: every add form with a row added to
        each inline, then sent empty; the article form without a headline; and a
        stale save's conflict page."""
        for url in urls:
            if route_of(url).endswith("/add/"):
                page.goto(self.url(url))
                add_rows = page.locator(".inline-group .add-row a")
                if add_rows.count():  # rows added by the inlines' script, named too
                    for index in range(add_rows.count()):
                        add_rows.nth(index).click()
                    check(page, f"{url} (a row added to each inline)")
                page.locator("#content-main form input[name=_save]").click()
                page.wait_for_load_state()
                if page.locator(".errornote").count():
                    check(page, f"{url} (sent empty)")
        change = shape(f"{ADMIN}articles/article/{self.own_draft.pk}/change/")
        if not any(shape(url) == change for url in urls):
            return
        page.goto(self.url(f"{ADMIN}articles/article/{self.own_draft.pk}/change/"))
        if not page.locator("#id_headline").count():
            return  # read-only for this user
        page.fill("#id_headline", "")
        page.locator("input[name=_save]").first.click()
        expect(page.locator(".errornote")).to_be_visible()
        check(page, f"{change} (no headline)")
        page.goto(self.url(f"{ADMIN}articles/article/{self.own_draft.pk}/change/"))
        Article.objects.filter(pk=self.own_draft.pk).update(version=F("version") + 1)
        page.fill("#id_headline", "Lũ về miền Trung, bản sửa")
        page.locator("input[name=_save]").first.click()
        expect(page.locator("#content")).to_contain_text("Lũ về miền Trung, bản sửa")
        check(page, f"{change} (conflict)")
