"""The plan in the admin: proposing, the buttons, the day's plan, the week, and
"Việc của tôi" on the admin home."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.planning.models import PlanEntry, Stage
from tests.factories import (
    make_article,
    make_contributor,
    make_editor,
    make_member,
    make_reporter,
    make_section,
)
from tests.forms import form_data

from .factories import make_entry, slot

Status = Article.Status
INDEX = reverse("admin:index")
CHANGELIST = reverse("admin:planning_planentry_changelist")
ADD = reverse("admin:planning_planentry_add")
DAY = reverse("admin:planning_planentry_day")
WEEK = reverse("admin:planning_planentry_week")


def change_url(entry):
    return reverse("admin:planning_planentry_change", args=[entry.pk])


def transition_url(entry, name):
    return reverse("admin:planning_planentry_transition", args=[entry.pk, name])


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


class ProposeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor("bientap")
        cls.reporter = make_reporter("phongvien")
        cls.other = make_reporter("phongvien2")
        cls.section = make_section("Thời sự")

    def post_new(self, user, **fields):
        self.client.force_login(user)
        data = {"title": "Nước sạch về xã vùng cao", "section": self.section.pk,
                "planned_for": timezone.localdate().strftime("%d/%m/%Y"), "slot": "",
                "deadline_0": "", "deadline_1": "", "notes": "", "_save": "Lưu", **fields}
        return self.client.post(ADD, data)

    def test_a_reporter_proposes_for_themselves_even_if_the_post_names_another(self):
        response = self.post_new(self.reporter, reporter=self.other.pk,
                                 photographer=self.other.pk)
        self.assertEqual(response.status_code, 302)
        entry = PlanEntry.objects.get()
        self.assertEqual(entry.state, Stage.PROPOSED)
        self.assertEqual(entry.proposed_by, self.reporter)
        self.assertEqual(entry.reporter, self.reporter)
        self.assertIsNone(entry.photographer)

    def test_an_editor_s_entry_is_approved_and_assigned_as_posted(self):
        response = self.post_new(self.editor, reporter=self.other.pk,
                                 photographer=self.reporter.pk, slot=slot("Báo in").pk)
        self.assertEqual(response.status_code, 302)
        entry = PlanEntry.objects.get()
        self.assertEqual(entry.state, Stage.APPROVED)
        self.assertEqual((entry.reporter, entry.photographer), (self.other, self.reporter))
        self.assertEqual(entry.approved_by, self.editor)

    def test_a_missing_title_is_a_translated_error_and_nothing_is_saved(self):
        response = self.post_new(self.reporter, title="")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Trường này là bắt buộc.")
        self.assertFalse(PlanEntry.objects.exists())

    def test_a_reporter_edits_their_proposal_but_not_another_s_nor_an_approved_one(self):
        mine = make_entry(proposed_by=self.reporter, reporter=self.reporter)
        theirs = make_entry(proposed_by=self.other, reporter=self.other)
        approved = make_entry(proposed_by=self.reporter, reporter=self.reporter,
                              state=Stage.APPROVED)
        self.client.force_login(self.reporter)
        data = form_data(self.client.get(change_url(mine)), "planentry_form")
        data["title"] = "Tên mới"
        self.assertEqual(self.client.post(change_url(mine), data).status_code, 302)
        mine.refresh_from_db()
        self.assertEqual(mine.title, "Tên mới")
        for entry in (theirs, approved):
            with self.subTest(entry.title):
                page = self.client.get(change_url(entry))
                self.assertEqual(page.status_code, 200)  # read-only
                self.assertNotContains(page, 'name="title"')
                forged = {**data, "title": "Sửa lén"}
                self.assertEqual(self.client.post(change_url(entry), forged).status_code, 403)
                entry.refresh_from_db()
                self.assertNotEqual(entry.title, "Sửa lén")

    def test_nobody_but_a_superuser_deletes(self):
        entry = make_entry(proposed_by=self.reporter)
        for user in (self.reporter, self.editor):
            self.client.force_login(user)
            url = reverse("admin:planning_planentry_delete", args=[entry.pk])
            self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        self.assertTrue(PlanEntry.objects.filter(pk=entry.pk).exists())


class ButtonTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor("bientap")
        cls.reporter = make_reporter("phongvien")
        cls.other = make_reporter("phongvien2")
        cls.moderator = make_member("Kiểm duyệt bình luận", "kiemduyet")
        make_contributor("Trần Quốc", user=cls.reporter)

    def test_the_editor_sees_approve_and_cancel_the_reporter_neither(self):
        entry = make_entry(proposed_by=self.reporter, reporter=self.reporter)
        self.client.force_login(self.editor)
        page = self.client.get(change_url(entry))
        self.assertContains(page, transition_url(entry, "approve"))
        self.assertContains(page, transition_url(entry, "cancel"))
        self.assertNotContains(page, transition_url(entry, "write"))
        self.client.force_login(self.reporter)
        page = self.client.get(change_url(entry))
        self.assertNotContains(page, transition_url(entry, "approve"))
        self.assertNotContains(page, transition_url(entry, "cancel"))

    def test_approve_then_write_through_the_buttons(self):
        entry = make_entry(proposed_by=self.reporter)
        self.client.force_login(self.editor)
        response = self.client.post(transition_url(entry, "approve"), follow=True)
        self.assertIn("Đã duyệt đề tài.", messages_of(response))
        self.client.force_login(self.reporter)
        page = self.client.get(change_url(entry))
        self.assertContains(page, "Viết bài")
        response = self.client.post(transition_url(entry, "write"))
        entry.refresh_from_db()
        self.assertEqual(entry.state, Stage.WRITING)
        self.assertRedirects(
            response, reverse("admin:articles_article_change", args=[entry.article_id])
        )
        article_page = self.client.get(response["Location"])
        self.assertContains(article_page, entry.title)
        # The article links back to its entry.
        self.assertContains(article_page, "Viết cho đề tài")
        self.assertContains(article_page, f'href="{change_url(entry)}"')
        other = make_article(status=Status.DRAFT, created_by=self.reporter)
        self.assertNotContains(
            self.client.get(reverse("admin:articles_article_change", args=[other.pk])),
            "Viết cho đề tài",
        )
        # The entry links to its article.
        self.assertContains(self.client.get(change_url(entry)),
                            reverse("admin:articles_article_change", args=[entry.article_id]))

    def test_forged_posts_are_refused_and_change_nothing(self):
        entry = make_entry(proposed_by=self.reporter, reporter=self.reporter)
        cases = [(self.reporter, "approve"), (self.reporter, "cancel"), (self.other, "approve"),
                 (self.reporter, "write"), (self.editor, "write"), (self.editor, "unknown")]
        for user, name in cases:
            with self.subTest(user=user.username, name=name):
                self.client.force_login(user)
                response = self.client.post(transition_url(entry, name), follow=True)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(messages_of(response))
                entry.refresh_from_db()
                self.assertEqual(entry.state, Stage.PROPOSED)
        self.assertFalse(Article.objects.exists())

    def test_get_is_not_allowed_and_the_moderator_is_refused(self):
        entry = make_entry(proposed_by=self.reporter, reporter=self.reporter)
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(transition_url(entry, "approve")).status_code, 405)
        self.client.force_login(self.moderator)
        for url in (transition_url(entry, "approve"), DAY, WEEK, CHANGELIST):
            with self.subTest(url):
                method = self.client.post if "transition" in url else self.client.get
                self.assertEqual(method(url).status_code, 403)
        entry.refresh_from_db()
        self.assertEqual(entry.state, Stage.PROPOSED)


class PlanViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor("bientap")
        cls.reporter = make_reporter("phongvien", first_name="Quốc", last_name="Trần")
        cls.today = timezone.localdate()
        cls.section = make_section("Thời sự")
        past = timezone.now() - timedelta(hours=1)
        cls.late = make_entry(title="Họp báo tỉnh ủy", state=Stage.APPROVED, deadline=past,
                              reporter=cls.reporter, slot=slot("Trang chủ buổi sáng"),
                              section=cls.section)
        article = make_article(status=Status.IN_REVIEW, created_by=cls.reporter)
        cls.filed = make_entry(title="Lũ ở miền núi", state=Stage.WRITING, article=article,
                               deadline=past, reporter=cls.reporter, slot=slot("Báo in"),
                               section=cls.section)
        cls.unslotted = make_entry(title="Chưa xếp", section=cls.section)
        cls.tomorrow = make_entry(title="Ngày mai", planned_for=cls.today + timedelta(days=1),
                                  section=cls.section)

    def test_the_day_by_slot_with_both_states_and_the_late_flag(self):
        self.client.force_login(self.reporter)  # reporters read the plan too
        page = self.client.get(DAY, {"date": self.today.isoformat()})
        self.assertEqual(page.status_code, 200)
        groups = [(str(g["slot"]), [r["entry"].title for r in g["rows"]])
                  for g in page.context["groups"]]
        self.assertEqual(groups, [("Trang chủ buổi sáng", ["Họp báo tỉnh ủy"]),
                                  ("Báo in", ["Lũ ở miền núi"]), ("None", ["Chưa xếp"])])
        self.assertContains(page, "Chưa xếp khung giờ")
        self.assertNotContains(page, "Ngày mai</a>")
        self.assertContains(page, '<span class="plan-stage plan-stage-filed">Đã có bài</span>',
                            html=True)
        self.assertContains(page, '<span class="status-badge status-in_review">Chờ duyệt</span>',
                            html=True)
        self.assertEqual(page.context["late_count"], 1)
        late_rows = [r["entry"].title for g in page.context["groups"] for r in g["rows"]
                     if r["late"]]
        self.assertEqual(late_rows, ["Họp báo tỉnh ủy"])
        self.assertContains(page, "Trần")

    def test_a_bad_date_is_today_with_a_message(self):
        self.client.force_login(self.editor)
        for value in ("2026-13-40", "9999-12-31", "abc\x00"):
            with self.subTest(value):
                page = self.client.get(DAY, {"date": value})
                self.assertEqual(page.status_code, 200)
                self.assertEqual(page.context["day"], self.today)
                self.assertIn("Ngày không hợp lệ; đang hiện hôm nay.", messages_of(page))

    def test_the_day_costs_the_same_with_many_entries(self):
        self.client.force_login(self.editor)
        self.client.get(DAY)
        with CaptureQueriesContext(connection) as before:
            self.client.get(DAY)
        for number in range(20):
            article = make_article(status=Status.DRAFT, created_by=self.reporter)
            make_entry(title=f"Thêm {number}", state=Stage.WRITING, article=article,
                       reporter=self.reporter, photographer=self.editor,
                       slot=slot("Báo in"), section=make_section())
        with self.assertNumQueries(len(before)):
            page = self.client.get(DAY)
        self.assertContains(page, "Thêm 19")

    def test_seven_days_by_section_without_cancelled_entries(self):
        make_entry(title="Đã hủy", state=Stage.CANCELLED, section=self.section)
        sport = make_section("Thể thao")
        make_entry(title="Giải bóng đá", section=sport,
                   planned_for=self.today + timedelta(days=6))
        make_entry(title="Quá xa", section=sport, planned_for=self.today + timedelta(days=7))
        self.client.force_login(self.editor)
        page = self.client.get(WEEK)
        self.assertEqual(page.context["days"], [self.today + timedelta(days=n) for n in range(7)])
        rows = {str(row["section"]): [[item["entry"].title for item in cell]
                                      for cell in row["days"]]
                for row in page.context["sections"]}
        self.assertEqual(rows["Thời sự"][0], ["Họp báo tỉnh ủy", "Lũ ở miền núi", "Chưa xếp"])
        self.assertEqual(rows["Thời sự"][1], ["Ngày mai"])
        self.assertEqual(rows["Thể thao"][6], ["Giải bóng đá"])
        self.assertNotContains(page, "Đã hủy")
        self.assertNotContains(page, "Quá xa")
        self.assertContains(page, "planning.css")
        self.assertContains(page, '<th scope="col">Chuyên mục</th>', html=True)

    def test_the_week_costs_the_same_with_many_entries(self):
        self.client.force_login(self.editor)
        self.client.get(WEEK)
        with CaptureQueriesContext(connection) as before:
            self.client.get(WEEK)
        for number in range(20):
            make_entry(title=f"Tuần {number}", section=make_section(), reporter=self.reporter,
                       planned_for=self.today + timedelta(days=number % 7))
        with self.assertNumQueries(len(before)):
            self.client.get(WEEK)

    def test_the_stylesheet_prints_the_calendar_without_the_admin_s_chrome(self):
        css = (Path(settings.BASE_DIR) / "static/newsroom_admin/planning.css").read_text()
        self.assertIn("@media print", css)
        printed = css[css.index("@media print"):]
        for selector in ("#header", ".breadcrumbs", "#nav-sidebar", ".plan-pick"):
            self.assertIn(selector, printed)
        self.assertIn("landscape", printed)

    def test_the_list_filters_by_the_five_states_and_late(self):
        self.client.force_login(self.editor)
        filed = self.client.get(CHANGELIST, {"stage": "filed"})
        self.assertEqual([e.title for e in filed.context["cl"].result_list], ["Lũ ở miền núi"])
        late = self.client.get(CHANGELIST, {"late": "yes"})
        self.assertEqual([e.title for e in late.context["cl"].result_list], ["Họp báo tỉnh ủy"])


class MyWorkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor("bientap")
        cls.reporter = make_reporter("phongvien")
        cls.other = make_reporter("phongvien2")
        soon = timezone.now() + timedelta(hours=2)
        past = timezone.now() - timedelta(hours=1)
        make_entry(title="Viết sau", state=Stage.APPROVED, reporter=cls.reporter,
                   deadline=soon + timedelta(hours=5))
        cls.first = make_entry(title="Trễ rồi", state=Stage.APPROVED, reporter=cls.reporter,
                               deadline=past)
        make_entry(title="Chụp ảnh", state=Stage.APPROVED, reporter=cls.other,
                   photographer=cls.reporter, deadline=soon)
        make_entry(title="Của người khác", state=Stage.APPROVED, reporter=cls.other)
        make_entry(title="Đã hủy", state=Stage.CANCELLED, reporter=cls.reporter)
        make_entry(title="Còn đề xuất", state=Stage.PROPOSED, reporter=cls.reporter)
        article = make_article(status=Status.IN_REVIEW, created_by=cls.reporter)
        make_entry(title="Đã nộp", state=Stage.WRITING, reporter=cls.reporter, article=article)

    def panel(self, user):
        self.client.force_login(user)
        page = self.client.get(INDEX)
        self.assertEqual(page.status_code, 200)
        [panel] = page.context["desk_panels"]
        return page, panel

    def test_the_reporter_s_open_work_by_deadline(self):
        page, panel = self.panel(self.reporter)
        self.assertEqual([row["entry"].title for row in panel["rows"]],
                         ["Trễ rồi", "Chụp ảnh", "Viết sau"])
        self.assertEqual([row["late"] for row in panel["rows"]], [True, False, False])
        self.assertContains(page, "Việc của tôi")
        self.assertContains(page, transition_url(self.first, "write"))
        # The photographer's entry is theirs to shoot, not to write.
        self.assertEqual([bool(row["write_url"]) for row in panel["rows"]], [True, False, True])
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertContains(self.client.get(INDEX), "My work")

    def test_an_editor_with_nothing_assigned_sees_an_empty_list_and_the_moderator_none(self):
        _page, panel = self.panel(self.editor)
        self.assertEqual(panel["rows"], [])
        self.client.force_login(make_member("Kiểm duyệt bình luận"))
        self.assertEqual(self.client.get(INDEX).context["desk_panels"], [])

    def test_the_home_page_costs_the_same_with_many_assignments(self):
        self.client.force_login(self.reporter)
        self.client.get(INDEX)
        with CaptureQueriesContext(connection) as before:
            self.client.get(INDEX)
        for number in range(20):
            article = make_article(status=Status.DRAFT, created_by=self.reporter)
            make_entry(title=f"Thêm {number}", state=Stage.WRITING, reporter=self.reporter,
                       article=article, slot=slot("Báo in"))
        with self.assertNumQueries(len(before)):
            self.client.get(INDEX)
