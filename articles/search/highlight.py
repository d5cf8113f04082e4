"""Highlighting: the spans of a text a phrase matched, marked, and snippets."""

import functools
import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from newsroom.text import fold

from .document import exact_phrase, plain_text

SNIPPET_BEFORE = 80
SNIPPET_AFTER = 160


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
    """A phrase (see ``document.exact_phrase``) from a phrase or a list of folded words."""
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
    occurs; ``terms`` is a list of folded words or a phrase (see ``document.exact_phrase``)."""
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


def first_match(article, phrase):
    """The text the phrase matched first in ``article``, as written there
    ("nông nghiệp" for the corrected "nong nghiep")."""
    for text in (article.headline, article.lead, plain_text(article.body)):
        spans = find_matches(text, phrase)
        if spans:
            left, right = spans[0]
            return text[left:right]
    return ""
