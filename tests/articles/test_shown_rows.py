"""What a published article shows changes only through its workflow or by
someone who may publish (issue 9, point 1): photos, contributors, sections,
roles and tags are no side door. The full matrix over every admin URL of these
models is tests/articles/test_permission_matrix_library.py."""

import threading
import unittest

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import INFO, WARNING
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, transaction
from django.test import TestCase, TransactionTestCase
from django.urls import reverse

from articles.models import Article, Photo, Section, Tag
from articles.shown import ShownContentLocked
from tests.factories import (
    add_credit,
    add_photo,
    image_upload,
    make_article,
    make_contributor,
    make_editor,
    make_photo,
    make_reporter,
    make_section,
    make_user,
)
from tests.forms import change_form_data, form_data

Status = Article.Status
NEW = {"caption": "Chú thích do phóng viên sửa", "alt_text": "Mô tả mới",
       "credit_line": "Ảnh: Người khác"}


def photo_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


def photo_files():
    """Every stored photo original (renditions live elsewhere)."""
    found = []
    folders = ["photos"]
    while folders:
        folder = folders.pop()
        if not default_storage.exists(folder):
            continue
        subfolders, files = default_storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        found += [f"{folder}/{name}" for name in files]
    return sorted(found)


def messages_of(response, level):
    return [str(m) for m in response.context["messages"] if m.level == level]


class ReporterSideDoorTests(TestCase):
    """The issue's report: a reporter with ``change_photo`` POSTs a library
    photo's change form and a published article shows it at once."""

    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien", first_name="Trần Quốc")
        cls.editor = make_editor("bientap")
        cls.published_photo = make_photo(caption="Chú thích đã duyệt", alt_text="Hội nghị",
                                          credit_line="Ảnh: T.Q")
        cls.published = make_article(headline="Bài đã đăng", created_by=cls.reporter)
        add_photo(cls.published, cls.published_photo, is_lead=True)
        cls.draft_photo = make_photo(caption="Ảnh của bản nháp")
        cls.draft = make_article(headline="Bản nháp", status=Status.DRAFT, published_at=None,
                                 created_by=cls.reporter)
        add_photo(cls.draft, cls.draft_photo, is_lead=True)

    def setUp(self):
        self.client.force_login(self.reporter)

    def post_form(self, photo, changes, files=None):
        data = form_data(self.client.get(photo_url(photo)), "photo_form") | changes
        return self.client.post(photo_url(photo), data | (files or {}))

    def editor_form(self, photo):
        self.client.force_login(self.editor)
        data = form_data(self.client.get(photo_url(photo)), "photo_form")
        self.client.force_login(self.reporter)
        return data

    def stored(self, photo):
        return Photo.objects.filter(pk=photo.pk).values().get()

    def test_reporter_cannot_change_what_a_published_article_shows(self):
        before = self.stored(self.published_photo)
        logs = LogEntry.objects.count()
        # The form a browser would send, had the reporter an editable one.
        data = self.editor_form(self.published_photo) | NEW
        response = self.client.post(photo_url(self.published_photo), data)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.stored(self.published_photo), before)
        self.assertEqual(LogEntry.objects.count(), logs)
        page = self.client.get(self.published.get_absolute_url())
        self.assertContains(page, "Chú thích đã duyệt")
        self.assertNotContains(page, NEW["caption"])
        # Nothing lost silently: why, which article, and the typed text back.
        self.assertTemplateUsed(response, "admin/articles/shown_refused.html")
        self.assertContains(response, "Chỉ người có quyền đăng bài", status_code=403)
        self.assertContains(response, "“Bài đã đăng” (Đã đăng)", status_code=403)
        for value in NEW.values():
            self.assertContains(response, value, status_code=403)

    def test_reporter_cannot_replace_the_file_a_published_article_shows(self):
        before = self.stored(self.published_photo)
        files = photo_files()
        data = self.editor_form(self.published_photo)
        upload = image_upload(name="anh-thay.jpg", size=(80, 60))
        response = self.client.post(photo_url(self.published_photo), data | {"image": upload})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.stored(self.published_photo), before)
        self.assertEqual(photo_files(), files)  # the new file was never stored
        self.assertContains(response, "anh-thay.jpg", status_code=403)

    def test_reporter_sees_a_read_only_form_that_says_why(self):
        response = self.client.get(photo_url(self.published_photo))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="_save"')
        self.assertNotContains(response, 'name="caption"')
        [notice] = messages_of(response, INFO)
        self.assertIn("“Bài đã đăng” (Đã đăng)", notice)

    def test_reporter_still_fixes_a_photo_only_their_own_draft_uses(self):
        response = self.client.get(photo_url(self.draft_photo))
        self.assertContains(response, 'name="_save"')
        response = self.post_form(self.draft_photo, NEW)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Photo.objects.get(pk=self.draft_photo.pk).caption, NEW["caption"])

    def test_a_form_opened_while_the_draft_was_in_hand_is_refused_after_submitting(self):
        data = form_data(self.client.get(photo_url(self.draft_photo)), "photo_form") | NEW
        self.draft.submit(by=self.reporter)
        response = self.client.post(photo_url(self.draft_photo), data)
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "(Chờ duyệt)", status_code=403)
        self.assertContains(response, NEW["caption"], status_code=403)
        self.assertEqual(Photo.objects.get(pk=self.draft_photo.pk).caption, "Ảnh của bản nháp")

    def test_a_photo_another_reporter_uses_is_not_in_ones_hands(self):
        other = make_reporter("phongvien_khac")
        self.client.force_login(other)
        response = self.post_form(self.draft_photo, NEW)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Photo.objects.get(pk=self.draft_photo.pk).caption, "Ảnh của bản nháp")

    def test_popup_and_save_as_new_leave_the_photo_alone(self):
        before = self.stored(self.published_photo)
        data = self.editor_form(self.published_photo) | NEW
        response = self.client.post(photo_url(self.published_photo) + "?_popup=1",
                                    data | {"_popup": "1"})
        self.assertEqual(response.status_code, 403)
        copies = Photo.objects.count()
        response = self.client.post(
            photo_url(self.published_photo),
            data | {"_saveasnew": "1", "image": image_upload(name="ban-moi.jpg")},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Photo.objects.count(), copies + 1)  # a new photo of their own
        self.assertEqual(self.stored(self.published_photo), before)

    def test_the_refusal_is_translated(self):
        data = self.editor_form(self.published_photo) | NEW
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the reader's choice
        response = self.client.post(photo_url(self.published_photo), data)
        self.assertContains(response, "Only someone who may publish", status_code=403)
        self.assertContains(response, "Nothing from this save was stored", status_code=403)

    def test_an_editor_changes_it_and_is_told_where_it_shows(self):
        self.client.force_login(self.editor)
        response = self.client.get(photo_url(self.published_photo))
        [notice] = messages_of(response, WARNING)
        self.assertIn("“Bài đã đăng” (Đã đăng)", notice)
        response = self.post_form(self.published_photo, NEW)
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(self.published.get_absolute_url()), NEW["caption"])


class OtherShownRowTests(TestCase):
    """The same rule on contributors, sections (and their parents) and tags, for
    a user given the model permissions without the right to publish."""

    @classmethod
    def setUpTestData(cls):
        cls.librarian = make_user("thuvien")
        cls.librarian.user_permissions.add(*Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=["view_article", "change_article", "view_contributor",
                          "change_contributor", "view_section", "change_section",
                          "view_tag", "change_tag", "delete_tag"],
        ))
        cls.parent = make_section("Xã hội")
        cls.section = make_section("Giáo dục", parent=cls.parent)
        cls.article = make_article(headline="Bài đã đăng", section=cls.section,
                                   tags=["Thời sự"])
        cls.contributor = make_contributor("Trần Quốc", pen_name="Quốc Trần")
        add_credit(cls.article, cls.contributor)
        cls.tag = Tag.objects.get(name="Thời sự")

    def setUp(self):
        self.client.force_login(self.librarian)

    def test_rows_a_published_article_shows_are_refused(self):
        cases = [
            ("contributor", self.contributor, {"pen_name": "Bút danh khác"}),
            ("section", self.section, {"name": "Tên khác"}),
            ("section", self.parent, {"name": "Cha đổi tên"}),  # its page lists the article
            ("tag", self.tag, {"name": "Thẻ đổi tên"}),
        ]
        for model, obj, changes in cases:
            url = reverse(f"admin:articles_{model}_change", args=[obj.pk])
            with self.subTest(obj=str(obj)):
                before = type(obj).objects.filter(pk=obj.pk).values().get()
                response = self.client.post(url, {"name": obj.name, **changes})
                self.assertEqual(response.status_code, 403)
                self.assertContains(response, "“Bài đã đăng” (Đã đăng)", status_code=403)
                self.assertEqual(type(obj).objects.filter(pk=obj.pk).values().get(), before)
        response = self.client.post(reverse("admin:articles_tag_delete", args=[self.tag.pk]),
                                    {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(list(self.article.tags.all()), [self.tag])

    def test_an_unused_row_is_changed(self):
        section = make_section("Chưa dùng")
        url = reverse("admin:articles_section_change", args=[section.pk])
        response = self.client.post(url, {"name": "Đã đổi", "slug": section.slug, "order": "0"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Section.objects.get(pk=section.pk).name, "Đã đổi")

    def test_bulk_delete_lists_the_articles_in_the_way(self):
        url = reverse("admin:articles_tag_changelist")
        data = {"action": "delete_selected", "_selected_action": [self.tag.pk], "index": "0"}
        for extra in ({}, {"post": "yes"}):
            with self.subTest(extra):
                response = self.client.post(url, data | extra)
                self.assertContains(response, "“Bài đã đăng” (Đã đăng)")
                self.assertTrue(Tag.objects.filter(pk=self.tag.pk).exists())

    def test_list_editable_order_of_a_shown_section_is_refused(self):
        url = reverse("admin:articles_section_changelist")
        rows = list(Section.objects.order_by("pk"))
        data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)),
                "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000", "_save": "Lưu"}
        for i, section in enumerate(rows):
            data |= {f"form-{i}-id": str(section.pk), f"form-{i}-order": "7"}
        response = self.client.post(url, data)
        self.assertContains(response, "“Bài đã đăng” (Đã đăng)")
        self.assertEqual(set(Section.objects.values_list("order", flat=True)), {0})


class TagFieldTests(TestCase):
    """A reporter's tag field creates tags but never renames one."""

    def test_typing_an_existing_tag_in_other_letters_keeps_its_name(self):
        reporter = make_reporter("phongvien")
        make_article(headline="Bài đã đăng", tags=["Thời sự"])
        draft = make_article(headline="Bản nháp", status=Status.DRAFT, published_at=None,
                             created_by=reporter)
        self.client.force_login(reporter)
        data = change_form_data(self.client, draft) | {"tags": "thời sự, Giáo dục"}
        url = reverse("admin:articles_article_change", args=[draft.pk])
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(sorted(Tag.objects.values_list("name", flat=True)),
                         ["Giáo dục", "Thời sự"])
        self.assertEqual(sorted(draft.tags.values_list("name", flat=True)),
                         ["Giáo dục", "Thời sự"])


class QueriesAgreeTests(TestCase):
    """``Article.objects.editable_by(user)`` is ``workflow.can_edit_content`` in SQL."""

    def test_editable_by_matches_can_edit_content(self):
        from articles import workflow

        reporter, other, editor = make_reporter(), make_reporter(), make_editor()
        outsider = make_user(is_staff=False)
        section = make_section()
        for status in Status:
            for author in (reporter, other):
                make_article(status=status, created_by=author, section=section)
        for user in (reporter, other, editor, outsider, make_user()):
            with self.subTest(user.username):
                expected = {a.pk for a in Article.objects.all()
                            if workflow.can_edit_content(a, user)}
                actual = set(Article.objects.editable_by(user).values_list("pk", flat=True))
                self.assertEqual(actual, expected)


@unittest.skipUnless(connection.vendor == "postgresql", "row locks are PostgreSQL only")
class SaveHoldsTheDraftsTests(TransactionTestCase):
    """Between the check and the save, no draft showing the photo can leave its
    author's hands: the check locks those drafts until the save commits."""

    serialized_rollback = True  # keep the roles and groups made by migrations

    def test_a_submit_waits_for_the_photo_save(self):
        reporter = make_reporter("phongvien")
        photo = make_photo(caption="Trước")
        draft = make_article(status=Status.DRAFT, published_at=None, created_by=reporter)
        add_photo(draft, photo, is_lead=True)
        checked, tried = threading.Event(), threading.Event()
        outcome = {}

        def save_photo():
            try:
                with transaction.atomic():
                    photo.check_may_be_changed_by(reporter)
                    checked.set()
                    tried.wait(timeout=20)
                    photo.caption = "Sau"
                    photo.save()
            finally:
                connection.close()

        def submit():
            try:
                checked.wait(timeout=20)
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL lock_timeout = '200ms'")
                    Article.objects.get(pk=draft.pk).submit(by=reporter)
                outcome["submit"] = "submitted"
            except OperationalError:
                outcome["submit"] = "waited"
            finally:
                tried.set()
                connection.close()

        threads = [threading.Thread(target=save_photo), threading.Thread(target=submit)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(outcome, {"submit": "waited"})
        self.assertEqual(Photo.objects.get(pk=photo.pk).caption, "Sau")
        # Once the save committed, the submit goes through, and the photo is locked.
        Article.objects.get(pk=draft.pk).submit(by=reporter)
        with self.assertRaises(ShownContentLocked):
            photo.check_may_be_changed_by(reporter)
