"""Article search: accents, phrases, ranking, highlighting, hostile queries,
the admin, query budget. Runs on SQLite and PostgreSQL."""

import re
import unicodedata
import unittest
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test import SimpleTestCase, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SearchTerm
from articles.navigation import MENU_KEY
from articles.search import (
    HEADLINE_WORDS,
    PHRASE,
    PHRASE_HEADLINE,
    WORDS,
    InvalidQuery,
    edit_distance,
    find,
    find_matches,
    highlight,
    max_edits,
    parse_query,
    search,
    search_document,
)
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_photo,
    make_section,
    make_user,
)

URL = reverse("articles:search")
HOSTILE = [
    "",
    "   ",
    "x" * 201,
    "'",
    '"',
    "\"'; DROP TABLE articles_article; --",
    "'; DROP TABLE articles_article; --",
    "an & ninh | !dam",
    "an:* <-> ninh",
    "!!!",
    "&|!:*<->()",
    "%",
    "_",
    "%_%",
    "\\",
    "an\\ ninh",
    "an\x00ninh",
    "\x00",
    "OR 1=1",
    "<script>alert(1)</script>",
    "dam bao\u0301",
]


def found(query, queryset=None):
    return list(search(queryset or Article.objects.published(), query, fuzzy=False))


class SearchMachineryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.security = make_article(
            headline="Phối hợp đảm bảo an ninh trật tự dịp Tết",
            lead="Công an tỉnh triển khai kế hoạch.",
            published_at=now - timedelta(hours=5),
        )
        cls.in_lead = make_article(
            headline="Hội nghị tổng kết năm",
            lead="Tỉnh đề ra nhiệm vụ đảm bảo an ninh nông thôn.",
            published_at=now - timedelta(hours=1),
        )
        cls.in_body = make_article(
            headline="Tin vắn trong ngày",
            lead="Sáng nay, nhiều hoạt động diễn ra.",
            body="<p>Lực lượng chức năng cam kết <strong>đảm bảo an ninh</strong> khu vực.</p>",
            published_at=now - timedelta(minutes=2),
        )
        cls.reversed = make_article(
            headline="Xã Ninh An có đường mới", lead="", body="<p>ninh an</p>"
        )
        cls.upper = make_article(headline="ĐỒNG KHỞI SÔI ĐỘNG NGÀY HỘI")

    def test_accents_both_ways(self):
        with_marks = found("đảm bảo an ninh")
        self.assertEqual(with_marks, found("dam bao an ninh"))
        self.assertEqual(set(with_marks), {self.security, self.in_lead, self.in_body})

    def test_nfd_and_upper_case(self):
        nfd = unicodedata.normalize("NFD", "ĐẢM BẢO AN NINH")
        self.assertEqual(found(nfd), found("đảm bảo an ninh"))
        self.assertEqual(found("dong khoi"), [self.upper])
        self.assertEqual(found("Đồng Khởi"), [self.upper])

    def test_words_in_any_order(self):
        # Plain words: every word anywhere; the phrase in order ranks first.
        self.assertEqual(found("ninh an")[0], self.reversed)
        self.assertIn(self.security, found("ninh an"))
        self.assertIn(self.security, found("bao dam"))

    def test_quoted_phrase_is_contiguous(self):
        self.assertEqual(found('"ninh an"'), [self.reversed])
        self.assertNotIn(self.reversed, found('"an ninh"'))
        self.assertEqual(found('"bao dam"'), [])
        self.assertEqual(found("“bao dam”"), [])  # typographic quotes

    def test_whole_words_only(self):
        self.assertEqual(found("ninh tr"), [])  # "ninh trật" is not "ninh tr…"
        self.assertNotIn(self.upper, found("khoi si"))

    def test_quoted_phrase_does_not_span_headline_and_lead(self):
        # "… dịp Tết" + "Công an …": "tet cong" is in no one part, but both words are there.
        self.assertEqual(found('"tet cong"'), [])
        self.assertEqual(found("tet cong"), [self.security])

    def test_ranking_headline_lead_body_then_newest(self):
        # phrase in the headline; in the body or lead, newest first; the words apart
        self.assertEqual(
            found("an ninh"), [self.security, self.in_body, self.in_lead, self.reversed]
        )
        newer = make_article(headline="Bảo đảm an ninh biên giới")
        self.assertEqual(found("an ninh")[:2], [newer, self.security])
        ranks = [a.search_rank for a in search(Article.objects.published(), "an ninh")]
        self.assertEqual(ranks, sorted(ranks, reverse=True))

    def test_non_public_articles_never_found(self):
        future = timezone.now() + timedelta(days=1)
        hidden = [
            make_article(headline="Đảm bảo an ninh nháp", status=Article.Status.DRAFT),
            make_article(
                headline="Đảm bảo an ninh hẹn giờ",
                status=Article.Status.SCHEDULED,
                published_at=future,
            ),
            make_article(headline="Đảm bảo an ninh đã gỡ", status=Article.Status.WITHDRAWN),
        ]
        results = found("dam bao an ninh")
        for article in hidden:
            self.assertNotIn(article, results)
        response = self.client.get(URL, {"q": "dam bao an ninh"})
        self.assertNotContains(response, "nháp")
        self.assertNotContains(response, "hẹn giờ")
        self.assertNotContains(response, "đã gỡ")

    def test_search_text_follows_edits(self):
        self.in_body.body = "<p>Nội dung mới về giao thông.</p>"
        self.in_body.save()
        self.assertEqual(found("giao thong"), [self.in_body])
        self.assertNotIn(self.in_body, found("an ninh"))

    def test_search_document(self):
        self.assertEqual(
            search_document("Đảm bảo: an-ninh!", "Sapo", "<p>A&amp;B</p><p>c_d</p>", ["Thời sự"]),
            "dam bao an ninh | sapo | a b c d | thoi su",
        )

    def test_quotes_and_plain_words_mix(self):
        self.assertEqual(
            parse_query('"an ninh" Hà Nội'), [("an", "ninh"), ("ha",), ("noi",)]
        )
        self.assertEqual(parse_query('dam "bao an'), [("dam",), ("bao", "an")])  # unclosed
        self.assertEqual(parse_query('"" an'), [("an",)])

    def test_invalid_queries_raise(self):
        for query in ["", "  ", "x" * 201, "%_!", "\x00"]:
            with self.subTest(query=query), self.assertRaises(InvalidQuery):
                search(Article.objects.all(), query)

    def test_percent_and_underscore_are_literal(self):
        make_article(headline="Lãi suất 100% năm", lead="")
        self.assertEqual(found("100%"), found("100"))
        self.assertEqual(len(found("100")), 1)


class HighlightTests(TestCase):
    def test_folded_matches_map_back_to_accented_text(self):
        text = "Tỉnh đề ra nhiệm vụ Đảm Bảo an ninh."
        self.assertEqual(find_matches(text, ["dam", "bao"]), [(20, 27)])
        self.assertEqual(
            highlight(text, ["dam", "bao"]),
            "Tỉnh đề ra nhiệm vụ <mark>Đảm Bảo</mark> an ninh.",
        )

    def test_nfd_text_and_expanding_letters(self):
        text = unicodedata.normalize("NFD", "đảm bảo") + " Straße an"
        self.assertEqual(highlight(text, ["an"]), text.replace(" an", " <mark>an</mark>"))
        self.assertIn("<mark>Straße</mark>", highlight(text, ["strasse"]))

    def test_everything_escaped(self):
        self.assertEqual(
            highlight("<b>an ninh</b> & an", ["an"]),
            "&lt;b&gt;<mark>an</mark> ninh&lt;/b&gt; &amp; <mark>an</mark>",
        )


class SearchViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(
            headline="<script>alert('đảm bảo')</script> Đảm bảo an ninh",
            lead="Sở Giao thông vận tải họp.",
            body="<p>" + "Chữ đệm. " * 30 + "Mục tiêu là <em>đảm bảo an ninh</em> trật tự.</p>",
        )

    def test_results_highlighted_and_escaped(self):
        response = self.client.get(URL, {"q": "dam bao an ninh"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;")
        self.assertContains(response, "<mark>Đảm bảo an ninh</mark>")  # headline
        self.assertContains(response, "là <mark>đảm bảo an ninh</mark> trật tự")  # body snippet
        self.assertContains(response, "…")  # snippet starts mid-body
        self.assertContains(response, 'value="dam bao an ninh"')

    def test_snippet_from_lead(self):
        response = self.client.get(URL, {"q": "giao thông"})
        self.assertContains(response, "Sở <mark>Giao thông</mark> vận tải họp.")

    def test_no_results_message_and_latest_articles(self):
        response = self.client.get(URL, {"q": "không hề có"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Không tìm thấy bài nào")
        self.assertContains(response, "Bài mới nhất")
        self.assertEqual(list(response.context["latest"]), [self.article])

    def test_hostile_queries_get_a_page(self):
        for query in HOSTILE:
            with self.subTest(query=query):
                response = self.client.get(URL, {"q": query})
                self.assertEqual(response.status_code, 200)
                # a reason, "no results", or results (an operator among words is ignored)
                content = response.content.decode()
                self.assertTrue('class="search-message"' in content or "search-count" in content)
                self.assertNotContains(response, "<script>alert(1)")

    def test_messages_translated(self):
        self.assertContains(self.client.get(URL), "Hãy nhập từ cần tìm.")
        self.assertContains(self.client.get(URL, {"q": "x" * 201}), "dài quá 200 ký tự")
        self.assertContains(self.client.get(URL, {"q": "&|!"}), "ít nhất một chữ hoặc số")

    def test_masthead_search_box(self):
        response = self.client.get(reverse("articles:home"))
        self.assertContains(response, f'action="{URL}"')


@override_settings(NEWSROOM={**__import__("django.conf").conf.settings.NEWSROOM, "PAGE_SIZE": 2})
class SearchPaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.articles = [
            make_article(headline=f"Học sinh giỏi số {i}", published_at=now - timedelta(hours=i))
            for i in range(5)
        ]

    def test_pages_keep_the_query(self):
        first = self.client.get(URL, {"q": "hoc sinh"})
        self.assertEqual(list(first.context["page"].object_list), self.articles[:2])
        self.assertContains(first, "?q=hoc%20sinh&amp;p=2")
        last = self.client.get(URL, {"q": "hoc sinh", "p": 3})
        self.assertEqual(list(last.context["page"].object_list), self.articles[4:])
        self.assertEqual(self.client.get(URL, {"q": "hoc sinh", "p": 9}).status_code, 404)

    @unittest.skipUnless(connection.vendor == "postgresql", "ranked ids are PostgreSQL only")
    def test_a_page_loads_only_its_own_rows(self):
        with CaptureQueriesContext(connection) as queries:
            self.client.get(URL, {"q": "hoc sinh", "p": 2})
        [page_query] = [
            q["sql"] for q in queries if "articles_section" in q["sql"] and "IN (" in q["sql"]
        ]
        wanted = {str(a.pk) for a in self.articles[2:4]}
        others = {str(a.pk) for a in self.articles} - wanted
        ids = re.search(r'"id" IN \(([^)]*)\)', page_query).group(1)
        listed = set(ids.replace(" ", "").split(","))
        self.assertEqual(listed, wanted)
        self.assertFalse(listed & others)
        self.assertNotIn("CASE", page_query)

    @unittest.skipUnless(connection.vendor == "postgresql", "ranked ids are PostgreSQL only")
    def test_ranked_ids_skip_articles_gone_since_the_search(self):
        found = find(Article.objects.published(), "hoc sinh")
        listing = found.listing()
        Article.objects.filter(pk=self.articles[1].pk).update(status=Article.Status.DRAFT)
        self.assertEqual(list(listing[0:3]), [self.articles[0], self.articles[2]])


class SearchQueryBudgetTests(TestCase):
    def test_fixed_number_of_queries(self):
        section = make_section("Giáo dục")
        photo = make_photo()
        # the ranked ids, the page, its photos, sections.
        expected = 4
        for n in (1, 20):
            for i in range(n):
                article = make_article(headline=f"Tuyển sinh lớp {n}-{i}", section=section)
                add_photo(article, photo, is_lead=True)
            cache.delete(MENU_KEY)  # the section menu, read once then cached
            with self.subTest(n=n), self.assertNumQueries(expected):
                response = self.client.get(URL, {"q": f"tuyen sinh lop {n}"})
                self.assertEqual(response.status_code, 200)
            self.assertEqual(len(response.context["results"]), n)


class EditDistanceTests(SimpleTestCase):
    def test_edits(self):
        self.assertEqual(edit_distance("nghiep", "nghiep"), 0)
        self.assertEqual(edit_distance("ngheip", "nghiep"), 1)  # two letters swapped
        self.assertEqual(edit_distance("nghep", "nghiep"), 1)
        self.assertEqual(edit_distance("khanh", "khach"), 1)
        self.assertEqual(edit_distance("nhgeip", "nghiep"), 2)
        self.assertEqual(edit_distance("", "an"), 2)

    def test_short_words_and_numbers_are_not_corrected(self):
        self.assertEqual(max_edits("an"), 0)
        self.assertEqual(max_edits("2025"), 0)
        self.assertEqual(max_edits("h5n1"), 0)
        self.assertEqual(max_edits("nghiep"), 1)
        self.assertEqual(max_edits("infrastructure"), 2)


def archive_words(*words):
    """The words of ``words`` the word list counts, with their counts."""
    return dict(SearchTerm.objects.filter(word__in=words, count__gt=0).values_list("word", "count"))


class KeywordTests(TestCase):
    """The issue's keywords: every word anywhere, across every field."""

    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.spread = make_article(
            headline="Tỉnh phát động phong trào mới",
            lead="Nông dân cù lao hưởng ứng chuyển đổi cây trồng.",
            body="<p>Nội dung khác.</p>",
            published_at=now - timedelta(hours=3),
        )
        cls.labelled = make_article(
            headline="Một bản tin",
            lead="Không có từ cần tìm.",
            section=make_section("Kinh tế biển"),
            tags=["Xâm nhập mặn"],
            published_at=now - timedelta(hours=2),
        )
        add_credit(cls.labelled, make_contributor("Trần Quốc Tuấn"))
        add_credit(cls.labelled, name="TTXVN", role_label="Nguồn", order=1)

    def test_three_words_spread_over_headline_and_lead(self):
        self.assertEqual(found("cù lao phong trào"), [self.spread])
        self.assertEqual(found("trao phong lao cu"), [self.spread])
        self.assertEqual(found('"cu lao" phong trào'), [self.spread])
        self.assertEqual(found('"lao cu" phong'), [])

    def test_tags_section_and_byline(self):
        for query in ("xâm nhập mặn", "kinh te bien", "tran quoc tuan", "TTXVN", "mặn biển ttxvn"):
            with self.subTest(query=query):
                self.assertEqual(found(query), [self.labelled])

    def test_labels_follow_tag_and_credit_changes(self):
        self.labelled.tags.set(["Du lịch"])
        self.labelled.credits.filter(name="TTXVN").delete()
        self.assertEqual(found("du lich"), [self.labelled])
        self.assertEqual(found("xam nhap man"), [])
        self.assertEqual(found("ttxvn"), [])
        self.assertEqual(archive_words("ttxvn", "lich"), {"lich": 1})


class RankingTests(TestCase):
    def test_phrase_then_headline_words_then_the_rest_newest_on_ties(self):
        now = timezone.now()

        def article(hours, **fields):
            return make_article(published_at=now - timedelta(hours=hours), **fields)

        rest_new = article(1, headline="Tin vắn", lead="Sinh hoạt của học viên.")
        phrase_lead = article(5, headline="Tin sáng", lead="Tỉnh có thêm trường học sinh thái.")
        words_headline = article(4, headline="Sinh viên học nghề")
        phrase_headline_old = article(9, headline="Học sinh giỏi cấp tỉnh")
        phrase_headline_new = article(2, headline="Học sinh đi học")
        rest_old = article(8, headline="Tin chiều", lead="Sinh hoạt", body="<p>Tự học</p>")
        results = search(Article.objects.published(), "hoc sinh", fuzzy=False)
        self.assertEqual(
            list(results),
            [phrase_headline_new, phrase_headline_old, phrase_lead, words_headline, rest_new,
             rest_old],
        )
        self.assertEqual(
            [a.search_rank for a in results],
            [PHRASE_HEADLINE, PHRASE_HEADLINE, PHRASE, HEADLINE_WORDS, WORDS, WORDS],
        )


class CorrectionTests(TestCase):
    """Typos and unfinished words, from the word list, on both databases."""

    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.farming = make_article(
            headline="Phát triển nông nghiệp công nghệ cao",
            lead="Nông dân vùng cù lao chuyển đổi cây trồng.",
            published_at=now - timedelta(hours=2),
        )
        cls.customers = make_article(
            headline="Khách hàng xếp hàng mua vé tàu Tết", published_at=now - timedelta(hours=1)
        )
        cls.inspection = make_article(headline="Thanh tra việc cấp phép xây dựng")

    def test_words_of_the_archive_follow_saves_and_deletes(self):
        self.assertEqual(archive_words("nghiep", "khach", "hang"), {
            "nghiep": 1, "khach": 1, "hang": 1})
        self.farming.body = "<p>Ứng dụng máy bay xạ phân bón.</p>"
        self.farming.save()
        self.assertEqual(archive_words("xa", "phan", "bon"), {"xa": 1, "phan": 1, "bon": 1})
        other = make_article(headline="Phân bón hữu cơ")
        self.assertEqual(archive_words("bon"), {"bon": 2})
        other.delete()
        self.farming.body = ""
        self.farming.save()
        self.assertEqual(archive_words("xa", "phan", "bon"), {})

    def test_typo_is_corrected_and_the_page_says_so(self):
        self.assertEqual(list(search(Article.objects.published(), "nong ngheip")), [self.farming])
        response = self.client.get(URL, {"q": "nông ngheịp"})
        self.assertEqual([r["article"] for r in response.context["results"]], [self.farming])
        self.assertContains(
            response, "Không có bài nào có đủ các từ “nông ngheịp”. Kết quả cho “nông nghiệp”:"
        )
        self.assertContains(response, "Phát triển <mark>nông nghiệp</mark> công nghệ cao")

    def test_unfinished_last_word_is_completed(self):
        self.assertEqual(
            list(search(Article.objects.published(), "phat trien nong ngh")), [self.farming]
        )
        salty = make_article(headline="Xâm nhập mặn sâu 50 km")
        make_article(headline="Triều cường", lead="Nước dâng 2 m.")
        self.assertEqual(list(search(Article.objects.published(), "xâm nhập m")), [salty])
        response = self.client.get(URL, {"q": "phát triển nông ngh"})
        self.assertContains(response, "Kết quả cho “Phát triển nông nghiệp”")
        self.assertContains(response, "<mark>Phát triển nông nghiệp</mark> công")

    def test_the_other_words_choose_among_corrections(self):
        # "khanh" is one edit from both "khach" and "thanh"; only one goes with "hang".
        self.assertEqual(
            list(search(Article.objects.published(), "khanh hang")), [self.customers]
        )
        self.assertEqual(
            list(search(Article.objects.published(), "thamh tra")), [self.inspection]
        )

    def test_nothing_found_suggests_and_shows_the_latest(self):
        response = self.client.get(URL, {"q": "zzzqqq"})
        self.assertEqual(response.context["results"], [])
        self.assertContains(response, "Không tìm thấy bài nào có “zzzqqq”.")
        self.assertNotIn("suggestion", response.context)
        self.assertEqual(
            list(response.context["latest"]), [self.inspection, self.customers, self.farming]
        )
        # A word no article holds (nor anything close): the rest is suggested.
        response = self.client.get(URL, {"q": "khach hang zzzqqq"})
        self.assertEqual(response.context["results"], [])
        self.assertContains(response, "Có phải bạn muốn tìm:")
        self.assertEqual(response.context["suggestion"], "Khách hàng")
        self.assertContains(response, 'href="?q=Kh%C3%A1ch%20h%C3%A0ng"')

    def test_words_of_unpublished_articles_are_never_shown(self):
        make_article(headline="Dự thảo quyhoạchmật", status=Article.Status.DRAFT)
        self.assertEqual(archive_words("quyhoachmat"), {"quyhoachmat": 1})
        response = self.client.get(URL, {"q": "quyhoachmta"})
        self.assertEqual(response.context["results"], [])
        self.assertContains(response, "Không tìm thấy bài nào có “quyhoachmta”.")
        self.assertNotContains(response, "quyhoạchmật")
        self.assertNotContains(response, "quyhoachmat")

    def test_unpublished_words_never_change_a_readers_search(self):
        published = Article.objects.published()
        make_article(headline="Ngheipsecret nghiepp", status=Article.Status.DRAFT)
        self.assertEqual(list(search(published, "nong ngheip")), [self.farming])
        self.assertEqual(list(search(published, "nong nghiepp")), [self.farming])

    def test_long_queries_are_not_corrected(self):
        query = "nong ngheip " + " ".join(f"tu{i}" for i in range(8))
        self.assertEqual(list(search(Article.objects.published(), query)), [])

    def test_exact_search_does_not_correct(self):
        self.assertEqual(found("nong ngheip"), [])

    def test_corrected_search_has_a_fixed_number_of_queries(self):
        # search, words, corrected search, page, its photos, sections
        for query in ("nong ngheip", "khanh hang"):
            cache.delete(MENU_KEY)  # the section menu, read once then cached
            with self.subTest(query=query), self.assertNumQueries(6):
                response = self.client.get(URL, {"q": query})
            self.assertEqual(len(response.context["results"]), 1)

    def test_nothing_found_has_a_fixed_number_of_queries(self):
        # search, words, shorter search, its first article, latest, their photos, sections
        cache.delete(MENU_KEY)
        with self.assertNumQueries(7):
            response = self.client.get(URL, {"q": "khach zzzqqq"})
        self.assertEqual(response.context["suggestion"], "Khách")


class AdminSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", is_superuser=True)
        cls.draft = make_article(
            headline="Bản tin nháp", body="<p>Đảm bảo an ninh</p>", status=Article.Status.DRAFT
        )
        cls.public = make_article(headline="Đảm bảo an ninh biên giới")
        cls.other = make_article(headline="Ninh an xã")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_admin_search_is_the_site_search_over_all_statuses(self):
        response = self.client.get(
            reverse("admin:articles_article_changelist"), {"q": "DAM BAO AN NINH"}
        )
        self.assertEqual(response.status_code, 200)
        shown = set(response.context["cl"].result_list)
        self.assertEqual(shown, {self.draft, self.public})

    def test_admin_hostile_query(self):
        response = self.client.get(reverse("admin:articles_article_changelist"), {"q": "%_&|"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(list(response.context["cl"].result_list), [])


@unittest.skipUnless(connection.vendor == "postgresql", "the candidate cap is PostgreSQL only")
class CandidateCapTests(TestCase):
    def test_only_the_newest_candidates_are_ranked(self):
        from unittest import mock

        now = timezone.now()
        articles = [
            make_article(headline=f"Học sinh giỏi {i}", published_at=now - timedelta(hours=i))
            for i in range(3)
        ]
        with mock.patch("articles.search.postgresql.CANDIDATES", 2):
            self.assertEqual(found("hoc sinh"), articles[:2])
            response = self.client.get(URL, {"q": "hoc sinh"})
        self.assertContains(response, "bài mới nhất có đủ các từ cần tìm")
        self.assertNotContains(self.client.get(URL, {"q": "hoc sinh"}), "bài mới nhất có đủ")
