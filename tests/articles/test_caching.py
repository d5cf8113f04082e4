"""What a shared cache may store: every URL, asked for by four readers (issue 9, point 12;
security.md T17 and B19).

Every URL pattern, taken from the URL resolver, has cases declared here; each case is
requested by an anonymous reader, a reader holding the signed cookie of their own held
comment, a reader who chose English, and a logged-in editor. The answer each one gets
(Cache-Control, Vary) is compared with the table, written from the rules in the README
("Caching: what a shared cache may store"), not from the code:

* PUBLIC: ``public, max-age=NEWSROOM["CACHE_MAX_AGE"]``, ``Vary: Cookie`` and never
  ``Accept-Language``, no cookie set. Only for an anonymous reader without reader state.
* PRIVATE: ``private, no-cache``, ``Vary: Cookie``: the same URL for a reader with state.
* NO_STORE: ``private, no-store``: admin, previews, share links, tokens, POSTs, cookies.

A URL without a case fails ``test_every_url_has_cases``. Then a shared cache is put in
front of the whole site (Django's own cache middleware, which honours ``private`` and
``Vary`` as RFC 9111 says a shared cache must) and readers take turns: none is handed
another's page.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import get_resolver, reverse
from django.utils import timezone

from articles.models import Article, ShareLink
from comments import reading
from tests.comments.test_posting import form_data
from tests.factories import (
    add_credit,
    make_article,
    make_comment,
    make_contributor,
    make_editor,
    make_section,
)
from tests.matrix import leaf_patterns

PUBLIC, PRIVATE, NO_STORE = "public", "private", "no-store"
ANONYMOUS, PENDING, ENGLISH, STAFF = "anonymous", "pending comment", "chose English", "staff"
READERS = [ANONYMOUS, PENDING, ENGLISH, STAFF]
NO_ROUTE = "(no URL matched)"
ADMIN = "(the admin)"
MEDIA = r"^media/(?P<path>.*)$"  # only routed with DEBUG on; never in production


@dataclass(frozen=True)
class Case:
    url: str  # formatted with the test data: {article}, {tag}…
    status: int
    answer: str  # for an anonymous reader; every other reader gets PRIVATE for PUBLIC
    method: str = "GET"
    staff_status: int | None = None  # when a logged-in editor gets another status

    def expected(self, reader):
        if self.answer == PUBLIC and reader != ANONYMOUS:
            return PRIVATE
        return self.answer


CASES = {
    "articles:home": [Case("/", 200, PUBLIC), Case("/", 200, PUBLIC, method="HEAD")],
    "articles:detail": [
        Case("{article}", 200, PUBLIC),
        Case("{article_wrong_slug}", 301, PUBLIC),
        Case("{withdrawn}", 410, PUBLIC),
        Case("/khong-co-a999999.html", 404, PUBLIC),
    ],
    "articles:section": [Case("{section}", 200, PUBLIC), Case("{section}?p=99", 404, PUBLIC)],
    "articles:tag": [Case("{tag}", 200, PUBLIC), Case("/tag/khong-co-tag-nay/", 404, PUBLIC)],
    "articles:contributor": [Case("{contributor}", 200, PUBLIC)],
    "articles:search": [Case("/tim-kiem/?q=an+ninh", 200, PUBLIC), Case("/tim-kiem/", 200, PUBLIC)],
    "articles:latest": [Case("/tin-moi-nhat/", 200, PUBLIC)],
    "articles:read": [
        Case("/luot-doc/{article_id}/", 204, NO_STORE, method="POST"),
        Case("/luot-doc/{article_id}/", 405, NO_STORE),
    ],
    "articles:section_feed": [Case("{section}rss.xml", 200, PUBLIC)],
    "articles:tag_feed": [Case("{tag}rss.xml", 200, PUBLIC)],
    "articles:shared_preview": [
        Case("{share_link}", 200, NO_STORE),
        Case("/xem-truoc/khong-co-lien-ket/", 404, NO_STORE),
    ],
    "comments:thread": [
        Case("{thread}", 200, PUBLIC),
        Case("{thread}?fragment=1", 200, PUBLIC),
    ],
    "comments:post": [
        Case("{thread}gui/", 400, NO_STORE, method="POST"),  # the form back, with a token
        Case("{thread}gui/", 405, NO_STORE),
    ],
    "comments:report": [Case("{report}", 200, NO_STORE)],  # a form with a CSRF token
    "comments:token": [Case("/binh-luan/token/", 200, NO_STORE)],
    "switch_language": [Case("/ngon-ngu/en/?next=/", 302, NO_STORE)],  # sets the cookie
    "robots_txt": [Case("/robots.txt", 200, PUBLIC)],
    "rss": [Case("/rss.xml", 200, PUBLIC)],
    "sitemap_index": [Case("/sitemap.xml", 200, PUBLIC)],
    "sitemap_section": [Case("/sitemap-tags.xml", 200, PUBLIC)],
    "sitemap_month": [
        Case("{month_sitemap}", 200, PUBLIC),
        Case("/sitemap-bai-viet-2000-01.xml", 404, PUBLIC),
    ],
    "old_article_sitemap": [Case("/sitemap-articles.xml?p=2", 301, PUBLIC)],
    "news_sitemap": [Case("/sitemap-news.xml", 200, PUBLIC)],
    "admin/r/<int:content_type_id>/<path:object_id>/": [
        Case("{view_on_site}", 302, NO_STORE),
    ],
    MEDIA: [Case("/media/khong-co.jpg", 404, PUBLIC)],
    NO_ROUTE: [
        Case("/khong/co/trang/nay/", 404, PUBLIC),  # the generic "not found" page
        Case("/tag/them-dau-gach", 301, PUBLIC),  # CommonMiddleware's slash redirect
    ],
    ADMIN: [
        Case("/admin/", 302, NO_STORE, staff_status=200),
        Case("/admin/login/", 200, NO_STORE, staff_status=302),
        Case("/admin/jsi18n/", 302, NO_STORE, staff_status=200),
        Case("/admin/articles/article/", 302, NO_STORE, staff_status=200),
        Case("/admin/khong-co/", 302, NO_STORE, staff_status=404),
    ],
}


def route_key(route, namespace, pattern):
    if namespace.split(":")[0] == "admin":
        return ADMIN
    if pattern.name:
        return f"{namespace}:{pattern.name}" if namespace else pattern.name
    return route


# Issue 11: a public page may also be served stale while revalidating or on errors.
STALE = {"stale-while-revalidate=30", "stale-if-error=86400"}


def directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def vary(response):
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


class SharingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = make_editor("bientap_cache")
        section = make_section("Thời sự", slug="thoi-su")
        contributor = make_contributor("Trần Quốc", slug="tran-quoc")
        cls.article = make_article(
            headline="Phối hợp đảm bảo an ninh trật tự", section=section, tags=["An ninh"]
        )
        add_credit(cls.article, contributor)
        cls.published_comment = make_comment(cls.article, status="published", body="Đã đọc.")
        cls.held_comment = make_comment(cls.article, body="Bình luận của riêng tôi, chờ duyệt.")
        withdrawn = make_article(section=section)
        Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.WITHDRAWN)
        draft = make_article(section=section, status=Article.Status.DRAFT, published_at=None)
        revision = draft.record_revision(cls.editor)
        ShareLink.objects.create(
            article=draft, revision=revision, token_hash=ShareLink.hash_token("token-cache"),
            created_by=cls.editor, expires_at=timezone.now() + timedelta(days=7),
        )
        content_type = ContentType.objects.get_for_model(Article)
        month = timezone.localtime(cls.article.published_at)
        cls.urls = {
            "article": cls.article.get_absolute_url(),
            "article_wrong_slug": f"/sai-a{cls.article.pk}.html",
            "article_id": cls.article.pk,
            "month_sitemap": f"/sitemap-bai-viet-{month:%Y-%m}.xml",
            "withdrawn": withdrawn.get_absolute_url(),
            "section": section.get_absolute_url(),
            "tag": reverse("articles:tag", args=[cls.article.tags.get().slug]),
            "contributor": reverse("articles:contributor", args=[contributor.slug]),
            "share_link": reverse("articles:shared_preview", args=["token-cache"]),
            "thread": reverse("comments:thread", args=[cls.article.pk]),
            "report": reverse("comments:report", args=[cls.published_comment.pk]),
            "view_on_site": reverse("admin:view_on_site", args=[content_type.pk, cls.article.pk]),
        }

    def reader(self, reader):
        client = Client()
        if reader == PENDING:
            # The cookie as the site gives it after a held comment (comments.reading).
            response = HttpResponse()
            reading.remember_pending(RequestFactory().get("/"), response, self.held_comment)
            client.cookies[reading.PENDING_COOKIE] = response.cookies[
                reading.PENDING_COOKIE
            ].value
        elif reader == ENGLISH:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        elif reader == STAFF:
            client.force_login(self.editor)
        return client

    def assert_answer(self, response, answer):
        said, varies = directives(response), vary(response)
        if answer == PUBLIC:
            max_age = settings.NEWSROOM["CACHE_MAX_AGE"]
            self.assertEqual(said, {"public", f"max-age={max_age}", *STALE})
            self.assertIn("cookie", varies)
            self.assertFalse(response.cookies)
        elif answer == PRIVATE:
            self.assertEqual(said, {"private", "no-cache"})
            self.assertIn("cookie", varies)
        else:
            self.assertIn("private", said)
            self.assertIn("no-store", said)
            self.assertNotIn("public", said)
        # Vietnamese for every browser: no page depends on the browser's language.
        self.assertNotIn("accept-language", varies)


class SharingMatrixTests(SharingTestCase):
    def test_every_url_has_cases(self):
        routes = {route_key(*leaf) for leaf in leaf_patterns(get_resolver().url_patterns)}
        missing = routes - set(CASES)
        self.assertFalse(missing, f"URLs without a caching case: {missing}")
        self.assertLessEqual(set(CASES) - routes, {NO_ROUTE, MEDIA}, "cases for no URL")
        # Every URL outside the admin declares its answer where it is routed.
        for route, namespace, pattern in leaf_patterns(get_resolver().url_patterns):
            if route_key(route, namespace, pattern) != ADMIN:
                with self.subTest(route):
                    self.assertIn(getattr(pattern.callback, "sharing", None),
                                  {PUBLIC, PRIVATE, NO_STORE})

    def test_answers_for_each_reader(self):
        cells = 0
        for key, cases in CASES.items():
            for case in cases:
                url = case.url.format(**self.urls)
                for reader in READERS:
                    with self.subTest(f"{reader} × {case.method} {url} ({key})"):
                        client = self.reader(reader)
                        response = getattr(client, case.method.lower())(url)
                        status = case.staff_status if reader == STAFF else None
                        self.assertEqual(response.status_code, status or case.status)
                        self.assert_answer(response, case.expected(reader))
                    cells += 1
        self.assertEqual(cells, len(READERS) * sum(map(len, CASES.values())))

    def test_the_readers_are_who_they_say(self):
        """The cookies and the login above are the real thing: each reader's page differs."""
        article = self.urls["article"]
        self.assertNotContains(self.reader(ANONYMOUS).get(article), self.held_comment.body)
        self.assertContains(self.reader(PENDING).get(article), self.held_comment.body)
        english = self.reader(ENGLISH).get("/")
        self.assertContains(english, '<html lang="en">')
        self.assertEqual(english["Content-Language"], "en")
        self.assertEqual(self.reader(STAFF).get("/admin/").status_code, 200)


class ReaderStateTests(SharingTestCase):
    def test_the_browsers_language_is_not_followed(self):
        """Vietnamese for every browser until the reader chooses: Accept-Language changes
        neither the page nor its sharing (Django's LocaleMiddleware followed it and added
        it to Vary)."""
        response = Client(headers={"accept-language": "en-US,en;q=0.9"}).get("/")
        self.assertContains(response, '<html lang="vi">')
        self.assertEqual(response["Content-Language"], "vi")
        self.assert_answer(response, PUBLIC)
        client = self.reader(ENGLISH)
        response = client.get("/", headers={"accept-language": "vi"})
        self.assertContains(response, '<html lang="en">')
        self.assert_answer(response, PRIVATE)

    def test_choosing_vietnamese_again_makes_pages_shareable(self):
        client = self.reader(ENGLISH)
        self.assert_answer(client.get("/ngon-ngu/vi/?next=/"), NO_STORE)
        response = client.get("/")
        self.assertContains(response, '<html lang="vi">')
        self.assert_answer(response, PUBLIC)

    def test_an_unknown_language_cookie_is_vietnamese(self):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        response = client.get("/")
        self.assertContains(response, '<html lang="vi">')
        self.assert_answer(response, PUBLIC)

    def test_unrelated_cookies_leave_pages_shareable(self):
        """A CSRF cookie from an earlier comment, an analytics cookie: the page does not
        depend on them, so it stays public (Vary: Cookie tells caches it varies)."""
        client = Client()
        client.cookies["csrftoken"] = "x" * 32
        client.cookies["_ga"] = "GA1.1.123.456"
        response = client.get(self.urls["article"])
        self.assert_answer(response, PUBLIC)
        self.assertNotIn("csrftoken", response.cookies)

    def test_posting_a_comment_sets_the_cookie_and_is_never_stored(self):
        client = Client()
        response = client.post(
            reverse("comments:post", args=[self.article.pk]), form_data(), REMOTE_ADDR="1.2.3.4"
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn(reading.PENDING_COOKIE, response.cookies)
        self.assert_answer(response, NO_STORE)
        self.assert_answer(client.get(self.urls["article"]), PRIVATE)
        self.assert_answer(client.get("/"), PRIVATE)

    def test_max_age_is_the_setting(self):
        with override_settings(NEWSROOM={**settings.NEWSROOM, "CACHE_MAX_AGE": 300}):
            response = Client().get(self.urls["article"])
        self.assertEqual(directives(response), {"public", "max-age=300", *STALE})


# A shared cache in front of the site -----------------------------------------------------------

EDGE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "edge": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "edge"},
}


# Django's cache middleware outside everything else: a stored answer is served without
# reaching the site, as a CDN serves it.
EDGE_MIDDLEWARE = [
    "django.middleware.cache.UpdateCacheMiddleware",
    "django.middleware.cache.FetchFromCacheMiddleware",
    *settings.MIDDLEWARE,
]


@override_settings(
    CACHES=EDGE,
    CACHE_MIDDLEWARE_ALIAS="edge",
    CACHE_MIDDLEWARE_SECONDS=600,
    MIDDLEWARE=EDGE_MIDDLEWARE,
)
class SharedCacheTests(SharingTestCase):
    def setUp(self):
        caches["edge"].clear()
        caches["default"].clear()  # the comment rate limits

    def retitle(self, headline):
        Article.objects.filter(pk=self.article.pk).update(headline=headline)

    def test_the_public_page_is_shared(self):
        """The cache in front works: a second anonymous reader gets the stored page."""
        self.assertContains(Client().get(self.urls["article"]), self.article.headline)
        self.retitle("Tít đã sửa")
        self.assertContains(Client().get(self.urls["article"]), self.article.headline)

    def test_a_held_comment_is_never_shown_to_another_reader(self):
        author = Client()
        response = author.post(
            reverse("comments:post", args=[self.article.pk]),
            form_data(body="Ý kiến riêng của tôi, đang chờ duyệt."),
            REMOTE_ADDR="1.2.3.4",
        )
        self.assertEqual(response.status_code, 302)
        self.assertContains(author.get(self.urls["article"]), "Ý kiến riêng của tôi")
        self.assertNotContains(Client().get(self.urls["article"]), "Ý kiến riêng của tôi")
        # The anonymous page is stored now; its author still sees their own comment.
        self.assertContains(author.get(self.urls["article"]), "Ý kiến riêng của tôi")

    def test_languages_never_mix(self):
        english = self.reader(ENGLISH)
        self.assertContains(english.get("/"), '<html lang="en">')
        self.assertContains(Client().get("/"), '<html lang="vi">')
        self.assertContains(english.get("/"), '<html lang="en">')
        self.assertContains(Client(headers={"accept-language": "en"}).get("/"), '<html lang="vi">')

    def test_a_logged_in_page_is_not_stored_and_not_served_from_the_store(self):
        staff = self.reader(STAFF)
        self.assertContains(staff.get(self.urls["article"]), self.article.headline)
        self.retitle("Tít thứ hai")
        self.assertContains(Client().get(self.urls["article"]), "Tít thứ hai")  # stored now
        self.retitle("Tít thứ ba")
        self.assertContains(staff.get(self.urls["article"]), "Tít thứ ba")

    def test_previews_and_tokens_are_never_stored(self):
        """Each request reaches the site: the share link counts both views, and every
        answer carrying a CSRF token carries a new one."""
        for _ in range(2):
            self.assertEqual(Client().get(self.urls["share_link"]).status_code, 200)
        self.assertEqual(ShareLink.objects.get().view_count, 2)
        for url in ("/binh-luan/token/", self.urls["report"]):
            with self.subTest(url):
                first, second = Client().get(url), Client().get(url)
                self.assertIn("csrftoken", second.cookies)
                self.assertNotEqual(first.content, second.content)
