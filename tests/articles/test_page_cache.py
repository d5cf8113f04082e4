"""The app's page cache (articles/caching.py) and purges by surrogate key
(articles/purges.py): every purge-worthy change removes exactly the cached pages
naming its keys, after commit, and a page differing per reader is never stored.
On the default cache (local memory) and on a real Redis."""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.utils import timezone

from articles.models import Article, Correction
from comments import moderation
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_comment,
    make_contributor,
    make_editor,
    make_section,
)

pytestmark = pytest.mark.page_cache


def publishable(**fields):
    """A draft that passes every publish gate."""
    article = make_article(status=Article.Status.DRAFT, published_at=None, **fields)
    add_credit(article, make_contributor())
    add_photo(article, is_lead=True)
    return article


class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor(is_superuser=True)
        cls.section = make_section("Thời sự")
        cls.other_section = make_section("Thể thao")
        cls.contributor = make_contributor("Trần Quốc")
        cls.article = make_article(headline="Bài một", section=cls.section, tags=["An ninh"])
        add_credit(cls.article, cls.contributor)
        cls.photo_use = add_photo(cls.article, is_lead=True)
        cls.other = make_article(
            headline="Bài thể thao", section=cls.other_section, tags=["Bóng đá"]
        )
        cls.tag = cls.article.tags.get()
        cls.other_tag = cls.other.tags.get()

    def setUp(self):
        self.urls = {
            "home": "/",
            "article": self.article.get_absolute_url(),
            "other": self.other.get_absolute_url(),
            "section": self.section.get_absolute_url(),
            "other_section": self.other_section.get_absolute_url(),
            "tag": self.tag.get_absolute_url(),
            "other_tag": self.other_tag.get_absolute_url(),
            "contributor": self.contributor.get_absolute_url(),
            "rss": "/rss.xml",
        }

    # Helpers -------------------------------------------------------------------------------

    def warm(self):
        for url in self.urls.values():
            response = Client().get(url)
            self.assertIn(response.status_code, (200, 410), url)
            self.assertTrue(self.cached(url), url)

    def cached(self, url):
        """Whether an anonymous GET of ``url`` is answered by the page cache."""
        return Client().get(url).get("X-Page-Cache") == "hit"

    def assert_purged(self, *purged):
        for name, url in self.urls.items():
            with self.subTest(name):
                self.assertEqual(not self.cached(url), name in purged, url)

    def change(self, do):
        self.warm()
        with self.captureOnCommitCallbacks(execute=True):
            do()

    # What a page carries -------------------------------------------------------------------

    def test_a_shareable_page_names_what_it_shows_and_may_be_served_stale(self):
        response = Client().get(self.urls["article"])
        self.assertEqual(
            set(response["xkey"].split()),
            {
                f"article-{self.article.pk}",
                f"section-{self.section.pk}",
                f"tag-{self.tag.pk}",
                "nav",
            },
        )
        self.assertIn("stale-while-revalidate=30", response["Cache-Control"])
        self.assertIn("stale-if-error=86400", response["Cache-Control"])
        self.assertEqual(
            set(Client().get(self.urls["section"])["xkey"].split()),
            {f"section-{self.section.pk}", f"list-section-{self.section.pk}", "nav"},
        )
        self.assertEqual(set(Client().get("/")["xkey"].split()), {"home", "nav"})
        self.assertEqual(Client().get("/rss.xml")["xkey"], "feeds")

    def test_the_second_request_runs_no_query(self):
        Client().get(self.urls["article"])
        with self.assertNumQueries(0):
            response = Client().get(self.urls["article"])
        self.assertEqual(response["X-Page-Cache"], "hit")
        self.assertContains(response, "Bài một")
        self.assertIn("public", response["Cache-Control"])

    def test_a_page_differing_per_reader_is_never_stored_nor_served(self):
        Client().get(self.urls["article"])  # stored for anonymous readers
        editor = Client()
        editor.force_login(self.editor)
        for _ in range(2):
            response = editor.get(self.urls["article"])
            self.assertNotIn("X-Page-Cache", response)
            self.assertIn("private", response["Cache-Control"])
        english = Client()
        english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertNotIn("X-Page-Cache", english.get(self.urls["home"]))
        Client().get(self.urls["home"])
        self.assertEqual(Client().get(self.urls["home"])["X-Page-Cache"], "hit")

    def test_a_reader_with_a_held_comment_is_answered_by_the_app(self):
        from comments.reading import PENDING_COOKIE

        Client().get(self.urls["article"])
        reader = Client()
        reader.cookies[PENDING_COOKIE] = "anything"
        self.assertNotIn("X-Page-Cache", reader.get(self.urls["article"]))

    def test_the_page_cache_can_be_turned_off(self):
        with override_settings(NEWSROOM={**settings.NEWSROOM, "PAGE_CACHE_SECONDS": 0}):
            Client().get(self.urls["article"])
            self.assertNotIn("X-Page-Cache", Client().get(self.urls["article"]))

    # Purges: exactly the keys a change touches ----------------------------------------------

    def test_publishing_purges_home_feeds_and_the_articles_lists(self):
        new = publishable(section=self.section, tags=["An ninh"])
        self.change(lambda: new.publish_by_command("thu", "đăng"))
        # The article pages sharing its tag too: their related box lists it.
        self.assert_purged("home", "rss", "section", "tag", "article")
        self.assertContains(Client().get("/"), new.headline)

    def test_withdrawing_purges_the_article_and_what_listed_it(self):
        self.change(lambda: self.article.withdraw(self.editor, "sai", "legal"))
        self.assert_purged("home", "rss", "article", "section", "tag", "contributor")
        self.assertEqual(Client().get(self.urls["article"]).status_code, 410)

    def test_an_edit_of_published_content_purges_the_article(self):
        def edit():
            self.article.record_revision(self.editor)  # the first revision
            self.article.headline = "Bài một (đã sửa)"
            self.article.save()
            self.article.record_revision(self.editor)

        self.change(edit)
        self.assert_purged("home", "rss", "article", "section", "tag", "contributor")
        self.assertContains(Client().get(self.urls["article"]), "Bài một (đã sửa)")

    def test_moving_an_article_purges_the_list_it_left(self):
        self.article.record_revision(self.editor)

        def move():
            self.article.section = self.other_section
            self.article.save()
            self.article.record_revision(self.editor)

        self.change(move)
        self.assert_purged(
            "home", "rss", "article", "section", "other_section", "tag", "contributor"
        )

    def test_a_correction_purges_the_article_only(self):
        self.change(
            lambda: self.article.correct(self.editor, Correction.Kind.CORRECTION, "Sửa tên.")
        )
        self.assert_purged("article")

    def test_the_sitemaps_are_purged_by_what_moves_their_lastmod(self):
        """The index and the month's sitemap carry ``feeds`` and ``sitemaps``: any
        correction moves the month's lastmod (the feeds only show major ones)."""
        month = timezone.localtime(self.article.published_at)
        self.urls = {
            "article": self.urls["article"],
            "rss": "/rss.xml",
            "index": "/sitemap.xml",
            "month": f"/sitemap-bai-viet-{month:%Y-%m}.xml",
            "news": "/sitemap-news.xml",
            "tags": "/sitemap-tags.xml",
        }
        self.change(
            lambda: self.article.correct(self.editor, Correction.Kind.CORRECTION, "Sửa tên.")
        )
        self.assert_purged("article", "index", "month", "news", "tags")
        self.change(lambda: self.article.withdraw(self.editor, "sai", "legal"))
        self.assert_purged("article", "rss", "index", "month", "news", "tags")

    def test_an_approved_or_rejected_comment_purges_its_article_and_lists(self):
        comment = make_comment(self.article)
        self.change(lambda: moderation.change_status(comment, "published", self.editor))
        self.assert_purged("home", "rss", "article", "section", "tag", "contributor")
        self.change(lambda: moderation.change_status(comment, "rejected", self.editor))
        self.assert_purged("home", "rss", "article", "section", "tag", "contributor")

    def test_a_comment_shown_at_once_purges_its_article_and_lists(self):
        """Post-moderation or a newsroom reply: stored published, shown at once."""
        self.change(lambda: make_comment(self.article, status="published"))
        self.assert_purged("home", "rss", "article", "section", "tag", "contributor")

    def test_a_held_comment_purges_nothing(self):
        self.change(lambda: make_comment(self.article, status="pending"))
        self.assert_purged()

    def test_renaming_a_section_purges_every_page_with_the_menu(self):
        def rename():
            self.other_section.name = "Thể thao 24h"
            self.other_section.save()

        self.change(rename)
        self.assert_purged(*(name for name in self.urls if name != "rss"), "rss")

    def test_renaming_a_tag_purges_its_page_and_the_articles_showing_it(self):
        def rename():
            self.tag.name = "An ninh trật tự"
            self.tag.save()

        self.change(rename)
        self.assert_purged("tag", "article", "rss")

    def test_renaming_a_contributor_purges_their_page_and_their_bylines(self):
        def rename():
            self.contributor.pen_name = "Quốc Trần"
            self.contributor.save()

        self.change(rename)
        self.assert_purged("contributor", "article")

    def test_changing_a_photo_purges_the_articles_using_it(self):
        def change():
            photo = self.photo_use.photo
            photo.alt_text = "Ảnh khác"
            photo.save()

        self.change(change)
        self.assert_purged("home", "rss", "article", "section", "tag", "contributor")

    def test_nothing_is_purged_before_commit(self):
        self.warm()
        with self.captureOnCommitCallbacks(execute=False):
            self.article.withdraw(self.editor, "sai", "legal")
        self.assertTrue(self.cached(self.urls["article"]))

    # Scheduled publication --------------------------------------------------------------------

    def test_no_page_lives_past_the_next_scheduled_publication(self):
        soon = timezone.now() + timedelta(seconds=20)
        scheduled = publishable(section=self.other_section, tags=["Hẹn giờ"])
        with self.captureOnCommitCallbacks(execute=True):
            scheduled.publish_by_command("thu", "hẹn giờ", at=soon)
        self.assertEqual(scheduled.status, Article.Status.SCHEDULED)
        response = Client().get("/")
        max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
        self.assertLessEqual(max_age, 20)
        self.assertGreaterEqual(max_age, 15)

    def test_the_scheduler_purges_what_it_publishes(self):
        scheduled = publishable(section=self.other_section, tags=["Hẹn giờ"])
        with self.captureOnCommitCallbacks(execute=True):
            scheduled.publish_by_command(
                "thu", "hẹn giờ", at=timezone.now() + timedelta(seconds=1)
            )
        Article.objects.filter(pk=scheduled.pk).update(
            published_at=timezone.now() - timedelta(seconds=1)
        )
        self.change(lambda: call_command("publish_scheduled", stdout=open(os.devnull, "w")))
        self.assertFalse(self.cached("/"))
        self.assertFalse(self.cached(self.urls["other_section"]))
        self.assertTrue(self.cached(self.urls["section"]))


def _redis_url():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    base = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15").rsplit("/", 1)[0]
    return f"{base}/{12 - int(worker) % 4}"


def redis_errors():
    import redis

    return redis.RedisError


def _redis_up():
    try:
        import redis

        redis.Redis.from_url(_redis_url(), socket_connect_timeout=0.5).ping()
    except (ImportError, redis_errors()):
        return False
    return True


def on_redis(prefix):
    """Decorate a test class to run on a real Redis (skipped without one, unless CI)."""

    def decorate(cls):
        caches = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": _redis_url(),
                "KEY_PREFIX": prefix,
            }
        }
        skip = pytest.mark.skipif(
            not _redis_up() and not os.environ.get("CI"), reason="no Redis (CI unset)"
        )
        return skip(override_settings(CACHES=caches)(cls))

    return decorate


@on_redis("newsroom-test-pages")
class RedisPageCacheTests(PageCacheTests):
    """The same, with the page cache in Redis as in production."""
