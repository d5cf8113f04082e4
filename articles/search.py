"""Article search: accent-insensitive phrase search, ranked headline > lead > body.

Both backends search ``Article.search_text``, the headline, lead and body
folded by ``newsroom.text.fold`` and reduced to words:
"phoi hop dam bao an ninh | sang nay ... | doan mot ...". A query is folded the
same way, so "đảm bảo", "dam bao", "ĐẢM BẢO" and NFD input are one query, and
its words must follow each other inside one part ("an ninh" is not "ninh an").

On PostgreSQL a migration adds ``search_vector``, a stored tsvector generated
from the three parts with weights A/B/C, kept inside the table row, with a GIN
index. Only the newest ``CANDIDATES`` (1,000) articles holding every word are
ranked, so a rare and a common phrase cost about the same. A word of the query
that is in no article is corrected against ``articles_searchword``, every word
of the archive with a trigram index, kept by triggers: an unfinished last word
becomes a prefix, a typo its nearest words (see ``find``). On SQLite the phrase
is a substring of the padded column, with no corrections. The rank is the best
part that holds the phrase, then newest first.
"""

import functools
import html
import re
from collections.abc import Sequence
from typing import NamedTuple

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

    Each article gets ``search_rank`` (3 headline, 2 lead, 1 body). Raises
    ``InvalidQuery`` for an empty, overlong or word-less query. With ``fuzzy``
    and on PostgreSQL, a query with a word that is in no article is corrected
    (see ``find``). On PostgreSQL only the newest ``CANDIDATES`` articles
    holding every word are ranked.
    """
    return find(queryset, query, fuzzy).results


class Found(NamedTuple):
    """What ``find`` found.

    ``results``: the queryset; ``capped``: PostgreSQL ranked only the newest
    ``CANDIDATES`` articles holding every word; ``phrase``: what was searched,
    one tuple of ``(word, is_prefix)`` choices per position (for
    highlighting); ``corrected``: the phrase is not the query as typed;
    ``ids``: on PostgreSQL, the ids of the results in their order, else
    ``None``; ``searched``: the queryset that was searched.
    """

    results: object
    capped: bool
    phrase: tuple
    corrected: bool
    ids: list | None = None
    searched: object = None

    def listing(self):
        """What the results page paginates: the articles with everything a list
        shows (``for_listing``). On PostgreSQL a page loads only its own rows,
        by id (see ``Ranked``)."""
        if self.ids is None:
            return self.results.defer("search_text").for_listing()
        return Ranked(self.ids, self.searched.defer("search_text").for_listing())


def exact_phrase(terms):
    """The phrase for ``terms`` as typed: one choice per position."""
    return tuple(((term, False),) for term in terms)


def find(queryset, query, fuzzy=True):
    """``search()``'s queryset with what a results page needs: a ``Found``.

    On PostgreSQL with ``fuzzy``, when no article of ``queryset`` holds every
    word of the query, the words are corrected (see ``corrected_phrase``) and
    the phrase is searched again.
    """
    terms = parse_query(query)
    phrase = exact_phrase(terms)
    if connection.vendor != "postgresql":
        return Found(_substring_phrase(queryset, terms), False, phrase, False)
    found, ids, capped, candidates = _postgresql_phrase(queryset, phrase)
    if found is None and fuzzy and not candidates:
        corrected = corrected_phrase(queryset, terms)
        if corrected != phrase:
            found, ids, capped, _ = _postgresql_phrase(queryset, corrected)
            if found is not None:
                return Found(found, capped, corrected, True, ids, queryset)
    if found is None:
        return Found(queryset.none(), False, phrase, False, [], queryset)
    return Found(found, capped, phrase, False, ids, queryset)


# Typos and unfinished words (PostgreSQL)

NEAREST = 100  # words of the archive looked at per unknown word (trigram order)
CHOICES = 5  # corrections kept per unknown word
MAX_CORRECTED_TERMS = 8  # longer queries are searched as typed


def max_edits(term):
    """How many typing mistakes a word may be corrected for: none for short
    words and numbers (too many neighbours), one, two from eight letters."""
    if len(term) < 3 or any(char.isdigit() for char in term):
        return 0
    return 1 if len(term) < 8 else 2


def edit_distance(a, b):
    """Insertions, deletions, substitutions and swaps of two neighbours
    (optimal string alignment): "ngheip" -> "nghiep" is one edit."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char_a != char_b),
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _holding(queryset, tsquery):
    """SQL and params: the ids of ``queryset`` whose vector matches ``tsquery``."""
    matching = queryset.extra(  # noqa: S610 - the tsquery is a parameter
        where=["search_vector @@ to_tsquery('simple', %s)"], params=[tsquery]
    )
    return matching.order_by().values("pk").query.sql_with_params()


def corrected_phrase(queryset, terms):
    """The phrase to search instead of ``terms``, none of ``queryset``'s
    articles holding all of them.

    A word some article of ``queryset`` holds stays as typed. The last word
    also becomes a prefix when it begins a word of the archive (an unfinished
    word: "nong ngh" -> "nong ngh…"; "m" -> "m…"). An unknown word also gets
    the words at most ``max_edits`` away ("ngheip" -> "nghiep") among its
    ``NEAREST`` words by trigram distance in ``articles_searchword``, at most
    ``CHOICES`` of them; the phrase then decides which fits. The word table
    may hold words of drafts and deleted articles: they are only candidates
    the searched articles must then hold, and whether a word is known is
    asked of ``queryset`` itself, so unpublished text never changes what a
    reader's query finds or says. One query.
    Queries of more than ``MAX_CORRECTED_TERMS`` words are not corrected.
    """
    unique = list(dict.fromkeys(terms))
    if len(unique) > MAX_CORRECTED_TERMS:
        return exact_phrase(terms)
    last = terms[-1]
    sql = [
        "SELECT 'near', t.term, w.word FROM unnest(%s::text[]) AS t(term)"
        " CROSS JOIN LATERAL (SELECT word FROM articles_searchword"
        " ORDER BY word <-> t.term LIMIT %s) AS w"
    ]
    params = [unique, NEAREST]
    for term in unique:
        holding, holding_params = _holding(queryset, _tsquery(exact_phrase([term]), "&"))
        sql.append(f"SELECT 'known', %s, NULL::text WHERE EXISTS ({holding})")
        params += [term, *holding_params]
    # Whether the last word begins a word is asked of the word table: a prefix
    # choice only ever matches words the searched articles hold, so a word
    # only drafts hold adds a choice that finds nothing. (As a prefix tsquery
    # on the articles, the planner would scan the table when nothing matches.)
    sql.append(
        "SELECT 'begins', %s, NULL::text"
        " WHERE EXISTS (SELECT 1 FROM articles_searchword WHERE word LIKE %s)"
    )
    params += [last, last.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql), params)
        rows = cursor.fetchall()
    nearest, known, begins = {}, set(), False
    for kind, term, word in rows:
        if kind == "near":
            nearest.setdefault(term, []).append(word)
        elif kind == "known":
            known.add(term)
        else:
            begins = True
    phrase = []
    for position, term in enumerate(terms):
        is_last = position == len(terms) - 1
        if term in known:
            # A known last word may still be unfinished ("m" of "mặn").
            phrase.append(((term, is_last and begins),))
            continue
        choices = [(term, True)] if is_last and begins else []
        limit = max_edits(term)
        close = sorted(
            (distance, order, word)
            for order, word in enumerate(dict.fromkeys(nearest.get(term, [])))
            if 0 < (distance := edit_distance(term, word)) <= limit
        )
        choices += [(word, False) for _d, _o, word in close[:CHOICES]]
        phrase.append(tuple(choices) or ((term, False),))
    return tuple(phrase)


def _tsquery(phrase, operator, weight=""):
    """``phrase`` as tsquery text: positions joined by ``operator`` ("&" or
    "<->"), choices by "|", each lexeme quoted and carrying ``weight``."""

    def lexeme(word, prefix):
        quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
        labels = ("*" if prefix else "") + weight
        return f"{quoted}:{labels}" if labels else quoted

    positions = []
    for choices in phrase:
        options = [lexeme(word, prefix) for word, prefix in choices]
        positions.append(options[0] if len(options) == 1 else f"({' | '.join(options)})")
    return f" {operator} ".join(positions)


def _postgresql_phrase(queryset, phrase):
    """``(results or None, ids, capped, candidates)`` for ``phrase`` (see ``Found``).

    A phrase (``<->``) or weighted tsquery re-checks every hit against its
    tsvector, and the planner misjudges how rare a phrase is. So one query
    takes the newest ``CANDIDATES`` articles holding every word (a plain ``&``
    of the words: the GIN index alone answers it, and the planner estimates it
    well), ranking each on the way by the part holding the phrase (0: none).
    The results are the ranked ids: counting and paging them is a primary-key
    lookup. ``candidates`` is how many articles held every word.
    """
    match = "search_vector @@ to_tsquery('simple', %s)"
    rows = list(
        queryset.extra(where=[match], params=[_tsquery(phrase, "&")])  # noqa: S610 - parameter
        .annotate(
            # One phrase per part, each word carrying the part's weight, so a
            # phrase never spans the end of the headline and the start of the lead.
            phrase_rank=RawSQL(  # noqa: S611 - constant SQL, the query is a parameter
                f"CASE WHEN {match} THEN {HEADLINE} WHEN {match} THEN {LEAD}"
                f" WHEN {match} THEN {BODY} ELSE 0 END",
                [_tsquery(phrase, "<->", weight) for weight in "ABC"],
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
        return None, ids, capped, len(rows)
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
    return found, ids, capped, len(rows)


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


@functools.lru_cache(maxsize=8192)
def _folds_to_one(char):
    return len(fold(char)) == 1


def _folded_with_positions(text):
    """``fold(text)`` and, for each of its characters, the index it came from.

    Folding one character usually gives one character, but not always
    ("ß" -> "ss", a lone combining mark -> ""), hence the map. When every
    character of ``text`` folds to one, the map is the identity (the common
    case: folding whole bodies character by character is slow).
    """
    if all(_folds_to_one(char) for char in set(text)):
        return fold(text), range(len(text))
    folded, positions = [], []
    for index, char in enumerate(text):
        for out in fold(char):
            folded.append(out)
            positions.append(index)
    return "".join(folded), positions


def _as_phrase(terms):
    """A phrase (see ``Found``) from a phrase or a list of folded words."""
    return exact_phrase(terms) if terms and isinstance(terms[0], str) else terms


def _phrase_pattern(terms):
    def choice(word, prefix):
        return re.escape(word) + (r"[^\W_]*" if prefix else "")

    positions = (
        "(?:" + "|".join(choice(word, prefix) for word, prefix in choices) + ")"
        for choices in _as_phrase(terms)
    )
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(positions) + r"(?![^\W_])")


def find_matches(text, terms):
    """``(start, end)`` spans of ``text`` (original, accented) where the phrase
    occurs; ``terms`` is a list of folded words or a phrase (see ``Found``)."""
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


class Ranked(Sequence):
    """The results of a PostgreSQL search for the paginator: their number is
    ``len(ids)``, and a page fetches only its own rows (``queryset``, in the
    order of ``ids``), where the queryset would count and sort all of them."""

    def __init__(self, ids, queryset):
        self.ids, self.queryset = ids, queryset

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._fetch(self.ids[index])
        found = self._fetch([self.ids[index]])
        if not found:  # gone since the search
            raise IndexError(index)
        return found[0]

    def _fetch(self, ids):
        by_id = {article.pk: article for article in self.queryset.filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


def first_match(article, phrase):
    """The text the phrase matched first in ``article``, as written there
    ("nông nghiệp" for the corrected "nong nghiep")."""
    for text in (article.headline, article.lead, plain_text(article.body)):
        spans = find_matches(text, phrase)
        if spans:
            left, right = spans[0]
            return text[left:right]
    return ""
