"""Public pages run a fixed number of queries however many rows they show."""

from django.test import TestCase

from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_photo,
    make_section,
)

ARTICLE_PAGE_QUERIES = 8  # article, credits, tags, photos, corrections, related + photos, menu
LIST_PAGE_QUERIES = 5  # section, count, page, lead photos, section menu
HOME_QUERIES = 5  # latest + lead photos, section blocks + lead photos, section menu


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
    def assert_same_queries(self, expected, urls):
        for url in urls:
            with self.subTest(url), self.assertNumQueries(expected):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)

    def test_article_page(self):
        for n in (1, 20):
            _section, articles = build_site(n)
            self.assert_same_queries(ARTICLE_PAGE_QUERIES, [articles[0].get_absolute_url()])

    def test_section_page(self):
        for n in (1, 20):
            section, _articles = build_site(n)
            self.assert_same_queries(LIST_PAGE_QUERIES, [section.get_absolute_url()])

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
            self.assert_same_queries(HOME_QUERIES, ["/"])
