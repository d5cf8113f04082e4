from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import caching
from .bylines import render_byline
from .meta import with_article_rows
from .models import Article, Contributor, Section, Tag
from .rendering import body_with_photos
from .search import (
    MAX_QUERY_LENGTH,
    InvalidQuery,
    find,
    first_match,
    highlight,
    postgresql,
    snippet,
)

RELATED_COUNT = 5


def paginate(request, queryset):
    """The page of ``queryset`` named by ``?p=N``; a bad or missing page is a 404."""
    paginator = Paginator(queryset, settings.NEWSROOM["PAGE_SIZE"])
    try:
        return paginator.page(request.GET.get("p") or 1)
    except InvalidPage:
        raise Http404(_("Không có trang này.")) from None


def home(request):
    published = Article.objects.published()
    latest = list(published.latest_first().for_listing()[:13])
    lead_pk = latest[0].pk if latest else None
    blocks = {}  # the lead story is not repeated in its section's block
    for article in (
        published.exclude(pk=lead_pk)
        .top_per_section(5)
        .for_listing()
        .order_by("section__order", "section__name", "-published_at", "-id")
    ):
        if article.section_id:
            blocks.setdefault(article.section, []).append(article)
    return render(
        request,
        "articles/home.html",
        {
            "lead_article": latest[0] if latest else None,
            "latest": latest[1:],
            "section_blocks": list(blocks.items()),
        },
    )


def article_detail(request, slug, pk):
    article = with_article_rows(Article.objects.published()).filter(pk=pk).first()
    if article is None:
        return article_gone(request, pk)
    if slug != article.slug:
        return redirect(article, permanent=True)
    tags = list(article.tags.all())
    caching.shows(request, article, *tags)  # the page cache's keys (articles/purges.py)
    related = []
    if tags:
        related = (
            Article.objects.published()
            .filter(tags__in=tags)
            .exclude(pk=article.pk)
            .annotate(shared_tags=Count("tags", filter=Q(tags__in=tags)))
            .order_by("-shared_tags", "-published_at", "-id")
            .for_listing()[:RELATED_COUNT]
        )
    return render_article(
        request,
        article,
        credits=article.credits.all(),
        tags=tags,
        photo_uses=article.photo_uses.all(),
        corrections=article.corrections.all(),
        related=related,
    )


def article_gone(request, pk):
    """410 with a notice for a withdrawn article that readers have seen; 404 otherwise."""
    article = Article.objects.filter(
        pk=pk, status=Article.Status.WITHDRAWN, published_at__lte=timezone.now()
    ).first()
    if article is None:
        raise Http404(_("Không có bài viết này."))
    return render(request, "articles/article_withdrawn.html", {"article": article}, status=410)


def render_article(
    request,
    article,
    *,
    credits,
    tags,
    photo_uses,
    corrections=(),
    related=(),
    preview=False,
    preview_note="",
):
    """The article page for ``article`` and its related rows.

    Used for the public page and, with ``preview=True``, for previews of any
    revision (rows built from the snapshot need not be saved): the page is then
    marked ``noindex`` and never cached.
    """
    photo_uses = list(photo_uses)
    lead_use = next((use for use in photo_uses if use.is_lead), None)
    inline_uses = [use for use in photo_uses if not use.is_lead]
    url = request.build_absolute_uri(article.get_absolute_url()) if article.pk else ""
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "lead_use": lead_use,
            "body_parts": body_with_photos(article.body, inline_uses),
            "byline": render_byline(credits),
            "corrections": list(corrections),
            "tags": list(tags),
            "related": related,
            "share_url": url,
            "preview": preview,
            "preview_note": preview_note,
        },
    )
    if preview:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _article_list(request, template, queryset, **context):
    page = paginate(request, queryset.latest_first().for_listing())
    return render(request, template, {"page": page, "articles": page.object_list, **context})


def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    caching.shows_list(request, section)
    articles = Article.objects.published().in_section(section)
    return _article_list(request, "articles/section_detail.html", articles, section=section)


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    caching.shows_list(request, tag)
    articles = Article.objects.published().tagged(tag)
    return _article_list(request, "articles/tag_detail.html", articles, tag=tag)


def contributor_detail(request, slug):
    contributor = get_object_or_404(Contributor, slug=slug)
    caching.shows_list(request, contributor)
    articles = Article.objects.published().by_contributor(contributor)
    return _article_list(
        request, "articles/contributor_detail.html", articles, contributor=contributor
    )


def search(request):
    """``/tim-kiem/?q=``: the published articles matching the query, highlighted."""
    query = request.GET.get("q", "").replace("\x00", "")
    context = {"query": query[: MAX_QUERY_LENGTH * 2], "page": None, "results": []}
    try:
        found = find(Article.objects.published(), query)
    except InvalidQuery as problem:
        context["message"] = str(problem)
        return render(request, "articles/search.html", context)
    page = paginate(request, found.listing())
    context["page"] = page
    context["capped"] = found.capped
    context["candidates"] = number_format(postgresql.CANDIDATES, force_grouping=True)
    context["results"] = [
        {
            "article": article,
            "headline": highlight(article.headline, found.phrase),
            "snippet": snippet(article, found.phrase),
        }
        for article in page.object_list
    ]
    if not page.object_list:
        context["message"] = _("Không tìm thấy bài nào có “%(query)s”.") % {"query": query}
    elif found.corrected:
        context["message"] = _(
            "Không có bài nào có đúng “%(query)s”. Kết quả cho “%(match)s”:"
        ) % {"query": query, "match": first_match(page.object_list[0], found.phrase)}
    context["page_size"] = settings.NEWSROOM["PAGE_SIZE"]
    return render(request, "articles/search.html", context)
