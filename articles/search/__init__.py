"""Article search: accent-insensitive phrase search, ranked headline > lead > body."""

from typing import NamedTuple

from django.db import connection

from . import fallback, postgresql
from .document import (
    BODY,
    HEADLINE,
    LEAD,
    MAX_QUERY_LENGTH,
    InvalidQuery,
    exact_phrase,
    parse_query,
    plain_text,
    search_document,
    words,
)
from .highlight import find_matches, first_match, highlight, snippet
from .postgresql import CANDIDATES, Ranked, corrected_phrase, edit_distance, max_edits

__all__ = [
    "BODY",
    "CANDIDATES",
    "HEADLINE",
    "LEAD",
    "MAX_QUERY_LENGTH",
    "Found",
    "InvalidQuery",
    "corrected_phrase",
    "edit_distance",
    "exact_phrase",
    "find",
    "find_matches",
    "first_match",
    "highlight",
    "max_edits",
    "parse_query",
    "plain_text",
    "search",
    "search_document",
    "snippet",
    "words",
]


def search(queryset, query, fuzzy=True):
    """``queryset`` narrowed to the articles matching ``query``, best first.

    Each article gets ``search_rank`` (3 headline, 2 lead, 1 body). Raises
    ``InvalidQuery`` for an empty, overlong or word-less query. With ``fuzzy``
    and on PostgreSQL, a query with a word that is in no article is corrected
    (see ``find``). On PostgreSQL only the newest ``postgresql.CANDIDATES``
    articles holding every word are ranked.
    """
    return find(queryset, query, fuzzy).results


class Found(NamedTuple):
    """What ``find`` found.

    ``results``: the queryset; ``capped``: PostgreSQL ranked only the newest
    ``postgresql.CANDIDATES`` articles holding every word; ``phrase``: what was
    searched, one tuple of ``(word, is_prefix)`` choices per position (for
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
        by id (see ``postgresql.Ranked``)."""
        if self.ids is None:
            return self.results.defer("search_text").for_listing()
        return Ranked(self.ids, self.searched.defer("search_text").for_listing())


def find(queryset, query, fuzzy=True):
    """``search()``'s queryset with what a results page needs: a ``Found``.

    On PostgreSQL with ``fuzzy``, when no article of ``queryset`` holds every
    word of the query, the words are corrected (see
    ``postgresql.corrected_phrase``) and the phrase is searched again.
    """
    terms = parse_query(query)
    phrase = exact_phrase(terms)
    if connection.vendor != "postgresql":
        return Found(fallback.phrase_search(queryset, terms), False, phrase, False)
    found, ids, capped, candidates = postgresql.phrase_search(queryset, phrase)
    if found is None and fuzzy and not candidates:
        corrected = postgresql.corrected_phrase(queryset, terms)
        if corrected != phrase:
            found, ids, capped, _ = postgresql.phrase_search(queryset, corrected)
            if found is not None:
                return Found(found, capped, corrected, True, ids, queryset)
    if found is None:
        return Found(queryset.none(), False, phrase, False, [], queryset)
    return Found(found, capped, phrase, False, ids, queryset)
