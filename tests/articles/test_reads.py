"""'Đọc nhiều': reads counted by a beacon in the shared cache, with no database
write on the request path, then moved into the database by the periodic flush
(``flush_reads``), which remakes the ranking the article pages' rail shows."""

import io
import os
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import reads
from articles.models import Article, ArticleReadCount, MostRead
from tests.articles.test_page_cache import _redis_up
from tests.factories import make_article, make_section

BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36"
)
REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")


def rail_of(response):
    """The rail's HTML of an article page."""
    html = response.content.decode()
    assert 'class="rail"' in html
    return html.split('class="rail"', 1)[1]


def most_read_part(response):
    rail = rail_of(response)
    if 'id="rail-most-read"' not in rail:
        return ""
    return rail.split('id="rail-most-read"', 1)[1].split("</section>", 1)[0]


class ReadsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        section = make_section("Thời sự")
        cls.first = make_article(headline="Bài đọc ít hơn", section=section)
        cls.second = make_article(headline="Bài đọc nhiều nhất", section=section)
        cls.other = make_article(headline="Bài đang đọc", section=section)

    def setUp(self):
        cache.delete(reads.FLUSH_LOCK)

    def read(self, article, times=1, **headers):
        headers.setdefault("HTTP_USER_AGENT", BROWSER)
        url = reverse("articles:read", args=[article.pk])
        for _ in range(times):
            response = self.client.post(url, **headers)
            self.assertEqual(response.status_code, 204)

    def flush(self):
        out = io.StringIO()
        call_command("flush_reads", stdout=out)
        return out.getvalue()


@pytest.mark.skipif(not _redis_up() and not os.environ.get("CI"), reason="no Redis (CI unset)")
@override_settings(
    CACHES={
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # A prefix of this run's own: the Redis database is shared with other runs.
            "KEY_PREFIX": f"newsroom-test-reads-{uuid.uuid4().hex[:8]}",
        }
    }
)
class RedisReadsTests(ReadsTestCase):
    """On a real Redis, as in production."""

    def test_a_thousand_reads_write_nothing_to_the_database_until_the_flush(self):
        with CaptureQueriesContext(connection) as queries:
            self.read(self.first, 400)
            self.read(self.second, 600)
        self.assertEqual(len(queries), 0, [query["sql"] for query in queries])
        self.assertFalse(ArticleReadCount.objects.exists())
        self.assertEqual(most_read_part(self.client.get(self.other.get_absolute_url())), "")

        self.assertIn("1000", self.flush())
        self.assertEqual(
            dict(ArticleReadCount.objects.values_list("article_id", "reads")),
            {self.first.pk: 400, self.second.pk: 600},
        )
        self.assertEqual(
            list(MostRead.objects.filter(period="day").values_list("article_id", "rank")),
            [(self.second.pk, 1), (self.first.pk, 2)],
        )
        ranking = most_read_part(self.client.get(self.other.get_absolute_url()))
        self.assertLess(ranking.index("Bài đọc nhiều nhất"), ranking.index("Bài đọc ít hơn"))

        # The list changes after the next flush, not before.
        self.read(self.first, 300)
        ranking = most_read_part(self.client.get(self.other.get_absolute_url()))
        self.assertLess(ranking.index("Bài đọc nhiều nhất"), ranking.index("Bài đọc ít hơn"))
        self.flush()
        ranking = most_read_part(self.client.get(self.other.get_absolute_url()))
        self.assertLess(ranking.index("Bài đọc ít hơn"), ranking.index("Bài đọc nhiều nhất"))
        self.assertEqual(ArticleReadCount.objects.get(article=self.first).reads, 700)

    def test_a_flush_moves_each_read_once(self):
        self.read(self.first, 5)
        self.flush()
        self.flush()
        self.assertEqual(ArticleReadCount.objects.get(article=self.first).reads, 5)

    def test_the_rail_fragment_is_made_again_by_the_flush(self):
        """With fragments on, the rail is kept between pages, and the flush's
        purge of ``most-read`` makes it again."""
        on = override_settings(NEWSROOM={**settings.NEWSROOM, "FRAGMENT_CACHE_SECONDS": 3600})
        with on:
            url = self.other.get_absolute_url()
            self.assertEqual(most_read_part(self.client.get(url)), "")
            self.read(self.second, 3)
            self.assertEqual(most_read_part(self.client.get(url)), "")  # kept
            with self.captureOnCommitCallbacks(execute=True):
                self.flush()
            self.assertIn("Bài đọc nhiều nhất", most_read_part(self.client.get(url)))

    def test_bots_other_sites_and_unknown_articles_are_not_counted(self):
        url = reverse("articles:read", args=[self.first.pk])
        for agent in (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "facebookexternalhit/1.1",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/130.0 Safari/537.36",
            "curl/8.5.0",
            "",
        ):
            with self.subTest(agent):
                self.assertEqual(self.client.post(url, HTTP_USER_AGENT=agent).status_code, 204)
        self.read(self.first, 3, HTTP_SEC_FETCH_SITE="cross-site")
        self.client.post(reverse("articles:read", args=[999_999]), HTTP_USER_AGENT=BROWSER)
        self.assertIn(" 0 ", self.flush())
        self.assertFalse(ArticleReadCount.objects.exists())
        self.assertFalse(MostRead.objects.exists())

    def test_a_get_counts_nothing(self):
        response = self.client.get(reverse("articles:read", args=[self.first.pk]))
        self.assertEqual(response.status_code, 405)
        self.flush()
        self.assertFalse(ArticleReadCount.objects.exists())


class ReadsTests(ReadsTestCase):
    """On the default cache of the tests (local memory), as in development."""

    def test_reads_are_counted_and_ranked(self):
        with self.assertNumQueries(0):
            self.read(self.first, 2)
            self.read(self.second, 3)
        self.flush()
        self.assertEqual(
            list(MostRead.objects.filter(period="week").values_list("article_id", "reads")),
            [(self.second.pk, 3), (self.first.pk, 2)],
        )

    def test_the_day_ranks_the_last_24_hours_and_the_week_7_days(self):
        now = timezone.now()
        reads.count(self.first.pk, now=now - timedelta(hours=30))
        reads.count(self.first.pk, now=now - timedelta(hours=30))
        reads.count(self.second.pk, now=now)
        reads.flush(now)
        self.assertEqual(
            list(MostRead.objects.filter(period="day").values_list("article_id", flat=True)),
            [self.second.pk],
        )
        self.assertEqual(
            list(MostRead.objects.filter(period="week").values_list("article_id", flat=True)),
            [self.first.pk, self.second.pk],
        )
        # Eight days on, the counts are gone and so is the ranking.
        reads.rank(now + timedelta(days=8))
        self.assertFalse(ArticleReadCount.objects.exists())
        self.assertFalse(MostRead.objects.exists())

    def test_a_withdrawn_article_leaves_the_ranking(self):
        self.read(self.second, 3)
        self.flush()
        url = self.other.get_absolute_url()
        self.assertIn("Bài đọc nhiều nhất", most_read_part(self.client.get(url)))
        Article.objects.filter(pk=self.second.pk).update(status=Article.Status.WITHDRAWN)
        self.assertEqual(most_read_part(self.client.get(url)), "")

    def test_the_article_page_has_the_beacon_and_stays_shareable(self):
        response = self.client.get(self.other.get_absolute_url())
        self.assertContains(response, f'data-read-url="/luot-doc/{self.other.pk}/"')
        self.assertContains(response, "js/reads.js")
        self.assertIn("public", response["Cache-Control"])
        self.assertFalse(response.cookies)
