"""Search on databases other than PostgreSQL (SQLite): the phrase is a
substring of the padded ``search_text``, with no corrections."""

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Concat, StrIndex, Substr

from .document import BODY, HEADLINE, LEAD, PART_SEPARATOR


def phrase_search(queryset, terms):
    """``queryset`` narrowed to the articles holding ``terms`` in a row inside
    one part, each with ``search_rank``, best first."""
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
