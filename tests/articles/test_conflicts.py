"""Two people editing the same article: the later save of a stale form is
refused with a conflict page; nothing is overwritten and no text is lost."""

import threading
import time
from functools import partial
from unittest import mock, skipUnless

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client, TestCase, TransactionTestCase
from django.urls import reverse

from articles import roles
from articles.admin.articles import ArticleAdmin
from articles.admin.conflict import STAMP_FIELDS as STAMPS
from articles.admin.conflict import claim_version
from articles.models import Article, Revision
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_editor,
    make_user,
)
from tests.forms import form_data


def change_form(client, article):
    """Open the article's change form as a browser would: (url, POST data)."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return url, form_data(response)


def save(client, url, data):
    return client.post(url, data).status_code


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


class ConflictTestData:
    """A reporter's draft with one revision; two editors logged in, each in a browser."""

    def setUp(self):
        super().setUp()
        self.reporter = make_user("phongvien")
        self.reporter.groups.add(Group.objects.get(name=roles.REPORTERS))
        self.editor_a = make_editor("an", first_name="An")
        self.editor_b = make_editor("binh", first_name="Binh")
        self.article = make_article(
            headline="Tít gốc",
            lead="Sapo gốc.",
            body="<p>Đoạn một.</p><p>Đoạn hai.</p>",
            status=Article.Status.DRAFT,
            published_at=None,
            created_by=self.reporter,
            tags=["Lễ hội"],
        )
        add_credit(self.article, make_contributor("Trần Quốc"))
        self.article.record_revision(self.reporter)
        self.client_a = logged_in(self.editor_a)
        self.client_b = logged_in(self.editor_b)


class StaleFormTests(ConflictTestData, TestCase):
    def test_later_stale_save_is_refused_and_shows_both_texts(self):
        url, form_a = change_form(self.client_a, self.article)
        _, form_b = change_form(self.client_b, self.article)
        self.assertEqual(form_a["version_seen"], "1")
        self.assertEqual(form_b["version_seen"], "1")

        form_a |= {"headline": "Tít của An", "body": "<p>Đoạn một.</p><p>Đoạn An viết.</p>"}
        response = self.client_a.post(url, form_a)
        self.assertEqual(response.status_code, 302)

        form_b |= {
            "headline": "Tít của Bình <script>alert(1)</script>",
            "lead": "Sapo Bình viết lại.",
            "body": "<p>Đoạn một.</p><p>Đoạn Bình viết.</p>",
        }
        response = self.client_b.post(url, form_b)

        self.assertEqual(response.status_code, 409)
        self.assertTemplateUsed(response, "admin/articles/article/conflict.html")
        # What An changed, as a diff from the version Bình started from…
        self.assertContains(response, "Tít <del>gốc</del> <ins>của An</ins>", status_code=409)
        self.assertContains(response, "Đoạn <del>hai.</del> <ins>An viết.</ins>", status_code=409)
        # …by whom…
        self.assertContains(response, "Lưu nội dung (phiên bản #2)", status_code=409)
        self.assertContains(response, "An</td>", status_code=409)
        # …and Bình's refused text, given back (escaped) to copy.
        self.assertContains(response, "Sapo Bình viết lại.</textarea>", status_code=409)
        self.assertContains(response, "&lt;p&gt;Đoạn Bình viết.&lt;/p&gt;", status_code=409)
        self.assertContains(response, "Tít của Bình &lt;script&gt;", status_code=409)
        self.assertNotContains(response, "<script>alert", status_code=409)
        self.assertContains(response, "<li>Tin: Trần Quốc</li>", status_code=409)
        self.assertContains(response, f'href="{url}"', status_code=409)

        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "Tít của An")
        self.assertEqual(self.article.lead, "Sapo gốc.")
        self.assertEqual(self.article.version, 2)
        self.assertEqual(
            list(self.article.revisions.values_list("number", "article_version", "created_by")),
            [(2, 2, self.editor_a.pk), (1, 1, self.reporter.pk)],
        )

        # Bình reopens the current version and saves: it goes through.
        _, fresh = change_form(self.client_b, self.article)
        self.assertEqual(fresh["version_seen"], "2")
        response = self.client_b.post(url, fresh | {"lead": "Sapo Bình viết lại."})
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(
            (self.article.headline, self.article.lead), ("Tít của An", "Sapo Bình viết lại.")
        )
        self.assertEqual(self.article.version, 3)
        self.assertEqual(self.article.revisions.count(), 3)

    def test_form_shown_again_with_errors_keeps_the_version_it_was_opened_at(self):
        url, form_a = change_form(self.client_a, self.article)
        _, form_b = change_form(self.client_b, self.article)
        self.client_a.post(url, form_a | {"headline": "Tít của An"})

        response = self.client_b.post(url, form_b | {"headline": ""})  # a form error
        self.assertEqual(response.status_code, 200)
        form_b = form_data(response)
        self.assertEqual(form_b["version_seen"], "1")

        response = self.client_b.post(url, form_b | {"headline": "Tít của Bình"})
        self.assertEqual(response.status_code, 409)
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "Tít của An")

    def test_refused_save_leaves_tags_credits_and_photos_alone(self):
        add_photo(self.article, caption="Chú thích gốc", is_lead=True)
        url, form_a = change_form(self.client_a, self.article)
        _, form_b = change_form(self.client_b, self.article)
        self.assertEqual(
            self.client_a.post(url, form_a | {"kicker": "Tít phụ An"}).status_code, 302
        )
        before = (
            sorted(self.article.tags.names()),
            list(self.article.credits.values_list("contributor", "role", "name")),
            list(self.article.photo_uses.values_list("caption", flat=True)),
            Revision.objects.count(),
            LogEntry.objects.count(),
        )

        form_b |= {
            "tags": "Lễ hội, Thẻ mới của Bình",
            "credits-0-DELETE": "on",
            "photo_uses-0-caption": "Chú thích Bình viết",
        }
        response = self.client_b.post(url, form_b)

        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Lễ hội, Thẻ mới của Bình</textarea>", status_code=409)
        self.assertContains(response, "Chú thích Bình viết", status_code=409)
        self.assertNotContains(response, "<li>Tin: Trần Quốc</li>", status_code=409)  # deleted
        self.assertContains(response, "<ins>Thẻ mới của Bình</ins>", status_code=409)
        self.article.refresh_from_db()
        after = (
            sorted(self.article.tags.names()),
            list(self.article.credits.values_list("contributor", "role", "name")),
            list(self.article.photo_uses.values_list("caption", flat=True)),
            Revision.objects.count(),
            LogEntry.objects.count(),
        )
        self.assertEqual(after, before)
        self.assertEqual(self.article.kicker, "Tít phụ An")

    def test_form_opened_before_a_transition_is_stale(self):
        url, form_b = change_form(self.client_b, self.article)
        self.article.submit(by=self.reporter)  # no content change, but a new version

        response = self.client_b.post(url, form_b | {"headline": "Tít Bình sửa"})

        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Gửi duyệt: Bản nháp → Chờ duyệt", status_code=409)
        self.assertContains(response, "Nội dung không đổi", status_code=409)
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "Tít gốc")
        self.assertEqual(self.article.status, Article.Status.IN_REVIEW)

    def test_stale_form_the_new_status_forbids_is_refused_with_the_text(self):
        reporter = logged_in(self.reporter)
        url, form = change_form(reporter, self.article)
        self.article.submit(by=self.reporter)  # e.g. from another tab

        response = reporter.post(url, form | {"lead": "Sapo viết sau khi đã gửi."})

        self.assertContains(response, "bạn không còn quyền sửa bài", status_code=409)
        self.assertContains(response, "Gửi duyệt: Bản nháp → Chờ duyệt", status_code=409)
        self.assertContains(response, "Sapo viết sau khi đã gửi.</textarea>", status_code=409)
        self.article.refresh_from_db()
        self.assertEqual((self.article.lead, self.article.status), ("Sapo gốc.", "in_review"))

    def test_a_form_never_allowed_is_still_forbidden(self):
        other = make_user("phongvien2")
        other.groups.add(Group.objects.get(name=roles.REPORTERS))
        url, form = change_form(self.client_a, self.article)
        for data in (form, {k: v for k, v in form.items() if k not in STAMPS}):
            with self.subTest(stamps=data is form):
                response = logged_in(other).post(url, data | {"headline": "Tít giả"})
                self.assertEqual(response.status_code, 403)
        self.article.refresh_from_db()
        self.assertEqual(self.article.headline, "Tít gốc")

    def test_only_what_happened_after_the_form_was_opened_is_listed(self):
        self.article.submit(by=self.reporter)
        url, form_b = change_form(self.client_b, self.article)
        self.article.pull_back(by=self.reporter)

        response = self.client_b.post(url, form_b)

        self.assertContains(response, "Rút lại để sửa", status_code=409)
        self.assertNotContains(response, "Gửi duyệt:", status_code=409)

    def test_save_without_the_version_is_refused(self):
        url, form = change_form(self.client_b, self.article)
        del form["version_seen"]
        response = self.client_b.post(url, form | {"headline": "Tít không rõ phiên bản"})
        self.assertContains(response, "không cho biết bạn mở bài ở phiên bản nào", status_code=409)
        self.assertContains(response, "Tít không rõ phiên bản</textarea>", status_code=409)
        self.article.refresh_from_db()
        self.assertEqual((self.article.headline, self.article.version), ("Tít gốc", 1))

    def test_article_deleted_meanwhile_gives_the_text_back(self):
        url, form = change_form(self.client_b, self.article)
        Article.objects.filter(pk=self.article.pk).delete()
        response = self.client_b.post(url, form | {"lead": "Sapo chưa kịp lưu."})
        self.assertContains(response, "Bài không còn nữa", status_code=409)
        self.assertContains(response, "Sapo chưa kịp lưu.</textarea>", status_code=409)

    def test_failure_after_the_version_claim_rolls_everything_back(self):
        url, form = change_form(self.client_a, self.article)
        form |= {"headline": "Tít không được lưu", "tags": "Thẻ không được lưu"}
        # record_revision runs last: after the version claim, the article, tags and credits.
        with (
            mock.patch.object(Article, "record_revision", side_effect=RuntimeError("injected")),
            self.assertRaisesMessage(RuntimeError, "injected"),
        ):
            self.client_a.post(url, form)

        self.article.refresh_from_db()
        self.assertEqual((self.article.headline, self.article.version), ("Tít gốc", 1))
        self.assertEqual(sorted(self.article.tags.names()), ["Lễ hội"])
        self.assertEqual(self.article.revisions.count(), 1)
        # The version was not used up: the same form still saves.
        self.assertEqual(self.client_a.post(url, form).status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual((self.article.headline, self.article.version), ("Tít không được lưu", 2))

    def test_version_stamps_stay_out_of_the_change_message(self):
        url, form = change_form(self.client_a, self.article)
        self.client_a.post(url, form | {"headline": "Tít mới"})
        message = LogEntry.objects.get().get_change_message()
        self.assertIn("Tít", message)
        self.assertNotIn("version", message)
        self.assertNotIn("opened", message)

    def test_add_form_has_no_version_stamps(self):
        response = self.client_a.get(reverse("admin:articles_article_add"))
        self.assertNotContains(response, "version_seen")


@skipUnless(connection.vendor == "postgresql", "SQLite has no row locks; needs PostgreSQL")
class ConcurrentSaveTests(ConflictTestData, TransactionTestCase):
    """Real concurrency: each thread has its own database connection."""

    serialized_rollback = True  # keep the roles and groups made by migrations

    def run_together(self, *jobs):
        barrier = threading.Barrier(len(jobs))
        results = [None] * len(jobs)

        def run(i, job):
            try:
                barrier.wait()
                results[i] = job()
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        return results

    def test_two_claims_of_the_same_version_one_wins(self):
        def claim():
            with transaction.atomic():
                won = claim_version(self.article.pk, 1)
                time.sleep(0.2)  # hold the row while the other claim waits
            return won

        self.assertEqual(sorted(self.run_together(claim, claim)), [False, True])
        self.article.refresh_from_db()
        self.assertEqual(self.article.version, 2)

    def test_two_editors_saving_at_once_one_is_refused(self):
        original = ArticleAdmin.save_related

        def slow_save_related(admin, *args, **kwargs):
            original(admin, *args, **kwargs)
            time.sleep(0.2)  # keep the transaction open so the saves overlap

        for round_ in range(3):
            self.article.refresh_from_db()
            url, form_a = change_form(self.client_a, self.article)
            _, form_b = change_form(self.client_b, self.article)
            revisions = self.article.revisions.count()
            with mock.patch.object(ArticleAdmin, "save_related", slow_save_related):
                codes = self.run_together(
                    partial(save, self.client_a, url, form_a | {"headline": f"An {round_}"}),
                    partial(save, self.client_b, url, form_b | {"headline": f"Bình {round_}"}),
                )
            self.assertEqual(sorted(codes), [302, 409])
            winner = "An" if codes[0] == 302 else "Bình"
            self.article.refresh_from_db()
            self.assertEqual(self.article.headline, f"{winner} {round_}")
            self.assertEqual(self.article.version, round_ + 2)
            self.assertEqual(self.article.revisions.count(), revisions + 1)
