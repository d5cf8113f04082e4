"""The reader's paper (issue 14): home as a front page, lists with their sapo,
the menu's current section, the article's breadcrumb and related fallback, one
search landmark on every page, suggestions on "not found", and lang="vi" on the
content of English pages."""

import re
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import views
from articles.models import Article
from tests.articles.test_page_cache import publishable
from tests.factories import add_photo, make_article, make_photo, make_section


def article_links(html):
    """The article addresses that home's headlines link to, in order."""
    found = re.findall(r'<h[23] class="item__headline"><a href="([^"]+)"', html)
    found += re.findall(r'class="latest-list__link" href="([^"]+)"', html)
    return found


class HomeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.sections = [make_section(name) for name in ("Thời sự", "Kinh tế", "Thể thao")]
        now = timezone.now()
        photo = make_photo()
        cls.articles = []
        for i in range(30):
            article = make_article(
                headline=f"Bài trang chủ {i}",
                section=cls.sections[i % 3],
                published_at=now - timedelta(minutes=100 - i),
            )
            add_photo(article, photo, is_lead=True)
            cls.articles.append(article)

    def test_no_article_twice_and_every_part_there(self):
        html = self.client.get("/").content.decode()
        links = article_links(html)
        top = 1 + views.HOME_SECONDARY + views.HOME_LATEST
        self.assertEqual(len(links), len(set(links)), "an article shown twice")
        self.assertGreater(len(links), top)  # the section blocks have rows too
        self.assertIn(self.articles[-1].get_absolute_url(), links[0])  # the lead: the newest
        self.assertEqual(html.count('class="item item--stacked item--with-photo"'), 4)
        self.assertIn('<a href="/tin-moi-nhat/">Xem thêm tin mới</a>', html)
        self.assertIn('<a href="/" aria-current="page">', html)
        self.assertNotIn("overflow", html)  # no inline scroll box

    def test_the_latest_list_page(self):
        response = self.client.get("/tin-moi-nhat/")
        self.assertContains(response, "<h1 class=\"page-title\">Tin mới nhất</h1>", html=False)
        self.assertContains(response, self.articles[-1].headline)
        self.assertContains(response, "Xem tiếp")  # 30 articles, 20 a page
        self.assertIn("home", response["xkey"].split())


class ListAndArticleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.parent = make_section("Địa phương")
        cls.child = make_section("Huyện Phú Khánh", parent=cls.parent)
        cls.older = make_article(
            headline="Bài cũ cùng chuyên mục", section=cls.child,
            published_at=timezone.now() - timedelta(days=2),
        )
        cls.article = make_article(
            headline="Bài không có thẻ chung", section=cls.child, lead="Sapo của bài.",
            tags=["Thẻ riêng"],
        )
        add_photo(cls.older, make_photo(), is_lead=True)

    def test_lists_show_the_sapo_beside_the_thumbnail_under_h2_items(self):
        for url in (self.child.get_absolute_url(), "/tag/the-rieng/"):
            with self.subTest(url):
                html = self.client.get(url).content.decode()
                self.assertIn('<p class="item__lead">Sapo của bài.</p>', html)
                self.assertIn('<h2 class="item__headline">', html)
                self.assertNotIn("<h3", html.split("<main", 1)[1].split("</main>")[0])

    def test_the_current_section_is_marked_in_the_menu(self):
        for url in (self.child.get_absolute_url(), self.article.get_absolute_url()):
            with self.subTest(url):
                html = self.client.get(url).content.decode()
                self.assertIn(f'href="{self.parent.get_absolute_url()}" aria-current="page"', html)
                self.assertEqual(html.count('aria-current="page"'), 1)

    def test_breadcrumb_and_related_from_the_section_when_no_tag_is_shared(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        crumbs = html.split('class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
        positions = [crumbs.find(text) for text in ("Trang chủ", "Địa phương", "Huyện Phú Khánh")]
        self.assertNotIn(-1, positions)
        self.assertEqual(positions, sorted(positions))
        related = html.split('class="related"', 1)[1].split("</section>", 1)[0]
        self.assertIn("Bài cũ cùng chuyên mục", related)

    def test_the_rail(self):
        html = self.client.get(self.older.get_absolute_url()).content.decode()
        rail = html.split('class="rail"', 1)[1]
        for title in ("Tin mới", "Cùng chuyên mục"):
            self.assertIn(f">{title}</h2>", rail)
        self.assertIn("Bài không có thẻ chung", rail)
        self.assertNotIn("Bài cũ cùng chuyên mục", rail)  # not the article itself


class SearchBoxAndNotFoundTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Tin mới để gợi ý", tags=["An ninh"])
        cls.withdrawn = make_article(headline="Bài đã gỡ", status=Article.Status.WITHDRAWN)

    def test_one_search_landmark_with_a_label_and_a_button_on_every_page(self):
        for url in ("/", "/tim-kiem/?q=an+ninh", "/tim-kiem/", self.article.get_absolute_url(),
                    "/tag/an-ninh/", "/khong-co-trang-nay/", self.withdrawn.get_absolute_url()):
            with self.subTest(url):
                html = self.client.get(url).content.decode()
                self.assertEqual(html.count('role="search"'), 1)
                self.assertIn('<label class="visually-hidden" for="masthead-q">', html)
                self.assertIn('<button class="search-box__button" type="submit">Tìm</button>', html)

    def test_not_found_and_gone_suggest_the_latest_articles(self):
        for url, status in (("/khong-co-trang-nay/", 404),
                            (self.withdrawn.get_absolute_url(), 410)):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, status)
                self.assertContains(response, "Tin mới để gợi ý", status_code=status)
                self.assertContains(response, 'id="error-q"', status_code=status)
                self.assertNotContains(response, "Bài đã gỡ</a>", status_code=status)


class ContentLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(
            headline="Phối hợp đảm bảo an ninh", section=make_section("Thời sự")
        )

    def test_vietnamese_content_in_english_pages_says_so(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertIn('<html lang="en">', html)
        self.assertIn('<h1 class="article__headline" lang="vi">Phối hợp đảm bảo an ninh</h1>', html)
        home = self.client.get("/").content.decode()
        self.assertIn('lang="vi">Thời sự</a>', home)  # the menu's section names

    def test_not_on_vietnamese_pages(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertIn('<html lang="vi">', html)
        self.assertNotIn('lang="vi">Phối hợp', html)


class RailFragmentTests(TestCase):
    """The rail is one fragment for the section's articles, made again when an
    article is published (the ``home`` key)."""

    @classmethod
    def setUpTestData(cls):
        cls.section = make_section("Thời sự")
        cls.article = make_article(headline="Bài đang đọc", section=cls.section, tags=["A"])
        cls.neighbour = make_article(headline="Bài bên cạnh", section=cls.section, tags=["A"])

    def test_made_once_for_the_section_and_again_after_a_publication(self):
        on = override_settings(NEWSROOM={**settings.NEWSROOM, "FRAGMENT_CACHE_SECONDS": 3600})
        with on:
            self.client.get(self.article.get_absolute_url())
            # The neighbour's page: its own content is made, the rail is the kept one.
            with CaptureQueriesContext(connection) as queries:
                html = self.client.get(self.neighbour.get_absolute_url()).content.decode()
            self.assertFalse([q for q in queries if "articles_mostread" in q["sql"]])
            self.assertIn("Bài đang đọc", html.split('class="rail"', 1)[1])
            self.assertNotIn("Bài bên cạnh", html.split('class="rail"', 1)[1])

            fresh = publishable(headline="Bài vừa đăng", section=self.section, tags=["A"])
            with self.captureOnCommitCallbacks(execute=True):
                fresh.publish_by_command("thu", "đăng")
            html = self.client.get(self.article.get_absolute_url()).content.decode()
            self.assertIn("Bài vừa đăng", html.split('class="rail"', 1)[1])
