"""What readers see of the workflow: withdrawn articles and corrections."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from articles.models import Article, Correction, WithdrawalReason
from tests.factories import make_article


class WithdrawnArticleTests(TestCase):
    def test_withdrawn_article_answers_410_with_the_public_reason(self):
        article = make_article(headline="Bài bị gỡ")
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.WITHDRAWN, withdrawal_reason=WithdrawalReason.LEGAL
        )
        for url in (article.get_absolute_url(), f"/ten-khac-a{article.pk}.html"):
            with self.subTest(url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 410)
                self.assertContains(response, "Bài viết đã được gỡ", status_code=410)
                self.assertContains(response, WithdrawalReason.LEGAL.label, status_code=410)
                self.assertContains(response, 'content="noindex"', status_code=410)
                self.assertNotContains(response, "Bài bị gỡ", status_code=410)
        # Its revisions and row are kept: withdrawal is not deletion.
        self.assertTrue(Article.objects.filter(pk=article.pk).exists())
        self.assertNotIn(article, Article.objects.published())

    def test_withdrawn_before_it_was_ever_public_is_404(self):
        article = make_article(published_at=timezone.now() + timedelta(hours=1))
        Article.objects.filter(pk=article.pk).update(status=Article.Status.WITHDRAWN)
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)


class CorrectionDisplayTests(TestCase):
    def test_corrections_shown_after_the_byline_with_their_time(self):
        article = make_article(body="<p>Nội dung.</p>", tags=["Thẻ"])
        Correction.objects.create(
            article=article, kind=Correction.Kind.RETRACTION, text="Bài viết nêu sai <tên>.",
            published_at=timezone.make_aware(timezone.datetime(2020, 1, 11, 9, 30)),
        )
        response = self.client.get(article.get_absolute_url())
        html = response.content.decode()
        html = html[html.index("<body") :]  # the page, not its JSON-LD (which has them too)
        self.assertIn("Thông tin cải chính, xin lỗi", html)
        self.assertIn("11/01/2020 - 09:30", html)
        self.assertIn("Bài viết nêu sai &lt;tên&gt;.", html)
        self.assertLess(html.index("Nội dung."), html.index("Thông tin cải chính"))
        self.assertLess(html.index("Thông tin cải chính"), html.index('href="/tag/the/"'))
