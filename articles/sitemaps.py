"""Sitemaps (articles by month, sections, tags; the Google News sitemap) and robots.txt."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import EmptyPage
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from . import sitemap_months
from .meta import absolute, local, meta_for, modified_expression
from .models import (
    Article,
    Section,
    Tag,
    TaggedArticle,
    public_tagged_params,
    public_tagged_rows,
)
from .sitemap_months import after, month_rows, month_start, page_starts, public_months
from .views import _keyset as keyset_from_token
from .views import keyset_token

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


class SiteSitemap(Sitemap):
    """Locations on the public site (NEWSROOM SITE_URL), whatever host was asked."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.NEWSROOM["SITE_URL"]).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.NEWSROOM["SITE_URL"]).netloc


class MonthSitemap(SiteSitemap):
    """One page of a month's public articles (``sitemap_months.month_rows``),
    already loaded: at most ``MONTH_LIMIT`` rows, one query, no count, no OFFSET.

    ``get_urls`` builds only a location and a lastmod a row, the lastmod already
    in W3C form for ``sitemaps/month.xml``: the generic path (paginator, every
    optional attribute, the template's ``date`` filter) was most of the time of
    a month's page of a few thousand URLs."""

    def __init__(self, articles):
        self.articles = articles

    def items(self):
        return self.articles

    def lastmod(self, item):
        return local(item.modified)

    def get_urls(self, page=1, site=None, protocol=None):
        if str(page) != "1":  # one page: the next one is ``?sau=``
            raise EmptyPage
        base = f"{self.get_protocol()}://{self.get_domain()}"
        urls = [
            {"location": base + item.get_absolute_url(), "lastmod": self.lastmod(item)}
            for item in self.articles
        ]
        for url in urls:
            url["w3c"] = url["lastmod"].isoformat()
        self.latest_lastmod = max(url["lastmod"] for url in urls) if urls else None
        return urls


class SectionSitemap(SiteSitemap):
    def items(self):
        return Section.objects.all()


class TagSitemap(SiteSitemap):
    def items(self):
        # Only tags readers can see: a draft's tags must not leak its subject.
        # One probe a tag (its newest tagged rows, article_tag_newest) until a
        # public article turns up, not a join of every tagged article.
        now = timezone.now()
        if connection.vendor == "postgresql":
            first = RawSQL(  # noqa: S611 (constant SQL, bound parameters)
                f"SELECT ta.content_object_id {public_tagged_rows()}"
                " WHERE ta.tag_id = articles_tag.id ORDER BY ta.content_object_id DESC LIMIT 1",
                public_tagged_params(now),
            )
        else:
            public = TaggedArticle.objects.filter(
                tag=OuterRef("pk"),
                content_object__status__in=Article.PUBLIC_STATUSES,
                content_object__published_at__lte=now,
            )
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


SITEMAPS = {"sections": SectionSitemap, "tags": TagSitemap}
NEWS_SITEMAPS = {"news": NewsSitemap}


def month_location(month, key=None):
    """The address of ``month``'s sitemap (its page after ``key``), on the site."""
    start = month.start
    url = reverse("sitemap_month", args=[f"{start.year:04d}", f"{start.month:02d}"])
    return absolute(url + (f"?sau={keyset_token(*key)}" if key else ""))


@sitemap_views.x_robots_tag
def sitemap_index(request):
    """The article sitemaps, one a month with public articles (newest first, each
    with its ``lastmod``; the pages of a month split past ``MONTH_LIMIT`` each
    carry the month's), then the sections and tags sitemaps: one query for the
    months (``sitemap_months.public_months``) and one count each for the others,
    however big the archive. Locations are on the public site (NEWSROOM SITE_URL),
    like the sitemaps' own, not on the host that was asked."""
    entries = []
    now = timezone.now()
    for month in public_months(now):
        for key in page_starts(month, now):
            entries.append(SitemapIndexItem(month_location(month, key), month.lastmod))
    for section, sitemap in SITEMAPS.items():
        location = absolute(reverse("sitemap_section", kwargs={"section": section}))
        pages = sitemap().paginator.num_pages
        entries.append(SitemapIndexItem(location))
        entries += [SitemapIndexItem(f"{location}?p={page}") for page in range(2, pages + 1)]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def month_sitemap(request, year, month):
    """A month's public articles, oldest first, with their ``lastmod``, in one
    query; past ``MONTH_LIMIT`` the rest are on the page after the last row
    (``?sau=``, as the index lists them). A month with no public articles, or a
    page past its last article, is not found."""
    try:
        rows = month_rows(month_start(int(year), int(month)))
    except (ValueError, OverflowError):  # month 13, year 0 or 9999's December
        raise Http404 from None
    token = request.GET.get("sau")
    if token is not None:
        rows = after(rows, keyset_from_token(token))
    # Only what location() and lastmod() read; ArticleMeta.modified, in SQL.
    rows = rows.only("slug").annotate(modified=modified_expression())
    articles = list(rows[: sitemap_months.MONTH_LIMIT])
    if not articles:
        raise Http404
    return sitemap_views.sitemap(
        request, {"articles": MonthSitemap(articles)}, section="articles",
        template_name="sitemaps/month.xml",
    )


def old_article_sitemap(request):
    """``/sitemap-articles.xml?p=N``, the article sitemap paged by 5,000 before
    the months: its pages no longer exist as such; the index lists them all."""
    return HttpResponsePermanentRedirect(reverse("sitemap_index"))


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
