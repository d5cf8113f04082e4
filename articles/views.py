import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import caching
from .bylines import article_byline
from .meta import tag_rows_expression, tags_from_rows
from .models import LIST_DEFERRED, Article, ArticlePhoto, Contributor, Correction, Section, Tag
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
# Old ``?p=N`` list addresses redirect to their rows by time up to this page.
NUMBERED_PAGES = 500


def paginate(request, queryset):
    """The page of ``queryset`` named by ``?p=N``; a bad or missing page is a 404."""
    paginator = Paginator(queryset, settings.NEWSROOM["PAGE_SIZE"])
    try:
        return paginator.page(request.GET.get("p") or 1)
    except InvalidPage:
        raise Http404(_("Không có trang này.")) from None


def home(request):
    """Home: the lead story, the latest list and a block a section, made once
    per change of what home shows (the fragment ``home``) for every reader."""
    main = caching.fragment(
        f"home:{get_language()}", {"home", "nav"}, lambda: _home_main(request)
    )
    return render(request, "articles/home.html", {"main": mark_safe(main)})  # noqa: S308


def _home_main(request):
    now = timezone.now()
    latest = list(Article.objects.published(now).latest_first().list_rows()[:13])
    lead_pk = latest[0].pk if latest else None
    blocks = {}  # the lead story is not repeated in its section's block
    for article in (
        Article.objects.newest_per_section(5, now=now, exclude_pk=lead_pk)
        .list_rows()
        .order_by("section__order", "section__name", "-published_at", "-id")
    ):
        if article.section_id:
            blocks.setdefault(article.section, []).append(article)
    return get_template("articles/includes/home_main.html").render(
        {
            "lead_article": latest[0] if latest else None,
            "latest": latest[1:],
            "section_blocks": list(blocks.items()),
        },
        request,
    )


def article_detail(request, slug, pk):
    """The article page in at most five queries: the article with its section
    and its tags, its related articles, its credits, the photo uses of the
    article and of the related rows together, and its corrections only when it
    has any (the first query says).

    All but the first make the page's content, which is kept as a fragment
    (``caching.fragment``) under the page's own surrogate keys: a page made
    again while its content is unchanged (a reader with reader state, the page
    cache off) runs the first query only."""
    now = timezone.now()
    article = (
        Article.objects.published(now)
        .select_related("section")
        .annotate(
            has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk"))),
            tag_rows=tag_rows_expression(),
        )
        .filter(pk=pk)
        .first()
    )
    if article is None:
        return article_gone(request, pk)
    if slug != article.slug:
        return redirect(article, permanent=True)
    tags = tags_from_rows(article.tag_rows)
    caching.shows(request, article, *tags)  # the page cache's keys (articles/purges.py)
    parts = caching.fragment(
        f"article:{article.pk}:{request.build_absolute_uri('/')}:{get_language()}",
        # "nav" too: it is also the purge of every page (articles.purges).
        {*request.surrogate_keys, f"article-{article.pk}", "nav"},
        lambda: article_parts(request, article, tags, now),
    )
    return render_page(request, article, parts)


def article_parts(request, article, tags, now):
    """The article page's content for the public page: its meta tags and the
    article itself, from the rows of queries 2-5."""
    related = []
    if tags:
        related = list(
            Article.objects.related_to(article, [tag.pk for tag in tags], RELATED_COUNT, now=now)
            .select_related("section")
            .defer(*LIST_DEFERRED)
        )
    credits = list(article.credits.select_related("contributor", "role"))
    related_by_pk = {item.pk: item for item in related}
    photo_uses = []
    for item in related:
        item.lead_photo_uses = []
    for use in ArticlePhoto.objects.filter(
        Q(article=article) | Q(article__in=list(related_by_pk), is_lead=True)
    ).select_related("photo"):
        if use.article_id == article.pk:
            photo_uses.append(use)
        elif not related_by_pk[use.article_id].lead_photo_uses:
            related_by_pk[use.article_id].lead_photo_uses.append(use)
    corrections = list(article.corrections.all()) if article.has_corrections else []
    _prefetched(article, tags=tags, credits=credits, photo_uses=photo_uses, corrections=corrections)
    return render_parts(
        request,
        article,
        credits=credits,
        tags=tags,
        photo_uses=photo_uses,
        corrections=corrections,
        related=related,
    )


def _prefetched(instance, **rows):
    """Record ``rows`` as ``instance``'s prefetched related rows, as
    prefetch_related would, so ``instance.<name>.all()`` reads them."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, loaded in rows.items():
        queryset = getattr(instance, name).get_queryset()
        queryset._result_cache = list(loaded)
        queryset._prefetch_done = True
        cache[name] = queryset


def article_gone(request, pk):
    """410 with a notice for a withdrawn article that readers have seen; 404 otherwise."""
    article = Article.objects.filter(
        pk=pk, status=Article.Status.WITHDRAWN, published_at__lte=timezone.now()
    ).first()
    if article is None:
        raise Http404(_("Không có bài viết này."))
    return render(request, "articles/article_withdrawn.html", {"article": article}, status=410)


def render_article(request, article, *, preview=False, preview_note="", **rows):
    """The article page for ``article`` and its rows (``render_parts``).

    Used for the public page and, with ``preview=True``, for previews of any
    revision (rows built from the snapshot need not be saved): the page is then
    marked ``noindex`` and never cached.
    """
    parts = render_parts(request, article, preview=preview, **rows)
    response = render_page(request, article, parts, preview=preview, preview_note=preview_note)
    if preview:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def render_parts(
    request, article, *, credits, tags, photo_uses, corrections=(), related=(), preview=False
):
    """The article's meta tags (``head``) and the article itself (``main``) as
    HTML: everything on its page but what depends on the reader (comments)."""
    photo_uses = list(photo_uses)
    lead_use = next((use for use in photo_uses if use.is_lead), None)
    inline_uses = [use for use in photo_uses if not use.is_lead]
    url = request.build_absolute_uri(article.get_absolute_url()) if article.pk else ""
    context = {
        "article": article,
        "lead_use": lead_use,
        "body_parts": body_with_photos(article.body, inline_uses),
        "byline": article_byline(credits, photo_uses),
        "corrections": list(corrections),
        "tags": list(tags),
        "related": related,
        "share_url": url,
        "preview": preview,
    }
    return {
        "head": get_template("articles/includes/article_head.html").render(context, request),
        "main": get_template("articles/includes/article_main.html").render(context, request),
    }


def render_page(request, article, parts, *, preview=False, preview_note=""):
    context = {
        "article": article,
        "head": mark_safe(parts["head"]),  # noqa: S308 - rendered by the templates above
        "main": mark_safe(parts["main"]),  # noqa: S308
        "preview": preview,
        "preview_note": preview_note,
    }
    return render(request, "articles/article_detail.html", context)


def keyset_token(published_at, pk):
    """The ``?truoc=`` value of the list page after the row (published_at, pk):
    microseconds since 1970 UTC, a dot, the id (as the comment pages' cursor)."""
    delta = published_at - datetime(1970, 1, 1, tzinfo=UTC)
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}.{pk}"


_KEYSET = re.compile(r"^(-?\d{1,20})\.(\d{1,20})$")


def _keyset(token):
    """(published_at, pk) from a ``?truoc=`` value; a malformed one is a 404."""
    match = _KEYSET.match(token)
    try:
        if match:
            at = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(match[1]))
            return at, int(match[2])
    except OverflowError:
        pass
    raise Http404(_("Không có trang này."))


def _numbered_page(request, rows, size):
    """An old ``?p=N`` address (pages by number, before "Xem tiếp"): a
    permanent redirect to the same rows by time, for the first NUMBERED_PAGES
    pages (an OFFSET walk bounded by that); past them, or past the end, a 404."""
    number = request.GET["p"]
    if not number.isdigit() or not 1 <= int(number) <= NUMBERED_PAGES:
        raise Http404(_("Không có trang này."))
    if int(number) == 1:
        return redirect(request.path, permanent=True)
    start = (int(number) - 1) * size
    around = list(rows.values_list("published_at", "pk")[start - 1 : start + 1])
    if len(around) < 2:  # no row on that page
        raise Http404(_("Không có trang này."))
    return redirect(f"{request.path}?truoc={keyset_token(*around[0])}", permanent=True)


def _article_list(request, template, queryset, show_section=False, **context):
    """A list page by time, newest first: PAGE_SIZE rows, then "Xem tiếp" to the
    rows before the last one shown (``?truoc=``): every page costs what the
    first costs, however deep in the archive, and counts nothing."""
    size = settings.NEWSROOM["PAGE_SIZE"]
    rows = queryset.latest_first()
    if "p" in request.GET:
        return _numbered_page(request, rows, size)
    token = request.GET.get("truoc")
    if token is not None:
        at, pk = _keyset(token)
        rows = rows.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=pk))
        rows = rows.filter(published_at__lte=at)  # the index's range
    listing = caching.fragment(
        f"list:{request.get_full_path()}:{get_language()}:{show_section}",
        {*request.surrogate_keys, "nav"},
        lambda: _listing(request, rows, size, token, show_section),
    )
    if listing is None:
        raise Http404(_("Không có trang này."))
    return render(request, template, {"listing": mark_safe(listing), **context})  # noqa: S308


def _listing(request, rows, size, token, show_section):
    """The rows of a list page and its "Xem tiếp" link, as HTML; None for a
    ``?truoc=`` past the last row."""
    articles = list(rows.list_rows()[: size + 1])
    if token is not None and not articles:
        return None
    more_url = None
    if len(articles) > size:
        articles = articles[:size]
        more_url = f"?truoc={keyset_token(articles[-1].published_at, articles[-1].pk)}"
    context = {
        "articles": articles,
        "more_url": more_url,
        "newest_url": request.path if token is not None else None,
        "show_section": show_section,
    }
    return get_template("articles/includes/article_list.html").render(context, request)


def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    caching.shows_list(request, section)
    articles = Article.objects.published().in_section(section)
    return _article_list(request, "articles/section_detail.html", articles, section=section)


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    caching.shows_list(request, tag)
    articles = Article.objects.published().tagged(tag)
    return _article_list(
        request, "articles/tag_detail.html", articles, show_section=True, tag=tag
    )


def contributor_detail(request, slug):
    contributor = get_object_or_404(Contributor, slug=slug)
    caching.shows_list(request, contributor)
    articles = Article.objects.published().by_contributor(contributor)
    return _article_list(
        request,
        "articles/contributor_detail.html",
        articles,
        show_section=True,
        contributor=contributor,
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
