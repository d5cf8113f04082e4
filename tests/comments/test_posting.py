"""Posting a comment through the real view: every rule on the way in (issue 4)."""

import re
import time
import unicodedata
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.models import CommentsMode
from comments import moderation, posting, reading, rules, timetrap
from comments.models import Comment, ModerationEvent, Report
from tests.factories import make_article, make_comment, make_editor, make_member

Status = Comment.Status
JSON = {"HTTP_ACCEPT": "application/json"}


def newsroom_settings(**comments):
    """settings.NEWSROOM with some COMMENTS_* values changed."""
    from django.conf import settings

    return override_settings(
        NEWSROOM={**settings.NEWSROOM, **{f"COMMENTS_{k}": v for k, v in comments.items()}}
    )


def form_data(**overrides):
    data = {
        "name": "Nguyễn Văn An",
        "email": "",
        "body": "Cảm ơn báo đã đưa tin kịp thời về con đường này.",
        "parent": "",
        "website": "",
        # Shown a minute ago: past the time trap.
        "rendered": timetrap.issue(at=time.time() - 60),
    }
    data.update(overrides)
    return data


def post(client, article, addr="203.0.113.7", headers=None, **data):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        form_data(**data),
        REMOTE_ADDR=addr,
        **(headers or {}),
    )


def returning_reader(addr="203.0.113.7"):
    """Give the client at ``addr`` an approved comment (on another article), so
    the rules do not hold its next comment as a first one in post-moderation."""
    request = mock.Mock(META={"REMOTE_ADDR": addr})
    digest = posting.client_hash(request)
    moderation.create(
        article=make_article(), name="Bạn đọc cũ", body="Lần trước.",
        status=Status.PUBLISHED, client_hash=digest, body_hash="0" * 64,
    )


def publish(comment):
    comment.moderate(Status.PUBLISHED, note="test")
    return comment


class PostingTestCase(TestCase):
    def setUp(self):
        cache.clear()
        self.article = make_article(headline="Đường liên xã được nâng cấp")

    def only_comment(self):
        return Comment.objects.get(article=self.article)


class PostingTests(PostingTestCase):
    def test_pre_moderation_holds_and_shows_the_comment_to_its_author_only(self):
        response = post(self.client, self.article)
        self.assertRedirects(
            response, f"{self.article.get_absolute_url()}#binh-luan", fetch_redirect_response=False
        )
        self.assertEqual(response["Cache-Control"], "private, no-store")
        comment = self.only_comment()
        self.assertEqual(comment.status, Status.PENDING)
        self.assertEqual(comment.name, "Nguyễn Văn An")
        self.article.refresh_from_db()
        self.assertEqual(self.article.comment_count, 0)

        page = self.client.get(self.article.get_absolute_url())
        self.assertContains(page, "đang chờ duyệt")
        self.assertContains(page, "Cảm ơn báo đã đưa tin kịp thời")
        stranger = Client().get(self.article.get_absolute_url())
        self.assertNotContains(stranger, "Cảm ơn báo đã đưa tin kịp thời")
        self.assertNotContains(stranger, "đang chờ duyệt")

        publish(comment)
        page = self.client.get(self.article.get_absolute_url())
        self.assertNotContains(page, "đang chờ duyệt")
        self.assertContains(page, "Cảm ơn báo đã đưa tin kịp thời")
        stranger = Client().get(self.article.get_absolute_url())
        self.assertContains(stranger, f'id="binh-luan-{comment.pk}"')

    def test_a_forged_pending_cookie_shows_nothing(self):
        post(self.client, self.article)
        comment = self.only_comment()
        other = Client()
        other.cookies[reading.PENDING_COOKIE] = f"{comment.pk}:forged"
        self.assertNotContains(other.get(self.article.get_absolute_url()), "Cảm ơn báo")

    def test_post_moderation_holds_a_first_comment(self):
        self.article.comments_mode = CommentsMode.POST
        self.article.save()
        post(self.client, self.article)
        comment = self.only_comment()
        self.assertEqual(comment.status, Status.PENDING)
        self.assertIn("first_comment", [reason["code"] for reason in comment.reasons])

    def test_post_moderation_publishes_at_once_and_counts(self):
        self.article.comments_mode = CommentsMode.POST
        self.article.save()
        returning_reader()
        response = post(self.client, self.article)
        comment = self.only_comment()
        self.assertEqual(comment.status, Status.PUBLISHED)
        self.assertRedirects(
            response,
            f"{self.article.get_absolute_url()}#binh-luan-{comment.pk}",
            fetch_redirect_response=False,
        )
        self.article.refresh_from_db()
        self.assertEqual(self.article.comment_count, 1)
        page = Client().get(self.article.get_absolute_url())
        self.assertContains(page, "Cảm ơn báo đã đưa tin kịp thời")
        self.assertContains(page, '<span class="comments__count">(1)</span>', html=True)

    def test_site_default_mode_applies(self):
        returning_reader()
        with newsroom_settings(MODE="post"):
            post(self.client, self.article)
        self.assertEqual(self.only_comment().status, Status.PUBLISHED)

    def test_email_is_kept_but_never_shown(self):
        self.article.comments_mode = CommentsMode.POST
        self.article.save()
        returning_reader()
        post(self.client, self.article, email="an.nguyen@example.com")
        self.assertEqual(self.only_comment().email, "an.nguyen@example.com")
        self.assertNotContains(Client().get(self.article.get_absolute_url()), "an.nguyen@")

    def test_json_answer_carries_the_pending_comment(self):
        response = post(self.client, self.article, headers=JSON)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertTrue(data["ok"])
        self.assertEqual(data["status"], "pending")
        self.assertIn("đang chờ duyệt", data["html"])
        self.assertIn(reading.PENDING_COOKIE, response.cookies)

    def test_text_is_stored_nfc_without_invisible_characters(self):
        body = unicodedata.normalize("NFD", "Đường\u200b đẹp\u202e quá\ufeff")
        post(self.client, self.article, body=body, name="Lê\u200d Hoa")
        comment = self.only_comment()
        self.assertEqual(comment.body, "Đường đẹp quá")
        self.assertTrue(unicodedata.is_normalized("NFC", comment.body))
        self.assertEqual(comment.name, "Lê Hoa")


class BotTrapTests(PostingTestCase):
    def test_honeypot_is_dropped_silently(self):
        response = post(self.client, self.article, website="http://spam.example")
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Comment.objects.exists())
        self.assertNotIn(reading.PENDING_COOKIE, response.cookies)

    def test_too_fast_is_refused_and_the_text_given_back(self):
        response = post(self.client, self.article, rendered=timetrap.issue())
        self.assertContains(response, "Bạn gửi nhanh quá", status_code=400)
        self.assertContains(response, "Cảm ơn báo đã đưa tin kịp thời", status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_missing_or_forged_render_time_is_refused_with_a_fresh_one(self):
        for rendered in ("", "comment-form:1:forged", timetrap.issue(at=0)):
            with self.subTest(rendered=rendered):
                response = post(self.client, self.article, rendered=rendered)
                self.assertContains(response, "Vui lòng gửi lại", status_code=400)
                self.assertContains(response, "Cảm ơn báo đã đưa tin kịp thời", status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_a_render_token_lasts_a_day(self):
        with newsroom_settings(MODE="post"):
            post(self.client, self.article, rendered=timetrap.issue(time.time() - 86400 + 120))
            self.assertEqual(Comment.objects.count(), 1)
            stale = timetrap.issue(time.time() - 86400 - 60)
            response = post(self.client, self.article, body="Để qua đêm", rendered=stale)
        self.assertContains(response, "Vui lòng gửi lại", status_code=400)
        self.assertEqual(Comment.objects.count(), 1)

    def test_min_seconds_setting(self):
        with newsroom_settings(MIN_SECONDS=0):
            post(self.client, self.article, rendered=timetrap.issue())
        self.assertEqual(Comment.objects.count(), 1)


def token_in(html):
    """The render token of the comment form in ``html`` ("" when it has none)."""
    field = re.search(r'<input type="hidden" name="rendered"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', field[0]) if field else None
    return value[1] if value else ""


class RenderTokenTests(PostingTestCase):
    """Issue 9, point 8: a render token is taken once, and never sits in a page
    that may be cached."""

    @newsroom_settings(RATE_PER_CLIENT="100/60")
    def test_a_render_token_is_taken_once(self):
        rendered = timetrap.issue(at=time.time() - 60)
        self.assertEqual(post(self.client, self.article, rendered=rendered).status_code, 302)
        response = post(self.client, self.article, body="Ý kiến thứ hai", rendered=rendered)
        self.assertContains(response, "Vui lòng gửi lại", status_code=400)
        self.assertContains(response, "Ý kiến thứ hai", status_code=400)
        self.assertEqual(Comment.objects.count(), 1)
        fresh = token_in(response.content.decode())
        self.assertTrue(fresh)
        self.assertNotEqual(fresh, rendered)
        with newsroom_settings(MIN_SECONDS=0):
            post(self.client, self.article, body="Ý kiến thứ hai", rendered=fresh)
            self.assertEqual(Comment.objects.count(), 2)
            # From another client, through JSON: still spent.
            response = post(
                Client(), self.article, addr="198.51.100.5", headers=JSON,
                body="Ý kiến thứ ba", rendered=fresh,
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(response.json()["ok"])
        self.assertNotEqual(token_in(response.json()["form"]), fresh)
        self.assertEqual(Comment.objects.count(), 2)

    def test_a_form_too_fast_keeps_its_token_for_a_few_seconds_later(self):
        rendered = timetrap.issue()
        response = post(self.client, self.article, rendered=rendered)
        self.assertContains(response, "Bạn gửi nhanh quá", status_code=400)
        self.assertEqual(token_in(response.content.decode()), rendered)
        with newsroom_settings(MIN_SECONDS=0):
            self.assertEqual(post(self.client, self.article, rendered=rendered).status_code, 302)
        self.assertEqual(Comment.objects.count(), 1)

    def test_an_invalid_form_keeps_an_unspent_token_and_renews_a_spent_one(self):
        rendered = timetrap.issue(at=time.time() - 60)
        response = post(self.client, self.article, rendered=rendered, name="")
        self.assertEqual(token_in(response.content.decode()), rendered)
        post(self.client, self.article, rendered=rendered)
        response = post(self.client, self.article, rendered=rendered, name="")
        fresh = token_in(response.content.decode())
        self.assertTrue(fresh)
        self.assertNotEqual(fresh, rendered)

    @newsroom_settings(RATE_PER_CLIENT="1/60")
    def test_a_form_refused_after_the_trap_comes_back_with_a_new_token(self):
        post(self.client, self.article, body="Lần một")
        rendered = timetrap.issue(at=time.time() - 60)
        response = post(self.client, self.article, body="Lần hai", rendered=rendered)
        self.assertEqual(response.status_code, 429)
        fresh = token_in(response.content.decode())
        self.assertTrue(fresh)
        self.assertNotEqual(fresh, rendered)

    def test_pages_that_may_be_cached_carry_no_render_token(self):
        top = make_comment(self.article, Status.PUBLISHED)
        for url in (
            self.article.get_absolute_url(),
            reverse("comments:thread", args=[self.article.pk]),
            reverse("comments:thread", args=[self.article.pk]) + f"?tra-loi={top.pk}",
        ):
            with self.subTest(url=url):
                html = Client().get(url).content.decode()
                self.assertIn('name="rendered"', html)
                self.assertEqual(token_in(html), "")

    @newsroom_settings(MIN_SECONDS=0)
    def test_the_token_endpoint_gives_a_new_render_token_each_time(self):
        client = Client(enforce_csrf_checks=True)
        answers = [client.get(reverse("comments:token")).json() for _ in range(2)]
        self.assertNotEqual(answers[0]["rendered"], answers[1]["rendered"])
        for number, answer in enumerate(answers):
            response = post(
                client, self.article, body=f"Ý kiến {number}",
                csrfmiddlewaretoken=answer["token"], rendered=answer["rendered"],
            )
            self.assertEqual(response.status_code, 302)
        self.assertEqual(Comment.objects.count(), 2)
        response = post(
            client, self.article, body="Lần nữa",
            csrfmiddlewaretoken=answers[0]["token"], rendered=answers[0]["rendered"],
        )
        self.assertContains(response, "Vui lòng gửi lại", status_code=400)
        self.assertEqual(Comment.objects.count(), 2)

    def test_a_csrf_failure_keeps_an_unspent_token_and_renews_a_spent_one(self):
        rendered = timetrap.issue(at=time.time() - 60)
        csrf_client = Client(enforce_csrf_checks=True)
        response = post(csrf_client, self.article, rendered=rendered)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(token_in(response.content.decode()), rendered)
        post(self.client, self.article, rendered=rendered)
        response = post(csrf_client, self.article, body="Khác", rendered=rendered)
        fresh = token_in(response.content.decode())
        self.assertTrue(fresh)
        self.assertNotEqual(fresh, rendered)
        # Without JavaScript: the cached page's form has no token; the answer has one.
        response = post(csrf_client, self.article, body="Không JavaScript", rendered="")
        self.assertContains(response, "Không JavaScript", status_code=403)
        fresh = token_in(response.content.decode())
        self.assertTrue(fresh)
        with newsroom_settings(MIN_SECONDS=0):  # the reader sends it again
            again = post(
                csrf_client, self.article, body="Không JavaScript", rendered=fresh,
                csrfmiddlewaretoken=str(response.context["csrf_token"]),
            )
        self.assertEqual(again.status_code, 302)
        self.assertTrue(Comment.objects.filter(body="Không JavaScript").exists())


class TextRuleTests(PostingTestCase):
    @newsroom_settings(MAX_LENGTH=50)
    def test_too_long_is_refused_with_the_limit_and_the_length(self):
        response = post(self.client, self.article, body="a" * 51)
        self.assertContains(response, "tối đa 50 ký tự", status_code=400)
        self.assertContains(response, "có 51 ký tự", status_code=400)
        self.assertContains(response, "a" * 51, status_code=400)
        self.assertFalse(Comment.objects.exists())
        post(self.client, self.article, body="b" * 50)
        self.assertEqual(self.only_comment().body, "b" * 50)

    def test_no_maxlength_attribute_cuts_a_pasted_text(self):
        page = self.client.get(self.article.get_absolute_url())
        self.assertNotContains(page, "maxlength")

    def test_staff_like_names_are_refused(self):
        for name in ("Tòa soạn", "Ban biên tập", "Admin"):
            with self.subTest(name=name):
                response = post(self.client, self.article, name=name)
                self.assertContains(response, "Tên này dễ bị nhầm với tòa soạn", status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_empty_text_and_name_are_refused(self):
        response = post(self.client, self.article, body=" \u200b ", name="\u200b")
        self.assertContains(response, "Vui lòng viết bình luận", status_code=400)
        self.assertContains(response, "Vui lòng ghi tên", status_code=400)

    def test_a_refused_comment_is_stored_with_its_reasons(self):
        verdict = rules.Verdict(
            rules.REJECT, [rules.Reason("banned_word", "Từ cấm", ["xyz"])]
        )
        with mock.patch.object(rules, "check", return_value=verdict):
            response = post(self.client, self.article, body="xyz đây")
        self.assertContains(response, "không được đăng", status_code=400)
        self.assertContains(response, "xyz đây", status_code=400)
        comment = self.only_comment()
        self.assertEqual(comment.status, Status.REJECTED)
        self.assertEqual(comment.reasons[0]["code"], "banned_word")
        self.assertNotIn(reading.PENDING_COOKIE, response.cookies)

    def test_a_held_comment_keeps_its_reasons(self):
        verdict = rules.Verdict(rules.HOLD, [rules.Reason("phone", "Số điện thoại", ["0912"])])
        with mock.patch.object(rules, "check", return_value=verdict) as check:
            post(self.client, self.article)
        self.assertEqual(check.call_args.kwargs, {"mode": "pre", "first_time": True})
        self.assertEqual(self.only_comment().reasons[0]["matched"], ["0912"])


class ModeTests(PostingTestCase):
    def test_closed_article_refuses_posts(self):
        self.article.comments_mode = CommentsMode.CLOSED
        self.article.save()
        response = post(self.client, self.article)
        self.assertContains(response, "đã đóng bình luận", status_code=403)
        self.assertFalse(Comment.objects.exists())
        page = self.client.get(self.article.get_absolute_url())
        self.assertContains(page, "Bài viết này không nhận bình luận.")
        self.assertNotContains(page, 'id="gui-binh-luan"')

    def test_closed_by_site_setting(self):
        with newsroom_settings(MODE="closed"):
            response = post(self.client, self.article)
        self.assertEqual(response.status_code, 403)

    def test_comments_close_after_the_set_number_of_days(self):
        old = make_article(published_at=timezone.now() - timedelta(days=31))
        response = post(self.client, old)
        self.assertContains(response, "đã đóng bình luận", status_code=403)
        self.assertContains(
            self.client.get(old.get_absolute_url()),
            "Bài viết đã đăng hơn 30 ngày nên không nhận thêm bình luận.",
        )
        recent = make_article(published_at=timezone.now() - timedelta(days=29))
        post(self.client, recent)
        self.assertEqual(Comment.objects.filter(article=recent).count(), 1)

    def test_first_publication_time_counts_not_a_later_republication(self):
        article = make_article(published_at=timezone.now() - timedelta(days=1))
        article.first_published_at = timezone.now() - timedelta(days=40)
        article.save()
        self.assertEqual(post(self.client, article).status_code, 403)

    def test_a_draft_takes_no_comments(self):
        from articles.models import Article

        draft = make_article(status=Article.Status.DRAFT)
        self.assertEqual(post(self.client, draft).status_code, 404)


class DuplicateAndRateTests(PostingTestCase):
    def test_same_text_from_the_same_client_within_a_day_is_a_duplicate(self):
        post(self.client, self.article)
        again = "  CẢM ƠN báo đã đưa tin   kịp thời về con đường này. "
        response = post(self.client, self.article, body=again)
        self.assertContains(response, "Bạn đã gửi bình luận này rồi", status_code=400)
        self.assertEqual(Comment.objects.count(), 1)
        post(Client(), self.article, addr="198.51.100.9")  # another reader may say the same
        self.assertEqual(Comment.objects.count(), 2)
        Comment.objects.update(created_at=timezone.now() - timedelta(hours=25))
        post(self.client, self.article)
        self.assertEqual(Comment.objects.count(), 3)

    @newsroom_settings(RATE_PER_CLIENT="2/60")
    def test_rate_limit_per_client(self):
        for i in range(2):
            post(self.client, self.article, body=f"Ý kiến số {i}")
        response = post(self.client, self.article, body="Ý kiến thứ ba")
        self.assertContains(response, "Bạn gửi nhiều bình luận quá", status_code=429)
        self.assertContains(response, "Ý kiến thứ ba", status_code=429)
        self.assertEqual(Comment.objects.count(), 2)
        # X-Forwarded-For does not make a new client.
        response = post(
            self.client,
            self.article,
            headers={"HTTP_X_FORWARDED_FOR": "192.0.2.44"},
            body="Ý kiến thứ tư",
        )
        self.assertEqual(response.status_code, 429)
        post(Client(), self.article, addr="198.51.100.9", body="Người khác")
        self.assertEqual(Comment.objects.count(), 3)

    @newsroom_settings(RATE_PER_ARTICLE="3/60")
    def test_rate_limit_per_article(self):
        for i in range(3):
            post(Client(), self.article, addr=f"198.51.100.{i}", body=f"Ý kiến {i}")
        response = post(Client(), self.article, addr="198.51.100.99", body="Ý kiến cuối")
        # Issue 9, point 8: this reader sent nothing before; the article is busy.
        self.assertContains(
            response, "Bài viết này đang nhận quá nhiều bình luận", status_code=429
        )
        self.assertNotContains(response, "Bạn gửi nhiều bình luận quá", status_code=429)
        self.assertContains(response, "Ý kiến cuối", status_code=429)
        self.assertEqual(Comment.objects.count(), 3)
        other = make_article()
        post(Client(), other, addr="198.51.100.99", body="Ý kiến cuối")
        self.assertEqual(Comment.objects.filter(article=other).count(), 1)

    def test_client_address_is_stored_only_as_a_salted_hash(self):
        post(self.client, self.article)
        comment = self.only_comment()
        self.assertEqual(len(comment.client_hash), 64)
        self.assertNotIn("203.0.113.7", comment.client_hash)
        with newsroom_settings(CLIENT_SALT="muoi-khac"):
            request = mock.Mock(META={"REMOTE_ADDR": "203.0.113.7"})
            self.assertNotEqual(posting.client_hash(request), comment.client_hash)


class OutcomeTests(PostingTestCase):
    """``posting.post_comment`` says what became of a comment, without HTTP."""

    def post_comment(self, client="c" * 64, **fields):
        data = {"name": "Bạn đọc", "email": "", "body": "Bài viết hay.", "parent": None}
        data.update(fields)
        return posting.post_comment(self.article, client=client, **data)

    def test_stored_held_and_refused_with_their_reasons(self):
        reason = rules.Reason("phone", "Số điện thoại", ["0912"])
        cases = [
            (rules.PUBLISH, posting.Result.STORED, Status.PUBLISHED),
            (rules.HOLD, posting.Result.HELD, Status.PENDING),
            (rules.REJECT, posting.Result.REFUSED, Status.REJECTED),
        ]
        for i, (action, result, status) in enumerate(cases):
            with self.subTest(result=result):
                verdict = rules.Verdict(action, [reason] if action != rules.PUBLISH else [])
                with mock.patch.object(rules, "check", return_value=verdict):
                    outcome = self.post_comment(body=f"Ý kiến {i}")
                self.assertEqual(outcome.result, result)
                self.assertEqual(outcome.comment.status, status)
                self.assertEqual(list(outcome.reasons), verdict.reasons)

    def test_a_duplicate_is_not_stored(self):
        self.assertEqual(self.post_comment().result, posting.Result.HELD)
        outcome = self.post_comment(body="  BÀI viết   hay. ")
        self.assertEqual((outcome.result, outcome.comment), (posting.Result.DUPLICATE, None))
        self.assertEqual(Comment.objects.count(), 1)

    @newsroom_settings(RATE_PER_CLIENT="1/60", RATE_PER_ARTICLE="2/60")
    def test_rate_limited_says_which_limit(self):
        self.post_comment(body="Một")
        outcome = self.post_comment(body="Hai")
        self.assertEqual(
            (outcome.result, outcome.limit), (posting.Result.RATE_LIMITED, posting.CLIENT_LIMIT)
        )
        self.post_comment(client="d" * 64, body="Ba")
        outcome = self.post_comment(client="e" * 64, body="Bốn")
        self.assertEqual(
            (outcome.result, outcome.limit), (posting.Result.RATE_LIMITED, posting.ARTICLE_LIMIT)
        )
        self.assertEqual(Comment.objects.count(), 2)

    def test_a_post_reads_once_then_writes(self):
        """Issue 11, point 6: duplicate, first comment and the word list's
        generation in one query; then the comment and its log line (a
        savepoint around them here, a transaction in production)."""
        self.post_comment(body="Khởi động")  # the word lexicon is built once
        with self.assertNumQueries(5):  # read, SAVEPOINT, 2 INSERTs, RELEASE
            self.assertEqual(self.post_comment(body="Một ý kiến").result, posting.Result.HELD)
        self.article.comments_mode = CommentsMode.POST
        self.article.save()
        returning_reader()
        reader = posting.client_hash(mock.Mock(META={"REMOTE_ADDR": "203.0.113.7"}))
        with self.assertNumQueries(6):  # …and the published comment's count, last
            outcome = self.post_comment(client=reader, body="Hai ý kiến")
        self.assertEqual(outcome.result, posting.Result.STORED)
        self.article.refresh_from_db()
        self.assertEqual(self.article.comment_count, 1)
        with self.assertNumQueries(1):  # a duplicate stops after the read
            outcome = self.post_comment(client=reader, body="Hai ý kiến")
        self.assertEqual(outcome.result, posting.Result.DUPLICATE)

    def test_a_closed_article_stores_nothing(self):
        self.article.comments_mode = CommentsMode.CLOSED
        self.article.save()
        self.assertEqual(self.post_comment().result, posting.Result.CLOSED)
        self.assertFalse(Comment.objects.exists())


class ReplyTests(PostingTestCase):
    def setUp(self):
        super().setUp()
        self.article.comments_mode = CommentsMode.POST
        self.article.save()
        for addr in ("203.0.113.7", "198.51.100.1", "198.51.100.2"):
            returning_reader(addr)
        post(self.client, self.article, body="Bình luận gốc")
        self.top = self.only_comment()

    def test_reply_to_a_published_top_level_comment(self):
        post(Client(), self.article, addr="198.51.100.1", body="Trả lời đây", parent=self.top.pk)
        reply = Comment.objects.get(body="Trả lời đây")
        self.assertEqual(reply.parent, self.top)
        page = Client().get(self.article.get_absolute_url())
        self.assertContains(page, "Trả lời đây")

    def test_replies_go_one_level_only(self):
        post(Client(), self.article, addr="198.51.100.1", body="Trả lời", parent=self.top.pk)
        reply = Comment.objects.get(body="Trả lời")
        response = post(
            Client(), self.article, addr="198.51.100.2", body="Cấp hai", parent=reply.pk
        )
        self.assertContains(response, "Không trả lời được bình luận này", status_code=400)
        self.assertFalse(Comment.objects.filter(body="Cấp hai").exists())

    def test_reply_to_another_articles_comment_is_refused(self):
        other = make_article(comments_mode=CommentsMode.POST)
        response = post(Client(), other, addr="198.51.100.1", body="Lạc bài", parent=self.top.pk)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Comment.objects.filter(body="Lạc bài").exists())

    def test_reply_to_a_hidden_comment_is_refused(self):
        self.top.moderate(Status.PENDING)
        response = post(Client(), self.article, addr="198.51.100.1", body="Ẩn", parent=self.top.pk)
        self.assertEqual(response.status_code, 400)

    def test_reply_link_works_without_javascript(self):
        page = self.client.get(
            reverse("comments:thread", args=[self.article.pk]), {"tra-loi": self.top.pk}
        )
        self.assertContains(page, f'name="parent" value="{self.top.pk}"')
        self.assertContains(page, "Bạn đang trả lời một bình luận.")


class StaffOnThePublicFormTests(PostingTestCase):
    """Issue 9, point 2: whoever is logged in, the public form takes a reader's
    comment. Only a reply from the moderation queue speaks for the newsroom."""

    def staff(self):
        return [
            make_member(roles.MODERATORS, "kiemduyet"),
            make_editor("bientap"),
            make_member(roles.REPORTERS, "phongvien"),
        ]

    def test_a_staff_comment_is_held_like_a_readers_and_carries_no_badge(self):
        for number, user in enumerate(self.staff()):
            with self.subTest(user=user.username):
                client = Client()
                client.force_login(user)
                post(client, self.article, addr=f"198.51.100.{number}", body=f"Ý kiến {number}")
                comment = Comment.objects.get(body=f"Ý kiến {number}")
                self.assertIsNone(comment.staff_user)
                self.assertEqual(comment.status, Status.PENDING)  # pre-moderation
        self.article.refresh_from_db()
        self.assertEqual(self.article.comment_count, 0)
        self.assertNotContains(Client().get(self.article.get_absolute_url()), "comment__badge")

    def test_staff_pass_the_time_trap_the_names_and_the_rate_limit_like_anyone(self):
        for user in self.staff():
            with self.subTest(user=user.username):
                cache.clear()
                self.client.force_login(user)
                response = post(self.client, self.article, rendered="")
                self.assertContains(response, "Vui lòng gửi lại", status_code=400)
                response = post(self.client, self.article, rendered=timetrap.issue())
                self.assertContains(response, "Bạn gửi nhanh quá", status_code=400)
                response = post(self.client, self.article, name="Tòa soạn")
                self.assertContains(response, "dễ bị nhầm với tòa soạn", status_code=400)
                with newsroom_settings(RATE_PER_CLIENT="1/60"):
                    post(self.client, self.article, body=f"Lần một {user.pk}")
                    response = post(self.client, self.article, body=f"Lần hai {user.pk}")
                self.assertEqual(response.status_code, 429)
        self.assertFalse(Comment.objects.exclude(staff_user=None).exists())

    def test_the_word_rules_apply_to_staff(self):
        verdict = rules.Verdict(rules.REJECT, [rules.Reason("banned_word", "Từ cấm", ["xyz"])])
        self.client.force_login(make_editor("bientap"))
        with mock.patch.object(rules, "check", return_value=verdict) as check:
            response = post(self.client, self.article, body="xyz đây")
        check.assert_called_once()
        self.assertContains(response, "không được đăng", status_code=400)
        self.assertEqual(self.only_comment().status, Status.REJECTED)

    def test_no_posted_field_sets_the_badge(self):
        moderator = make_member(roles.MODERATORS, "kiemduyet")
        self.client.force_login(moderator)
        post(self.client, self.article, staff_user=moderator.pk, is_staff_reply="1")
        self.assertIsNone(self.only_comment().staff_user)

    def test_a_plain_logged_in_user_is_a_reader(self):
        from tests.factories import make_user

        self.client.force_login(make_user("docgia", is_staff=False))
        post(self.client, self.article)
        comment = self.only_comment()
        self.assertIsNone(comment.staff_user)
        self.assertEqual(comment.status, Status.PENDING)
        self.assertNotContains(Client().get(self.article.get_absolute_url()), "comment__badge")


class ReportTests(PostingTestCase):
    def setUp(self):
        super().setUp()
        self.article.comments_mode = CommentsMode.POST
        self.article.save()
        returning_reader()
        post(self.client, self.article)
        self.comment = self.only_comment()

    def report(self, addr, reason="abuse", **extra):
        return Client().post(
            reverse("comments:report", args=[self.comment.pk]),
            {"reason": reason},
            REMOTE_ADDR=addr,
            **extra,
        )

    def test_report_page_without_javascript(self):
        page = self.client.get(reverse("comments:report", args=[self.comment.pk]))
        self.assertContains(page, "Xúc phạm, lăng mạ")
        self.assertContains(page, 'name="csrfmiddlewaretoken"')
        self.assertIn("no-store", page["Cache-Control"])

    def test_reports_from_distinct_clients_send_the_comment_back_to_the_queue(self):
        self.assertContains(self.report("198.51.100.1"), "Cảm ơn bạn")
        self.assertContains(self.report("198.51.100.1", "spam"), "đã báo cáo bình luận này rồi")
        self.report("198.51.100.2", "spam")
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.status, Status.PUBLISHED)
        self.report("198.51.100.3", "false")
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.status, Status.PENDING)
        self.assertEqual(self.comment.report_count, 3)
        reasons = [r for r in self.comment.reasons if r["code"] == "reports"]
        self.assertEqual(len(reasons), 1)
        self.assertEqual(len(reasons[0]["matched"]), 3)
        self.assertEqual(
            set(Report.objects.values_list("reason", flat=True)), {"abuse", "spam", "false"}
        )
        events = ModerationEvent.objects.filter(comment=self.comment, note="reports")
        self.assertTrue(events.exists())
        self.article.refresh_from_db()
        self.assertEqual(self.article.comment_count, 0)
        self.assertEqual(self.report("198.51.100.4").status_code, 404)  # no longer public

    @newsroom_settings(REPORT_RATE="2/3600")
    def test_report_rate_limit(self):
        others = [
            moderation.create(
                article=self.article, name="B", body=f"Khác {i}", status=Status.PUBLISHED,
                client_hash=str(i) * 64, body_hash=str(i) * 64,
            )
            for i in range(3)
        ]
        for other in others[:2]:
            response = Client().post(
                reverse("comments:report", args=[other.pk]), {"reason": "spam"},
                REMOTE_ADDR="198.51.100.1",
            )
            self.assertEqual(response.status_code, 200)
        response = Client().post(
            reverse("comments:report", args=[others[2].pk]), {"reason": "spam"},
            REMOTE_ADDR="198.51.100.1",
        )
        self.assertContains(response, "Bạn đã báo cáo nhiều lần", status_code=429)
        self.assertEqual(Report.objects.count(), 2)

    def test_bad_reason_is_a_form_error(self):
        self.assertEqual(self.report("198.51.100.1", "bogus").status_code, 400)
        self.assertFalse(Report.objects.exists())

    def test_json_report(self):
        response = self.report("198.51.100.1", **JSON)
        self.assertTrue(response.json()["ok"])


class CsrfTests(PostingTestCase):
    def test_the_article_page_embeds_no_csrf_token(self):
        response = Client(enforce_csrf_checks=True).get(self.article.get_absolute_url())
        self.assertContains(response, 'name="csrfmiddlewaretoken" value=""')
        self.assertNotIn("csrftoken", response.cookies)
        # No token in it, so it stays shareable (articles/caching.py).
        self.assertIn("public", response["Cache-Control"])

    def test_token_endpoint(self):
        response = Client(enforce_csrf_checks=True).get(reverse("comments:token"))
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("csrftoken", response.cookies)
        self.assertTrue(response.json()["token"])

    def test_post_with_a_fetched_token(self):
        client = Client(enforce_csrf_checks=True)
        token = client.get(reverse("comments:token")).json()["token"]
        response = post(client, self.article, csrfmiddlewaretoken=token)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Comment.objects.count(), 1)

    def test_failure_gives_the_form_back_with_the_text_and_a_fresh_token(self):
        client = Client(enforce_csrf_checks=True)
        response = post(client, self.article, body="Chữ tôi đã gõ, đừng mất.")
        self.assertContains(response, "Vui lòng gửi lại", status_code=403)
        self.assertContains(response, "Chữ tôi đã gõ, đừng mất.", status_code=403)
        self.assertFalse(Comment.objects.exists())
        self.assertIn("csrftoken", response.cookies)
        token = response.context["csrf_token"]
        again = post(
            client, self.article, body="Chữ tôi đã gõ, đừng mất.", csrfmiddlewaretoken=str(token)
        )
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Comment.objects.get().body, "Chữ tôi đã gõ, đừng mất.")

    def test_other_csrf_failures_get_the_default_page(self):
        response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(response, "Vui lòng gửi lại", status_code=403)

    def test_report_csrf_failure_gives_the_form_back(self):
        comment = moderation.create(
            article=self.article, name="B", body="Một ý", status=Status.PUBLISHED,
            client_hash="1" * 64, body_hash="1" * 64,
        )
        response = Client(enforce_csrf_checks=True).post(
            reverse("comments:report", args=[comment.pk]), {"reason": "spam"}
        )
        self.assertContains(response, "Vui lòng gửi lại", status_code=403)
        self.assertRegex(response.content.decode(), r'value="spam"[^>]* checked')
