"""Search on databases other than PostgreSQL (SQLite): substrings of the padded
``search_text`` (" dam bao " inside " <headline> | <lead> | <body> | <labels> "),
over every article of the queryset (no candidate cap)."""

import itertools

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Concat, StrIndex, Substr
from django.db.models.lookups import GreaterThan

from .document import HEADLINE_WORDS, PART_SEPARATOR, PHRASE, PHRASE_HEADLINE, WORDS, positions

MAX_SPELLINGS = 32  # combinations of corrected words tried for one phrase


def _spellings(group):
    """The texts a group may be written as: " dam bao " (a prefix last word: " dam ba")."""
    combinations = itertools.islice(itertools.product(*group), MAX_SPELLINGS)
    for combination in combinations:
        text = " ".join(word for word, _prefix in combination)
        yield f" {text}" if combination[-1][1] else f" {text} "


def _holds(text, group):
    """A condition: ``text`` (an expression) holds ``group`` as a phrase."""
    condition = Q()
    for spelling in _spellings(group):
        condition |= Q(GreaterThan(StrIndex(text, Value(spelling)), 0))
    return condition


def search(queryset, query):
    """``(results or None, ids, capped)`` like ``postgresql.search`` (``results``
    a function returning the queryset): ``queryset``
    narrowed to the articles holding every group of ``query`` (a searched
    query, see ``document.as_query``), each with ``search_rank``, best first,
    and their ids in that order (never capped)."""
    # The separator holds no word, so a phrase stays inside one part.
    padded = Concat(Value(" "), F("search_text"), Value(" "))
    headline = Substr(padded, 1, StrIndex(padded, Value(PART_SEPARATOR)))
    matching = Q()
    for group in query:
        matching &= _holds(padded, group)
    everything = positions(query)
    headline_words = Q()
    for position in everything:
        headline_words &= _holds(headline, (position,))
    found = (
        queryset.filter(matching)
        .annotate(
            search_rank=Case(
                When(_holds(headline, everything), then=Value(PHRASE_HEADLINE)),
                When(_holds(padded, everything), then=Value(PHRASE)),
                When(headline_words, then=Value(HEADLINE_WORDS)),
                default=Value(WORDS),
                output_field=IntegerField(),
            )
        )
        .order_by("-search_rank", "-published_at", "-id")
    )
    ids = list(found.values_list("pk", flat=True))
    return ((lambda: found) if ids else None), ids, False


def holding(queryset, word):
    """SQL and params: the ids of ``queryset``'s articles holding ``word``."""
    padded = Concat(Value(" "), F("search_text"), Value(" "))
    matching = queryset.filter(_holds(padded, (((word, False),),)))
    return matching.order_by().values("pk").query.sql_with_params()
