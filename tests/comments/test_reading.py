"""Reading comments: the block under an article, keyset pages, replies, the
count on list pages, a fixed query budget, and text that never runs (T3, T6)."""

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, CommentsMode
from articles.views import render_article
from comments import moderation, reading
from comments.models import Comment
from comments.templatetags.comment_tags import comment_text
from tests.articles.test_query_budget import LIST_PAGE_QUERIES
from tests.comments.test_posting import newsroom_settings, post
from tests.factories import make_article, make_section

Status = Comment.Status
MORE_LINK = re.compile(r'href="(/binh-luan/\d+/\?truoc=[^"#]+)#binh-luan"')
COMMENT_ID = re.compile(r'id="binh-luan-(\d+)"')
# An article without tags or photos: article with its tags, credits, photos,
# section menu (read once, then cached); since issue 14 also "Tin liên quan"
# from its section (it shares no tag) and the rail ("Đọc nhiều", the newest
# articles); comments add two: a page of top-level comments and all their
# replies.
ARTICLE_PAGE_QUERIES = 7
COMMENTED_ARTICLE_QUERIES = ARTICLE_PAGE_QUERIES + 2


def seed(article, n, *, replies=0, same_time_every=1, start=None):
    """``n`` published top-level comments on ``article`` (one second apart, or
    ``same_time_every`` of them sharing a time), each of the newest 25 with
    ``replies`` published replies; bulk-created, count kept right."""
    start = start or timezone.now() - timedelta(minutes=5)
    tops = Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Bạn đọc {i}",
            body=f"Ý kiến số {i}",
            status=Status.PUBLISHED,
            client_hash="c" * 64,
            body_hash=f"{i:064d}",
            created_at=start - timedelta(seconds=i // same_time_every),
        )
        for i in range(n)
    )
    children = Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=top,
            name=f"Người trả lời {j}",
            body=f"Trả lời {j} cho {top.name}",
            status=Status.PUBLISHED,
            client_hash="d" * 64,
            body_hash="e" * 64,
            created_at=top.created_at + timedelta(seconds=j + 1),
        )
        for top in tops[:25]
        for j in range(replies)
    )
    Article.objects.filter(pk=article.pk).update(comment_count=len(tops) + len(children))
    return tops, children


def top_level_ids(html):
    """Ids of the top-level comments in a page, in order (replies skipped)."""
    ids, depth = [], 0
    tags = r'<article class="comment[^"]*" id="binh-luan-(\d+)"|</article>'
    for match in re.finditer(tags, html):
        if match[1]:
            if depth == 0:
                ids.append(int(match[1]))
            depth += 1
        elif depth:
            depth -= 1
    return ids


class BlockTests(TestCase):
    def setUp(self):
        cache.clear()
        self.article = make_article()

    def test_published_comments_with_name_time_text_and_replies(self):
        at = datetime(2026, 1, 10, 2, 30, tzinfo=UTC)
        tops, _replies = seed(self.article, 2, replies=2, start=at)
        hidden = moderation.create(
            article=self.article, parent=tops[0], name="Ẩn", body="Chưa duyệt",
            status=Status.PENDING, client_hash="f" * 64, body_hash="f" * 64,
        )
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertIn("Bạn đọc 0", html)
        self.assertIn("10/01/2026 - 09:30", html)  # Asia/Ho_Chi_Minh
        self.assertIn("Ý kiến số 1", html)
        first, second = "Trả lời 0 cho Bạn đọc 0", "Trả lời 1 cho Bạn đọc 0"
        self.assertLess(html.index(first), html.index(second))
        self.assertNotIn(hidden.body, html)
        self.assertIn('<span class="comments__count">(6)</span>', html)
        self.assertEqual(top_level_ids(html), [tops[0].pk, tops[1].pk])

    def test_fixed_number_of_queries_however_many_comments(self):
        for n in (3, 10_000):
            with self.subTest(comments=n):
                article = make_article()
                seed(article, n, replies=3)
                with self.assertNumQueries(COMMENTED_ARTICLE_QUERIES):
                    response = self.client.get(article.get_absolute_url())
                self.assertEqual(response.content.count(b"data-more"), int(n > 20))

    def test_no_comment_query_on_an_article_without_comments(self):
        with self.assertNumQueries(ARTICLE_PAGE_QUERIES):
            self.client.get(self.article.get_absolute_url())

    def test_the_pending_echo_costs_one_query(self):
        seed(self.article, 30, replies=2)
        post(self.client, self.article)
        with self.assertNumQueries(COMMENTED_ARTICLE_QUERIES + 1):
            response = self.client.get(self.article.get_absolute_url())
        # Only the reader's own comment carries the mark, not the published ones.
        self.assertContains(response, "đang chờ duyệt", count=1)
        self.assertContains(response, "comment--pending", count=1)

    def test_count_on_list_pages_without_extra_queries(self):
        section = make_section("Xã hội")
        commented = make_article(section=section, headline="Có bình luận")
        make_article(section=section, headline="Chưa có")
        seed(commented, 3)
        with self.assertNumQueries(LIST_PAGE_QUERIES + 1):  # and the section menu
            response = self.client.get(section.get_absolute_url())
        self.assertContains(response, "3 bình luận", count=1)
        self.assertContains(response, f'href="{commented.get_absolute_url()}#binh-luan"')

    def test_preview_shows_no_comment_block(self):
        seed(self.article, 2)
        request = RequestFactory().get("/")
        request.user = mock.Mock(is_authenticated=False)
        response = render_article(
            request, self.article, credits=[], tags=[], photo_uses=[], preview=True
        )
        self.assertNotContains(response, "gui-binh-luan")
        self.assertNotContains(response, "Ý kiến số 0")

    def test_closed_block_still_shows_the_comments_without_the_form(self):
        seed(self.article, 2)
        Article.objects.filter(pk=self.article.pk).update(comments_mode=CommentsMode.CLOSED)
        response = self.client.get(self.article.get_absolute_url())
        self.assertContains(response, "Ý kiến số 0")
        self.assertNotContains(response, 'id="gui-binh-luan"')
        self.assertNotContains(response, "data-reply=")


class PaginationTests(TestCase):
    def setUp(self):
        self.article = make_article()

    def walk(self, first_url):
        """Follow "Xem thêm bình luận" from ``first_url`` to the end."""
        url, pages = first_url, []
        while url:
            with CaptureQueriesContext(connection) as queries:
                html = self.client.get(url).content.decode()
            self.assertFalse(any("OFFSET" in q["sql"].upper() for q in queries.captured_queries))
            pages.append(top_level_ids(html))
            more = MORE_LINK.search(html)
            url = more[1].replace("&amp;", "&") if more else None
        return pages

    def test_keyset_pages_newest_first_with_ties_on_time(self):
        tops, _ = seed(self.article, 45, same_time_every=4)
        expected = [c.pk for c in sorted(tops, key=lambda c: (c.created_at, c.pk), reverse=True)]
        pages = self.walk(self.article.get_absolute_url())
        self.assertEqual([len(page) for page in pages], [20, 20, 5])
        self.assertEqual([pk for page in pages for pk in page], expected)

    def test_page_size_setting(self):
        seed(self.article, 7)
        with newsroom_settings(PAGE_SIZE=3):
            pages = self.walk(self.article.get_absolute_url())
        self.assertEqual([len(page) for page in pages], [3, 3, 1])

    def test_more_link_page_works_without_javascript(self):
        seed(self.article, 25)
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        url = MORE_LINK.search(html)[1]
        page = self.client.get(url)
        self.assertContains(page, "<html", html=False)
        self.assertContains(page, "Ý kiến số 24")
        self.assertNotContains(page, "Ý kiến số 19<")
        self.assertContains(page, 'name="robots" content="noindex, follow"')

    def test_fragment_for_javascript(self):
        seed(self.article, 25)
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        response = self.client.get(MORE_LINK.search(html)[1] + "&fragment=1")
        self.assertNotContains(response, "<html")
        self.assertContains(response, "Ý kiến số 20")

    def test_bad_cursor_is_404(self):
        url = reverse("comments:thread", args=[self.article.pk])
        for cursor in ("abc", "1.2.3", "9" * 30 + ".1", ""):
            with self.subTest(cursor=cursor):
                self.assertEqual(self.client.get(url, {"truoc": cursor}).status_code, 404)

    def test_unpublished_article_has_no_thread(self):
        draft = make_article(status=Article.Status.DRAFT)
        seed(draft, 2)
        response = self.client.get(reverse("comments:thread", args=[draft.pk]))
        self.assertEqual(response.status_code, 404)

    def test_replies_in_one_query_capped_per_comment(self):
        tops, _ = seed(self.article, 3, replies=5)
        with mock.patch.object(reading, "REPLIES_SHOWN", 3), self.assertNumQueries(2):
            page = reading.comments_page(self.article)
        first = page.comments[0]
        self.assertEqual([r.body for r in first.shown_replies][0], f"Trả lời 0 cho {first.name}")
        self.assertEqual(len(first.shown_replies), 3)
        self.assertEqual(first.more_replies, 2)
        with mock.patch.object(reading, "REPLIES_SHOWN", 3):
            html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertIn("Còn 2 trả lời khác.", html)


class TextRenderingTests(TestCase):
    def test_escaped_with_line_breaks(self):
        self.assertEqual(
            comment_text("<b>Đậm</b> & \"x\"\r\ndòng hai"),
            "&lt;b&gt;Đậm&lt;/b&gt; &amp; &quot;x&quot;<br>dòng hai",
        )

    def test_links_are_plain_text_by_default(self):
        self.assertNotIn("<a", comment_text("Xem https://example.com/trang"))

    def test_links_when_allowed(self):
        with newsroom_settings(ALLOW_LINKS=True):
            self.assertEqual(
                comment_text("Xem https://example.com/a?b=1&c=2."),
                'Xem <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
                "https://example.com/a?b=1&amp;c=2</a>.",
            )
            for text in (
                "javascript:alert(1)",
                "ftp://example.com",
                'https://x.com/"onmouseover="alert(1)',
                "https://x.com/'><script>alert(1)</script>",
                "http://",
            ):
                with self.subTest(text=text):
                    html = comment_text(text)
                    self.assertNotIn("<script", html)
                    self.assertNotIn('"onmouseover', html)
                    self.assertNotIn('href="javascript', html)
                    self.assertEqual(len(Sinks.scan(f"<p>{html}</p>")), 0, html)

    def test_pathological_input_is_escaped_text(self):
        """Input built to make link and entity filters backtrack comes out as the
        same text, escaped. How long it takes is bench/filter_bench.py's figure
        (under 100 ms), never a timing assertion here."""
        hostile = "https://" + "a." * 20_000 + "&quot;" * 5_000 + "(" * 5_000
        with newsroom_settings(ALLOW_LINKS=True):
            html = comment_text(hostile)
        self.assertIn("&amp;quot;" * 5_000, html)
        self.assertIn("(" * 5_000, html)
        self.assertEqual(Sinks.scan(f"<p>{html}</p>"), [])


class Sinks(HTMLParser):
    """Executable output in a page: scripts other than our own static files,
    event-handler attributes, javascript: URLs, frames and plugins."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    @classmethod
    def scan(cls, html):
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.found

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        # A JSON-LD block is data, not a script (escaping: tests/articles/test_discovery.py).
        data_block = values.get("type") == "application/ld+json" and "src" not in values
        if (
            tag == "script"
            and not data_block
            and not (values.get("src") or "").startswith("/static/js/")
        ):
            self.found.append(f"<script {attrs}>")
        if tag in ("iframe", "object", "embed", "frame", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r}")
            plain = re.sub(r"[\s\x00-\x20]", "", value or "").lower()
            if name in self.URL_ATTRIBUTES and plain.startswith(("javascript:", "vbscript:")):
                self.found.append(f"{tag} {name}={value!r}")

    handle_startendtag = handle_starttag


class XssTests(TestCase):
    """Every payload as name and as text, through the real view: the pending
    echo, the refusal page, the JSON fragment and the public page after
    publishing hold no executable output (security.md B5)."""

    def test_the_scanner_finds_sinks(self):
        for html in (
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            '<a href=" JaVa\tscript:alert(1)">x</a>',
            "<iframe src=//evil></iframe>",
        ):
            with self.subTest(html=html):
                self.assertTrue(Sinks.scan(html))
        self.assertFalse(Sinks.scan('<script src="/static/js/comments.js" defer></script>'))

    def assert_clean(self, html, payload):
        self.assertEqual(Sinks.scan(html), [], f"payload: {payload!r}")

    def test_payloads(self):
        from tests.comments.payloads import XSS_PAYLOADS

        cache.clear()
        self.assertGreaterEqual(len(XSS_PAYLOADS), 50)
        article = make_article()
        limits = {"RATE_PER_CLIENT": "100000/60", "RATE_PER_ARTICLE": "100000/60"}
        with newsroom_settings(ALLOW_LINKS=True, PAGE_SIZE=1000, **limits):
            for i, payload in enumerate(XSS_PAYLOADS):
                for field, other in (("body", "name"), ("name", "body")):
                    data = {field: payload, other: f"Bạn đọc {i}" if other == "name" else "Ý kiến"}
                    client = Client()
                    addr = f"10.{i // 200}.{i % 200}.{1 if field == 'body' else 2}"
                    response = post(client, article, addr=addr, **data)
                    if response.status_code == 302:
                        response = client.get(article.get_absolute_url())
                    self.assert_clean(response.content.decode(), payload)
                    answer = post(Client(), article, addr=addr + "0", headers={
                        "HTTP_ACCEPT": "application/json"
                    }, **data).json()
                    self.assert_clean(answer.get("html") or answer.get("form", ""), payload)
            stored = list(Comment.objects.filter(article=article))
            self.assertTrue(stored)
            for comment in stored:
                comment.moderate(Status.PUBLISHED, note="xss test")
            for url in (article.get_absolute_url(), reverse("comments:thread", args=[article.pk])):
                self.assert_clean(Client().get(url).content.decode(), "all, published")
            with newsroom_settings(ALLOW_LINKS=False, PAGE_SIZE=1000):
                self.assert_clean(
                    Client().get(article.get_absolute_url()).content.decode(), "links off"
                )
