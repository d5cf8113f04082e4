"""Article search: accent-insensitive phrase search, ranked headline > lead > body.

Both backends search ``Article.search_text``, the headline, lead and body
folded by ``newsroom.text.fold`` and reduced to words:
"phoi hop dam bao an ninh | sang nay ... | doan mot ...". A query is folded the
same way, so "đảm bảo", "dam bao", "ĐẢM BẢO" and NFD input are one query, and
its words must follow each other inside one part ("an ninh" is not "ninh an").

On PostgreSQL a migration adds ``search_vector``, a stored tsvector generated
from the three parts with weights A/B/C and a GIN index, and a trigram index
on ``headline_folded`` for typos, used only when a word of the query is in
no article (an unfinished last word is first tried as a prefix). Only the
newest ``CANDIDATES`` (1,000) articles holding every word are ranked, so a
rare and a common phrase cost about the same. On SQLite the phrase is a
substring of the padded column. The rank is the best part that holds the
phrase, then newest first.
"""

import html
import re

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, StrIndex, Substr
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from newsroom.text import fold

MAX_QUERY_LENGTH = 200
PART_SEPARATOR = " | "  # between headline, lead and body in search_text
SNIPPET_BEFORE = 80
SNIPPET_AFTER = 160
HEADLINE, LEAD, BODY = 3, 2, 1  # search_rank values
CANDIDATES = 1000  # PostgreSQL ranks the newest 1,000 articles holding every word

_NOT_WORD = re.compile(r"[\W_]+")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


class InvalidQuery(ValueError):
    """A query that cannot be searched; ``str()`` is a message for the reader."""


def words(text):
    """The folded words of ``text``: "Đảm bảo: an-ninh!" -> ["dam", "bao", "an", "ninh"]."""
    return _NOT_WORD.sub(" ", fold(text)).split()


def plain_text(body):
    """The readable text of a (sanitised) rich-text body, one space between blocks."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", body or ""))).strip()


def search_document(headline, lead, body):
    """The value of ``Article.search_text`` for these fields."""
    return PART_SEPARATOR.join(
        " ".join(words(text)) for text in (headline or "", lead or "", plain_text(body))
    )


def parse_query(query):
    """The words to search for, or ``InvalidQuery`` with a reason for the reader."""
    query = (query or "").replace("\x00", "").strip()
    if not query:
        raise InvalidQuery(_("Hãy nhập từ cần tìm."))
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidQuery(
            _("Từ cần tìm dài quá %(max)s ký tự, hãy rút gọn.") % {"max": MAX_QUERY_LENGTH}
        )
    found = words(query)
    if not found:
        raise InvalidQuery(_("Từ cần tìm phải có ít nhất một chữ hoặc số."))
    return found


def search(queryset, query, fuzzy=True):
    """``queryset`` narrowed to the articles matching ``query``, best first.

    Each article gets ``search_rank`` (3 headline, 2 lead, 1 body; 0 for a
    typo match). Raises ``InvalidQuery`` for an empty, overlong or word-less
    query. With ``fuzzy`` and on PostgreSQL, a query with a word that is in no
    article tries its last word as a prefix (an unfinished word), then falls
    back to headlines similar to the query (typos).
    On PostgreSQL only the newest ``CANDIDATES`` articles holding every word
    are ranked (see ``find``).
    """
    return find(queryset, query, fuzzy)[0]


def find(queryset, query, fuzzy=True):
    """``(results, capped)``: ``search()``'s queryset, and whether PostgreSQL
    capped the candidates at ``CANDIDATES`` (older articles were not looked at)."""
    terms = parse_query(query)
    if connection.vendor != "postgresql":
        return _substring_phrase(queryset, terms), False
    found, capped, candidates = _postgresql_phrase(queryset, terms)
    if found is None and fuzzy and not candidates:
        # Some word is in no article: an unfinished last word ("nong ngh"),
        # the phrase with a prefix; else a typo, similar headlines.
        found, capped, _ = _postgresql_phrase(queryset, terms, prefix=True)
        if found is None:
            return _postgresql_similar(queryset, terms), False
    return (queryset.none() if found is None else found), capped


def _postgresql_phrase(queryset, terms, prefix=False):
    """``(results or None, capped, candidates)`` for the phrase ``terms``.

    A phrase (``<->``) or weighted tsquery re-checks every hit against its
    tsvector, and the planner misjudges how rare a phrase is. So one query
    takes the newest ``CANDIDATES`` articles holding every word (a plain ``&``
    of the words: the GIN index alone answers it, and the planner estimates it
    well), ranking each on the way by the part holding the phrase (0: none).
    The results are the ranked ids: counting and paging them is a primary-key
    lookup. ``prefix`` makes the last word a prefix; ``candidates`` is how
    many articles held every word.
    """
    # Terms are \w characters only, so they need no tsquery quoting beyond '…'.
    quoted = [f"'{term}'" for term in terms]
    if prefix:
        quoted[-1] += ":*"

    # One phrase per part, each word carrying the part's weight, so a phrase
    # never spans the end of the headline and the start of the lead.
    def phrase(weight):
        weighted = (f"{q}{weight}" if q.endswith("*") else f"{q}:{weight}" for q in quoted)
        return " <-> ".join(weighted)

    match = "search_vector @@ to_tsquery('simple', %s)"
    rows = list(
        queryset.extra(where=[match], params=[" & ".join(quoted)])  # noqa: S610 - parameter
        .annotate(
            phrase_rank=RawSQL(  # noqa: S611 - constant SQL, the query is a parameter
                f"CASE WHEN {match} THEN {HEADLINE} WHEN {match} THEN {LEAD}"
                f" WHEN {match} THEN {BODY} ELSE 0 END",
                [phrase("A"), phrase("B"), phrase("C")],
                output_field=IntegerField(),
            )
        )
        .order_by("-published_at", "-id")
        .values_list("pk", "phrase_rank")[:CANDIDATES]
    )
    by_rank = {HEADLINE: [], LEAD: [], BODY: []}
    for pk, rank in rows:
        if rank:
            by_rank[rank].append(pk)
    ids = by_rank[HEADLINE] + by_rank[LEAD] + by_rank[BODY]
    capped = len(rows) == CANDIDATES
    if not ids:
        return None, capped, len(rows)
    found = (
        queryset.filter(pk__in=ids)
        .annotate(
            search_rank=Case(
                *(When(pk__in=by_rank[r], then=Value(r)) for r in (HEADLINE, LEAD) if by_rank[r]),
                default=Value(BODY),
                output_field=IntegerField(),
            )
        )
        .order_by("-search_rank", "-published_at", "-id")
    )
    return found, capped, len(rows)


def _postgresql_similar(queryset, terms):
    # The most similar CANDIDATES headlines, found and ordered in one query;
    # the results are those ids in that order.
    text = " ".join(terms)
    ids = list(
        queryset.annotate(
            similarity=RawSQL("word_similarity(%s, headline_folded)", [text])  # noqa: S611
        )
        .extra(where=["%s <%% headline_folded"], params=[text])  # noqa: S610 - parameter
        .order_by("-similarity", "-published_at", "-id")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    if not ids:
        return queryset.none()
    return (
        queryset.filter(pk__in=ids)
        .annotate(
            search_rank=Value(0, output_field=IntegerField()),
            similar_order=RawSQL("array_position(%s::integer[], articles_article.id)", [ids]),  # noqa: S611
        )
        .order_by("similar_order")
    )


def _substring_phrase(queryset, terms):
    # " dam bao " inside " <headline> | <lead> | <body> "; the separator holds
    # no word, so a phrase stays inside one part.
    padded = Concat(Value(" "), F("search_text"), Value(" "))
    at = StrIndex(padded, Value(f" {' '.join(terms)} "))
    lead_starts = StrIndex(padded, Value(PART_SEPARATOR))
    body_starts = lead_starts + StrIndex(
        Substr(padded, lead_starts + len(PART_SEPARATOR)), Value(PART_SEPARATOR)
    )
    return (
        queryset.alias(search_at=at)
        .filter(search_at__gt=0)
        .annotate(
            search_rank=Case(
                When(Q(search_at__lt=lead_starts), then=Value(HEADLINE)),
                When(Q(search_at__lt=body_starts + len(PART_SEPARATOR)), then=Value(LEAD)),
                default=Value(BODY),
                output_field=IntegerField(),
            )
        )
        .order_by("-search_rank", "-published_at", "-id")
    )


# Highlighting


def _folded_with_positions(text):
    """``fold(text)`` and, for each of its characters, the index it came from.

    Folding one character usually gives one character, but not always
    ("ß" -> "ss", a lone combining mark -> ""), hence the map.
    """
    folded, positions = [], []
    for index, char in enumerate(text):
        for out in fold(char):
            folded.append(out)
            positions.append(index)
    return "".join(folded), positions


def _phrase_pattern(terms):
    return re.compile(
        r"(?<![^\W_])" + r"[\W_]+".join(re.escape(term) for term in terms) + r"(?![^\W_])"
    )


def find_matches(text, terms):
    """``(start, end)`` spans of ``text`` (original, accented) where the phrase occurs."""
    folded, positions = _folded_with_positions(text)
    spans = []
    for match in _phrase_pattern(terms).finditer(folded):
        if match.end() > match.start():
            spans.append((positions[match.start()], positions[match.end() - 1] + 1))
    return spans


def highlight(text, terms, start=0, end=None):
    """``text[start:end]``, escaped, with every match wrapped in ``<mark>``."""
    end = len(text) if end is None else end
    out, cursor = [], start
    for left, right in find_matches(text, terms):
        if left < start or right > end:
            continue
        out += [escape(text[cursor:left]), "<mark>", escape(text[left:right]), "</mark>"]
        cursor = right
    out.append(escape(text[cursor:end]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped


def snippet(article, terms):
    """A piece of the lead or body around the first match, highlighted."""
    for text in (article.lead, plain_text(article.body)):
        spans = find_matches(text, terms)
        if spans:
            left, right = spans[0]
            start = max(0, left - SNIPPET_BEFORE)
            end = min(len(text), right + SNIPPET_AFTER)
            if start > 0:  # start and end on a word boundary
                start = text.find(" ", start, left) + 1 or start
            if end < len(text):
                cut = text.rfind(" ", right, end)
                end = cut if cut > right else end
            prefix = "… " if start > 0 else ""
            suffix = " …" if end < len(text) else ""
            return format_html("{}{}{}", prefix, highlight(text, terms, start, end), suffix)
    lead = article.lead[: SNIPPET_BEFORE + SNIPPET_AFTER]
    return highlight(lead, terms)


def search_view(request):
    from .models import Article
    from .views import paginate

    query = request.GET.get("q", "").replace("\x00", "")
    context = {"query": query[: MAX_QUERY_LENGTH * 2], "page": None, "results": []}
    try:
        terms = parse_query(query)
        found, capped = find(Article.objects.published(), query)
        found = found.defer("search_text")
    except InvalidQuery as problem:
        context["message"] = str(problem)
        return render(request, "articles/search.html", context)
    page = paginate(request, found.for_listing())
    context["page"] = page
    context["capped"] = capped
    context["candidates"] = number_format(CANDIDATES, force_grouping=True)
    context["results"] = [
        {
            "article": article,
            "headline": highlight(article.headline, terms),
            "snippet": snippet(article, terms),
        }
        for article in page.object_list
    ]
    if not page.object_list:
        context["message"] = _("Không tìm thấy bài nào có “%(query)s”.") % {"query": query}
    context["page_size"] = settings.NEWSROOM["PAGE_SIZE"]
    return render(request, "articles/search.html", context)
