import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import caching, reads
from .bylines import article_byline
from .meta import tag_rows_expression, tags_from_rows
from .models import LIST_DEFERRED, Article, ArticlePhoto, Contributor, Correction, Section, Tag
from .rendering import body_with_photos
from .search import (
    CANDIDATES,
    MAX_QUERY_LENGTH,
    InvalidQuery,
    find,
    highlight,
    snippet,
    spelled,
)

RELATED_COUNT = 5
SEARCH_LATEST = 10  # the latest articles a search that found nothing shows
# Old ``?p=N`` list addresses redirect to their rows by time up to this page.
NUMBERED_PAGES = 500


def paginate(request, queryset):
    """The page of ``queryset`` named by ``?p=N``; a bad or missing page is a 404."""
    paginator = Paginator(queryset, settings.NEWSROOM["PAGE_SIZE"])
    try:
        return paginator.page(request.GET.get("p") or 1)
    except InvalidPage:
        raise Http404(_("Không có trang này.")) from None


HOME_SECONDARY = 4  # the stories under the lead, with thumbnails
HOME_LATEST = 8  # "Tin mới nhất": headlines only, then "Xem thêm"
SECTION_BLOCK = 5  # a section block: its lead item and four more
RAIL_COUNT = 5  # each list of the article page's rail


def home(request):
    """Home: the lead story, the secondary stories, the latest list and a block
    a section, no article twice; made once per change of what home shows (the
    fragment ``home``) for every reader."""
    main = caching.fragment(
        f"home:{get_language()}", {"home", "nav"}, lambda: _home_main(request)
    )
    return render(
        request, "articles/home.html", {"main": mark_safe(main), "nav_current": "home"}  # noqa: S308
    )


def _home_main(request):
    now = timezone.now()
    shown = 1 + HOME_SECONDARY + HOME_LATEST
    top = list(Article.objects.published(now).latest_first().list_rows()[:shown])
    # The lead is the newest story with a photo among the newest few, else the newest.
    with_photo = (article for article in top[: 1 + HOME_SECONDARY] if article.lead_photo_use())
    lead = next(with_photo, top[0] if top else None)
    rest = [article for article in top if article is not lead]
    blocks = {}  # nothing above is repeated in the section blocks
    for article in (
        Article.objects.newest_per_section(
            SECTION_BLOCK, now=now, exclude_pks=[article.pk for article in top]
        )
        .list_rows()
        .order_by("section__order", "section__name", "-published_at", "-id")
    ):
        if article.section_id:
            blocks.setdefault(article.section, []).append(article)
    return get_template("articles/includes/home_main.html").render(
        {
            "lead_article": lead,
            "secondary": rest[:HOME_SECONDARY],
            "latest": rest[HOME_SECONDARY:],
            "more_latest": len(top) > 1 + HOME_SECONDARY,
            "section_blocks": list(blocks.items()),
        },
        request,
    )


def latest(request):
    """``/tin-moi-nhat/``: every public article, newest first ("Xem thêm" of home's
    latest list), by time as the section pages."""
    caching.shows(request, "home")
    return _article_list(
        request, "articles/latest.html", Article.objects.published(), show_section=True
    )


@csrf_exempt  # a counter of anonymous reads: no state of the reader to protect
@require_POST
def count_read(request, pk):
    """The read beacon (``static/js/reads.js``): one read of article ``pk`` in
    the shared cache, no query (``articles.reads``). Bots (by User-Agent) and
    requests from another site are not counted; the answer is always 204."""
    from_elsewhere = request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin"
    if not from_elsewhere and not reads.is_bot(request.headers.get("User-Agent", "")):
        reads.count(pk)
    return HttpResponse(status=204)


def _newest_ids(now, count, section_id=None):
    """The ids of the ``count`` newest public articles and, with ``section_id``,
    of the section's ``count`` newest, as one ``UNION ALL`` of two ``LIMIT``
    walks (``article_public_time``, ``article_public_section_time``). One
    ``IN`` subquery becomes a semi-join on the primary key; an ``OR`` of two
    would be a filter over every public article."""
    statuses = [str(status) for status in Article.PUBLIC_STATUSES]
    marks = ", ".join(["%s"] * len(statuses))
    newest = (
        "SELECT id FROM (SELECT a.id FROM articles_article a"  # noqa: S608 (bound parameters)
        f" WHERE a.status IN ({marks}) AND a.published_at <= %s{{section}}"
        " ORDER BY a.published_at DESC, a.id DESC LIMIT %s) {name}"
    )
    sql = newest.format(section="", name="site")
    params = [*statuses, now, count]
    if section_id:
        sql += " UNION ALL " + newest.format(section=" AND a.section_id = %s", name="in_section")
        params += [*statuses, now, section_id, count]
    return RawSQL(sql, params)  # noqa: S611


def rail(request, article, now):
    """The article page's rail ("Đọc nhiều", "Tin mới", "Cùng chuyên mục") as
    rows, kept as a fragment shared by every article of the section (the
    article itself is left out when it is rendered): made again when an
    article is published or withdrawn (``home``), the section's list changes,
    or the read ranking is remade (``most-read``, each flush of the counts)."""
    section_id = article.section_id

    def build():
        public = Article.objects.published(now).latest_first()
        rows = list(
            public.filter(pk__in=_newest_ids(now, RAIL_COUNT + 1, section_id)).defer(
                *LIST_DEFERRED
            )
        )
        return {
            "most_read": reads.most_read(now, RAIL_COUNT + 1),
            "newest": rows[: RAIL_COUNT + 1],
            "same_section": [row for row in rows if section_id and row.section_id == section_id][
                : RAIL_COUNT + 1
            ],
        }

    keys = {"home", "nav", reads.MOST_READ_KEY}
    if section_id:
        keys.add(f"list-section-{section_id}")
    rows = caching.fragment(f"rail:{section_id}:{get_language()}", keys, build)

    def others(articles):
        return [item for item in articles if item.pk != article.pk][:RAIL_COUNT]

    return {
        "most_read_day": others(rows["most_read"]["day"]),
        "most_read_week": others(rows["most_read"]["week"]),
        "newest": others(rows["newest"]),
        "same_section": others(rows["same_section"]),
    }


def article_detail(request, slug, pk):
    """The article page in at most five queries for the article: the article
    with its section and its tags, its related articles (or, when it shares no
    tag, its section's), its credits, the photo uses of the article and of the
    related rows together, and its corrections only when it has any (the first
    query says); and three for the rail (``rail``).

    All but the first make the page's content, which is kept as fragments
    (``caching.fragment``): the article's under the page's own surrogate keys,
    the rail's for its section. A page made again while its content is
    unchanged (a reader with reader state, the page cache off) runs the first
    query only."""
    now = timezone.now()
    article = (
        Article.objects.published(now)
        .select_related("section", "section__parent")
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
    return render_page(request, article, parts, rail=rail(request, article, now))


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
    if not related and article.section_id:
        # No tag shared: the section's articles published before this one.
        related = list(
            Article.objects.published(now)
            .filter(section_id=article.section_id, published_at__lte=article.published_at)
            .exclude(pk=article.pk)
            .latest_first()
            .select_related("section")
            .defer(*LIST_DEFERRED)[:RELATED_COUNT]
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


def render_page(request, article, parts, *, preview=False, preview_note="", rail=None):
    section = article.section if article.section_id else None
    context = {
        "article": article,
        "rail": rail,
        "nav_current": (section.parent_id or section.pk) if section else None,
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
    return _article_list(
        request,
        "articles/section_detail.html",
        articles,
        section=section,
        nav_current=section.parent_id or section.pk,
    )


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
    """``/tim-kiem/?q=``: the published articles holding every word of the
    query, highlighted; corrected when none does; when nothing is found, a
    suggestion and the latest articles."""
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
    context["candidates"] = number_format(CANDIDATES, force_grouping=True)
    context["results"] = [
        {
            "article": article,
            "headline": highlight(article.headline, found.query),
            "snippet": snippet(article, found.query),
        }
        for article in page.object_list
    ]
    if not page.object_list:
        context["message"] = _("Không tìm thấy bài nào có “%(query)s”.") % {"query": query}
        if found.suggestion:
            first = (
                Article.objects.published()
                .filter(pk=found.suggestion.ids[0])
                .only("headline", "lead", "body")
                .first()
            )
            if first:
                context["suggestion"] = spelled(first, found.suggestion.query)
        context["latest"] = Article.objects.published().latest_first().list_rows()[
            :SEARCH_LATEST
        ]
    elif found.corrected:
        context["message"] = _(
            "Không có bài nào có đủ các từ “%(query)s”. Kết quả cho “%(match)s”:"
        ) % {"query": query, "match": spelled(page.object_list[0], found.query)}
    context["page_size"] = settings.NEWSROOM["PAGE_SIZE"]
    return render(request, "articles/search.html", context)
