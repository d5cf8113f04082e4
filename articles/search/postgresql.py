"""Search on PostgreSQL: full-text phrases with typo and prefix corrections.

A migration adds ``search_vector``, a stored tsvector generated from the three
parts of ``search_text`` with weights A/B/C, kept inside the table row, with a
GIN index. Only the newest ``CANDIDATES`` (1,000) articles holding every word
are ranked, so a rare and a common phrase cost about the same. A word of the
query that is in no article is corrected against ``articles_searchword``, every
word of the archive with a trigram index, kept by triggers: an unfinished last
word becomes a prefix, a typo its nearest words (see ``corrected_phrase``).
"""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL

from .document import BODY, HEADLINE, LEAD, exact_phrase

CANDIDATES = 1000  # the newest 1,000 articles holding every word are ranked
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


def phrase_search(queryset, phrase):
    """``(results or None, ids, capped, candidates)`` for ``phrase`` (see
    ``articles.search.Found``).

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
