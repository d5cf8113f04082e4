"""Lists that show work: the article list's order for each role, and the
admin home's counts of the work waiting (NewsroomAdminSite.desk_counts)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.models import Article
from tests.factories import (
    add_credit,
    make_article,
    make_comment,
    make_contributor,
    make_editor,
    make_member,
    make_reporter,
)

Status = Article.Status
CHANGELIST = reverse("admin:articles_article_changelist")
INDEX = reverse("admin:index")


def draft(status=Status.DRAFT, minutes_ago=0, published_at=None, **overrides):
    """An article in ``status`` whose last activity was ``minutes_ago``."""
    article = make_article(status=Status.DRAFT, published_at=None, **overrides)
    Article.objects.filter(pk=article.pk).update(
        status=status,
        published_at=published_at,
        modified_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return article


class ChangeListOrderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien")
        cls.other = make_reporter("phongvien2")
        cls.editor = make_editor("bientap")
        cls.contributor = make_contributor("Trần Quốc", user=cls.reporter)

    def headlines(self, user, **params):
        self.client.force_login(user)
        response = self.client.get(CHANGELIST, params)
        self.assertEqual(response.status_code, 200)
        return [article.headline for article in response.context["cl"].result_list]

    def test_editors_see_the_submitted_first_then_the_most_recent_activity(self):
        now = timezone.now()
        draft(Status.PUBLISHED, 1, published_at=now, headline="Đăng vừa xong",
              created_by=self.other)
        draft(Status.IN_REVIEW, 30, headline="Chờ duyệt cũ", created_by=self.other)
        draft(Status.DRAFT, 5, headline="Nháp mới", created_by=self.other)
        draft(Status.IN_REVIEW, 10, headline="Chờ duyệt mới", created_by=self.other)
        self.assertEqual(
            self.headlines(self.editor),
            ["Chờ duyệt mới", "Chờ duyệt cũ", "Đăng vừa xong", "Nháp mới"],
        )

    def test_reporters_see_their_own_first_created_or_credited(self):
        draft(Status.PUBLISHED, 1, published_at=timezone.now(), headline="Của người khác",
              created_by=self.other)
        draft(Status.DRAFT, 20, headline="Tôi viết", created_by=self.reporter)
        credited = draft(Status.IN_REVIEW, 10, headline="Tôi được ghi công",
                         created_by=self.other)
        add_credit(credited, self.contributor)
        draft(Status.IN_REVIEW, 2, headline="Chờ duyệt của người khác", created_by=self.other)
        self.assertEqual(
            self.headlines(self.reporter),
            ["Tôi được ghi công", "Tôi viết", "Của người khác", "Chờ duyệt của người khác"],
        )

    def test_a_column_clicked_still_sorts_by_it(self):
        draft(Status.IN_REVIEW, 1, headline="B chờ duyệt", created_by=self.other)
        draft(Status.DRAFT, 2, headline="A nháp", created_by=self.other)
        self.assertEqual(self.headlines(self.editor, o="1"), ["A nháp", "B chờ duyệt"])

    def test_a_transition_counts_as_activity(self):
        old = draft(Status.DRAFT, 60, headline="Cũ, vừa gửi", created_by=self.reporter)
        draft(Status.DRAFT, 5, headline="Mới", created_by=self.reporter)
        old.submit(by=self.reporter)
        old.pull_back(by=self.reporter)
        self.assertEqual(self.headlines(self.reporter), ["Cũ, vừa gửi", "Mới"])


class DeskCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien")
        cls.other = make_reporter("phongvien2")
        cls.editor = make_editor("bientap")
        cls.moderator = make_member(roles.MODERATORS, "kiemduyet")
        now = timezone.localtime()
        draft(Status.IN_REVIEW, headline="Chờ 1", created_by=cls.reporter)
        draft(Status.IN_REVIEW, headline="Chờ 2", created_by=cls.other)
        draft(Status.IN_REVIEW, headline="Biên tập viên tự viết", created_by=cls.editor)
        draft(Status.CHANGES_REQUESTED, headline="Cần sửa của tôi", created_by=cls.reporter)
        draft(Status.CHANGES_REQUESTED, headline="Cần sửa của người khác", created_by=cls.other)
        end_of_day = now.replace(hour=23, minute=59, second=0, microsecond=0)
        draft(Status.SCHEDULED, headline="Hẹn hôm nay", published_at=end_of_day)
        draft(Status.SCHEDULED, headline="Hẹn ngày mai",
              published_at=end_of_day + timedelta(hours=1))
        article = make_article()
        make_comment(article)
        make_comment(article)
        make_comment(article, status="published")

    def counts(self, user):
        self.client.force_login(user)
        response = self.client.get(INDEX)
        self.assertEqual(response.status_code, 200)
        desk = response.context["desk_counts"]
        return {item["label"]: (item["count"], item["url"]) for item in desk}

    def test_an_editor_sees_what_waits_for_them_and_today_s_schedule(self):
        queue = reverse("admin:comments_comment_changelist")
        self.assertEqual(self.counts(self.editor), {
            # Not the one they wrote (four eyes).
            "Chờ tôi duyệt": (2, f"{CHANGELIST}?desk=to_review"),
            "Bài của tôi cần sửa": (
                0, f"{CHANGELIST}?desk=mine&status__exact=changes_requested"
            ),
            "Hẹn đăng hôm nay": (1, f"{CHANGELIST}?schedule=today"),
            # Editors moderate comments too.
            "Bình luận chờ duyệt": (2, f"{queue}?status__exact=pending"),
            # And decide the reporters' proposals for the plan (articles.planning).
            "Đề tài chờ duyệt": (
                0, reverse("admin:planning_planentry_changelist") + "?stage=proposed"
            ),
        })

    def test_a_reporter_sees_their_articles_sent_back(self):
        counts = self.counts(self.reporter)
        self.assertEqual(
            counts,
            {"Bài của tôi cần sửa": (
                1, f"{CHANGELIST}?desk=mine&status__exact=changes_requested"
            )},
        )

    def test_a_moderator_sees_the_comments_pending_only(self):
        queue = reverse("admin:comments_comment_changelist")
        self.assertEqual(
            self.counts(self.moderator),
            {"Bình luận chờ duyệt": (2, f"{queue}?status__exact=pending")},
        )

    def test_each_link_lists_what_it_counts(self):
        self.client.force_login(self.editor)
        for label, (count, url) in self.counts(self.editor).items():
            with self.subTest(label):
                response = self.client.get(url)
                self.assertEqual(response.context["cl"].result_count, count)
        self.client.force_login(self.reporter)
        [(count, url)] = self.counts(self.reporter).values()
        response = self.client.get(url)
        self.assertEqual(
            [a.headline for a in response.context["cl"].result_list], ["Cần sửa của tôi"]
        )
        self.client.force_login(self.moderator)
        [(count, url)] = self.counts(self.moderator).values()
        self.assertEqual(self.client.get(url).context["cl"].result_count, count)

    def test_the_home_page_shows_them_as_links_in_vietnamese_and_english(self):
        self.client.force_login(self.editor)
        page = self.client.get(INDEX)
        self.assertContains(page, "Việc đang chờ")
        self.assertContains(page, f'<a href="{CHANGELIST}?desk=to_review">'
                                  '<span class="desk-count">2</span> '
                                  '<span class="desk-label">Chờ tôi duyệt</span></a>', html=True)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = self.client.get(INDEX)
        self.assertContains(english, "Awaiting my review")
        self.assertContains(english, "Work waiting")

    def test_one_count_query_each(self):
        factory = RequestFactory()
        # An editor's "Chờ tôi duyệt": the chains (3), the articles in review and
        # their approvals (2), the editor's groups, the count; the plan's proposals;
        # then the other three.
        for user, queries in [(self.editor, 11), (self.reporter, 1), (self.moderator, 1)]:
            with self.subTest(user.username):
                request = factory.get(INDEX)
                request.user = user
                user.get_all_permissions()  # the permissions, as the page has them already
                with self.assertNumQueries(queries):
                    admin.site.desk_counts(request)

    def test_the_page_does_not_grow_with_rows(self):
        self.client.force_login(self.editor)
        self.client.get(INDEX)  # warm: content types, sessions
        with CaptureQueriesContext(connection) as before:
            self.client.get(INDEX)
        for number in range(5):
            draft(Status.IN_REVIEW, headline=f"Thêm {number}", created_by=self.other)
        with self.assertNumQueries(len(before)):
            self.client.get(INDEX)
