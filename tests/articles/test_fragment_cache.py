"""The article page's content kept as a fragment (``caching.fragment``): a page
made again runs one query, and every purge-worthy change the page cache honours
makes the fragment again, exactly when it purges the page. Run with the page
cache off, so every request reaches the view (a reader with reader state, a
proxy's miss); on local memory and on a real Redis."""

import os
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import caching
from articles.models import Article
from comments.models import Comment
from comments.reading import PENDING_COOKIE
from tests.articles import test_page_cache
from tests.articles.test_page_cache import on_redis, publishable
from tests.comments.test_posting import post
from tests.factories import make_article

pytestmark = pytest.mark.page_cache

FRAGMENTS_ONLY = {"PAGE_CACHE_SECONDS": 0, "FRAGMENT_CACHE_SECONDS": 3600}


def article_queries(url, client=None):
    """The number of queries a GET of the article page ``url`` runs."""
    with CaptureQueriesContext(connection) as queries:
        response = (client or Client()).get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


class FragmentTests(test_page_cache.PageCacheTests):
    """The page cache's purge tests, read as "the article pages' fragments are
    made again exactly where the page cache drops the pages"."""

    def setUp(self):
        super().setUp()
        patch = override_settings(NEWSROOM={**settings.NEWSROOM, **FRAGMENTS_ONLY})
        patch.enable()
        self.addCleanup(patch.disable)

    # The pages that keep a fragment: all but the feed.
    PAGES = ("home", "article", "other", "section", "other_section", "tag", "other_tag",
             "contributor")

    def pages(self):
        return [name for name in self.PAGES if name in self.urls]

    def warm(self):
        for name in self.pages():
            Client().get(self.urls[name])
            self.assertTrue(self.cached(self.urls[name]), name)

    def assert_purged(self, *purged):
        for name in self.pages():
            with self.subTest(name):
                self.assertEqual(not self.cached(self.urls[name]), name in purged, name)

    def cached(self, url):
        """Whether the page for ``url`` was made from its kept fragment (its
        content not made again)."""
        made = []
        real = caching.fragment

        def fragment(name, keys, build):
            if name.startswith("rail:"):  # its own keys: RailFragmentTests
                return real(name, keys, build)
            return real(name, keys, lambda: made.append(name) or build())

        with mock.patch.object(caching, "fragment", fragment):
            response = Client().get(url)
        return response.status_code == 200 and not made

    # The page-cache-specific tests, as they read with fragments --------------------------------

    def test_the_second_request_runs_no_query(self):
        """Here: one query, the article's own row (is it public, at which slug)."""
        url = self.urls["article"]
        self.assertGreaterEqual(article_queries(url), 4)
        with self.assertNumQueries(1):
            response = Client().get(url)
        self.assertNotIn("X-Page-Cache", response)
        self.assertContains(response, "Bài một")
        self.assertContains(response, "Trần Quốc")  # the byline, from the fragment
        self.assertContains(response, 'rel="canonical"')  # the head, from the fragment

    def test_pages_made_from_fragments_run_one_query_at_most(self):
        """Home none; a list page its row (the section, tag or author); an
        article page its row."""
        self.warm()
        for name, queries in (("home", 0), ("section", 1), ("tag", 1), ("contributor", 1),
                              ("article", 1)):
            with self.subTest(name), self.assertNumQueries(queries):
                self.assertEqual(Client().get(self.urls[name]).status_code, 200)

    def test_a_page_differing_per_reader_is_never_stored_nor_served(self):
        """The fragment holds nothing of a reader: a reader with a held comment
        gets the fragment and their own comment, and nobody else sees it."""
        Client().get(self.urls["article"])
        reader = Client()
        post(reader, self.article, body="Bình luận riêng của tôi, đang chờ duyệt.")
        self.assertEqual(Comment.objects.get().status, Comment.Status.PENDING)
        response = reader.get(self.urls["article"])
        self.assertContains(response, "Bình luận riêng của tôi")
        self.assertIn("private", response["Cache-Control"])
        self.assertNotContains(Client().get(self.urls["article"]), "Bình luận riêng của tôi")

    def test_a_reader_with_a_held_comment_is_answered_by_the_app(self):
        Client().get(self.urls["article"])
        reader = Client()
        reader.cookies[PENDING_COOKIE] = "anything"
        self.assertEqual(article_queries(self.urls["article"], reader), 1)

    def test_the_page_cache_can_be_turned_off(self):
        with override_settings(NEWSROOM={**settings.NEWSROOM, "FRAGMENT_CACHE_SECONDS": 0}):
            Client().get(self.urls["article"])
            self.assertGreaterEqual(article_queries(self.urls["article"]), 4)

    def test_the_scheduler_purges_what_it_publishes(self):
        """A related article the scheduler publishes is in the box at once."""
        scheduled = publishable(
            section=self.other_section, tags=["An ninh"], headline="Bài hẹn giờ liên quan"
        )
        with self.captureOnCommitCallbacks(execute=True):
            scheduled.publish_by_command("thu", "hẹn giờ", at=timezone.now() + timedelta(hours=1))
        Client().get(self.urls["article"])  # kept for up to an hour
        # An hour later, before the scheduler runs: the fragment is still the one made.
        Article.objects.filter(pk=scheduled.pk).update(
            published_at=timezone.now() - timedelta(seconds=1)
        )
        self.assertNotContains(Client().get(self.urls["article"]), "Bài hẹn giờ liên quan")
        self.change(lambda: call_command("publish_scheduled", stdout=open(os.devnull, "w")))  # noqa: SIM115
        self.assertContains(Client().get(self.urls["article"]), "Bài hẹn giờ liên quan")

    def test_no_page_lives_past_the_next_scheduled_publication(self):
        """A scheduled article sharing a tag will be in the related box: the
        fragment is kept no longer than until it goes public."""
        scheduled = publishable(section=self.other_section, tags=["An ninh"])
        with self.captureOnCommitCallbacks(execute=True):
            scheduled.publish_by_command(
                "thu", "hẹn giờ", at=timezone.now() + timedelta(seconds=20)
            )
        Client().get(self.urls["article"])
        lifetime = stored_lifetime(f"article:{self.article.pk}:http://testserver/:vi")
        self.assertLessEqual(lifetime, 20)
        self.assertGreater(lifetime, 10)

    def test_nothing_is_purged_before_commit(self):
        self.warm()
        with self.captureOnCommitCallbacks(execute=False):
            self.article.headline = "Bài một (chưa lưu xong)"
            self.article.save()
        self.assertTrue(self.cached(self.urls["article"]))

    def test_the_fragment_is_per_language_and_address(self):
        Client().get(self.urls["article"])
        english = Client()
        english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertGreaterEqual(article_queries(self.urls["article"], english), 4)
        self.assertContains(english.get(self.urls["article"]), 'lang="en"')
        other_host = Client(HTTP_HOST="www.testserver")
        with override_settings(ALLOWED_HOSTS=["testserver", "www.testserver"]):
            response = other_host.get(self.urls["article"])
        self.assertContains(response, "http://www.testserver" + self.urls["article"])

    def test_a_purge_while_the_fragment_is_made_keeps_it_out(self):
        """A change that commits while the page is being made may be missing from
        it: such a fragment is not kept."""
        from articles import caching, purges

        def build():
            purges.send([f"article-{self.article.pk}"])  # commits meanwhile
            return "old"

        keys = {f"article-{self.article.pk}"}
        self.assertEqual(caching.fragment("probe", keys, build), "old")
        self.assertEqual(caching.fragment("probe", keys, lambda: "new"), "new")
        self.assertEqual(caching.fragment("probe", keys, lambda: "newer"), "new")

    def test_a_related_article_going_public_shows_in_the_box(self):
        Client().get(self.urls["article"])
        new = publishable(
            section=self.other_section, tags=["An ninh"], headline="Bài mới liên quan"
        )
        with self.captureOnCommitCallbacks(execute=True):
            new.publish_by_command("thu", "đăng")
        self.assertContains(Client().get(self.urls["article"]), "Bài mới liên quan")

    def test_a_related_articles_edit_shows_in_the_box(self):
        related = make_article(
            headline="Liên quan cũ", section=self.other_section, tags=["An ninh"]
        )
        self.assertContains(Client().get(self.urls["article"]), "Liên quan cũ")

        def edit():
            related.record_revision(self.editor)
            related.headline = "Liên quan mới"
            related.save()
            related.record_revision(self.editor)

        with self.captureOnCommitCallbacks(execute=True):
            edit()
        response = Client().get(self.urls["article"])
        self.assertContains(response, "Liên quan mới")
        self.assertNotContains(response, "Liên quan cũ")


def stored_lifetime(name):
    """Seconds the cache keeps fragment ``name`` (local memory or Redis)."""
    import hashlib
    import time

    key = cache.make_key("fragment:" + hashlib.sha256(name.encode()).hexdigest())
    if hasattr(cache, "_expire_info"):  # local memory
        return cache._expire_info[key] - time.time()
    return cache._cache.get_client(key).ttl(key)


@on_redis("newsroom-test-fragments")
class RedisFragmentTests(FragmentTests):
    """The same, with the fragments in Redis as in production."""
