"""The rules of articles/caching.py on answers no view of the site gives today, through a
URLconf of small views (tests/articles/caching_urls.py) and the site's own middleware."""

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, SimpleTestCase, override_settings

from articles import caching
from comments import reading
from newsroom import replicas

# Issue 11: a public page may also be served stale while revalidating or on errors.
STALE = {"stale-while-revalidate=30", "stale-if-error=86400"}


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


class StaticFiles:
    """Answers /static/ itself, with its own Cache-Control, as WhiteNoise does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/static/"):
            response = HttpResponse("body{}", content_type="text/css")
            response["Cache-Control"] = "max-age=315360000, public, immutable"
            return response
        return self.get_response(request)


@override_settings(ROOT_URLCONF="tests.articles.caching_urls")
class RuleTests(SimpleTestCase):
    def test_a_declared_page_is_public(self):
        response = Client().get("/chung/")
        self.assertEqual(directives(response), {"public", "max-age=60", *STALE})
        self.assertEqual(response["Vary"], "Cookie")

    def test_a_response_that_sets_a_cookie_is_never_stored(self):
        """Also when the request carries an unrelated cookie (Django CVE-2026-48588)."""
        for cookies in ({}, {"_ga": "GA1.1.1.1"}):
            client = Client()
            client.cookies.load(cookies)
            with self.subTest(cookies):
                response = client.get("/cookie/")
                self.assertIn("chon", response.cookies)
                self.assertEqual(directives(response), {"private", "no-store"})

    def test_a_server_error_is_never_stored(self):
        response = Client(raise_request_exception=False).get("/loi/")
        self.assertEqual(response.status_code, 500)
        self.assertEqual(directives(response), {"private", "no-store"})

    def test_an_undeclared_view_is_private(self):
        self.assertEqual(directives(Client().get("/khong-khai-bao/")), {"private", "no-cache"})
        self.assertEqual(directives(Client().get("/rieng/")), {"private", "no-cache"})

    def test_a_temporary_redirect_or_a_refusal_is_private(self):
        for url, status in (("/chuyen-tam/", 302), ("/tu-choi/", 403)):
            with self.subTest(url):
                response = Client().get(url)
                self.assertEqual(response.status_code, status)
                self.assertEqual(directives(response), {"private", "no-cache"})

    def test_what_a_view_says_is_never_loosened(self):
        self.assertEqual(directives(Client().get("/tu-noi-rieng/")), {"private", "no-cache"})
        self.assertEqual(directives(Client().get("/tu-noi-khong-luu/")), {"private", "no-store"})
        self.assertEqual(
            directives(Client().get("/tu-noi-ngan/")), {"public", "max-age=10", *STALE}
        )

    def test_no_method_but_get_and_head_is_stored(self):
        for method in ("post", "put", "delete", "options"):
            with self.subTest(method):
                response = getattr(Client(), method)("/chung/")
                self.assertEqual(directives(response), {"private", "no-store"})

    def test_files_answered_without_a_url_keep_their_own_answer(self):
        middleware = [settings.MIDDLEWARE[0], f"{__name__}.StaticFiles", *settings.MIDDLEWARE[1:]]
        with override_settings(MIDDLEWARE=middleware):
            response = Client().get("/static/site.css")
        self.assertEqual(response["Cache-Control"], "max-age=315360000, public, immutable")


class ReaderCookieTests(SimpleTestCase):
    def test_the_cookies_that_make_pages_private(self):
        self.assertEqual(
            caching.reader_cookies(),
            {settings.SESSION_COOKIE_NAME, reading.PENDING_COOKIE, replicas.PIN_COOKIE},
        )


class MiddlewareCheckTests(SimpleTestCase):
    def errors(self):
        return [error.id for error in caching.check_middleware(None)]

    def test_the_project_settings_pass(self):
        self.assertEqual(settings.MIDDLEWARE[0], caching.MIDDLEWARE_PATH)
        self.assertEqual(self.errors(), [])

    def test_missing_middleware(self):
        without = [name for name in settings.MIDDLEWARE if name != caching.MIDDLEWARE_PATH]
        with override_settings(MIDDLEWARE=without):
            self.assertEqual(self.errors(), ["articles.E001"])

    def test_middleware_below_the_session(self):
        session = f"{SessionMiddleware.__module__}.SessionMiddleware"
        middleware = [name for name in settings.MIDDLEWARE if name != caching.MIDDLEWARE_PATH]
        middleware.insert(middleware.index(session) + 1, caching.MIDDLEWARE_PATH)
        with override_settings(MIDDLEWARE=middleware):
            self.assertEqual(self.errors(), ["articles.E002"])


class SharedCacheCheckTests(SimpleTestCase):
    """check --deploy warns when pages are kept in one process's cache."""

    def warnings(self, backend, **newsroom):
        caches = {"default": {"BACKEND": backend}}
        with override_settings(CACHES=caches, NEWSROOM={**settings.NEWSROOM, **newsroom}):
            return [warning.id for warning in caching.check_shared_cache(None)]

    def test_a_per_process_cache_with_pages_kept(self):
        locmem = "django.core.cache.backends.locmem.LocMemCache"
        self.assertEqual(
            self.warnings(locmem, PAGE_CACHE_SECONDS=600, FRAGMENT_CACHE_SECONDS=0),
            ["articles.W003"],
        )
        self.assertEqual(
            self.warnings(locmem, PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=3600),
            ["articles.W003"],
        )
        self.assertEqual(self.warnings(locmem, PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0), [])

    def test_redis_passes(self):
        redis = "django.core.cache.backends.redis.RedisCache"
        self.assertEqual(self.warnings(redis, PAGE_CACHE_SECONDS=600), [])
