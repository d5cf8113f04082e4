"""Search on PostgreSQL: full text over the stored, weighted ``search_vector``.

A migration adds ``search_vector``, a stored tsvector generated from the four
parts of ``search_text`` with weights A (headline), B (lead), C (body) and D
(labels: section, tags, bylines), kept inside the table row, with a GIN index.
Only the newest ``CANDIDATES`` (1,000) articles holding every word are ranked,
so a rare and a common query cost about the same.
"""

from collections.abc import Sequence

from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL

from .document import HEADLINE_WORDS, PHRASE, PHRASE_HEADLINE, WORDS, positions

CANDIDATES = 1000  # the newest 1,000 articles holding every word are ranked
WEIGHTS = "ABCD"  # headline, lead, body, labels
MATCH = "search_vector @@ to_tsquery('simple', %s)"


def _lexeme(word, prefix, weight=""):
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    labels = ("*" if prefix else "") + weight
    return f"{quoted}:{labels}" if labels else quoted


def _position(choices, weight=""):
    options = [_lexeme(word, prefix, weight) for word, prefix in choices]
    return options[0] if len(options) == 1 else f"({' | '.join(options)})"


def _every_word(query, weight=""):
    """tsquery text: every position of ``query`` somewhere (in ``weight``'s part)."""
    return " & ".join(_position(choices, weight) for choices in positions(query))


def _phrase(group, weights):
    """tsquery text: ``group``'s positions in a row inside one of ``weights``' parts
    (one phrase per part, so a phrase never spans the end of one part and the
    start of the next)."""
    return " | ".join(
        "(" + " <-> ".join(_position(choices, weight) for choices in group) + ")"
        for weight in weights
    )


def holding(queryset, word):
    """SQL and params: the ids of ``queryset``'s articles holding ``word``."""
    matching = queryset.extra(where=[MATCH], params=[_lexeme(word, False)])  # noqa: S610
    return matching.order_by().values("pk").query.sql_with_params()


def search(queryset, query):
    """``(results or None, ids, capped)`` for a searched query (see
    ``document.as_query`` and ``articles.search.Found``).

    A phrase (``<->``) or weighted tsquery re-checks every hit against its
    tsvector, and the planner misjudges how rare a phrase is. So one query
    takes the newest ``CANDIDATES`` articles holding every word (a plain ``&``
    of the words: the GIN index alone answers it, and the planner estimates it
    well), ranking each on the way: 0 when a quoted group is not a phrase
    there, else ``PHRASE_HEADLINE`` ... ``WORDS``. The results are the ranked
    ids: counting and paging them is a primary-key lookup.
    """
    everything = positions(query)
    quoted = [group for group in query if len(group) > 1]
    checks = [
        (_phrase(everything, "A"), PHRASE_HEADLINE),
        (_phrase(everything, "BCD"), PHRASE),
        (_every_word(query, "A"), HEADLINE_WORDS),
    ]
    rank_sql = "CASE " + " ".join(f"WHEN {MATCH} THEN {rank}" for _q, rank in checks)
    rank_sql += f" ELSE {WORDS} END"
    params = [tsquery for tsquery, _rank in checks]
    if quoted:
        rank_sql = f"CASE WHEN {MATCH} THEN {rank_sql} ELSE 0 END"
        params = [" & ".join(f"({_phrase(group, WEIGHTS)})" for group in quoted), *params]
    rows = list(
        queryset.extra(where=[MATCH], params=[_every_word(query)])  # noqa: S610 - parameter
        .annotate(
            search_rank=RawSQL(rank_sql, params, output_field=IntegerField())  # noqa: S611
        )
        .order_by("-published_at", "-id")
        .values_list("pk", "search_rank")[:CANDIDATES]
    )
    by_rank = {rank: [] for rank in (PHRASE_HEADLINE, PHRASE, HEADLINE_WORDS, WORDS)}
    for pk, rank in rows:
        if rank:
            by_rank[rank].append(pk)
    ids = [pk for pks in by_rank.values() for pk in pks]
    capped = len(rows) == CANDIDATES
    if not ids:
        return None, ids, capped

    def results():
        # Built on demand (the admin's list): a CASE over up to 1,000 ids costs
        # milliseconds of Python that the search page, which pages by id, never needs.
        return (
            queryset.filter(pk__in=ids)
            .annotate(
                search_rank=Case(
                    *(When(pk__in=pks, then=Value(rank)) for rank, pks in by_rank.items() if pks),
                    default=Value(WORDS),
                    output_field=IntegerField(),
                )
            )
            .order_by("-search_rank", "-published_at", "-id")
        )

    return results, ids, capped


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
