"""Article search: every word anywhere, accent-insensitive, quoted phrases,
ranked phrase > headline words > the rest, with corrections."""

from typing import NamedTuple

from django.db import connection

from . import fallback, postgresql
from .document import (
    HEADLINE_WORDS,
    MAX_QUERY_LENGTH,
    PHRASE,
    PHRASE_HEADLINE,
    WORDS,
    InvalidQuery,
    as_query,
    exact_phrase,
    parse_query,
    plain_text,
    positions,
    search_document,
    words,
)
from .highlight import find_matches, highlight, snippet, spelled
from .postgresql import CANDIDATES, Ranked
from .terms import corrections, edit_distance, max_edits

__all__ = [
    "CANDIDATES",
    "HEADLINE_WORDS",
    "MAX_QUERY_LENGTH",
    "PHRASE",
    "PHRASE_HEADLINE",
    "WORDS",
    "Found",
    "InvalidQuery",
    "as_query",
    "corrections",
    "edit_distance",
    "exact_phrase",
    "find",
    "find_matches",
    "highlight",
    "max_edits",
    "parse_query",
    "plain_text",
    "positions",
    "search",
    "search_document",
    "snippet",
    "spelled",
    "words",
]


def search(queryset, query, fuzzy=True):
    """``queryset`` narrowed to the articles matching ``query``, best first.

    Each article gets ``search_rank`` (``PHRASE_HEADLINE`` ... ``WORDS``).
    Raises ``InvalidQuery`` for an empty, overlong or word-less query. With
    ``fuzzy``, a query no article holds is corrected (see ``find``).
    """
    return find(queryset, query, fuzzy).results


class Found(NamedTuple):
    """What ``find`` found.

    ``results``: the queryset (made on demand by ``build``); ``capped``:
    PostgreSQL ranked only the newest ``postgresql.CANDIDATES`` articles
    holding every word; ``query``: what was searched (see
    ``document.as_query``, for highlighting); ``corrected``: that is not the
    query as typed; ``ids``: the ids of the results in their order;
    ``searched``: the queryset that was searched; ``suggestion``: when nothing
    was found, a shorter query that finds something (a ``Found``), else ``None``.
    """

    build: object
    capped: bool
    query: tuple
    corrected: bool
    ids: list
    searched: object
    suggestion: object = None

    @property
    def results(self):
        return self.build()

    def listing(self):
        """What the results page paginates: the articles with everything a list
        shows (``for_listing``); a page loads only its own rows, by id (see
        ``postgresql.Ranked``)."""
        return Ranked(self.ids, self.searched.defer("search_text").for_listing())


def _backend():
    return postgresql if connection.vendor == "postgresql" else fallback


def _search(queryset, query, corrected=False):
    build, ids, capped = _backend().search(queryset, query)
    return Found(build or queryset.none, capped, query, corrected, ids, queryset)


def find(queryset, query, fuzzy=True):
    """``search()``'s queryset with what a results page needs: a ``Found``.

    With ``fuzzy``, when no article of ``queryset`` holds every word of the
    query, the words are corrected (see ``terms.corrections``) and searched
    again; when that finds nothing either, the groups holding a word no article
    holds are dropped, and if the rest finds something it is the suggestion.
    """
    groups = parse_query(query)
    typed = as_query(groups)
    found = _search(queryset, typed)
    if found.ids or not fuzzy:
        return found
    backend = _backend()
    corrected, unknown = corrections(
        queryset, groups, lambda word: backend.holding(queryset, word)
    )
    if corrected != typed:
        again = _search(queryset, corrected, corrected=True)
        if again.ids:
            return again
    rest = tuple(
        group
        for group in corrected
        if not any(len(choices) == 1 and choices[0][0] in unknown for choices in group)
    )
    if rest and len(rest) < len(corrected):
        shorter = _search(queryset, rest, corrected=True)
        if shorter.ids:
            return found._replace(suggestion=shorter)
    return found
