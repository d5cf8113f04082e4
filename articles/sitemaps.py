"""Sitemaps (articles, sections, tags; the Google News sitemap) and robots.txt."""

from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from .meta import absolute, local, meta_for, modified_expression
from .models import Article, Correction, Section, Tag, TaggedArticle

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000
ARTICLES_PER_PAGE = 5000


class SiteSitemap(Sitemap):
    """Locations on the public site (NEWSROOM SITE_URL), whatever host was asked."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.NEWSROOM["SITE_URL"]).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.NEWSROOM["SITE_URL"]).netloc


class ArticleSitemap(SiteSitemap):
    limit = ARTICLES_PER_PAGE

    def items(self):
        # Only what location() and lastmod() read; ArticleMeta.modified, in SQL.
        return (
            Article.objects.published()
            .latest_first()
            .only("slug")
            .annotate(modified=modified_expression())
        )

    def lastmod(self, item):
        return local(item.modified)

    def get_latest_lastmod(self):
        """The latest ``modified`` of any public article, from four index probes
        in one query (not ``modified`` of every article): the latest publication,
        first publication, editorial update and correction."""
        public = Article.objects.published()

        def newest(rows, field):
            rows = rows.filter(**{f"{field}__isnull": False}).order_by(f"-{field}")
            return Subquery(rows.values(field)[:1])

        corrections = Correction.objects.filter(article__in=public.values("pk"))
        row = (
            public.latest_first()
            .annotate(
                first=newest(public, "first_published_at"),
                updated=newest(public, "updated_at"),
                corrected=newest(corrections, "published_at"),
            )
            .values_list("published_at", "first", "updated", "corrected")
            .first()
        )
        return row and local(max(moment for moment in row if moment))


class SectionSitemap(SiteSitemap):
    def items(self):
        return Section.objects.all()


class TagSitemap(SiteSitemap):
    def items(self):
        # Only tags readers can see: a draft's tags must not leak its subject.
        # One probe a tag (its newest tagged rows, article_tag_newest) until a
        # public article turns up, not a join of every tagged article.
        public = TaggedArticle.objects.filter(
            tag=OuterRef("pk"),
            content_object__status__in=Article.PUBLIC_STATUSES,
            content_object__published_at__lte=timezone.now(),
        )
        # A scalar subquery with LIMIT 1: PostgreSQL cannot turn it into a join.
        first = Subquery(public.values("content_object")[:1])
        return Tag.objects.annotate(shown_on=first).filter(shown_on__isnull=False).order_by("name")


class NewsSitemap(SiteSitemap):
    """Google News: articles first published in the last two days, at most 1,000."""

    limit = NEWS_LIMIT

    def items(self):
        cutoff = timezone.now() - NEWS_WINDOW
        return list(
            Article.objects.published()
            .annotate(first_published=Coalesce("first_published_at", "published_at"))
            .filter(first_published__gte=cutoff)
            .order_by("-first_published", "-id")
            .select_related("section")
            .prefetch_related("corrections")[:NEWS_LIMIT]
        )

    def lastmod(self, item):
        return meta_for(item).modified

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            url["news"] = meta_for(url["item"]).news_entry()
        return urls


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "tags": TagSitemap}
NEWS_SITEMAPS = {"news": NewsSitemap}


def sitemap_index(request, **kwargs):
    """Django's sitemap index, its locations on the public site (NEWSROOM
    SITE_URL) like the sitemaps' own, not on the host that was asked."""
    response = sitemap_views.index(request, **kwargs)
    for entry in response.context_data["sitemaps"]:
        url = urlsplit(entry.location)
        entry.location = absolute(urlunsplit(url._replace(scheme="", netloc="")))
    return response


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /xem-truoc/",
        "Disallow: /binh-luan/",
        "",
        f"Sitemap: {absolute(reverse('sitemap_index'))}",
        f"Sitemap: {absolute(reverse('news_sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
