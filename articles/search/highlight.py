"""Highlighting: the spans of a text a phrase matched, marked, and snippets."""

import functools
import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from newsroom.text import fold

from .document import exact_phrase, plain_text, positions

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


def _as_query(terms):
    """A searched query (see ``document.as_query``) from one, or from a list of
    folded words (one phrase)."""
    return exact_phrase(terms) if terms and isinstance(terms[0], str) else terms


@functools.lru_cache(maxsize=256)
def _query_pattern(query):
    """Every group of ``query`` (a plain word is a group of one), the whole
    query as a phrase first, so "Đảm bảo an ninh" is one mark when written in a row."""

    def choice(word, prefix):
        return re.escape(word) + (r"[^\W_]*" if prefix else "")

    def phrase(group):
        return r"[\W_]+".join(
            "(?:" + "|".join(choice(word, prefix) for word, prefix in choices) + ")"
            for choices in group
        )

    everything = positions(query)
    alternatives = dict.fromkeys([phrase(everything), *(phrase(group) for group in query)])
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")


def find_matches(text, terms):
    """``(start, end)`` spans of ``text`` (original, accented) where the phrase
    holds a word or group of ``terms``: a list of folded words (one phrase) or a
    searched query (see ``document.as_query``)."""
    folded, origins = _folded_with_positions(text)
    spans = []
    for match in _query_pattern(_as_query(tuple(terms))).finditer(folded):
        if match.end() > match.start():
            spans.append((origins[match.start()], origins[match.end() - 1] + 1))
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


def spelled(article, query):
    """``query`` as ``article`` writes it: each word the first text the word
    matched in the headline, lead or body ("nông nghiệp" for the corrected
    "nong nghiep", "Phát triển" for "phat trien"), else as searched; a quoted
    group in quotes."""
    texts = (article.headline, article.lead, plain_text(article.body))
    shown = []
    for group in query:
        written = []
        for choices in group:
            word = choices[0][0]
            for text in texts:
                spans = find_matches(text, ((choices,),))
                if spans:
                    left, right = spans[0]
                    word = text[left:right]
                    break
            written.append(word)
        shown.append(f"“{' '.join(written)}”" if len(group) > 1 else written[0])
    return " ".join(shown)
