"""The article admin's workflow: who sees which button, what the server refuses,
the transition views, bulk actions and the change list's workflow columns."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction, Event, WithdrawalReason
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_editor,
    make_photo,
    make_reporter,
    make_section,
    make_user,
)
from tests.forms import inline_management

Status = Article.Status
CHANGELIST = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def transition_url(article, name):
    return reverse("admin:articles_article_transition", args=[article.pk, name])


def correct_url(article):
    return reverse("admin:articles_article_correct", args=[article.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


class AdminWorkflowTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien", first_name="Trần Quốc")
        cls.other_reporter = make_reporter("phongvien2", first_name="Lê Bình")
        cls.editor = make_editor("bientap", first_name="Nguyễn Hà")
        cls.other_editor = make_editor("bientap2", first_name="Phạm Minh")
        cls.superuser = make_user("tongbientap", is_superuser=True)
        cls.section = make_section("Thời sự")
        cls.photo = make_photo()

    def article(self, status=Status.DRAFT, published_at=None, ready=True, **overrides):
        """An article in ``status``, by the reporter unless told; ``ready``: it
        passes every publish gate."""
        overrides.setdefault("created_by", self.reporter)
        overrides.setdefault("section", self.section)
        article = make_article(
            status=Status.DRAFT, published_at=None, tags=["Thời sự"] if ready else None,
            **overrides,
        )
        if ready:
            add_credit(article, name="Trần Quốc")
            add_photo(article, self.photo, is_lead=True)
        Article.objects.filter(pk=article.pk).update(status=status, published_at=published_at)
        article.refresh_from_db()
        return article

    def login(self, user):
        self.client.force_login(user)
        self.client.cookies.pop("messages", None)  # each request's messages on their own

    def post_transition(self, article, name, user, **data):
        self.login(user)
        return self.client.post(transition_url(article, name), data)

    def assert_unchanged(self, article):
        before = (article.status, article.published_at, article.version)
        article.refresh_from_db()
        self.assertEqual((article.status, article.published_at, article.version), before)
        self.assertFalse(article.events.exists())

    def transitions_shown(self, response):
        return [button["transition"].name for button in response.context["workflow"]["buttons"]]


class ButtonTests(AdminWorkflowTestCase):
    def test_reporter_on_own_draft_sees_submit_only(self):
        article = self.article()
        self.login(self.reporter)
        response = self.client.get(change_url(article))
        self.assertContains(response, "Quy trình biên tập")
        self.assertContains(response, "status-badge status-draft")
        self.assertEqual(self.transitions_shown(response), ["submit"])
        self.assertContains(response, f'action="{transition_url(article, "submit")}"')
        self.assertContains(response, ">Gửi duyệt</button>")
        for name in ("approve", "publish", "withdraw", "request_changes"):
            self.assertNotContains(response, transition_url(article, name))
        self.assertNotContains(response, ">Duyệt</button>")
        self.assertContains(response, 'name="_save"')  # the content is still theirs to edit

    def test_reporter_on_own_submission_may_pull_it_back_but_not_edit(self):
        article = self.article(Status.IN_REVIEW)
        self.login(self.reporter)
        response = self.client.get(change_url(article))
        self.assertEqual(self.transitions_shown(response), ["pull_back"])
        self.assertContains(response, ">Rút lại để sửa</button>")
        self.assertNotContains(response, 'name="_save"')
        self.assertContains(response, "Bạn chỉ xem được bài này")

    def test_reporter_sees_another_reporters_article_read_only_without_buttons(self):
        article = self.article(created_by=self.other_reporter)
        self.login(self.reporter)
        response = self.client.get(change_url(article))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.transitions_shown(response), [])
        self.assertNotContains(response, "data-transition=")
        self.assertNotContains(response, 'name="_save"')
        for formset in response.context["inline_admin_formsets"]:
            self.assertFalse(formset.has_add_permission)
            self.assertFalse(formset.has_change_permission)
            self.assertFalse(formset.has_delete_permission)

    def test_editor_on_a_submission_sees_approve_and_request_changes_with_a_note(self):
        article = self.article(Status.IN_REVIEW)
        self.login(self.editor)
        response = self.client.get(change_url(article))
        shown = self.transitions_shown(response)
        self.assertIn("approve", shown)
        self.assertIn("request_changes", shown)
        self.assertNotIn("publish", shown)
        self.assertContains(response, ">Duyệt</button>")
        self.assertContains(response, ">Yêu cầu sửa</button>")
        self.assertContains(response, 'name="note"', count=1)  # only request_changes asks
        self.assertContains(response, 'id="id_request_changes_note"')
        self.assertContains(response, "Cần sửa những gì (bắt buộc)")
        self.assertContains(response, 'name="_save"')  # editors edit any article

    def test_four_eyes_hides_approve_from_the_last_editor_and_refuses_a_forged_post(self):
        article = self.article(Status.IN_REVIEW)
        article.record_revision(by=self.editor)
        self.login(self.editor)
        response = self.client.get(change_url(article))
        self.assertNotIn("approve", self.transitions_shown(response))
        self.assertIn("request_changes", self.transitions_shown(response))
        self.assertContains(response, "không thể duyệt")
        response = self.client.post(transition_url(article, "approve"))
        self.assertRedirects(response, change_url(article), fetch_redirect_response=False)
        self.assertIn(
            "Bạn không thể duyệt bài có nội dung do chính mình viết; cần người khác duyệt.",
            messages_of(response),
        )
        article.refresh_from_db()
        self.assertEqual((article.status, article.approved_by), (Status.IN_REVIEW, None))
        self.assertFalse(article.events.filter(action="approve").exists())
        # Another editor sees the button.
        self.login(self.other_editor)
        self.assertIn("approve", self.transitions_shown(self.client.get(change_url(article))))

    def test_editor_on_an_approved_article_sees_publish_with_a_time(self):
        article = self.article(Status.APPROVED, approved_by=self.other_editor)
        self.login(self.editor)
        response = self.client.get(change_url(article))
        self.assertIn("publish", self.transitions_shown(response))
        self.assertContains(response, 'id="id_publish_at"')
        self.assertContains(response, "Để trống để đăng ngay.")
        self.assertContains(response, "Phạm Minh")  # approved by

    def test_editor_on_a_published_article_sees_withdraw_and_corrections(self):
        article = self.article(Status.PUBLISHED, published_at=timezone.now())
        self.login(self.editor)
        response = self.client.get(change_url(article))
        self.assertEqual(self.transitions_shown(response), ["withdraw"])
        self.assertContains(response, 'id="id_withdraw_reason"')
        self.assertContains(response, 'id="id_withdraw_note"')
        self.assertContains(response, WithdrawalReason.LEGAL.label)
        self.assertContains(response, f'action="{correct_url(article)}"')
        self.assertContains(response, 'id="id_correction_is_major"')

    def test_reporter_sees_no_correction_form(self):
        article = self.article(Status.PUBLISHED, published_at=timezone.now())
        self.login(self.reporter)
        response = self.client.get(change_url(article))
        self.assertEqual(self.transitions_shown(response), [])
        self.assertNotContains(response, correct_url(article))

    def test_superuser_sees_the_buttons_of_the_state(self):
        article = self.article(Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1))
        self.login(self.superuser)
        response = self.client.get(change_url(article))
        self.assertEqual(
            self.transitions_shown(response), ["request_changes", "publish", "unschedule",
                                               "withdraw", "mark_sensitive"]
        )

    def test_add_form_has_no_workflow_box(self):
        self.login(self.reporter)
        response = self.client.get(reverse("admin:articles_article_add"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Quy trình biên tập")

    def test_the_box_tells_the_reporter_what_to_fix_and_what_is_missing(self):
        article = self.article(Status.IN_REVIEW, ready=False)
        article.request_changes(by=self.editor, note="Thêm ý kiến người dân.")
        self.login(self.reporter)
        response = self.client.get(change_url(article))
        self.assertContains(response, "Nguyễn Hà yêu cầu sửa")
        self.assertContains(response, "Thêm ý kiến người dân.")
        self.assertContains(response, "Còn thiếu trước khi đăng:")
        self.assertContains(response, "Chưa ghi công tác giả.")
        self.assertContains(response, "Chưa gắn thẻ nào.")
        self.assertEqual(self.transitions_shown(response), ["submit"])

    def test_the_box_shows_a_scheduled_or_overdue_time(self):
        article = self.article(
            Status.SCHEDULED, published_at=datetime(2099, 1, 10, 6, 4, tzinfo=ZoneInfo("UTC"))
        )
        self.login(self.editor)
        self.assertContains(self.client.get(change_url(article)), "Hẹn đăng lúc 10/01/2099 - 13:04")
        Article.objects.filter(pk=article.pk).update(
            published_at=timezone.now() - timedelta(minutes=5)
        )
        self.assertContains(self.client.get(change_url(article)), "Quá giờ hẹn")

    def test_publish_time_fields_are_read_only_in_the_form(self):
        article = self.article()
        self.login(self.superuser)
        form = self.client.get(change_url(article)).context["adminform"].form
        for name in ("status", "published_at", "first_published_at", "updated_at"):
            self.assertNotIn(name, form.fields)


class TransitionViewTests(AdminWorkflowTestCase):
    def test_each_transition_through_its_button(self):
        cases = [
            ("submit", Status.DRAFT, self.reporter, {}, Status.IN_REVIEW),
            ("pull_back", Status.IN_REVIEW, self.reporter, {}, Status.DRAFT),
            ("approve", Status.IN_REVIEW, self.editor, {}, Status.APPROVED),
            ("request_changes", Status.IN_REVIEW, self.editor, {"note": "Sửa tít."},
             Status.CHANGES_REQUESTED),
            ("publish", Status.APPROVED, self.editor, {"at": ""}, Status.PUBLISHED),
            ("unschedule", Status.SCHEDULED, self.editor, {}, Status.APPROVED),
            ("withdraw", Status.PUBLISHED, self.editor,
             {"note": "Theo yêu cầu.", "reason": "legal"}, Status.WITHDRAWN),
            ("reopen", Status.WITHDRAWN, self.editor, {}, Status.DRAFT),
        ]
        for name, state, user, data, target in cases:
            with self.subTest(name):
                published_at = timezone.now() + timedelta(hours=1) if state == "scheduled" else None
                article = self.article(state, published_at=published_at)
                response = self.post_transition(article, name, user, **data)
                self.assertRedirects(response, change_url(article), fetch_redirect_response=False)
                article.refresh_from_db()
                self.assertEqual(article.status, target)
                event = article.events.get()
                self.assertEqual((event.action, event.actor, event.to_status),
                                 (name, user, target))
                self.assertEqual(event.note, data.get("note", ""))
                [message] = messages_of(response)
                self.assertIn(f"“{article.headline}”", message)

    def test_note_required(self):
        article = self.article(Status.IN_REVIEW)
        response = self.post_transition(article, "request_changes", self.editor, note="  ")
        self.assertEqual(messages_of(response), ["Cần ghi lý do để “Yêu cầu sửa”."])
        self.assert_unchanged(article)

    def test_withdraw_requires_a_public_reason(self):
        article = self.article(Status.PUBLISHED, published_at=timezone.now())
        response = self.post_transition(article, "withdraw", self.editor, note="Sai số liệu.")
        self.assertEqual(messages_of(response), ["Chọn lý do gỡ bài hiện cho bạn đọc."])
        response = self.post_transition(article, "withdraw", self.editor, reason="legal")
        self.assertEqual(messages_of(response), ["Cần ghi lý do để “Gỡ bài”."])
        self.assert_unchanged(article)

    def test_publish_at_a_day_first_future_time_schedules(self):
        article = self.article(Status.APPROVED)
        response = self.post_transition(article, "publish", self.editor, at="10/01/2099 13:04")
        article.refresh_from_db()
        self.assertEqual(article.status, Status.SCHEDULED)
        self.assertEqual(article.published_at, datetime(2099, 1, 10, 6, 4, tzinfo=ZoneInfo("UTC")))
        self.assertEqual(
            messages_of(response),
            [f"Đã hẹn giờ đăng bài “{article.headline}” lúc 10/01/2099 - 13:04."],
        )

    def test_publish_time_in_the_past_is_refused_and_a_bad_one_is_a_form_error(self):
        article = self.article(Status.APPROVED)
        response = self.post_transition(article, "publish", self.editor, at="10/01/2020 13:04")
        self.assertEqual(
            messages_of(response), ["Chưa thể “Đăng / hẹn giờ đăng”: xem lỗi ở ô bên dưới nút."]
        )
        page = self.client.get(change_url(article))
        self.assertContains(page, "Giờ đăng 10/01/2020 - 13:04 đã qua")
        self.assert_unchanged(article)
        response = self.post_transition(article, "publish", self.editor, at="32/13/2020 25:00")
        self.assertEqual(
            messages_of(response), ["Chưa thể “Đăng / hẹn giờ đăng”: xem lỗi ở ô bên dưới nút."]
        )
        self.assert_unchanged(article)

    def test_a_bad_date_keeps_the_typed_value_and_shows_the_error_at_the_field(self):
        article = self.article(Status.APPROVED)
        response = self.post_transition(article, "publish", self.editor, at="32/13/2020 25:00")
        self.assertRedirects(response, change_url(article), fetch_redirect_response=False)
        page = self.client.get(change_url(article))
        [button] = [b for b in page.context["workflow"]["buttons"]
                    if b["transition"].name == "publish"]
        self.assertEqual(button["form"]["at"].value(), "32/13/2020 25:00")
        self.assertContains(page, 'value="32/13/2020 25:00"')
        self.assertContains(page, 'aria-invalid="true"')
        self.assertContains(
            page,
            '<ul class="errorlist" id="id_publish_at_error"><li>Nhập một ngày/thời gian hợp lệ.'
            "</li></ul>",
            html=True,
        )
        self.assert_unchanged(article)
        # Shown once: the next visit has an empty box again.
        page = self.client.get(change_url(article))
        self.assertNotContains(page, "32/13/2020 25:00")
        self.assertNotContains(page, "Nhập một ngày/thời gian hợp lệ.")

    def test_a_typed_value_is_not_shown_on_another_article(self):
        article, other = self.article(Status.APPROVED), self.article(Status.APPROVED)
        self.post_transition(article, "publish", self.editor, at="32/13/2020 25:00")
        self.assertNotContains(self.client.get(change_url(other)), "32/13/2020 25:00")

    def test_submitting_an_incomplete_article_is_allowed_with_a_warning(self):
        article = self.article(ready=False, lead="")
        response = self.post_transition(article, "submit", self.reporter)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.IN_REVIEW)
        self.assertEqual(
            messages_of(response),
            [
                f"Đã gửi bài “{article.headline}” để duyệt.",
                "Bài đã được gửi duyệt, nhưng còn thiếu những mục sau; biên tập viên chưa "
                "duyệt được bài cho đến khi đủ: Thiếu sapo. Chưa ghi công tác giả. "
                "Chưa gắn thẻ nào.",
            ],
        )

    def test_submitting_a_complete_article_has_no_warning(self):
        article = self.article()
        response = self.post_transition(article, "submit", self.reporter)
        self.assertEqual(messages_of(response), [f"Đã gửi bài “{article.headline}” để duyệt."])

    def test_approving_an_incomplete_article_is_refused_with_every_missing_item(self):
        article = self.article(Status.IN_REVIEW, ready=False, lead="")
        response = self.post_transition(article, "approve", self.editor)
        self.assertEqual(
            messages_of(response),
            ["Chưa thể duyệt bài:", "Thiếu sapo.", "Chưa ghi công tác giả.", "Chưa gắn thẻ nào."],
        )
        self.assert_unchanged(article)
        self.assertIsNone(article.approved_by)

    def test_publish_at_the_current_minute_publishes_now(self):
        article = self.article(Status.APPROVED)
        now = timezone.localtime().strftime("%d/%m/%Y %H:%M")
        self.post_transition(article, "publish", self.editor, at=now)
        article.refresh_from_db()
        self.assertEqual(article.status, Status.PUBLISHED)
        self.assertLess(abs(article.published_at - timezone.now()), timedelta(seconds=10))

    def test_publish_blocked_lists_every_missing_item(self):
        article = self.article(Status.APPROVED, ready=False, lead="")
        response = self.post_transition(article, "publish", self.editor)
        self.assertEqual(
            messages_of(response),
            ["Chưa thể đăng bài:", "Thiếu sapo.", "Chưa ghi công tác giả.", "Chưa gắn thẻ nào."],
        )
        self.assert_unchanged(article)

    def test_get_is_not_allowed(self):
        article = self.article(Status.APPROVED)
        self.login(self.editor)
        self.assertEqual(self.client.get(transition_url(article, "publish")).status_code, 405)
        self.assertEqual(self.client.get(correct_url(article)).status_code, 405)
        self.assert_unchanged(article)

    def test_unknown_transition_or_article_is_404(self):
        article = self.article(Status.APPROVED)
        self.login(self.editor)
        self.assertEqual(self.client.post(transition_url(article, "delete")).status_code, 404)
        missing = reverse("admin:articles_article_transition", args=[987654, "publish"])
        self.assertEqual(self.client.post(missing).status_code, 404)
        self.assert_unchanged(article)

    def test_anonymous_and_non_staff_are_sent_to_the_login(self):
        article = self.article(Status.APPROVED)
        for user in (None, make_user(is_staff=False, is_superuser=True)):
            with self.subTest(user=user):
                self.client.logout()
                if user:
                    self.login(user)
                response = self.client.post(transition_url(article, "publish"))
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("admin:login"), response["Location"])
        self.assert_unchanged(article)

    def test_csrf_token_is_required(self):
        article = self.article(Status.APPROVED)
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.editor)
        self.assertEqual(client.post(transition_url(article, "publish")).status_code, 403)
        self.assert_unchanged(article)


class CorrectionViewTests(AdminWorkflowTestCase):
    def setUp(self):
        self.published = self.article(
            Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=2)
        )

    def test_editor_posts_a_major_correction(self):
        self.login(self.editor)
        response = self.client.post(
            correct_url(self.published),
            {"kind": "update", "text": "Bổ sung số liệu.", "is_major": "on"},
        )
        self.assertRedirects(response, change_url(self.published), fetch_redirect_response=False)
        correction = self.published.corrections.get()
        self.assertEqual((correction.kind, correction.is_major, correction.created_by),
                         ("update", True, self.editor))
        self.published.refresh_from_db()
        self.assertEqual(self.published.updated_at, correction.published_at)
        self.assertEqual(self.published.events.get().action, "correct")
        self.assertEqual(
            messages_of(response), [f"Đã đăng cải chính cho bài “{self.published.headline}”."]
        )
        response = self.client.get(change_url(self.published))
        self.assertContains(response, "Cập nhật: Bổ sung số liệu.")

    def test_refused_corrections_change_nothing(self):
        draft = self.article()
        cases = [
            (self.reporter, self.published, {"kind": "correction", "text": "Sửa."},
             "Bạn không có quyền đăng cải chính."),
            (self.editor, draft, {"kind": "correction", "text": "Sửa."},
             "Chỉ đăng cải chính cho bài đã đăng."),
            (self.editor, self.published, {"kind": "correction", "text": ""},
             "Trường này là bắt buộc."),
            (self.editor, self.published, {"kind": "made-up", "text": "Sửa."}, None),
        ]
        for user, article, data, expected in cases:
            with self.subTest(user=user.username, data=data):
                self.login(user)
                response = self.client.post(correct_url(article), data)
                self.assertRedirects(response, change_url(article), fetch_redirect_response=False)
                [message] = messages_of(response)
                if expected:
                    self.assertEqual(message, expected)
        self.assertFalse(Correction.objects.exists())
        self.assertFalse(Event.objects.exists())


class ForgedPostTests(AdminWorkflowTestCase):
    """Every path a reporter could forge is refused and changes nothing."""

    def change_form_data(self, user, article, **changes):
        """The change form as the browser would post it, with ``changes``."""
        self.login(user)
        form = self.client.get(change_url(article)).context["adminform"].form
        data = {
            name: "" if form[name].value() is None else form[name].value()
            for name in form.fields
        }
        data |= {
            "section": article.section_id or "",
            "tags": "Thời sự",
            **inline_management("credits"),
            **inline_management("photo_uses"),
            **changes,
        }
        return data

    def test_workflow_fields_in_the_reporters_form_are_ignored(self):
        article = self.article(ready=False)
        forged = {
            "headline": "Tít mới của phóng viên",
            "status": "published",
            "published_at": "10/01/2020 13:04",
            "published_at_0": "10/01/2020",
            "published_at_1": "13:04",
            "first_published_at": "10/01/2020 13:04",
            "updated_at_0": "10/01/2020",
            "updated_at_1": "13:04",
            "created_by": self.other_reporter.pk,
            "last_editor": self.other_reporter.pk,
            "approved_by": self.editor.pk,
            "published_by": self.editor.pk,
            "approved_hash": "f" * 64,
            "withdrawal_reason": "legal",
        }
        data = self.change_form_data(self.reporter, article, **forged)
        response = self.client.post(change_url(article), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[-2000:])
        article.refresh_from_db()
        self.assertEqual(article.headline, "Tít mới của phóng viên")  # the content was theirs
        self.assertEqual(article.status, Status.DRAFT)
        self.assertEqual(
            (article.published_at, article.first_published_at, article.updated_at), (None,) * 3
        )
        self.assertEqual(article.created_by, self.reporter)
        self.assertEqual(article.last_editor, self.reporter)
        self.assertEqual((article.approved_by, article.published_by), (None, None))
        self.assertEqual((article.approved_hash, article.withdrawal_reason), ("", ""))
        self.assertFalse(Article.objects.published().exists())

    def test_workflow_fields_in_the_add_form_are_ignored(self):
        self.login(self.reporter)
        data = {
            "headline": "Bài mới",
            "lead": "",
            "body": "",
            "kind": "news",
            "tags": "",
            "status": "published",
            "published_at_0": "10/01/2020",
            "published_at_1": "13:04",
            "created_by": self.other_reporter.pk,
            **inline_management("credits"),
            **inline_management("photo_uses"),
        }
        response = self.client.post(reverse("admin:articles_article_add"), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[-2000:])
        article = Article.objects.get()
        self.assertEqual((article.status, article.published_at), (Status.DRAFT, None))
        self.assertEqual(article.created_by, self.reporter)

    def test_another_reporters_article_is_forbidden(self):
        article = self.article(created_by=self.other_reporter, ready=False)
        data = self.change_form_data(
            self.reporter, article, headline="Bị sửa trộm",
            **inline_management("credits", total=1),
            **{"credits-0-role": 1, "credits-0-name": "Kẻ mạo danh", "credits-0-order": "0"},
        )
        response = self.client.post(change_url(article), data)
        self.assertEqual(response.status_code, 403)
        article.refresh_from_db()
        self.assertNotEqual(article.headline, "Bị sửa trộm")
        self.assertFalse(article.credits.exists())
        self.assertFalse(article.revisions.exists())

    def test_own_article_in_review_is_forbidden_to_edit(self):
        article = self.article(Status.IN_REVIEW)
        data = self.change_form_data(self.reporter, article, headline="Sửa khi đang chờ duyệt")
        self.assertEqual(self.client.post(change_url(article), data).status_code, 403)
        article.refresh_from_db()
        self.assertNotEqual(article.headline, "Sửa khi đang chờ duyệt")

    def test_reporters_transition_posts_are_refused(self):
        cases = [
            ("approve", Status.IN_REVIEW, {}),
            ("request_changes", Status.IN_REVIEW, {"note": "x"}),
            ("publish", Status.APPROVED, {}),
            ("publish", Status.APPROVED, {"at": "10/01/2099 13:04"}),
            ("unschedule", Status.SCHEDULED, {}),
            ("withdraw", Status.PUBLISHED, {"note": "x", "reason": "legal"}),
            ("reopen", Status.WITHDRAWN, {}),
            ("submit", Status.DRAFT, {}),  # another reporter's article
        ]
        for name, state, data in cases:
            with self.subTest(name=name, data=data):
                created_by = self.other_reporter if name == "submit" else self.reporter
                published_at = timezone.now() if state == Status.PUBLISHED else None
                article = self.article(state, published_at=published_at, created_by=created_by)
                response = self.post_transition(article, name, self.reporter, **data)
                self.assertRedirects(response, change_url(article), fetch_redirect_response=False)
                [message] = messages_of(response)
                self.assertTrue(message.startswith("Bạn "), message)  # "Bạn không có quyền…"
                self.assert_unchanged(article)

    def test_delete_is_for_superusers_only(self):
        article = self.article()
        deleter = make_editor()
        deleter.user_permissions.add(Permission.objects.get(codename="delete_article"))
        for user in (self.reporter, self.editor, deleter):
            with self.subTest(user=user.username):
                self.login(user)
                url = reverse("admin:articles_article_delete", args=[article.pk])
                self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
                response = self.client.get(CHANGELIST)
                self.assertNotIn("delete_selected", response.context["cl"].model_admin
                                 .get_actions(response.wsgi_request))
                self.client.post(CHANGELIST, {
                    "action": "delete_selected", "_selected_action": [article.pk],
                    "index": "0", "post": "yes",
                })
        self.assertTrue(Article.objects.filter(pk=article.pk).exists())
        self.login(self.superuser)
        url = reverse("admin:articles_article_delete", args=[article.pk])
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_reporters_bulk_actions_are_refused(self):
        articles = [self.article(Status.IN_REVIEW), self.article(Status.APPROVED)]
        self.login(self.reporter)
        response = self.client.get(CHANGELIST)
        self.assertNotContains(response, "approve_selected")
        self.assertNotContains(response, "publish_selected")
        for action in ("approve_selected", "publish_selected", "delete_selected"):
            with self.subTest(action):
                self.client.post(CHANGELIST, {
                    "action": action, "_selected_action": [a.pk for a in articles],
                    "index": "0", "post": "yes",
                })
        for article in articles:
            self.assert_unchanged(article)

    def test_no_list_editable(self):
        article = self.article()
        self.assertEqual(tuple(admin.site.get_model_admin(Article).list_editable), ())
        self.login(self.superuser)
        self.client.post(CHANGELIST, {
            **inline_management("form", total=1, initial=1),
            "form-0-id": article.pk,
            "form-0-status": "published",
            "form-0-published_at": "10/01/2020 13:04",
            "_save": "Lưu",
        })
        self.assert_unchanged(article)


class BulkActionTests(AdminWorkflowTestCase):
    def run_action(self, user, action, articles):
        self.login(user)
        return self.client.post(CHANGELIST, {
            "action": action, "_selected_action": [a.pk for a in articles], "index": "0",
        })

    def test_approve_selected_approves_each_it_may_and_reports_the_rest(self):
        ok = self.article(Status.IN_REVIEW, headline="Bài được duyệt")
        own = self.article(Status.IN_REVIEW, headline="Bài tự sửa")
        own.record_revision(by=self.editor)
        draft = self.article(headline="Bài nháp")
        response = self.run_action(self.editor, "approve_selected", [ok, own, draft])
        self.assertEqual(response.status_code, 302)
        for article, status in ((ok, Status.APPROVED), (own, Status.IN_REVIEW),
                                (draft, Status.DRAFT)):
            article.refresh_from_db()
            self.assertEqual(article.status, status)
        self.assertEqual(Event.objects.filter(action="approve").count(), 1)
        messages = messages_of(response)
        self.assertIn("Đã duyệt 1 bài.", messages)
        self.assertTrue(any("“Bài tự sửa”" in m and "chính mình" in m for m in messages))
        self.assertTrue(any("“Bài nháp”" in m and "Bản nháp" in m for m in messages))

    def test_publish_selected_publishes_each_it_may_and_reports_the_rest(self):
        ok = self.article(Status.APPROVED, headline="Bài đủ điều kiện")
        incomplete = self.article(Status.APPROVED, ready=False, headline="Bài thiếu")
        response = self.run_action(self.editor, "publish_selected", [ok, incomplete])
        ok.refresh_from_db()
        self.assertEqual(ok.status, Status.PUBLISHED)
        self.assert_unchanged(incomplete)
        messages = messages_of(response)
        self.assertIn("Đã đăng 1 bài.", messages)
        self.assertTrue(any("“Bài thiếu”" in m and "Chưa gắn thẻ nào." in m for m in messages))

    def test_actions_offered_by_role(self):
        expectations = [
            (self.reporter, set()),
            (self.editor, {"approve_selected", "publish_selected"}),
            (self.superuser, {"approve_selected", "publish_selected", "delete_selected"}),
        ]
        for user, expected in expectations:
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(CHANGELIST)
                model_admin = response.context["cl"].model_admin
                self.assertEqual(set(model_admin.get_actions(response.wsgi_request)), expected)


class ChangeListTests(AdminWorkflowTestCase):
    def changelist(self, user, **params):
        self.login(user)
        response = self.client.get(CHANGELIST, params)
        self.assertEqual(response.status_code, 200)
        return {article.headline for article in response.context["cl"].result_list}

    def test_everyone_staff_sees_every_article(self):
        self.article(headline="Của phóng viên khác", created_by=self.other_reporter)
        self.article(Status.PUBLISHED, published_at=timezone.now(), headline="Đã đăng")
        self.assertEqual(self.changelist(self.reporter), {"Của phóng viên khác", "Đã đăng"})

    def test_mine(self):
        self.article(headline="Tôi viết")
        edited = self.article(headline="Tôi sửa sau cùng", created_by=self.other_reporter)
        edited.record_revision(by=self.reporter)
        self.article(headline="Của người khác", created_by=self.other_reporter)
        self.assertEqual(
            self.changelist(self.reporter, desk="mine"), {"Tôi viết", "Tôi sửa sau cùng"}
        )

    def test_waiting_for_my_review(self):
        self.article(Status.IN_REVIEW, headline="Chờ duyệt")
        self.article(Status.IN_REVIEW, headline="Chờ duyệt, không rõ tác giả", created_by=None)
        self.article(Status.IN_REVIEW, headline="Tôi viết", created_by=self.editor)
        edited = self.article(Status.IN_REVIEW, headline="Tôi sửa")
        edited.record_revision(by=self.editor)
        self.article(headline="Nháp")
        self.article(Status.APPROVED, headline="Đã duyệt")
        self.assertEqual(
            self.changelist(self.editor, desk="to_review"),
            {"Chờ duyệt", "Chờ duyệt, không rõ tác giả"},
        )

    def test_waiting_for_my_review_is_offered_to_editors_only(self):
        self.login(self.reporter)
        self.assertContains(self.client.get(CHANGELIST), "Của tôi")
        self.assertNotContains(self.client.get(CHANGELIST), "Chờ tôi duyệt")
        self.login(self.editor)
        self.assertContains(self.client.get(CHANGELIST), "Chờ tôi duyệt")

    def test_scheduled_and_overdue(self):
        now = timezone.now()
        self.article(Status.SCHEDULED, published_at=now + timedelta(hours=1), headline="Sắp đăng")
        self.article(Status.SCHEDULED, published_at=now - timedelta(minutes=5), headline="Quá giờ")
        self.article(Status.PUBLISHED, published_at=now - timedelta(hours=1), headline="Đã đăng")
        self.assertEqual(self.changelist(self.editor, schedule="scheduled"), {"Sắp đăng"})
        self.assertEqual(self.changelist(self.editor, schedule="overdue"), {"Quá giờ"})

    def test_badges_and_who_holds_what(self):
        self.article(headline="Nháp")
        self.article(Status.IN_REVIEW, headline="Chờ")
        self.article(Status.APPROVED, headline="Duyệt rồi")
        Article.objects.filter(headline="Duyệt rồi").update(approved_by=self.other_editor)
        self.article(
            Status.SCHEDULED, headline="Hẹn",
            published_at=datetime(2099, 1, 10, 6, 4, tzinfo=ZoneInfo("UTC")),
        )
        self.article(
            Status.SCHEDULED, headline="Trễ", published_at=timezone.now() - timedelta(minutes=5)
        )
        self.login(self.editor)
        response = self.client.get(CHANGELIST)
        for status in ("draft", "in_review", "approved", "scheduled"):
            self.assertContains(response, f"status-badge status-{status}")
        self.assertContains(response, "Người giữ bài")
        self.assertContains(response, "<td class=\"field-holder\">Trần Quốc</td>", html=True)
        self.assertContains(response, "Chờ biên tập viên duyệt")
        self.assertContains(response, "<td class=\"field-holder\">Phạm Minh</td>", html=True)
        self.assertContains(response, "Hẹn đăng 10/01/2099 - 13:04")
        self.assertContains(response, '<span class="workflow-overdue">Quá giờ hẹn')

    def test_query_count_does_not_grow_with_rows(self):
        def count():
            self.login(self.editor)
            with CaptureQueriesContext(connection) as queries:
                self.client.get(CHANGELIST)
            return len(queries)

        self.article(Status.APPROVED, approved_by=self.other_editor, ready=False)
        few = count()
        for _ in range(5):
            self.article(Status.APPROVED, approved_by=self.other_editor, ready=False)
            self.article(Status.SCHEDULED, published_at=timezone.now(), ready=False)
        self.assertEqual(count(), few)
