"""Issue 14, the form and the thread: "Mới nhất / Cũ nhất" on long threads
(keyset pages in both orders), a staff reply with one "Tòa soạn", the button's
and the success text's classes (the browser checks what they look like:
tests/e2e/test_comment_form.py)."""

import html
import re

from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse

from articles import roles
from comments.models import Comment
from tests.comments.test_reading import COMMENT_ID, seed
from tests.factories import make_article, make_comment, make_member

Status = Comment.Status
MORE = re.compile(r'href="(/binh-luan/\d+/\?truoc=[^"#]+)#binh-luan"')


def ids(response):
    return [int(pk) for pk in COMMENT_ID.findall(response.content.decode())]


class SortTests(TestCase):
    def setUp(self):
        cache.clear()
        self.article = make_article()
        self.thread = reverse("comments:thread", args=[self.article.pk])

    def test_a_long_thread_offers_both_orders(self):
        tops, _replies = seed(self.article, 25)
        page = self.client.get(self.article.get_absolute_url())
        self.assertContains(page, "data-comments-sort")
        self.assertContains(
            page, f'href="{self.thread}?sap-xep=cu-nhat#binh-luan" rel="nofollow" data-sort>Cũ nhất'
        )
        self.assertContains(page, 'data-sort aria-current="true">Mới nhất')
        self.assertEqual(ids(page)[0], tops[0].pk)  # newest first

        oldest = self.client.get(self.thread, {"sap-xep": "cu-nhat"})
        self.assertContains(oldest, 'data-sort aria-current="true">Cũ nhất')
        self.assertEqual(ids(oldest)[:2], [tops[24].pk, tops[23].pk])

    def test_oldest_first_pages_through_every_comment_once_even_with_ties(self):
        tops, _replies = seed(self.article, 45, same_time_every=4)
        seen = []
        url = f"{self.thread}?sap-xep=cu-nhat"
        while url:
            response = self.client.get(html.unescape(url))
            self.assertEqual(response.status_code, 200)
            seen += ids(response)
            more = MORE.search(response.content.decode())
            url = more[1] if more else None
            if url:
                self.assertIn("sap-xep=cu-nhat", html.unescape(url))
        self.assertEqual(len(seen), 45)
        self.assertEqual(set(seen), {top.pk for top in tops})
        times = {top.pk: (top.created_at, top.pk) for top in tops}
        self.assertEqual(seen, sorted(seen, key=times.get))

    def test_the_fragment_follows_the_order(self):
        tops, _replies = seed(self.article, 25)
        fragment = self.client.get(self.thread, {"sap-xep": "cu-nhat", "fragment": "1"})
        self.assertEqual(ids(fragment)[0], tops[24].pk)
        self.assertNotContains(fragment, "data-comments-sort")

    def test_a_short_thread_has_no_sorting(self):
        seed(self.article, 5)
        self.assertNotContains(self.client.get(self.article.get_absolute_url()), "data-sort")


class StaffReplyTests(TestCase):
    def test_a_staff_reply_says_toa_soan_once(self):
        article = make_article()
        editor = make_member(roles.EDITORS, "bientap")
        top = make_comment(article, Status.PUBLISHED, name="Trần An", body="Khi nào sửa đường?")
        reply = make_comment(
            article, Status.PUBLISHED, name="Tòa soạn", body="Tháng sau.", parent=top,
            staff_user=editor,
        )
        page = self.client.get(article.get_absolute_url()).content.decode()
        start = page.index(f'id="binh-luan-{reply.pk}"')
        header = page[start : page.index("</header>", start)]
        self.assertEqual(header.count("Tòa soạn"), 1)
        self.assertIn('<span class="comment__badge">Tòa soạn</span>', header)
        self.assertIn("Trần An", page)


class FormClassesTests(TestCase):
    def test_the_buttons_carry_the_sites_button_class(self):
        article = make_article()
        comment = make_comment(article, Status.PUBLISHED)
        page = self.client.get(article.get_absolute_url())
        button = '<button class="comment-form__button" type="submit">'
        self.assertContains(page, button + "Gửi bình luận")
        report = self.client.get(reverse("comments:report", args=[comment.pk]))
        self.assertContains(report, button + "Gửi báo cáo")
