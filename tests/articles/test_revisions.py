"""Revisions, history, diffs, restore, previews and share links (issue 3)."""

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.models import Article, Event, Revision, ShareLink
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_member,
    make_user,
)
from tests.forms import change_form_data


class RevisionTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", is_superuser=True)
        cls.editor = make_member(roles.EDITORS, "editor")
        cls.reporter = make_member(roles.REPORTERS, "reporter")
        cls.other_reporter = make_member(roles.REPORTERS, "other")
        cls.moderator = make_member(roles.MODERATORS, "moderator")
        cls.reader = make_user("reader", is_staff=False)
        cls.article = make_article(
            headline="Họp báo về an ninh trật tự",
            status=Article.Status.DRAFT,
            published_at=None,
            created_by=cls.reporter,
            tags=["An ninh"],
        )
        add_credit(cls.article, make_contributor("Trần Quốc"), "Tin")
        cls.first = cls.article.record_revision(cls.reporter)

    def url(self, name, *args, article=None):
        article = article or self.article
        return reverse(f"admin:articles_article_{name}", args=[article.pk, *args])

    def edit(self, by=None, **fields):
        """Change the article's content as a save would, and record a revision."""
        article = Article.objects.get(pk=self.article.pk)
        for name, value in fields.items():
            setattr(article, name, value)
        article.save()
        return article.record_revision(by or self.reporter)


class RevisionOnSaveTests(RevisionTestCase):
    def test_admin_save_stores_a_revision_and_identical_resave_does_not(self):
        self.client.force_login(self.admin)
        data = change_form_data(self.client, self.article)
        data["headline"] = "Họp báo về an ninh trật tự dịp Tết"
        response = self.client.post(self.url("change"), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        latest = self.article.revisions.order_by("-number").first()
        self.assertEqual(latest.number, 2)
        self.assertEqual(latest.data["headline"], "Họp báo về an ninh trật tự dịp Tết")
        self.assertEqual(latest.data["tags"], ["An ninh"])
        self.assertEqual(latest.data["credits"][0]["display_name"], "Trần Quốc")
        self.assertEqual(latest.created_by, self.admin)

        # Saving the same content again stores nothing new.
        data = change_form_data(self.client, self.article)
        response = self.client.post(self.url("change"), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        self.assertEqual(self.article.revisions.count(), 2)

    def test_revision_holds_photos_and_captions(self):
        add_photo(self.article, is_lead=True, caption="Quang cảnh họp báo.")
        revision = self.article.record_revision(self.reporter)
        self.assertEqual(revision.number, 2)
        self.assertEqual(revision.data["photos"][0]["caption"], "Quang cảnh họp báo.")
        self.assertIsNone(self.article.record_revision(self.reporter))


class HistoryTests(RevisionTestCase):
    def test_history_lists_events_revisions_and_django_log(self):
        self.edit(headline="Tít mới")
        self.article.refresh_from_db()
        self.article.submit(by=self.reporter)
        self.client.force_login(self.editor)
        response = self.client.get(self.url("history"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Gửi duyệt")  # the event
        self.assertContains(response, "Bản nháp → Chờ duyệt")
        self.assertContains(response, "#1")
        self.assertContains(response, "#2")
        self.assertContains(response, "So sánh với bản hiện tại")
        self.assertContains(response, self.url("revision_diff", 1))
        self.assertContains(response, self.url("revision_preview", 2))
        self.assertContains(response, "Khôi phục")
        self.assertContains(response, "Nhật ký quản trị")  # Django's own log below
        events = list(response.context["events"])
        self.assertEqual(events[0].action, "submit")

    def test_history_queries_do_not_grow_with_rows(self):
        self.client.force_login(self.editor)
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url("history"))
        for number in range(3):
            self.edit(headline=f"Tít {number}", by=[self.reporter, self.editor][number % 2])
        self.article.refresh_from_db()
        self.article.submit(by=self.reporter)
        self.article.pull_back(by=self.reporter)
        for revision in self.article.revisions.all():
            ShareLink.objects.create(
                article=self.article, revision=revision, created_by=self.reporter,
                token_hash=ShareLink.hash_token(f"t{revision.number}"),
                expires_at=timezone.now() + timedelta(days=1),
            )
        with self.assertNumQueries(len(few)):
            self.client.get(self.url("history"))

    def test_change_form_links_to_history_and_preview(self):
        self.client.force_login(self.other_reporter)  # read-only: the links are still there
        response = self.client.get(self.url("change"))
        self.assertContains(response, f'<a href="{self.url("history")}">Lịch sử & phiên bản</a>')
        self.assertContains(response, f'<a href="{self.url("preview")}" target="_blank"')


class DiffTests(RevisionTestCase):
    def test_diff_marks_changed_words_against_live_content(self):
        self.edit(headline="Họp báo về an toàn giao thông")
        self.client.force_login(self.editor)
        response = self.client.get(self.url("revision_diff", 1))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("<del>ninh trật tự</del>", html)
        self.assertIn("<ins>toàn giao thông</ins>", html)
        self.assertIn("Họp báo về an", html)

    def test_diff_escapes_html(self):
        self.edit(headline="Tít <script>alert(1)</script>")
        self.client.force_login(self.editor)
        response = self.client.get(self.url("revision_diff", 1))
        html = response.content.decode()
        self.assertNotIn("<script>alert(1)", html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)

    def test_same_content_has_no_differences(self):
        self.client.force_login(self.editor)
        response = self.client.get(self.url("revision_diff", 1))
        self.assertContains(response, "Không có khác biệt")

    def test_unknown_revision_is_404(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(self.url("revision_diff", 99)).status_code, 404)


class RestoreTests(RevisionTestCase):
    def test_restore_makes_a_new_revision_with_old_content(self):
        self.edit(headline="Tít thứ hai", lead="Sapo thứ hai.")
        self.client.force_login(self.reporter)
        response = self.client.post(self.url("revision_restore", 1))
        self.assertRedirects(response, self.url("history"))
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "Họp báo về an ninh trật tự")
        self.assertEqual(self.article.lead, self.first.data["lead"])
        self.assertEqual(self.article.byline(), "Tin: Trần Quốc")
        numbers = list(self.article.revisions.order_by("number").values_list("number", flat=True))
        self.assertEqual(numbers, [1, 2, 3])  # history kept, nothing rewritten
        restored = self.article.revisions.get(number=3)
        self.assertEqual(restored.content_hash, self.first.content_hash)
        self.assertEqual(restored.note, "Khôi phục từ phiên bản #1")
        self.assertEqual(restored.created_by, self.reporter)
        self.assertEqual(self.article.revisions.get(number=2).data["headline"], "Tít thứ hai")

    def test_restore_of_approved_article_sends_it_back_to_review(self):
        self.edit(headline="Tít thứ hai")
        self.article.refresh_from_db()
        self.article.submit(by=self.reporter)
        self.article.approve(by=self.editor)
        version = Article.objects.get(pk=self.article.pk).version
        self.client.force_login(self.editor)
        self.client.post(self.url("revision_restore", 1))
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, Article.Status.IN_REVIEW)
        self.assertEqual(self.article.approved_hash, "")
        self.assertEqual(self.article.headline, "Họp báo về an ninh trật tự")
        self.assertGreater(self.article.version, version)  # open change forms are now stale
        self.assertTrue(self.article.events.filter(action="content_changed").exists())

    def test_restore_of_the_current_content_changes_nothing(self):
        self.client.force_login(self.editor)
        self.client.post(self.url("revision_restore", 1))
        self.assertEqual(self.article.revisions.count(), 1)

    def test_restore_is_post_only(self):
        self.edit(headline="Tít thứ hai")
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(self.url("revision_restore", 1)).status_code, 405)
        self.assertEqual(self.article.revisions.count(), 2)

    def test_restore_needs_csrf_token(self):
        self.edit(headline="Tít thứ hai")
        client = self.client_class(enforce_csrf_checks=True)
        client.force_login(self.editor)
        self.assertEqual(client.post(self.url("revision_restore", 1)).status_code, 403)
        self.assertEqual(self.article.revisions.count(), 2)


class PreviewTests(RevisionTestCase):
    def assert_private(self, response):
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("noindex", response["X-Robots-Tag"])
        self.assertContains(response, '<meta name="robots" content="noindex')

    def test_revision_preview_shows_that_revision_not_the_live_content(self):
        self.edit(headline="Tít hiện tại", body="<p>Thân bài mới.</p>")
        self.client.force_login(self.other_reporter)  # read-only access is enough
        response = self.client.get(self.url("revision_preview", 1))
        self.assertEqual(response.status_code, 200)
        self.assert_private(response)
        self.assertContains(response, "Họp báo về an ninh trật tự")
        self.assertContains(response, "Đoạn một.")
        self.assertContains(response, "Tin: Trần Quốc")
        self.assertContains(response, "An ninh")
        self.assertNotContains(response, "Tít hiện tại")
        self.assertNotContains(response, "Thân bài mới.")
        self.assertContains(response, "Bản xem trước")
        self.assertTemplateUsed(response, "articles/article_detail.html")

    def test_preview_of_latest_content(self):
        self.edit(headline="Tít hiện tại")
        self.client.force_login(self.editor)
        response = self.client.get(self.url("preview"))
        self.assertEqual(response.status_code, 200)
        self.assert_private(response)
        self.assertContains(response, "Tít hiện tại")

    def test_preview_says_which_revision(self):
        self.edit(headline="Tít hiện tại")
        self.client.force_login(self.editor)
        self.assertContains(self.client.get(self.url("revision_preview", 1)), "Phiên bản #1")
        self.assertContains(self.client.get(self.url("preview")), "phiên bản #2")

    def test_preview_shows_photos_with_captions(self):
        add_photo(self.article, is_lead=True, caption="Quang cảnh họp báo.")
        self.article.record_revision(self.reporter)
        self.client.force_login(self.editor)
        response = self.client.get(self.url("revision_preview", 2))
        self.assertContains(response, "Quang cảnh họp báo.")
        self.assertContains(response, "<figure")


class ShareLinkTests(RevisionTestCase):
    def create_link(self, user=None, **data):
        self.client.force_login(user or self.reporter)
        response = self.client.post(self.url("sharelink_create"), {"days": 7, **data})
        self.client.logout()
        return response

    def token_from(self, response):
        url = response.context["new_share_url"]
        return url.rstrip("/").rsplit("/", 1)[-1]

    def test_create_shows_url_once_and_stores_only_a_hash(self):
        response = self.create_link()
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        token = self.token_from(response)
        self.assertGreaterEqual(len(token), 40)
        self.assertContains(response, token)
        link = ShareLink.objects.get()
        self.assertEqual(link.token_hash, ShareLink.hash_token(token))
        self.assertEqual(link.revision, self.first)
        self.assertEqual(link.created_by, self.reporter)
        self.assertAlmostEqual(
            link.expires_at, timezone.now() + timedelta(days=7), delta=timedelta(minutes=1)
        )
        # The token is in no row of any table.
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our table names
                for row in cursor.fetchall():
                    self.assertNotIn(token, " ".join(map(str, row)), table)
        # And the history page does not show it again.
        self.client.force_login(self.reporter)
        self.assertNotContains(self.client.get(self.url("history")), token)

    def test_article_without_revisions_gets_one_to_share(self):
        article = make_article(status=Article.Status.DRAFT, published_at=None,
                               created_by=self.reporter, headline="Chưa có phiên bản")
        self.client.force_login(self.reporter)
        response = self.client.post(self.url("sharelink_create", article=article), {"days": 1})
        self.assertEqual(ShareLink.objects.get().revision, article.revisions.get())
        self.client.logout()
        token = self.token_from(response)
        response = self.client.get(reverse("articles:shared_preview", args=[token]))
        self.assertContains(response, "Chưa có phiên bản")

    def test_expiry_is_limited(self):
        for days in (31, 0, "x"):
            response = self.create_link(days=days)
            self.assertRedirects(response, self.url("history"), fetch_redirect_response=False)
        self.assertFalse(ShareLink.objects.exists())

    def test_link_shows_its_revision_and_counts_views(self):
        token = self.token_from(self.create_link())
        self.edit(headline="Tít sửa sau")
        url = reverse("articles:shared_preview", args=[token])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Họp báo về an ninh trật tự")
        self.assertNotContains(response, "Tít sửa sau")
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("noindex", response["X-Robots-Tag"])
        self.assertContains(response, '<meta name="robots" content="noindex')
        self.assertEqual(response["Referrer-Policy"], "no-referrer")
        self.assertFalse(response.cookies)  # no session, no CSRF cookie
        self.client.get(url)
        link = ShareLink.objects.get()
        self.assertEqual(link.view_count, 2)
        self.assertIsNotNone(link.last_viewed_at)

    def test_link_for_a_chosen_revision(self):
        self.edit(headline="Tít thứ hai")
        token = self.token_from(self.create_link(revision=1))
        response = self.client.get(reverse("articles:shared_preview", args=[token]))
        self.assertContains(response, "Họp báo về an ninh trật tự")
        self.assertNotContains(response, "Tít thứ hai")

    def test_expired_link_is_gone(self):
        token = self.token_from(self.create_link())
        ShareLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        response = self.client.get(reverse("articles:shared_preview", args=[token]))
        self.assertEqual(response.status_code, 410)
        self.assertTemplateUsed(response, "articles/share_link_gone.html")
        self.assertNotContains(response, "Họp báo", status_code=410)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(ShareLink.objects.get().view_count, 0)

    def test_revoked_link_is_gone(self):
        token = self.token_from(self.create_link())
        link = ShareLink.objects.get()
        self.client.force_login(self.reporter)
        self.assertEqual(
            self.client.get(self.url("sharelink_revoke", link.pk)).status_code, 405
        )
        response = self.client.post(self.url("sharelink_revoke", link.pk))
        self.assertRedirects(response, self.url("history"))
        self.client.logout()
        link.refresh_from_db()
        self.assertIsNotNone(link.revoked_at)
        response = self.client.get(reverse("articles:shared_preview", args=[token]))
        self.assertEqual(response.status_code, 410)

    def test_link_to_published_article_redirects_to_public_url(self):
        token = self.token_from(self.create_link())
        Article.objects.filter(pk=self.article.pk).update(
            status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(minutes=1)
        )
        response = self.client.get(reverse("articles:shared_preview", args=[token]))
        self.assertRedirects(response, self.article.get_absolute_url(), status_code=302)

    def test_unknown_token_is_404(self):
        response = self.client.get(reverse("articles:shared_preview", args=["x" * 43]))
        self.assertEqual(response.status_code, 404)

    def test_published_article_gets_no_share_link(self):
        article = make_article(created_by=self.reporter)
        self.client.force_login(self.editor)
        response = self.client.post(self.url("sharelink_create", article=article), {"days": 7})
        self.assertRedirects(response, self.url("history", article=article))
        self.assertFalse(ShareLink.objects.exists())

    def test_history_lists_links_with_state_and_views(self):
        token = self.token_from(self.create_link())
        self.client.get(reverse("articles:shared_preview", args=[token]))
        self.create_link()
        ShareLink.objects.filter(view_count=0).update(revoked_at=timezone.now())
        self.client.force_login(self.editor)
        response = self.client.get(self.url("history"))
        self.assertContains(response, "Còn hiệu lực")
        self.assertContains(response, "Đã thu hồi")
        links = response.context["share_links"]
        self.assertEqual(sorted(link.view_count for link in links), [0, 1])


class PermissionTests(RevisionTestCase):
    """Every URL here refuses who may not see the article, and restore and share
    links refuse who may not edit its content."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.link = ShareLink.objects.create(
            article=cls.article, revision=cls.first, token_hash=ShareLink.hash_token("t"),
            created_by=cls.reporter, expires_at=timezone.now() + timedelta(days=1),
        )

    def read_urls(self):
        return [
            self.url("history"),
            self.url("revision_diff", 1),
            self.url("preview"),
            self.url("revision_preview", 1),
        ]

    def write_urls(self):
        return [
            self.url("revision_restore", 1),
            self.url("sharelink_create"),
            self.url("sharelink_revoke", self.link.pk),
        ]

    def assert_nothing_changed(self):
        self.assertEqual(Revision.objects.count(), 2)
        self.assertEqual(ShareLink.objects.count(), 1)
        self.assertIsNone(ShareLink.objects.get().revoked_at)
        self.assertEqual(Article.objects.get(pk=self.article.pk).headline, "Tít thứ hai")

    def test_other_reporter_reads_but_cannot_restore_or_share(self):
        self.edit(headline="Tít thứ hai")
        self.client.force_login(self.other_reporter)
        for url in self.read_urls():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        history = self.client.get(self.url("history"))
        self.assertNotContains(history, self.url("revision_restore", 1))
        self.assertNotContains(history, self.url("sharelink_create"))
        for url in self.write_urls():
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {"days": 7}).status_code, 403)
        self.assert_nothing_changed()

    def test_author_cannot_restore_once_submitted(self):
        self.edit(headline="Tít thứ hai")
        self.article.refresh_from_db()
        self.article.submit(by=self.reporter)
        self.client.force_login(self.reporter)
        for url in self.write_urls():
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {"days": 7}).status_code, 403)
        self.assert_nothing_changed()

    def test_moderator_is_refused_everywhere(self):
        self.edit(headline="Tít thứ hai")
        self.client.force_login(self.moderator)
        for url in self.read_urls():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        for url in self.write_urls():
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, {"days": 7}).status_code, 403)
        self.assert_nothing_changed()

    def test_non_staff_and_anonymous_go_to_login(self):
        self.edit(headline="Tít thứ hai")
        for user in (self.reader, None):
            if user:
                self.client.force_login(user)
            else:
                self.client.logout()
            for url in self.read_urls() + self.write_urls():
                with self.subTest(user=user, url=url):
                    response = self.client.post(url) if url in self.write_urls() else (
                        self.client.get(url)
                    )
                    self.assertEqual(response.status_code, 302)
                    self.assertIn(reverse("admin:login"), response["Location"])
        self.assert_nothing_changed()

    def test_link_of_another_article_cannot_be_revoked_through_this_one(self):
        other = make_article(status=Article.Status.DRAFT, published_at=None,
                             created_by=self.reporter)
        self.edit(headline="Tít thứ hai")
        self.client.force_login(self.editor)
        response = self.client.post(self.url("sharelink_revoke", self.link.pk, article=other))
        self.assertEqual(response.status_code, 404)
        self.assert_nothing_changed()

    def test_editor_may_restore_and_share_any_article(self):
        self.edit(headline="Tít thứ hai")
        self.client.force_login(self.editor)
        self.assertEqual(self.client.post(self.url("sharelink_create"), {"days": 3}).status_code,
                         200)
        self.client.post(self.url("revision_restore", 1))
        self.assertEqual(Revision.objects.count(), 3)
        self.assertEqual(Event.objects.count(), 0)


class RestoreAfterDeletionTests(RevisionTestCase):
    def test_restore_keeps_a_deleted_contributor_as_a_printed_name(self):
        contributor = self.article.credits.get().contributor
        self.article.credits.all().delete()
        self.article.record_revision(self.reporter)
        contributor.delete()
        self.client.force_login(self.editor)
        response = self.client.post(self.url("revision_restore", 1))
        self.assertRedirects(response, self.url("history"))
        credit = self.article.credits.get()
        self.assertIsNone(credit.contributor)
        self.assertEqual(credit.name, "Trần Quốc")
        self.assertEqual(self.article.byline(), "Tin: Trần Quốc")
