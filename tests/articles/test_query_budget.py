"""Public pages run a fixed number of queries however many rows they show."""

from django.core.cache import cache
from django.test import TestCase

from articles import views
from articles.models import Correction
from articles.navigation import MENU_KEY, nav_sections
from articles.views import keyset_token
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_photo,
    make_section,
)

# Issue 11: the article in at most five queries. The section menu is read once
# and then from the cache until a section changes (articles/navigation.py).
# Issue 14 adds the rail (a fragment shared by the section's articles): its
# ranking "Đọc nhiều" and the newest articles of the site and of the section.
RAIL_QUERIES = 2  # the MostRead rows with their articles; both lists of newest
ARTICLE_PAGE_QUERIES = 5 + RAIL_QUERIES  # article + tags, related, credits, photos of both, menu
CORRECTED_ARTICLE_QUERIES = 5 + RAIL_QUERIES  # article + tags, related, credits, photos, fixes
LIST_PAGE_QUERIES = 3  # section, page (by time, no count), lead photos (the menu cached)
HOME_QUERIES = 4  # latest + lead photos, section blocks + lead photos (the menu cached)


def build_site(n):
    """A section with ``n + 1`` articles, each with ``n`` credits, tags and photos
    (so each article also has ``n`` related articles)."""
    section = make_section(f"Chuyên mục {n}")
    photo = make_photo()
    tags = [f"Thẻ {n}-{i}" for i in range(n)]
    articles = []
    for i in range(n + 1):
        article = make_article(headline=f"Bài {n}-{i}", section=section, tags=tags)
        for j in range(n):
            add_credit(
                article, make_contributor(f"Người {n}-{i}-{j}"), "Bài" if j % 2 else "Ảnh", order=j
            )
            add_photo(article, photo, is_lead=(j == 0), after_paragraph=j, order=j)
        articles.append(article)
    return section, articles


class QueryBudgetTests(TestCase):
    def assert_same_queries(self, expected, urls, *, menu_cached=True):
        for url in urls:
            if menu_cached:
                nav_sections()
            else:
                cache.delete(MENU_KEY)
            with self.subTest(url), self.assertNumQueries(expected):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)

    def test_article_page(self):
        for n in (1, 20):
            _section, articles = build_site(n)
            self.assert_same_queries(
                ARTICLE_PAGE_QUERIES, [articles[0].get_absolute_url()], menu_cached=False
            )

    def test_article_page_with_corrections_and_the_menu_cached(self):
        for n in (1, 20):
            _section, articles = build_site(n)
            url = articles[0].get_absolute_url()
            Correction.objects.create(article=articles[0], text=f"Sửa {n}.")
            self.assert_same_queries(CORRECTED_ARTICLE_QUERIES, [url])
            self.assertContains(self.client.get(url), f"Sửa {n}.")

    def test_the_menu_is_read_once_until_a_section_changes(self):
        section, articles = build_site(1)
        url = articles[0].get_absolute_url()
        self.client.get(url)
        with self.assertNumQueries(ARTICLE_PAGE_QUERIES - 1):
            self.client.get(url)
        section.name = "Chuyên mục mới tên"
        section.save()
        with self.assertNumQueries(ARTICLE_PAGE_QUERIES):
            self.assertContains(self.client.get(url), "Chuyên mục mới tên")
        make_section("Chuyên mục vừa thêm")
        self.assertContains(self.client.get("/"), "Chuyên mục vừa thêm")

    def test_section_page(self):
        for n in (1, 20):
            section, articles = build_site(n)
            deeper = f"?truoc={keyset_token(articles[-1].published_at, articles[-1].pk)}"
            url = section.get_absolute_url()
            self.assert_same_queries(LIST_PAGE_QUERIES, [url, url + deeper])

    def test_tag_and_contributor_pages(self):
        for n in (1, 20):
            _section, articles = build_site(n)
            tag = articles[0].tags.first()
            contributor = articles[0].credits.first().contributor
            self.assert_same_queries(
                LIST_PAGE_QUERIES, [tag.get_absolute_url(), contributor.get_absolute_url()]
            )

    def test_home_page(self):
        for n in (1, 20):
            build_site(n)
            make_section(f"Chuyên mục trống {n}")
            # More articles than the top of home shows, so that the section blocks
            # (which repeat none of them) have rows at both sizes.
            for i in range(views.HOME_LATEST + views.HOME_SECONDARY + 1):
                make_article(headline=f"Bài thêm {n}-{i}", section=make_section(f"Mục {n}-{i}"))
            self.assert_same_queries(HOME_QUERIES, ["/"])
