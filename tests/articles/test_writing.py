"""The writing page (articles/admin/writing.py): autosave, the form's preview,
"Gửi duyệt" on the add page, and the body shown formatted when read-only."""

from django.conf import settings
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from articles.models import Article, Autosave, Event, Revision
from tests.factories import make_article, make_editor, make_reporter, make_section
from tests.forms import change_form_data, form_data, inline_management

ADD = reverse("admin:articles_article_add")
AUTOSAVE_ADD = reverse("admin:articles_article_autosave_add")
PREVIEW_ADD = reverse("admin:articles_article_form_preview_add")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def add_form(**fields):
    """What the add page posts: the article's fields and empty inlines."""
    return {
        "headline": "", "kicker": "", "source_tag": "", "lead": "", "body": "",
        "section": "", "kind": "news", "tags": "", "slug": "",
        **inline_management("credits"), **inline_management("photo_uses"),
        **fields,
    }


class AutosaveTests(TestCase):
    def setUp(self):
        self.reporter = make_reporter("phongvien")
        self.article = make_article(
            headline="Tít đã lưu", body="<p>Đoạn đã lưu.</p>", status=Article.Status.DRAFT,
            published_at=None, created_by=self.reporter,
        )
        self.article.record_revision(self.reporter)
        self.client = logged_in(self.reporter)

    def state(self):
        article = Article.objects.get(pk=self.article.pk)
        return (article.headline, article.body, article.status, article.version,
                article.revisions.count(), article.events.count())

    def test_autosave_keeps_the_text_and_changes_nothing_of_the_article(self):
        before = self.state()
        data = change_form_data(self.client, self.article)
        data |= {"headline": "Tít đang viết", "body": "<p>Đoạn đang viết.</p>"}
        response = self.client.post(autosave_url(self.article), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Đã lưu tạm lúc", response.json()["message"])
        self.assertEqual(self.state(), before)
        autosave = Autosave.objects.get(user=self.reporter, article=self.article)
        self.assertEqual(autosave.data["headline"], "Tít đang viết")
        self.assertEqual(autosave.version, self.article.version)
        self.assertNotIn("csrfmiddlewaretoken", autosave.data)

        # A second autosave replaces the first: one per person and article.
        self.client.post(autosave_url(self.article), data | {"headline": "Tít mới hơn"})
        self.assertEqual(Autosave.objects.get().data["headline"], "Tít mới hơn")

    def test_reopening_offers_it_and_restore_fills_the_form(self):
        data = change_form_data(self.client, self.article)
        self.client.post(autosave_url(self.article), data | {"headline": "Tít đang viết"})
        page = self.client.get(change_url(self.article))
        self.assertContains(page, "Khôi phục bản đang viết lúc")
        self.assertContains(page, 'value="Tít đã lưu"')  # not restored until asked

        restored = self.client.get(change_url(self.article) + "?autosave=restore")
        self.assertContains(restored, "Đã khôi phục bản đang viết lúc")
        self.assertEqual(form_data(restored)["headline"], "Tít đang viết")
        self.assertEqual(self.state()[0], "Tít đã lưu")  # still only in the form

    def test_saving_the_article_deletes_the_autosave(self):
        data = change_form_data(self.client, self.article)
        self.client.post(autosave_url(self.article), data | {"headline": "Tít đang viết"})
        response = self.client.post(change_url(self.article), data | {"headline": "Tít lưu thật"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Autosave.objects.exists())
        self.assertNotContains(self.client.get(change_url(self.article)), "Khôi phục bản")

    def test_the_notice_in_english(self):
        self.client.post(autosave_url(self.article), {"headline": "Tít đang viết"})
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = self.client.get(change_url(self.article))
        self.assertContains(page, "Restore the text written at")
        self.assertEqual(page.context["writing"]["config"]["text"]["chars"], "characters")

    def test_a_form_sent_back_with_errors_counts_as_unsaved(self):
        data = change_form_data(self.client, self.article)
        self.client.post(autosave_url(self.article), data | {"headline": "Tít đang viết"})
        response = self.client.post(change_url(self.article), data | {"headline": ""})
        self.assertEqual(response.status_code, 200)  # the headline is required
        self.assertIs(response.context["writing"]["config"]["unsaved"], True)
        self.assertNotContains(response, "Khôi phục bản đang viết lúc")
        self.assertTrue(Autosave.objects.exists())

    def test_discard(self):
        self.client.post(autosave_url(self.article), {"headline": "Tít đang viết"})
        discard = reverse("admin:articles_article_autosave_discard", args=[self.article.pk])
        self.assertRedirects(self.client.post(discard), change_url(self.article))
        self.assertFalse(Autosave.objects.exists())

    def test_a_restored_autosave_over_newer_changes_still_gets_the_conflict_page(self):
        data = change_form_data(self.client, self.article)
        self.client.post(autosave_url(self.article), data | {"headline": "Tít của phóng viên"})
        # Meanwhile an editor saves the article: version 2.
        editor = logged_in(make_editor("bientap"))
        editor_data = change_form_data(editor, self.article)
        self.assertEqual(
            editor.post(change_url(self.article), editor_data | {"headline": "Tít của BTV"})
            .status_code, 302,
        )
        restored = self.client.get(change_url(self.article) + "?autosave=restore")
        self.assertContains(restored, "sẽ thấy trang so sánh hai bản")
        restored_data = form_data(restored)
        self.assertEqual(restored_data["version_seen"], "1")
        response = self.client.post(change_url(self.article), restored_data)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Tít của phóng viên", status_code=409)
        self.assertEqual(Article.objects.get(pk=self.article.pk).headline, "Tít của BTV")
        self.assertTrue(Autosave.objects.exists())  # the refused save rolled back

    def test_no_autosave_of_an_article_the_user_may_not_change(self):
        submitted = make_article(status=Article.Status.IN_REVIEW, created_by=self.reporter,
                                 published_at=None)
        other = make_article(status=Article.Status.DRAFT, created_by=make_reporter("khac"),
                             published_at=None)
        for article in (submitted, other):
            response = self.client.post(autosave_url(article), {"headline": "x"})
            self.assertEqual(response.status_code, 403)
        self.assertFalse(Autosave.objects.exists())
        self.assertEqual(self.client.get(autosave_url(self.article)).status_code, 405)

    def test_without_csrf_token_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.reporter)
        self.assertEqual(client.post(autosave_url(self.article), {"headline": "x"}).status_code,
                         403)
        self.assertFalse(Autosave.objects.exists())

    def test_add_page_autosave_is_restored_and_deleted_on_save(self):
        self.client.post(AUTOSAVE_ADD, add_form(headline="Bài mới đang viết",
                                                body="<p>Chữ.</p>"))
        autosave = Autosave.objects.get()
        self.assertIsNone(autosave.article)
        self.assertContains(self.client.get(ADD), "Khôi phục bản đang viết lúc")
        restored = self.client.get(ADD + "?autosave=restore")
        self.assertEqual(form_data(restored)["headline"], "Bài mới đang viết")
        self.assertEqual(self.client.post(ADD, form_data(restored)).status_code, 302)
        self.assertFalse(Autosave.objects.exists())
        self.assertTrue(Article.objects.filter(headline="Bài mới đang viết").exists())

    def test_add_autosave_needs_the_add_permission(self):
        viewer = make_editor("xem")
        viewer.groups.clear()
        viewer.is_staff = True
        viewer.save()
        response = logged_in(viewer).post(AUTOSAVE_ADD, add_form(headline="x"))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Autosave.objects.exists())


class WritingPageTests(TestCase):
    def setUp(self):
        self.reporter = make_reporter("phongvien")
        self.client = logged_in(self.reporter)

    @override_settings(NEWSROOM_HEADLINE_MAX_CHARS=80, NEWSROOM_LEAD_MAX_CHARS=250)
    def test_add_page_carries_limits_buttons_and_script(self):
        page = self.client.get(ADD)
        self.assertContains(page, 'id="writing-config"')
        self.assertContains(page, 'id="writing-config"')
        limits = page.context["writing"]["config"]["limits"]
        self.assertEqual((limits["headline"], limits["lead"]), (80, 250))
        self.assertContains(page, 'name="_submit_review"')
        self.assertContains(page, "newsroom_admin/writing.js")
        self.assertContains(page, f'formaction="{PREVIEW_ADD}"')

    def test_preview_of_the_form_saves_nothing(self):
        section = make_section("Thời sự")
        response = self.client.post(PREVIEW_ADD, add_form(
            headline="Tít chưa lưu", lead="Sapo chưa lưu.", section=str(section.pk),
            body='<p>Đoạn <script>alert(1)</script>một.</p>',
        ))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tít chưa lưu")
        self.assertContains(response, "Nội dung đang có trong form, chưa lưu.")
        self.assertNotContains(response, "<script>alert")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertFalse(Article.objects.exists())

    def test_preview_of_a_change_form_creates_no_revision(self):
        article = make_article(headline="Tít đã lưu", status=Article.Status.DRAFT,
                               published_at=None, created_by=self.reporter)
        article.record_revision(self.reporter)
        data = change_form_data(self.client, article) | {"headline": "Tít trong form"}
        url = reverse("admin:articles_article_form_preview", args=[article.pk])
        response = self.client.post(url, data)
        self.assertContains(response, "Tít trong form")
        self.assertEqual(Revision.objects.filter(article=article).count(), 1)
        article.refresh_from_db()
        self.assertEqual((article.headline, article.version), ("Tít đã lưu", 1))

    def test_preview_refused_for_an_article_the_user_may_not_change(self):
        article = make_article(status=Article.Status.IN_REVIEW, created_by=self.reporter,
                               published_at=None)
        url = reverse("admin:articles_article_form_preview", args=[article.pk])
        self.assertEqual(self.client.post(url, {"headline": "x"}).status_code, 403)

    def test_submit_for_review_from_the_add_page(self):
        response = self.client.post(ADD, add_form(
            headline="Bài gửi ngay", lead="Sapo.", body="<p>Đoạn.</p>", _submit_review="Gửi duyệt",
        ))
        article = Article.objects.get()
        self.assertRedirects(response, change_url(article), fetch_redirect_response=False)
        self.assertEqual(article.status, Article.Status.IN_REVIEW)
        self.assertEqual(article.created_by, self.reporter)
        self.assertEqual(list(Event.objects.values_list("action", flat=True)), ["submit"])
        self.assertEqual(article.revisions.count(), 1)
        page = self.client.get(change_url(article))
        self.assertContains(page, "Đã lưu và gửi bài")
        # Allowed, with what the editor will need before approving.
        self.assertContains(
            page, "biên tập viên chưa duyệt được bài cho đến khi đủ: Chưa chọn chuyên mục. "
            "Chưa ghi công tác giả. Chưa gắn thẻ nào."
        )

    def test_submit_for_review_needs_the_permission(self):
        """Without the submit permission the article is kept as a draft, with a reason."""
        self.reporter.user_permissions.clear()
        group = self.reporter.groups.get()
        self.reporter.groups.clear()
        self.reporter.user_permissions.set(
            group.permissions.exclude(codename="submit_article")
        )
        self.assertNotContains(self.client.get(ADD), 'name="_submit_review"')
        response = self.client.post(ADD, add_form(headline="Bài nháp", _submit_review="1"),
                                    follow=True)
        article = Article.objects.get()
        self.assertEqual(article.status, Article.Status.DRAFT)
        self.assertContains(response, "chưa gửi duyệt được")

    def test_read_only_body_is_formatted_not_raw_html(self):
        article = make_article(
            headline="Đã gửi", body="<p>Đoạn <strong>một</strong>.</p><p>Đoạn hai.</p>",
            status=Article.Status.IN_REVIEW, published_at=None, created_by=self.reporter,
        )
        page = self.client.get(change_url(article))
        self.assertContains(page, '<div class="body-view"><p>Đoạn <strong>một</strong>.</p>')
        self.assertNotContains(page, "&lt;p&gt;")
        self.assertNotContains(page, 'id="writing-config"')  # no autosave when read-only
