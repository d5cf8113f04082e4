"""The article sitemaps by month (articles/sitemaps.py, articles/sitemap_months.py):
the index lists exactly the months with public articles, in the paper's time zone,
each with the latest modification of what its sitemap lists; a month's sitemap lists
exactly its articles; neither grows in queries with the archive. On SQLite and on
PostgreSQL (where the months come from index probes: checked with EXPLAIN)."""

import xml.etree.ElementTree as ET  # our own responses, not untrusted input
from datetime import datetime, timedelta
from unittest import mock, skipUnless

from django.conf import settings
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from articles import sitemap_months
from articles.models import Article, Correction
from tests.factories import make_article, make_section

SITE = settings.NEWSROOM["SITE_URL"].rstrip("/")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def at(*args):
    """A moment in the paper's time zone (Asia/Ho_Chi_Minh, +07:00)."""
    return timezone.make_aware(datetime(*args))


def w3c(moment):
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def month_path(moment):
    return f"/sitemap-bai-viet-{timezone.localtime(moment):%Y-%m}.xml"


class MonthSitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section("Thời sự")

        def article(when, **fields):
            return make_article(section=cls.section, published_at=when, **fields)

        now = timezone.now()
        cls.current = article(now - timedelta(minutes=1))
        # Not public yet: on no page, in no lastmod, even in a listed month.
        cls.future = article(
            now + timedelta(minutes=1),
            status=Article.Status.SCHEDULED,
            updated_at=now + timedelta(minutes=2),
        )
        # 1 December 00:30 in Hà Nội is still 30 November in UTC.
        cls.december = article(at(2025, 12, 1, 0, 30))
        cls.november_last = article(at(2025, 11, 30, 23, 30))
        cls.november_updated = article(at(2025, 11, 3, 8), updated_at=at(2025, 12, 5, 9))
        cls.november_corrected = article(at(2025, 11, 10, 8))
        Correction.objects.create(
            article=cls.november_corrected, text="Sửa.", published_at=at(2025, 12, 20, 10)
        )
        cls.october = article(at(2025, 10, 15, 8))
        # Moved back before its first publication: that is its latest change.
        Article.objects.filter(pk=cls.october.pk).update(first_published_at=at(2025, 10, 20, 8))
        # Scheduled and its time has come: public, before publish_scheduled runs.
        cls.september = article(at(2025, 9, 5, 8), status=Article.Status.SCHEDULED)
        # Months holding only what readers may not see.
        article(at(2025, 8, 10, 8), status=Article.Status.DRAFT)
        withdrawn = article(at(2025, 7, 10, 8), status=Article.Status.WITHDRAWN)
        Correction.objects.create(article=withdrawn, text="Gỡ.", published_at=at(2025, 7, 11))
        article(now + timedelta(days=70), status=Article.Status.SCHEDULED)

    def get_xml(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return ET.fromstring(response.content)  # noqa: S314

    def index_months(self):
        """[(path, lastmod)] of the article sitemaps the index lists, in its order."""
        index = self.get_xml("/sitemap.xml")
        return [
            (sitemap.findtext(f"{SM}loc").removeprefix(SITE), sitemap.findtext(f"{SM}lastmod"))
            for sitemap in index.findall(f"{SM}sitemap")
            if "/sitemap-bai-viet-" in sitemap.findtext(f"{SM}loc")
        ]

    def month_entries(self, path):
        """{article path: lastmod} of a month's sitemap page, in its order."""
        urlset = self.get_xml(path)
        return {
            url.findtext(f"{SM}loc").removeprefix(SITE): url.findtext(f"{SM}lastmod")
            for url in urlset.findall(f"{SM}url")
        }

    def test_the_index_lists_exactly_the_months_with_public_articles(self):
        self.assertEqual(
            self.index_months(),
            [
                (month_path(self.current.published_at), w3c(self.current.published_at)),
                ("/sitemap-bai-viet-2025-12.xml", "2025-12-01T00:30:00+07:00"),
                ("/sitemap-bai-viet-2025-11.xml", "2025-12-20T10:00:00+07:00"),  # the correction
                ("/sitemap-bai-viet-2025-10.xml", "2025-10-20T08:00:00+07:00"),  # first publication
                ("/sitemap-bai-viet-2025-09.xml", "2025-09-05T08:00:00+07:00"),
            ],
        )
        locations = [loc.text for loc in self.get_xml("/sitemap.xml").iter(f"{SM}loc")]
        others = [f"{SITE}/sitemap-sections.xml", f"{SITE}/sitemap-tags.xml"]
        self.assertEqual(locations[-2:], others)

    def test_a_month_lists_exactly_its_articles_in_local_time(self):
        november = self.month_entries("/sitemap-bai-viet-2025-11.xml")
        self.assertEqual(
            list(november),  # oldest first
            [
                self.november_updated.get_absolute_url(),
                self.november_corrected.get_absolute_url(),
                self.november_last.get_absolute_url(),  # 23:30 on the 30th, local time
            ],
        )
        self.assertEqual(
            list(self.month_entries("/sitemap-bai-viet-2025-12.xml")),
            [self.december.get_absolute_url()],  # 00:30 on the 1st: 17:30 on 30 November UTC
        )
        self.assertEqual(
            november[self.november_updated.get_absolute_url()], "2025-12-05T09:00:00+07:00"
        )
        self.assertEqual(
            list(self.month_entries(month_path(self.current.published_at))),
            [self.current.get_absolute_url()],  # not the article scheduled a minute ahead
        )

    def test_each_month_lastmod_is_the_latest_of_its_articles(self):
        for path, lastmod in self.index_months():
            with self.subTest(path):
                self.assertEqual(lastmod, max(self.month_entries(path).values()))
        # A correction moves its month's lastmod, and only that month's.
        Correction.objects.create(article=self.october, text="Sửa.", published_at=at(2026, 1, 2, 9))
        months = dict(self.index_months())
        self.assertEqual(months["/sitemap-bai-viet-2025-10.xml"], "2026-01-02T09:00:00+07:00")
        self.assertEqual(months["/sitemap-bai-viet-2025-11.xml"], "2025-12-20T10:00:00+07:00")

    def test_months_and_pages_without_public_articles_are_not_found(self):
        later = timezone.localtime(timezone.now() + timedelta(days=70))
        for path in (
            "/sitemap-bai-viet-2025-08.xml",  # a draft only
            "/sitemap-bai-viet-2025-07.xml",  # withdrawn only
            f"/sitemap-bai-viet-{later:%Y-%m}.xml",  # scheduled only, not yet due
            "/sitemap-bai-viet-2025-13.xml",
            "/sitemap-bai-viet-0000-01.xml",
            "/sitemap-bai-viet-9999-12.xml",
            "/sitemap-bai-viet-2025-11.xml?sau=khong-phai",
            "/sitemap-bai-viet-2025-11.xml?p=2",
        ):
            with self.subTest(path):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_queries_do_not_grow_with_articles_or_months(self):
        for months in (0, 24):
            Article.objects.bulk_create(
                Article(
                    headline=f"Tin lưu trữ {month}-{i}",
                    slug=f"tin-luu-tru-{month}-{i}",
                    section=self.section,
                    status=Article.Status.PUBLISHED,
                    published_at=at(2020 + month // 12, month % 12 + 1, 10 + i),
                )
                for month in range(months)
                for i in range(5)
            )
            with self.assertNumQueries(3):  # the months; the sections' and the tags' counts
                self.assertEqual(len(self.index_months()), 5 + months)
            with self.assertNumQueries(1):
                self.assertEqual(len(self.month_entries("/sitemap-bai-viet-2025-11.xml")), 3)

    def test_old_article_sitemap_addresses_go_to_the_index(self):
        for path in ("/sitemap-articles.xml", "/sitemap-articles.xml?p=3"):
            with self.subTest(path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 301)
                self.assertEqual(response["Location"], "/sitemap.xml")
                self.assertIn("public", response["Cache-Control"])

    def test_a_month_over_the_limit_is_split_by_time_not_offset(self):
        with mock.patch.object(sitemap_months, "MONTH_LIMIT", 2):
            pages = [p for p, _ in self.index_months() if p.startswith("/sitemap-bai-viet-2025-11")]
            self.assertEqual(len(pages), 2)
            self.assertRegex(pages[1], r"\?sau=\d+\.\d+$")
            listed = [list(self.month_entries(page)) for page in pages]
        self.assertEqual(
            listed,
            [
                [
                    self.november_updated.get_absolute_url(),
                    self.november_corrected.get_absolute_url(),
                ],
                [self.november_last.get_absolute_url()],
            ],
        )

    @skipUnless(connection.vendor == "postgresql", "the index probes are PostgreSQL's")
    def test_the_months_come_from_index_probes(self):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: force the choice
            cursor.execute(f"EXPLAIN {sitemap_months.months_sql()}", {"now": timezone.now()})
            plan = "\n".join(line for (line,) in cursor.fetchall())
        # Which public index each probe takes on a near-empty table is the planner's
        # coin toss (seen to change between runs); that every read of the article
        # table is an index probe is the rule. The plans at 100,000 articles are in
        # bench/pages_bench.py --explain.
        self.assertRegex(plan, r"article_public_(time|month_id|month_modified|section_time)")
        self.assertNotIn("Seq Scan on articles_article", plan)
