"""Feeds, sitemaps, robots.txt, JSON-LD and Open Graph: valid, consistent, public only."""

import json
import re
import xml.etree.ElementTree as ET  # our own responses, not untrusted input
from datetime import timedelta
from email.utils import parsedate_to_datetime
from html import escape, unescape
from html.parser import HTMLParser

from django.conf import settings
from django.core.files.storage import default_storage
from django.test import TestCase, override_settings
from django.utils import timezone

from articles import renditions
from articles.meta import IMAGE_RATIOS, IMAGE_WIDTH, ArticleMeta
from articles.models import Article, Correction, Credit, Section, Tag
from tests.factories import (
    add_credit,
    add_photo,
    image_upload,
    make_article,
    make_contributor,
    make_photo,
    make_section,
)

SITE = settings.NEWSROOM["SITE_URL"].rstrip("/")
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
DC = "{http://purl.org/dc/elements/1.1/}"
ICT = timezone.get_fixed_timezone(7 * 60)


def at(*args):
    return timezone.make_aware(timezone.datetime(*args))


class DiscoveryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section("An ninh - Trật tự")
        cls.quoc = make_contributor("Trần Quốc")
        now = timezone.now()
        cls.article = make_article(
            headline="Phối hợp đảm bảo an ninh trật tự",
            lead="Sáng nay, hội nghị sơ kết đã diễn ra.",
            section=cls.section,
            published_at=now - timedelta(hours=3),
            tags=["An ninh", "Công đoàn"],
        )
        add_credit(cls.article, cls.quoc, "Tin", order=1)
        add_credit(cls.article, cls.quoc, "Ảnh", order=2)
        add_credit(cls.article, None, "Nguồn", name="TTXVN", order=3)
        add_photo(
            cls.article,
            make_photo(creator="Người chụp khác", credit_line="Trần Quốc/Báo Sông Xanh"),
            is_lead=True,
            caption="Chủ trì hội nghị.",
            alt_text="Đại tá phát biểu",
        )
        Correction.objects.create(
            article=cls.article,
            text="Sửa tên người phát biểu.",
            published_at=now - timedelta(hours=1),
        )
        # Old news: in feeds and the sitemap, not in the news sitemap.
        cls.old = make_article(
            headline="Tin cũ tuần trước",
            section=cls.section,
            published_at=now - timedelta(days=7),
            tags=["An ninh"],
        )
        # Never public: each with its own tag, so no page may name it either.
        cls.hidden = [
            make_article(
                headline="Bài nháp bí mật",
                status=Article.Status.DRAFT,
                section=cls.section,
                tags=["Thẻ nháp"],
            ),
            make_article(
                headline="Bài hẹn giờ bí mật",
                status=Article.Status.SCHEDULED,
                published_at=now + timedelta(hours=2),
                section=cls.section,
                tags=["Thẻ hẹn giờ"],
            ),
            make_article(
                headline="Bài đã gỡ bí mật",
                status=Article.Status.WITHDRAWN,
                published_at=now - timedelta(hours=5),
                section=cls.section,
                tags=["Thẻ đã gỡ"],
            ),
        ]
        for article in cls.hidden:
            article.tags.add("An ninh")

    def get_xml(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response, ET.fromstring(response.content)  # noqa: S314

    def assert_hidden_absent(self, content):
        text = content.decode() if isinstance(content, bytes) else content
        for article in self.hidden:
            self.assertNotIn(article.headline, text)
            self.assertNotIn(f"-a{article.pk}.html", text)

    # RSS

    def test_latest_feed_is_valid_rss(self):
        response, rss = self.get_xml("/rss.xml")
        self.assertTrue(response["Content-Type"].startswith("application/rss+xml"))
        self.assertEqual(rss.tag, "rss")
        self.assertEqual(rss.get("version"), "2.0")
        channel = rss.find("channel")
        self.assertEqual(channel.findtext("title"), settings.NEWSROOM["NAME"])
        self.assertEqual(channel.findtext("link"), SITE + "/")
        self.assertTrue(channel.findtext("description"))
        items = channel.findall("item")
        self.assertEqual(
            [item.findtext("title") for item in items], [self.article.headline, self.old.headline]
        )
        item = items[0]
        self.assertEqual(item.findtext("link"), SITE + self.article.get_absolute_url())
        self.assertEqual(item.findtext("description"), self.article.lead)
        pub_date = item.findtext("pubDate")
        self.assertTrue(pub_date.endswith("+0700"), pub_date)
        self.assertEqual(
            parsedate_to_datetime(pub_date), self.article.published_at.replace(microsecond=0)
        )
        self.assertEqual(item.findtext(f"{DC}creator"), "Trần Quốc, TTXVN")
        self.assertEqual(
            [c.text for c in item.findall("category")],
            ["An ninh - Trật tự", "An ninh", "Công đoàn"],
        )
        enclosure = item.find("enclosure")
        self.assertTrue(enclosure.get("url").startswith(SITE + "/"))
        self.assertGreater(int(enclosure.get("length")), 0)
        self.assertEqual(enclosure.get("type"), "image/jpeg")
        self.assert_hidden_absent(response.content)

    def test_feed_holds_the_latest_fifty(self):
        for i in range(51):
            make_article(headline=f"Tin số {i}", section=self.section)
        _response, rss = self.get_xml("/rss.xml")
        self.assertEqual(len(rss.findall("channel/item")), 50)

    def test_section_and_tag_feeds(self):
        other = make_article(headline="Tin chuyên mục khác", tags=["Khác"])
        response, rss = self.get_xml(f"/{self.section.slug}/rss.xml")
        titles = [item.findtext("title") for item in rss.findall("channel/item")]
        self.assertEqual(titles, [self.article.headline, self.old.headline])
        self.assertIn(self.section.name, rss.findtext("channel/title"))
        self.assertEqual(rss.findtext("channel/link"), SITE + self.section.get_absolute_url())
        self.assert_hidden_absent(response.content)

        tag = self.article.tags.get(name="Công đoàn")
        response, rss = self.get_xml(f"/tag/{tag.slug}/rss.xml")
        titles = [item.findtext("title") for item in rss.findall("channel/item")]
        self.assertEqual(titles, [self.article.headline])
        self.assertNotIn(other.headline, response.content.decode())

        an_ninh = self.article.tags.get(name="An ninh")
        response, _rss = self.get_xml(f"/tag/{an_ninh.slug}/rss.xml")
        self.assert_hidden_absent(response.content)

        self.assertEqual(self.client.get("/khong-co-chuyen-muc/rss.xml").status_code, 404)
        self.assertEqual(self.client.get("/tag/khong-co/rss.xml").status_code, 404)

    def test_hidden_article_tags_have_no_feed_items(self):
        for article in self.hidden:
            tag = article.tags.exclude(name="An ninh").get()
            response, rss = self.get_xml(f"/tag/{tag.slug}/rss.xml")
            self.assertEqual(rss.findall("channel/item"), [])
            self.assert_hidden_absent(response.content)

    def test_missing_photo_file_leaves_out_only_its_enclosure(self):
        broken = make_article(headline="Ảnh mất tệp", section=self.section, tags=["An ninh"])
        photo = make_photo()
        add_photo(broken, photo, is_lead=True)
        default_storage.delete(photo.image.name)
        renditions.prune(photo.pk)
        tag = broken.tags.get()
        for url in ("/rss.xml", f"/{self.section.slug}/rss.xml", f"/tag/{tag.slug}/rss.xml"):
            with self.assertLogs("articles.meta", "WARNING"):
                _response, rss = self.get_xml(url)
            items = {item.findtext("title"): item for item in rss.findall("channel/item")}
            self.assertIsNone(items[broken.headline].find("enclosure"), url)
            self.assertEqual(
                items[broken.headline].findtext("link"), SITE + broken.get_absolute_url()
            )
            enclosure = items[self.article.headline].find("enclosure")
            self.assertGreater(int(enclosure.get("length")), 0, url)

    def test_pages_link_the_feed(self):
        self.assertContains(
            self.client.get("/"), '<link rel="alternate" type="application/rss+xml"'
        )

    # Sitemaps and robots.txt

    def article_sitemap_entries(self):
        """{location: lastmod} of every article listed by the month sitemaps the
        index names, and {month sitemap location: its lastmod in the index}."""
        _response, index = self.get_xml("/sitemap.xml")
        months, entries = {}, {}
        for sitemap in index.findall(f"{SM}sitemap"):
            location = sitemap.findtext(f"{SM}loc")
            if "/sitemap-bai-viet-" in location:
                months[location] = sitemap.findtext(f"{SM}lastmod")
                _response, urlset = self.get_xml(location.removeprefix(SITE))
                for url in urlset.findall(f"{SM}url"):
                    self.assertNotIn(url.findtext(f"{SM}loc"), entries)
                    entries[url.findtext(f"{SM}loc")] = url.findtext(f"{SM}lastmod")
        return entries, months

    def test_sitemap_index_and_sections(self):
        response, index = self.get_xml("/sitemap.xml")
        self.assertEqual(index.tag, f"{SM}sitemapindex")
        locations = [loc.text for loc in index.iter(f"{SM}loc")]
        shown = (self.article, self.old)
        months = {f"{timezone.localtime(article.published_at):%Y-%m}" for article in shown}
        months = sorted(months, reverse=True)
        self.assertEqual(
            [loc.rsplit("/", 1)[1] for loc in locations],
            [f"sitemap-bai-viet-{month}.xml" for month in months]
            + ["sitemap-sections.xml", "sitemap-tags.xml"],
        )
        for location in locations:
            response, urlset = self.get_xml(location.removeprefix(SITE))
            self.assertEqual(urlset.tag, f"{SM}urlset")
            self.assert_hidden_absent(response.content)

    def test_article_sitemap_lastmod_has_time(self):
        entries, _months = self.article_sitemap_entries()
        self.assertEqual(
            set(entries),
            {SITE + self.article.get_absolute_url(), SITE + self.old.get_absolute_url()},
        )
        lastmod = entries[SITE + self.article.get_absolute_url()]
        self.assertRegex(lastmod, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")
        # The correction, an hour ago, is the latest change.
        self.assertEqual(lastmod, ArticleMeta(self.article).modified.isoformat())

    def test_article_sitemap_lastmod_is_json_ld_date_modified(self):
        now = timezone.now()
        updated = make_article(
            published_at=now - timedelta(hours=2), updated_at=now - timedelta(minutes=30)
        )
        republished = make_article(published_at=now - timedelta(hours=1))
        # Its time moved back to before its first publication.
        backdated = make_article(published_at=now - timedelta(days=2))
        for article, first in ((republished, 3 * 24 * 60), (backdated, 20)):
            Article.objects.filter(pk=article.pk).update(
                first_published_at=now - timedelta(minutes=first)
            )
        corrected = make_article(published_at=now - timedelta(days=1))
        for kind, moment in (
            (Correction.Kind.UPDATE, now - timedelta(minutes=10)),
            (Correction.Kind.CORRECTION, now - timedelta(minutes=50)),
            (Correction.Kind.RETRACTION, at(2020, 1, 10, 13, 4)),  # imported, before publication
        ):
            Correction.objects.create(
                article=corrected, kind=kind, text="Sửa.", published_at=moment
            )
        entries, months = self.article_sitemap_entries()
        articles = [self.article, self.old, updated, republished, backdated, corrected]
        self.assertEqual(set(entries), {SITE + article.get_absolute_url() for article in articles})
        for article in articles:
            data = self.json_ld(self.client.get(article.get_absolute_url()).content.decode())
            self.assertEqual(entries[SITE + article.get_absolute_url()], data["dateModified"])
        self.assertEqual(
            entries[SITE + corrected.get_absolute_url()],
            timezone.localtime(now - timedelta(minutes=10)).replace(microsecond=0).isoformat(),
        )
        # Each month's lastmod in the index: the latest of the articles its sitemap lists.
        for location, lastmod in months.items():
            _response, urlset = self.get_xml(location.removeprefix(SITE))
            self.assertEqual(lastmod, max(u.findtext(f"{SM}lastmod") for u in urlset))
        self.assertEqual(max(months.values()), max(entries.values()))

    @override_settings(ALLOWED_HOSTS=["testserver", "noi-bo.example"])
    def test_sitemap_index_locations_are_on_the_site_url(self):
        _response, index = self.get_xml_on_other_host("/sitemap.xml")
        locations = [loc.text for loc in index.iter(f"{SM}loc")]
        self.assertGreaterEqual(len(locations), 3)
        for location in locations:
            self.assertTrue(location.startswith(SITE + "/"), location)
            _response, urlset = self.get_xml_on_other_host(location.removeprefix(SITE))
            self.assertEqual(urlset.tag, f"{SM}urlset")
            for loc in urlset.iter(f"{SM}loc"):
                self.assertTrue(loc.text.startswith(SITE + "/"), loc.text)

    def get_xml_on_other_host(self, url):
        response = self.client.get(url, headers={"host": "noi-bo.example"}, secure=True)
        self.assertEqual(response.status_code, 200, url)
        return response, ET.fromstring(response.content)  # noqa: S314

    def test_tag_sitemap_names_only_public_tags(self):
        response, urlset = self.get_xml("/sitemap-tags.xml")
        locations = {loc.text for loc in urlset.iter(f"{SM}loc")}
        self.assertEqual(
            locations, {SITE + tag.get_absolute_url() for tag in self.article.tags.all()}
        )
        for name in ("Thẻ nháp", "Thẻ hẹn giờ", "Thẻ đã gỡ"):
            self.assertNotIn("the-" + name.split()[1], response.content.decode())

    def test_news_sitemap(self):
        response, urlset = self.get_xml("/sitemap-news.xml")
        self.assertEqual(urlset.tag, f"{SM}urlset")
        urls = urlset.findall(f"{SM}url")
        self.assertEqual(len(urls), 1)  # not the week-old story
        url = urls[0]
        self.assertEqual(url.findtext(f"{SM}loc"), SITE + self.article.get_absolute_url())
        news = url.find(f"{NEWS}news")
        self.assertEqual(news.findtext(f"{NEWS}publication/{NEWS}name"), settings.NEWSROOM["NAME"])
        self.assertEqual(news.findtext(f"{NEWS}publication/{NEWS}language"), "vi")
        self.assertEqual(news.findtext(f"{NEWS}title"), self.article.headline)
        self.assertEqual(
            news.findtext(f"{NEWS}publication_date"),
            timezone.localtime(self.article.first_published_at).replace(microsecond=0).isoformat(),
        )
        self.assertTrue(news.findtext(f"{NEWS}publication_date").endswith("+07:00"))
        self.assert_hidden_absent(response.content)

    def test_news_sitemap_uses_the_original_publication_time(self):
        # Republished today, first published three days ago: not news any more.
        Article.objects.filter(pk=self.article.pk).update(
            first_published_at=timezone.now() - timedelta(days=3)
        )
        _response, urlset = self.get_xml("/sitemap-news.xml")
        self.assertEqual(urlset.findall(f"{SM}url"), [])

    def test_news_sitemap_holds_at_most_a_thousand(self):
        now = timezone.now()
        Article.objects.bulk_create(
            Article(
                headline=f"Tin nhanh {i}",
                slug=f"tin-nhanh-{i}",
                section=self.section,
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=i + 1),
                first_published_at=now - timedelta(minutes=i + 1),
            )
            for i in range(1001)
        )
        _response, urlset = self.get_xml("/sitemap-news.xml")
        self.assertEqual(len(urlset.findall(f"{SM}url")), 1000)

    def test_robots_txt(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        lines = response.content.decode().splitlines()
        for path in ("/admin/", "/xem-truoc/", "/binh-luan/"):
            self.assertIn(f"Disallow: {path}", lines)
        self.assertIn(f"Sitemap: {SITE}/sitemap.xml", lines)
        self.assertIn(f"Sitemap: {SITE}/sitemap-news.xml", lines)

    # The article page: JSON-LD and Open Graph

    def json_ld(self, content):
        blocks = re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', content, flags=re.S
        )
        self.assertEqual(len(blocks), 1)
        return json.loads(blocks[0])

    def test_json_ld(self):
        content = self.client.get(self.article.get_absolute_url()).content.decode()
        data = self.json_ld(content)
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "NewsArticle")
        self.assertEqual(data["mainEntityOfPage"], SITE + self.article.get_absolute_url())
        self.assertEqual(data["headline"], self.article.headline)
        self.assertEqual(data["description"], "Sáng nay, hội nghị sơ kết đã diễn ra.")
        self.assertNotIn(settings.NEWSROOM["SOURCE_TAG"], data["description"])
        self.assertRegex(data["datePublished"], r"T\d\d:\d\d:\d\d\+07:00$")
        self.assertRegex(data["dateModified"], r"T\d\d:\d\d:\d\d\+07:00$")
        self.assertGreater(data["dateModified"], data["datePublished"])
        self.assertEqual(data["inLanguage"], "vi")
        self.assertEqual(data["articleSection"], "An ninh - Trật tự")
        self.assertEqual(data["keywords"], ["An ninh", "Công đoàn"])
        self.assertEqual(
            data["author"],
            [
                {
                    "@type": "Person",
                    "name": "Trần Quốc",
                    "url": SITE + self.quoc.get_absolute_url(),
                },
                {"@type": "Organization", "name": "TTXVN"},
            ],
        )
        self.assertNotIn("Tin, ảnh", json.dumps(data, ensure_ascii=False))
        images = data["image"]
        self.assertTrue(images)
        for image in images:
            self.assertEqual(image["@type"], "ImageObject")
            self.assertTrue(image["url"].startswith(SITE + "/"))
            self.assertEqual(image["caption"], "Chủ trì hội nghị.")
            # The photo credit of the byline wins over the photo's own creator field.
            self.assertEqual(image["creator"], {"@type": "Person", "name": "Trần Quốc"})
            self.assertEqual(image["creditText"], "Trần Quốc/Báo Sông Xanh")
        publisher = data["publisher"]
        self.assertEqual(publisher["@type"], "NewsMediaOrganization")
        self.assertEqual(publisher["name"], settings.NEWSROOM["NAME"])
        self.assertEqual(publisher["logo"]["url"], SITE + "/static/img/logo-600x60.png")
        self.assertEqual(
            data["correction"],
            [
                {
                    "@type": "CreativeWork",
                    "name": "Đính chính",
                    "text": "Sửa tên người phát biểu.",
                    "datePublished": data["dateModified"],
                }
            ],
        )

    def test_large_photo_gives_every_ratio_at_1200_px(self):
        article = make_article(headline="Ảnh lớn")
        add_photo(article, make_photo(upload=image_upload(size=(2400, 1600))), is_lead=True)
        content = self.client.get(article.get_absolute_url()).content.decode()
        images = self.json_ld(content)["image"]
        self.assertEqual(len(images), len(IMAGE_RATIOS))
        for image, ratio in zip(images, IMAGE_RATIOS, strict=True):
            width, height = (int(side) for side in ratio.split("x"))
            self.assertIn(f"/{ratio}-{IMAGE_WIDTH}w-", image["url"])
            self.assertGreaterEqual(image["width"], 1200)
            self.assertEqual(image["width"] * height, image["height"] * width, ratio)
        og = dict(re.findall(r'<meta property="(og:image[^"]*)" content="([^"]*)">', content))
        self.assertEqual(og["og:image"], images[0]["url"])
        self.assertGreaterEqual(int(og["og:image:width"]), 1200)
        self.assertEqual(int(og["og:image:width"]) * 9, int(og["og:image:height"]) * 16)

    def test_photo_creator_without_photo_credit(self):
        article = make_article(headline="Ảnh không ghi công")
        add_credit(article, self.quoc, "Bài")
        add_photo(article, make_photo(creator="Lê Ảnh"), is_lead=True)
        data = self.json_ld(self.client.get(article.get_absolute_url()).content.decode())
        self.assertEqual(data["image"][0]["creator"], {"@type": "Person", "name": "Lê Ảnh"})
        self.assertEqual([a["name"] for a in data["author"]], ["Trần Quốc"])

    def test_source_tag_never_reaches_the_description(self):
        article = make_article(lead=f"{settings.NEWSROOM['SOURCE_TAG']} - Chiều qua, mưa lớn.")
        meta = ArticleMeta(article)
        self.assertEqual(meta.description, "Chiều qua, mưa lớn.")
        self.assertIn(("property", "og:description", "Chiều qua, mưa lớn."), meta.social_tags())

    def test_script_in_headline_cannot_break_out(self):
        headline = 'Tít </script><script>alert(1)</script> & "ngoặc" <b>'
        article = make_article(headline=headline)
        content = self.client.get(article.get_absolute_url()).content.decode()
        start = content.index('<script type="application/ld+json">')
        block = content[start:]
        self.assertEqual(
            block.count("</script>"),
            content.count("</script>") - content[:start].count("</script>"),
        )
        json_text = block[len('<script type="application/ld+json">') : block.index("</script>")]
        self.assertNotIn("<", json_text)
        self.assertEqual(json.loads(json_text)["headline"], headline)
        self.assertNotIn("<script>alert(1)", content)

    def test_open_graph_and_x_card(self):
        content = self.client.get(self.article.get_absolute_url()).content.decode()
        tags = re.findall(r'<meta (property|name)="([^"]+)" content="([^"]*)">', content)
        values = {}
        for _attribute, key, value in tags:
            values.setdefault(key, []).append(value)
        data = self.json_ld(content)
        url = SITE + self.article.get_absolute_url()
        self.assertEqual(values["og:type"], ["article"])
        self.assertEqual(values["og:title"], [self.article.headline])
        self.assertEqual(values["og:description"], [data["description"]])
        self.assertEqual(values["og:url"], [url])
        self.assertEqual(values["og:image"], [data["image"][0]["url"]])
        self.assertEqual(values["og:image:width"], [str(data["image"][0]["width"])])
        self.assertEqual(values["og:image:height"], [str(data["image"][0]["height"])])
        self.assertEqual(values["og:image:alt"], ["Đại tá phát biểu"])
        self.assertEqual(values["article:published_time"], [data["datePublished"]])
        self.assertEqual(values["article:modified_time"], [data["dateModified"]])
        self.assertEqual(values["article:section"], ["An ninh - Trật tự"])
        self.assertEqual(values["article:tag"], ["An ninh", "Công đoàn"])
        self.assertEqual(values["twitter:card"], ["summary_large_image"])
        self.assertEqual(content.count('rel="canonical"'), 1)
        self.assertIn(f'<link rel="canonical" href="{url}">', content)

    def test_previews_carry_no_structured_data(self):
        from articles.views import render_article

        request = self.client.get("/").wsgi_request
        response = render_article(
            request, self.article, credits=[], tags=[], photo_uses=[], preview=True
        )
        content = response.content.decode()
        self.assertNotIn("application/ld+json", content)
        self.assertNotIn('property="og:', content)
        self.assertNotIn('rel="canonical"', content)

    def test_hidden_articles_have_no_page_metadata(self):
        for article in self.hidden:
            response = self.client.get(article.get_absolute_url())
            self.assertIn(response.status_code, (404, 410))
            self.assertNotContains(
                response, "application/ld+json", status_code=response.status_code
            )
            self.assertNotContains(response, 'property="og:', status_code=response.status_code)

    def test_one_builder_feeds_every_consumer(self):
        meta = ArticleMeta(Article.objects.get(pk=self.article.pk))
        data, rss, news = meta.json_ld(), meta.rss_item, meta.news_entry()
        self.assertEqual(rss["pubdate"].isoformat(), data["datePublished"])
        self.assertEqual(news["publication_date"], data["datePublished"])
        self.assertEqual(rss["title"], data["headline"])
        self.assertEqual(news["title"], data["headline"])
        self.assertEqual(rss["link"], data["mainEntityOfPage"])
        self.assertEqual(rss["description"], data["description"])
        self.assertEqual(rss["enclosure"]["url"], data["image"][0]["url"])
        self.assertEqual(rss["author_name"], ", ".join(a["name"] for a in data["author"]))
        self.assertEqual(rss["pubdate"].utcoffset(), timedelta(hours=7))
        self.assertEqual(
            rss["pubdate"], self.article.first_published_at.astimezone(ICT).replace(microsecond=0)
        )

    def test_first_publication_time_is_kept(self):
        first = at(2020, 1, 10, 13, 4)
        Article.objects.filter(pk=self.article.pk).update(first_published_at=first)
        meta = ArticleMeta(Article.objects.get(pk=self.article.pk))
        self.assertEqual(meta.json_ld()["datePublished"], "2020-01-10T13:04:00+07:00")


class MarkupFinder(HTMLParser):
    """The elements an HTML renderer (a feed reader) would build from a text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(tag)


def elements_in(text):
    finder = MarkupFinder()
    finder.feed(text or "")
    finder.close()
    return finder.elements


class FeedTextTests(TestCase):
    """What readers, search engines and networks get from stored text: text,
    never markup, and never a failure, whatever the rows hold."""

    HEADLINE = '<img src=x onerror="alert(1)">Tít & “ngoặc”'
    LEAD = "<script>alert(2)</script> Sáng nay, <b>đậm</b> & <a href='javascript:x'>link</a>."
    SECTION = "<i onmouseover=alert(3)>Chuyên mục</i>"
    TAG = "<svg onload=alert(4)>"
    PERSON = "<img src=y onerror=alert(5)>"

    @classmethod
    def setUpTestData(cls):
        cls.section = make_section(cls.SECTION)
        cls.article = make_article(
            headline=cls.HEADLINE, lead=cls.LEAD, section=cls.section, tags=[cls.TAG]
        )
        add_credit(cls.article, None, "Tin", name=cls.PERSON)
        cls.tag = cls.article.tags.get()

    def feeds(self):
        return ("/rss.xml", f"/{self.section.slug}/rss.xml", f"/tag/{self.tag.slug}/rss.xml")

    def get_rss(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return ET.fromstring(response.content)  # noqa: S314

    def text_elements(self, rss):
        channel = rss.find("channel")
        yield "channel/title", channel.findtext("title")
        yield "channel/description", channel.findtext("description")
        for item in channel.findall("item"):
            yield "title", item.findtext("title")
            yield "description", item.findtext("description")
            yield "dc:creator", item.findtext(f"{DC}creator")
            for category in item.findall("category"):
                yield "category", category.text

    def test_feed_text_fields_carry_text_not_markup(self):
        for url in self.feeds():
            rss = self.get_rss(url)
            for name, text in self.text_elements(rss):
                with self.subTest(url=url, element=name):
                    self.assertEqual(elements_in(text), [])
            item = rss.find("channel/item")
            # What the reader's renderer shows is exactly what the site shows.
            self.assertEqual(unescape(item.findtext("title")), self.HEADLINE)
            self.assertEqual(unescape(item.findtext("description")), self.LEAD)
            self.assertEqual(unescape(item.findtext(f"{DC}creator")), self.PERSON)
            self.assertEqual(
                [unescape(category.text) for category in item.findall("category")],
                [self.SECTION, self.TAG],
            )
        section_feed = self.get_rss(f"/{self.section.slug}/rss.xml")
        self.assertIn(self.SECTION, unescape(section_feed.findtext("channel/title")))

    def test_page_metadata_and_news_sitemap_carry_the_text(self):
        # Plain-text fields their consumers never render as HTML: the text
        # itself, escaped once for where it sits.
        content = self.client.get(self.article.get_absolute_url()).content.decode()
        blocks = re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', content, flags=re.S
        )
        data = json.loads(blocks[0])
        self.assertEqual(data["headline"], self.HEADLINE)
        self.assertEqual(data["author"][0]["name"], self.PERSON)
        self.assertNotIn("<img", content.split("<body", 1)[0])
        self.assertIn(f'content="{escape(self.HEADLINE)}"', content)
        response = self.client.get("/sitemap-news.xml")
        urlset = ET.fromstring(response.content)  # noqa: S314
        self.assertEqual(urlset.findtext(f"{SM}url/{NEWS}news/{NEWS}title"), self.HEADLINE)

    def test_control_characters_in_stored_rows_never_break_the_feeds(self):
        # Rows written past save(): update(), an old import, a database restore.
        dirty = "\x01\x08\x0e\x1b\x7f\x9f"
        Article.objects.filter(pk=self.article.pk).update(
            headline=f"Tít{dirty} có ký tự điều khiển", lead=f"Sapo{dirty}\ttab."
        )
        Section.objects.filter(pk=self.section.pk).update(name=f"Chuyên{dirty} mục")
        Tag.objects.filter(pk=self.tag.pk).update(name=f"Thẻ{dirty}")
        Credit.objects.filter(article=self.article).update(name=f"Tên{dirty} người")
        for url in self.feeds():
            rss = self.get_rss(url)
            item = rss.find("channel/item")
            self.assertEqual(item.findtext("title"), "Tít có ký tự điều khiển", url)
            self.assertEqual(item.findtext("description"), "Sapo tab.", url)
            self.assertEqual(item.findtext(f"{DC}creator"), "Tên người", url)
            self.assertEqual(
                [category.text for category in item.findall("category")],
                ["Chuyên mục", "Thẻ"],
            )
        section_feed = self.get_rss(f"/{self.section.slug}/rss.xml")
        self.assertIn("Chuyên mục", section_feed.findtext("channel/title"))
        response = self.client.get("/sitemap-news.xml")
        urlset = ET.fromstring(response.content)  # noqa: S314
        self.assertEqual(
            urlset.findtext(f"{SM}url/{NEWS}news/{NEWS}title"), "Tít có ký tự điều khiển"
        )
        page = self.client.get(self.article.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assertEqual(self.json_ld_headline(page), "Tít có ký tự điều khiển")

    def json_ld_headline(self, response):
        content = response.content.decode()
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
        return json.loads(block.group(1))["headline"]
