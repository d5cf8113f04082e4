"""The cache going down does not take the site down (issue 12, newsroom/cache.py).

Against real redis-servers of our own (tests/engines.py): one that is not there
(a closed port), and one stopped in the middle of a test, killed or hung, then
back. Public pages serve uncached, the admin logs in, comment posting refuses
with the reader's text kept and nothing stored, and when Redis is back the page
cache works again without serving a page stored before the outage.
"""

import logging
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from articles import purges
from comments import rules
from comments.models import Comment, Report, Word
from newsroom import cache as shared_cache
from tests.comments.test_posting import form_data
from tests.engines import RedisServer, closed_port, need_redis_server
from tests.factories import (
    add_credit,
    make_article,
    make_comment,
    make_contributor,
    make_section,
    make_user,
)

pytestmark = pytest.mark.page_cache
PASSWORD = "mat-khau-thu-nghiem-2026"
UNAVAILABLE = "Hệ thống bình luận đang tạm gián đoạn"


def resilient_cache(url, retry_after=0):
    """CACHES as REDIS_URL makes them (newsroom/settings.py), for ``url``.
    ``retry_after=0``: every call asks Redis again, so a test sees the server
    come back at once (the breaker itself is tested with a longer pause)."""
    return {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "newsroom-test-outage",
            "RETRY_AFTER": retry_after,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


class OutageTestCase(TestCase):
    redis_url = None

    @classmethod
    def setUpTestData(cls):
        cls.section = make_section("Thời sự")
        cls.article = make_article(headline="Phối hợp đảm bảo an ninh", section=cls.section,
                                   tags=["An ninh"])
        add_credit(cls.article, make_contributor("Trần Quốc"))
        cls.editor = make_user("bientap", password=PASSWORD, is_staff=True, is_superuser=True)

    def setUp(self):
        shared_cache._breakers.clear()
        shared_cache._local.clear()
        self.public_urls = [
            "/", self.article.get_absolute_url(), self.section.get_absolute_url(),
            self.article.tags.get().get_absolute_url(), "/tim-kiem/?q=an+ninh", "/rss.xml",
            reverse("comments:thread", args=[self.article.pk]), reverse("comments:token"),
        ]

    def assert_public_pages_serve(self):
        for url in self.public_urls:
            response = Client().get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertNotEqual(response.get("X-Page-Cache"), "hit", url)

    def assert_admin_works(self):
        client = Client()
        response = client.post(
            "/admin/login/?next=/admin/", {"username": "bientap", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.assertEqual(client.get("/admin/").status_code, 200)
        change = f"/admin/articles/article/{self.article.pk}/change/"
        self.assertEqual(client.get(change).status_code, 200)

    def assert_posting_refused(self, text="Ý kiến gửi lúc mất bộ nhớ đệm."):
        before = Comment.objects.count()
        rendered = form_data()["rendered"]
        response = Client().post(
            reverse("comments:post", args=[self.article.pk]),
            form_data(body=text, rendered=rendered), REMOTE_ADDR="203.0.113.7",
        )
        self.assertEqual(response.status_code, 503)
        html = response.content.decode()
        self.assertIn(UNAVAILABLE, html)
        self.assertIn(text, html)  # the reader's text is given back
        self.assertIn(rendered, html)  # and their token, not spent
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertEqual(Comment.objects.count(), before)
        # Through comments.js too.
        response = Client().post(
            reverse("comments:post", args=[self.article.pk]),
            form_data(body=text), REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT="application/json",
        )
        self.assertEqual(response.status_code, 503)
        self.assertIn(text, response.json()["form"])
        self.assertEqual(Comment.objects.count(), before)

    def assert_posting_works(self):
        response = Client().post(
            reverse("comments:post", args=[self.article.pk]),
            form_data(body="Ý kiến gửi khi bộ nhớ đệm đã trở lại."), REMOTE_ADDR="203.0.113.8",
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Comment.objects.filter(body__contains="đã trở lại").exists())

    def cached(self, url):
        return Client().get(url).get("X-Page-Cache") == "hit"


class RedisNotThereTests(OutageTestCase):
    """REDIS_URL names a port nothing listens on."""

    def setUp(self):
        super().setUp()
        self.url = f"redis://127.0.0.1:{closed_port()}/0"
        overridden = override_settings(CACHES=resilient_cache(self.url))
        overridden.enable()
        self.addCleanup(overridden.disable)

    def test_public_pages_serve_uncached(self):
        self.assert_public_pages_serve()
        self.assert_public_pages_serve()

    def test_the_admin_logs_in(self):
        self.assertEqual(settings.SESSION_ENGINE, "django.contrib.sessions.backends.db")
        self.assert_admin_works()

    def test_comment_posting_refuses_and_keeps_the_text(self):
        self.assert_posting_refused()

    def test_reporting_a_comment_refuses_politely(self):
        comment = make_comment(self.article, status="published")
        response = Client().post(
            reverse("comments:report", args=[comment.pk]), {"reason": "spam"},
            REMOTE_ADDR="203.0.113.7",
        )
        self.assertEqual(response.status_code, 503)
        self.assertFalse(Report.objects.filter(comment=comment).exists())

    def test_failed_logins_still_lock_within_the_process(self):
        limit = int(settings.NEWSROOM["LOGIN_FAILURES_PER_ACCOUNT"].split("/")[0])
        for _attempt in range(limit + 1):
            response = Client().post(
                "/admin/login/?next=/admin/", {"username": "bientap", "password": "sai"}
            )
        self.assertContains(response, "Đăng nhập tạm bị khóa")
        # Even the right password, until the lock ends or Redis is back.
        response = Client().post(
            "/admin/login/?next=/admin/", {"username": "bientap", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 200)

    def test_one_warning_then_redis_is_left_alone_for_a_while(self):
        with_password = self.url.replace("redis://", "redis://:mat-khau-redis@")
        overridden = override_settings(CACHES=resilient_cache(with_password, retry_after=3600))
        overridden.enable()
        self.addCleanup(overridden.disable)
        with self.assertLogs("newsroom.cache", logging.WARNING) as logs:
            for _request in range(3):
                self.assert_public_pages_serve()
        self.assertEqual(len(logs.records), 1, logs.output)
        self.assertIn("unreachable", logs.output[0])
        self.assertNotIn("mat-khau-redis", logs.output[0])  # the URL's password is never logged
        breaker = cache.breaker
        self.assertTrue(breaker.is_down)
        self.assertFalse(breaker.allows())  # no request waits on Redis meanwhile
        self.assertFalse(shared_cache.available())

    def test_socket_timeouts_are_short(self):
        options = cache._cache._pool_options
        self.assertLessEqual(options["socket_connect_timeout"], 1)
        self.assertLessEqual(options["socket_timeout"], 1)


class RedisGoesDownTests(OutageTestCase):
    """A Redis of our own, stopped in the middle of the test, then back."""

    @classmethod
    def setUpClass(cls):
        need_redis_server()
        cls.redis = RedisServer().start()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.redis.stop()

    def setUp(self):
        super().setUp()
        if self.redis.process.poll() is not None:
            self.redis.start()
        overridden = override_settings(CACHES=resilient_cache(self.redis.url))
        overridden.enable()
        self.addCleanup(overridden.disable)
        cache.clear()

    def warm(self):
        for url in ("/", self.article.get_absolute_url()):
            Client().get(url)
            self.assertTrue(self.cached(url), url)

    def edit_headline_while_down(self, headline):
        """What an editor's correction does, while the page cache cannot hear it."""
        with self.captureOnCommitCallbacks(execute=True):
            type(self.article).objects.filter(pk=self.article.pk).update(headline=headline)
            self.article.refresh_from_db()
            purges.purge_article(self.article)

    def check_outage_then_recovery(self, stop, start):
        self.warm()
        stop()
        self.assert_public_pages_serve()
        self.assert_admin_works()
        self.assert_posting_refused()
        self.edit_headline_while_down("Tin đã sửa khi bộ nhớ đệm mất")
        start()
        # Back by itself: no page stored before the outage is served…
        for url in ("/", self.article.get_absolute_url()):
            response = Client().get(url)
            self.assertEqual(response.status_code, 200)
            self.assertNotEqual(response.get("X-Page-Cache"), "hit", url)
            self.assertContains(response, "Tin đã sửa khi bộ nhớ đệm mất")
        # …and the page cache works again, and posting.
        for url in ("/", self.article.get_absolute_url()):
            response = Client().get(url)
            self.assertEqual(response.get("X-Page-Cache"), "hit", url)
            self.assertContains(response, "Tin đã sửa khi bộ nhớ đệm mất")
        self.assert_posting_works()

    def test_killed_then_restarted(self):
        self.check_outage_then_recovery(self.redis.kill, self.redis.start)

    def test_hung_then_answering_again(self):
        # A hung server costs one socket timeout, then the process leaves it alone
        # for RETRY_AFTER seconds; once it answers, the next try finds it back.
        overridden = override_settings(CACHES=resilient_cache(self.redis.url, retry_after=1))
        overridden.enable()
        self.addCleanup(overridden.disable)

        def thaw():
            self.redis.thaw()
            deadline = time.monotonic() + 60
            while not shared_cache.available():
                self.assertLess(time.monotonic(), deadline, "the cache never came back")
                time.sleep(0.1)

        self.check_outage_then_recovery(self.redis.freeze, thaw)

    def test_the_word_list_is_read_again_after_an_outage(self):
        word = Word.objects.create(text="từ cấm thử", list=Word.List.BANNED)
        lexicon = rules.word_lexicon()
        self.assertIs(rules.word_lexicon(), lexicon)
        self.redis.kill()
        cache.get("anything")  # this process sees the outage
        # Meanwhile the word is changed elsewhere: its bump of the shared
        # generation is lost, and the count and last id are the same.
        Word.objects.filter(pk=word.pk).update(text="từ khác")
        self.redis.start()
        fresh = rules.word_lexicon()
        self.assertIsNot(fresh, lexicon)
        self.assertIs(rules.word_lexicon(), fresh)
