"""Comments under load (security.md B8, B9): concurrent posts all land, and a
rate limit holds across processes when the cache is Redis; so does the time
trap's single-use render token (issue 9, point 8)."""

import multiprocessing
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from unittest import mock, skipUnless

import redis
from django.conf import settings
from django.db import connection, connections
from django.test import Client, SimpleTestCase, TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, CommentsMode, Section
from comments import posting, timetrap
from comments.models import Comment

from .rate_worker import count_allowed, count_spent

POSTS = 200
THREADS = 25  # PostgreSQL's default max_connections is 100, shared with other runs
REDIS_URL = "redis://127.0.0.1:6379/14"


def address(i):
    return f"10.20.{i // 200}.{i % 200 + 1}"


@skipUnless(
    connection.vendor == "postgresql",
    "needs PostgreSQL: SQLite takes one writer at a time, so it cannot show lost writes",
)
@override_settings(
    NEWSROOM={
        **settings.NEWSROOM,
        "COMMENTS_RATE_PER_CLIENT": "1000/60",
        "COMMENTS_RATE_PER_ARTICLE": "100000/60",
    }
)
class ConcurrentPostTests(TransactionTestCase):
    """Each thread posts through the real view with its own connection. The
    data is made here (a transactional test case starts from empty tables)."""

    def test_concurrent_posts_all_land_and_count(self):
        section = Section.objects.create(name="Đời sống")
        article = Article.objects.create(
            headline="Bài nhiều người bình luận", section=section,
            status=Article.Status.PUBLISHED, comments_mode=CommentsMode.POST,
            published_at=timezone.now(),
        )
        # Returning readers: the rules hold a first comment even in post-moderation.
        other = Article.objects.create(
            headline="Bài cũ", section=section, status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        Comment.objects.bulk_create(
            Comment(
                article=other, name="Bạn đọc", body="Lần trước", status=Comment.Status.PUBLISHED,
                client_hash=posting.client_hash(mock.Mock(META={"REMOTE_ADDR": address(i)})),
                body_hash="0" * 64,
            )
            for i in range(POSTS)
        )
        url = reverse("comments:post", args=[article.pk])
        # One render token per post: each is taken once.
        rendered = [timetrap.issue(at=time.time() - 60) for _ in range(POSTS)]
        gate = threading.Barrier(THREADS)

        def post_some(worker):
            try:
                gate.wait(30)
                codes = []
                for i in range(worker, POSTS, THREADS):
                    response = Client().post(
                        url,
                        {"name": f"Bạn đọc {i}", "body": f"Ý kiến thứ {i} về bài này.",
                         "rendered": rendered[i]},
                        REMOTE_ADDR=address(i),
                    )
                    codes.append(response.status_code)
                return codes
            finally:
                connections.close_all()

        with ThreadPoolExecutor(THREADS) as pool:
            codes = [code for codes in pool.map(post_some, range(THREADS)) for code in codes]

        self.assertEqual(codes, [302] * POSTS)
        stored = Comment.objects.filter(article=article)
        self.assertEqual(stored.count(), POSTS)
        self.assertEqual(stored.values("body").distinct().count(), POSTS)
        self.assertEqual(stored.filter(status=Comment.Status.PUBLISHED).count(), POSTS)
        article.refresh_from_db()
        self.assertEqual(article.comment_count, POSTS)


def redis_caches(prefix):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }


class RedisTestCase(SimpleTestCase):
    def setUp(self):
        self.prefix = f"newsroom-test-comments-{uuid.uuid4().hex}"
        server = redis.Redis.from_url(REDIS_URL)
        self.addCleanup(server.close)
        self.addCleanup(
            lambda: [server.delete(key) for key in server.scan_iter(f"{self.prefix}:*")]
        )

    def run_workers(self, target, *args, before_start=None):
        """Run ``target`` in two spawned processes at once; their results."""
        context = multiprocessing.get_context("spawn")
        ready, results, start = context.Queue(), context.Queue(), context.Event()
        workers = [
            context.Process(
                target=target, args=(REDIS_URL, self.prefix, ready, start, results, *args)
            )
            for _ in range(2)
        ]
        for worker in workers:
            worker.start()
        try:
            for _ in workers:
                ready.get(timeout=60)
            if before_start:
                before_start()
            start.set()
            return [results.get(timeout=60) for _ in workers]
        finally:
            for worker in workers:
                worker.join(timeout=30)
                if worker.is_alive():
                    worker.terminate()


class RedisRateLimitTests(RedisTestCase):
    """With Redis as the cache, a limit of 5 a minute lets exactly 5 of 100
    posts from one client through, counted by two processes at once."""

    def test_limit_holds_across_two_processes(self):
        caches = redis_caches(self.prefix)

        def same_window():  # both count in the same one-minute window
            if time.time() % 60 > 50:
                time.sleep(60.5 - time.time() % 60)

        allowed = self.run_workers(count_allowed, before_start=same_window)
        self.assertEqual(sum(allowed), 5, allowed)
        # The view's limiter, in this process, on the same counter: already spent.
        with override_settings(CACHES=caches):
            self.assertFalse(posting.allow("client:one-reader", 5, 60))


class RedisBothLimitsTests(RedisTestCase):
    """Both posting limits are counted in one round trip to Redis, in order: a
    reader over their own limit does not count against the article's, and each
    counter expires with its window."""

    @override_settings(
        NEWSROOM={
            **settings.NEWSROOM,
            "COMMENTS_RATE_PER_CLIENT": "2/60",
            "COMMENTS_RATE_PER_ARTICLE": "3/60",
        }
    )
    def test_client_then_article_in_one_round_trip(self):
        article = Article(pk=424242)
        if time.time() % 60 > 50:  # every count in the same one-minute window
            time.sleep(60.5 - time.time() % 60)
        server = redis.Redis.from_url(REDIS_URL)
        self.addCleanup(server.close)
        with override_settings(CACHES=redis_caches(self.prefix)):
            calls = []
            real = redis.Redis.execute_command

            def counted(client, *args, **kwargs):
                calls.append(args[0])
                return real(client, *args, **kwargs)

            with mock.patch.object(redis.Redis, "execute_command", counted):
                self.assertIsNone(posting.rate_limited("reader-a", article))
            self.assertEqual(len(calls), 1, calls)  # EVALSHA (or EVAL once)
            self.assertIsNone(posting.rate_limited("reader-a", article))
            self.assertEqual(posting.rate_limited("reader-a", article), posting.CLIENT_LIMIT)
            # reader-a's refused third post did not count: the article has two.
            self.assertIsNone(posting.rate_limited("reader-b", article))
            self.assertEqual(posting.rate_limited("reader-c", article), posting.ARTICLE_LIMIT)
        keys = list(server.scan_iter(f"{self.prefix}:*"))
        self.assertEqual(len(keys), 4, keys)
        for key in keys:
            self.assertTrue(0 < server.ttl(key) <= 61, (key, server.ttl(key)))


class RedisRenderTokenTests(RedisTestCase):
    """Two processes that send the same 50 render tokens at once, through the
    shared Redis: each token is taken exactly once."""

    def test_each_token_is_taken_once_across_two_processes(self):
        tokens = [timetrap.issue(at=time.time() - 60) for _ in range(50)]
        spent = self.run_workers(count_spent, tokens)
        self.assertEqual(sum(spent), len(tokens), spent)
        with override_settings(CACHES=redis_caches(self.prefix)):
            self.assertIs(timetrap.spend(tokens[0]), timetrap.Verdict.RENEW)
            self.assertNotEqual(timetrap.usable(tokens[0]), tokens[0])
            fresh = timetrap.issue(at=time.time() - 60)
            self.assertEqual(timetrap.usable(fresh), fresh)
            self.assertIs(timetrap.spend(fresh), timetrap.Verdict.PASSED)


@override_settings(NEWSROOM={**settings.NEWSROOM, "COMMENTS_RATE_PER_CLIENT": "100/60"})
class RedisRenderTokenPostTests(TestCase):
    """Through the view, with Redis as the cache: a token posted twice makes
    one comment."""

    def test_a_reposted_token_is_refused(self):
        prefix = f"newsroom-test-comments-{uuid.uuid4().hex}"
        server = redis.Redis.from_url(REDIS_URL)
        self.addCleanup(server.close)
        self.addCleanup(lambda: [server.delete(key) for key in server.scan_iter(f"{prefix}:*")])
        section = Section.objects.create(name="Đời sống")
        article = Article.objects.create(
            headline="Bài có bình luận", section=section, status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        url = reverse("comments:post", args=[article.pk])
        rendered = timetrap.issue(at=time.time() - 60)
        with override_settings(CACHES=redis_caches(prefix)):
            codes = [
                Client().post(
                    url, {"name": "Bạn đọc", "body": f"Ý kiến {n}", "rendered": rendered}
                ).status_code
                for n in range(3)
            ]
        self.assertEqual(codes, [302, 400, 400])
        self.assertEqual(Comment.objects.filter(article=article).count(), 1)
        self.assertTrue(list(server.scan_iter(f"{prefix}:*render-token*")))
