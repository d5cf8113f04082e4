import re
from datetime import timedelta

from django.conf import settings
from django.test import TestCase, override_settings
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_photo,
    make_section,
)


class ArticlePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section("An ninh - Trật tự")
        cls.quoc = make_contributor("Trần Quốc")
        cls.article = make_article(
            headline="Phối hợp đảm bảo an ninh trật tự",
            lead="Sáng 10-1, hội nghị sơ kết đã diễn ra.",
            body="<p>Đoạn thứ nhất.</p><p>Đoạn thứ hai.</p><p>Đoạn thứ ba.</p>",
            section=cls.section,
            source_tag="BDK.VN",
            published_at=timezone.make_aware(timezone.datetime(2020, 1, 10, 13, 4)),
            tags=["An ninh", "Công đoàn"],
        )
        add_credit(cls.article, cls.quoc, "Tin", order=1)
        add_credit(cls.article, cls.quoc, "Ảnh", order=2)
        add_photo(
            cls.article,
            make_photo(caption="Ảnh mặc định"),
            is_lead=True,
            caption="Chủ trì hội nghị.",
        )
        add_photo(
            cls.article,
            make_photo(caption="Đại biểu dự họp.", credit_line="Ảnh: T.Q"),
            after_paragraph=2,
        )
        cls.related = make_article(headline="Tin cùng chủ đề", tags=["An ninh"])

    def test_page_shows_everything_in_order(self):
        response = self.client.get(self.article.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        html = response.content.decode().split('<article class="article"', 1)[1]
        expected_order = [
            'class="article__section"',
            "An ninh - Trật tự",
            "Phối hợp đảm bảo an ninh trật tự",
            "10/01/2020 - 13:04",
            "BDK.VN</span> - Sáng 10-1, hội nghị sơ kết đã diễn ra.",
            "Chủ trì hội nghị.",
            "Đoạn thứ nhất.",
            "Đoạn thứ hai.",
            "Đại biểu dự họp.",
            "Đoạn thứ ba.",
            "Tin, ảnh: Trần Quốc",
            'href="/tag/an-ninh/"',
            "Chia sẻ bài viết",
            "Tin liên quan",
            "Tin cùng chủ đề",
            'id="binh-luan"',
        ]
        positions = [html.find(text) for text in expected_order]
        self.assertNotIn(-1, positions, dict(zip(expected_order, positions, strict=True)))
        self.assertEqual(positions, sorted(positions))

    def test_url_scheme_and_canonical_redirect(self):
        self.assertEqual(
            self.article.get_absolute_url(),
            f"/phoi-hop-dam-bao-an-ninh-trat-tu-a{self.article.pk}.html",
        )
        response = self.client.get(f"/ten-cu-a{self.article.pk}.html")
        self.assertRedirects(response, self.article.get_absolute_url(), status_code=301)

    def test_share_links_without_third_party_scripts(self):
        response = self.client.get(self.article.get_absolute_url())
        self.assertContains(response, "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2F")
        self.assertContains(response, "https://x.com/intent/post?url=")
        self.assertContains(response, "mailto:?subject=")
        self.assertContains(response, "data-copy-link=")
        self.assertContains(response, "data-share-url=")
        for script_src in response.content.decode().split("<script")[1:]:
            attributes = script_src.split(">")[0]
            if attributes == ' type="application/ld+json"':
                continue  # structured data, not a script
            self.assertIn('src="/static/', attributes)

    def test_update_time_shown_only_when_later(self):
        Article.objects.filter(pk=self.article.pk).update(
            updated_at=self.article.published_at + timedelta(hours=2)
        )
        self.assertContains(self.client.get(self.article.get_absolute_url()), "Cập nhật")
        response = self.client.get(self.related.get_absolute_url())
        self.assertNotContains(response, "Cập nhật")

    def test_body_html_is_sanitised_on_save(self):
        article = make_article(
            body='<p onclick="steal()">Hi<script>alert(1)</script></p>'
            '<a href="javascript:alert(2)">x</a><img src=x onerror=alert(3)>'
        )
        article.refresh_from_db()
        for bad in ("script", "onclick", "javascript:", "onerror", "<img"):
            self.assertNotIn(bad, article.body)
        self.assertNotContains(self.client.get(article.get_absolute_url()), "alert(")

    def test_headline_and_lead_are_escaped(self):
        article = make_article(headline="<script>alert(1)</script> Tít", lead="<b>đậm</b>")
        response = self.client.get(article.get_absolute_url())
        self.assertNotContains(response, "<script>alert(1)")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt; Tít")
        self.assertContains(response, "&lt;b&gt;đậm&lt;/b&gt;")


class VisibilityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section("Thời sự")
        cls.contributor = make_contributor("Trần Quốc")
        cls.public = make_article(headline="Bài đã đăng", section=cls.section, tags=["Đồng Khởi"])
        cls.draft = make_article(
            headline="Bài nháp bí mật",
            section=cls.section,
            status=Article.Status.DRAFT,
            tags=["Đồng Khởi"],
        )
        cls.future = make_article(
            headline="Bài hẹn giờ bí mật",
            section=cls.section,
            status=Article.Status.SCHEDULED,
            published_at=timezone.now() + timedelta(hours=2),
            tags=["Đồng Khởi"],
        )
        cls.future_published = make_article(
            headline="Bài đăng trước giờ bí mật",
            section=cls.section,
            published_at=timezone.now() + timedelta(hours=2),
            tags=["Đồng Khởi"],
        )
        for article in (cls.public, cls.draft, cls.future, cls.future_published):
            add_credit(article, cls.contributor, "Bài")

    def test_published_queryset(self):
        self.assertQuerySetEqual(Article.objects.published(), [self.public])
        later = timezone.now() + timedelta(hours=3)
        self.assertEqual(
            set(Article.objects.published(at=later)),
            {self.public, self.future, self.future_published},
        )

    def test_hidden_articles_are_404_by_any_url(self):
        for article in (self.draft, self.future, self.future_published):
            with self.subTest(article.headline):
                self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)
                self.assertEqual(self.client.get(f"/khac-a{article.pk}.html").status_code, 404)

    def test_hidden_articles_are_in_no_list(self):
        urls = [
            "/",
            self.section.get_absolute_url(),
            "/tag/dong-khoi/",
            self.contributor.get_absolute_url(),
            self.public.get_absolute_url(),
        ]
        for url in urls:
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "bí mật")
        self.assertContains(self.client.get("/"), "Bài đã đăng")

    def test_scheduled_article_appears_when_its_time_comes(self):
        from unittest import mock

        later = timezone.now() + timedelta(hours=3)
        with mock.patch("django.utils.timezone.now", return_value=later):
            response = self.client.get(self.future.get_absolute_url())
        self.assertEqual(response.status_code, 200)


class ListPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section("Kinh tế")
        cls.child = make_section("Nông nghiệp", parent=cls.section)
        cls.contributor = make_contributor("Lê Bình", pen_name="Hoàng Mai")
        start = timezone.now() - timedelta(days=1)
        cls.articles = []
        for i in range(25):
            article = make_article(
                headline=f"Tin kinh tế {i:02d}",
                section=cls.child if i % 2 else cls.section,
                published_at=start + timedelta(minutes=i),
                tags=["Dừa"],
            )
            add_credit(article, cls.contributor, "Bài")
            cls.articles.append(article)

    def test_section_pages_go_on_by_time(self):
        # Issue 11: "Xem tiếp" to the rows before the last one shown (?truoc=),
        # no page numbers; old ?p=N addresses redirect to the same rows.
        first = self.client.get("/kinh-te/")
        self.assertContains(first, "Tin kinh tế 24")
        self.assertNotContains(first, "Tin kinh tế 04")
        more = re.search(r'<a rel="next" href="(\?truoc=[0-9.]+)"', first.content.decode())
        second = self.client.get(f"/kinh-te/{more[1]}")
        self.assertContains(second, "Tin kinh tế 04")
        self.assertContains(second, "Tin kinh tế 00")
        self.assertNotContains(second, "Tin kinh tế 05")
        self.assertNotContains(second, 'rel="next"')
        self.assertContains(second, 'href="/kinh-te/"')
        old = self.client.get("/kinh-te/?p=2")
        self.assertRedirects(old, f"/kinh-te/{more[1]}", status_code=301)
        self.assertRedirects(self.client.get("/kinh-te/?p=1"), "/kinh-te/", status_code=301)
        self.assertEqual(self.client.get("/kinh-te/?p=3").status_code, 404)
        self.assertEqual(self.client.get("/kinh-te/?p=abc").status_code, 404)
        self.assertEqual(self.client.get("/kinh-te/?truoc=abc").status_code, 404)
        self.assertEqual(self.client.get("/kinh-te/?truoc=99999999999999999999.1").status_code, 404)
        self.assertEqual(self.client.get("/kinh-te/?truoc=0.1").status_code, 404)  # past the end

    def test_child_section_lists_only_its_own(self):
        response = self.client.get(self.child.get_absolute_url())
        self.assertContains(response, "Tin kinh tế 01")
        self.assertNotContains(response, "Tin kinh tế 02")

    def test_tag_and_contributor_pages(self):
        self.assertContains(self.client.get("/tag/dua/?p=2", follow=True), "Tin kinh tế 00")
        second = self.client.get("/tac-gia/hoang-mai/?p=2", follow=True)
        self.assertContains(second, "Tin kinh tế 00")
        response = self.client.get("/tac-gia/hoang-mai/")
        self.assertContains(response, "Hoàng Mai")
        self.assertContains(response, "Tin kinh tế 24")
        self.assertEqual(self.client.get("/tag/khong-co/").status_code, 404)
        self.assertEqual(self.client.get("/tac-gia/khong-co/").status_code, 404)

    def test_home_has_lead_latest_and_section_blocks(self):
        response = self.client.get("/")
        html = response.content.decode()
        self.assertIn('class="home-lead"', html)
        self.assertIn("Tin kinh tế 24", html.split('class="home-latest"')[0])
        self.assertIn('<a href="/kinh-te/">Kinh tế</a></h2>', html)
        self.assertIn('<a href="/nong-nghiep/">Nông nghiệp</a></h2>', html)
        # The lead story is not repeated in its section's block.
        self.assertEqual(html.count(f'href="{self.articles[24].get_absolute_url()}"'), 1)


class EveryPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(headline="Một bài", tags=["Thẻ một"])
        add_credit(cls.article, make_contributor("Trần Quốc"), "Tin")

    def test_masthead_and_legal_footer_on_every_public_page(self):
        paper = settings.NEWSROOM
        urls = [
            "/",
            self.article.get_absolute_url(),
            self.article.section.get_absolute_url(),
            "/tag/the-mot/",
            "/tac-gia/tran-quoc/",
            "/khong-co-trang-nay/",
        ]
        for url in urls:
            with self.subTest(url):
                response = self.client.get(url)
                for line in ("NAME", "PUBLISHER", "LICENCE", "ADDRESS", "EDITOR_IN_CHIEF"):
                    self.assertContains(response, paper[line], status_code=response.status_code)

    @override_settings(
        NEWSROOM={**settings.NEWSROOM, "NAME": "Báo Thử Nghiệm", "SOURCE_TAG": "THU.VN"}
    )
    def test_identity_comes_from_settings(self):
        response = self.client.get(self.article.get_absolute_url())
        self.assertContains(response, "Báo Thử Nghiệm")
        self.assertContains(response, "THU.VN</span> - ")

    def test_404_page_in_vietnamese(self):
        response = self.client.get("/khong-co-trang-nay/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Không tìm thấy trang", status_code=404)

    def test_500_page_in_vietnamese(self):
        from django.views.defaults import server_error

        response = server_error(self.client.request().wsgi_request)
        self.assertEqual(response.status_code, 500)
        self.assertIn("máy chủ đang gặp sự cố", response.content.decode())

    def test_english_is_available(self):
        self.client.get("/ngon-ngu/en/?next=/")
        response = self.client.get("/")
        self.assertContains(response, 'lang="en"')
        self.assertEqual(self.client.get("/ngon-ngu/xx/").status_code, 404)
        redirect = self.client.get("/ngon-ngu/vi/?next=https://evil.example/")
        self.assertEqual(redirect["Location"], "/")


class CommentCountTests(TestCase):
    def test_saving_an_older_copy_keeps_the_comment_count(self):
        article = make_article()
        stale = Article.objects.get(pk=article.pk)
        Article.objects.filter(pk=article.pk).update(comment_count=7)
        stale.headline = "Tít mới"
        stale.save()
        article.refresh_from_db()
        self.assertEqual((article.headline, article.comment_count), ("Tít mới", 7))
