"""The Content-Security-Policy header on every page, and public pages that need
nothing inline (README "Content-Security-Policy"). The browser's own verdict is
in tests/e2e/test_csp.py."""

import re
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings

from tests.factories import add_credit, add_photo, make_article, make_comment, make_photo

PUBLIC_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class InlineCode(HTMLParser):
    """What a page runs or styles inline: script elements without a source
    (data blocks such as JSON-LD aside), on* handlers, style elements and
    attributes, javascript: URLs."""

    DATA_TYPES = {"application/ld+json", "application/json", "importmap"}

    def __init__(self):
        super().__init__()
        self.found = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name == "style":
                self.found.append(f"<{tag} style>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower(
            ).startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and not attrs.get("src"):
            self._script = attrs.get("type", "")

    def handle_data(self, data):
        if self._script is not None and data.strip() and self._script not in self.DATA_TYPES:
            self.found.append(f"<script> {data.strip()[:40]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


class PublicPolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Phối hợp đảm bảo an ninh", tags=["An ninh"])
        add_credit(cls.article, name="Trần Quốc")
        add_photo(cls.article, make_photo(), is_lead=True)
        make_comment(cls.article, status="published", body="Bài viết rất hay.")

    def public_paths(self):
        return [
            "/",
            self.article.get_absolute_url(),
            self.article.section.get_absolute_url(),
            "/tag/an-ninh/",
            "/tim-kiem/?q=an+ninh",
            "/tim-kiem/?q=",
            f"/binh-luan/{self.article.pk}/",
            "/khong-co-trang-nay/",
        ]

    def test_every_public_page_sends_the_strict_policy(self):
        for path in self.public_paths():
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertIn(response.status_code, (200, 404))
                self.assertEqual(response.headers["Content-Security-Policy"], PUBLIC_POLICY)

    def test_feeds_robots_and_sitemaps_carry_it_too(self):
        for path in ("/rss.xml", "/robots.txt", "/sitemap.xml"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers["Content-Security-Policy"], PUBLIC_POLICY)

    def test_public_pages_run_nothing_inline(self):
        for path in self.public_paths():
            with self.subTest(path=path):
                html = self.client.get(path).content.decode()
                self.assertEqual(inline_code(html), [])
                self.assertNotIn("nonce", html)

    def test_the_article_keeps_its_json_ld_block_as_data(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertRegex(html, r'<script type="application/ld\+json">\{')
        # JSON-LD, share, comments, the read beacon (issue 14)
        self.assertEqual(len(re.findall(r"<script\b", html)), 4)

    def test_finder_catches_what_the_policy_would_refuse(self):
        self.assertEqual(
            inline_code(
                '<script>alert(1)</script><a onclick="x()" href="javascript:x()">a</a>'
                '<p style="color:red"></p><style>p{}</style>'
                '<script type="application/ld+json">{"a": 1}</script><script src="/s.js"></script>'
            ),
            ["<script> alert(1)", "<a onclick>", "<a href=javascript:>", "<p style>", "<style>"],
        )

    @override_settings(DEBUG=False)
    def test_server_error_page_needs_nothing_inline(self):
        from django.template.loader import render_to_string

        self.assertEqual(inline_code(render_to_string("500.html")), [])


class AdminPolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("quantri", password="x")
        cls.article = make_article()

    def test_admin_pages_add_a_fresh_nonce_that_their_inline_blocks_carry(self):
        nonces = set()
        for path in (
            "/admin/login/",
            "/admin/",
            f"/admin/articles/article/{self.article.pk}/change/",
            "/admin/comments/comment/",
        ):
            with self.subTest(path=path):
                response = self.client.get(path)
                if path == "/admin/login/":
                    self.client.force_login(self.admin)
                self.assertEqual(response.status_code, 200)
                policy = response.headers["Content-Security-Policy"]
                nonce = re.search(r"script-src 'self' 'nonce-([\w-]+)'", policy).group(1)
                self.assertIn(f"style-src 'self' 'nonce-{nonce}'", policy)
                self.assertNotIn("unsafe", policy)
                html = response.content.decode()
                # Every inline block has the nonce of this response.
                for block in re.findall(r"<(?:style|script)\b(?![^>]*\bsrc=)[^>]*>", html):
                    self.assertIn(f'nonce="{nonce}"', block)
                nonces.add(nonce)
        self.assertEqual(len(nonces), 4)

    def test_article_form_keeps_the_editor_from_injecting_a_style(self):
        self.client.force_login(self.admin)
        html = self.client.get(f"/admin/articles/article/{self.article.pk}/change/").content
        self.assertRegex(html.decode(), r"<style data-tiptap-style nonce=\"[\w-]+\"></style>")
        self.assertIn(b"newsroom_admin/prosemirror.css", html)

    def test_our_admin_markup_has_no_inline_style(self):
        photo = make_photo()
        add_photo(self.article, photo)
        self.client.force_login(self.admin)
        for path in (
            f"/admin/articles/photo/{photo.pk}/change/",
            "/admin/articles/photo/",
            f"/admin/articles/article/{self.article.pk}/change/",
        ):
            with self.subTest(path=path):
                html = self.client.get(path).content.decode()
                styles = [found for found in inline_code(html) if found.endswith(" style>")]
                self.assertEqual(styles, [])
