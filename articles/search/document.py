"""The search document of an article and the words of a query, folded alike.

Both backends search ``Article.search_text``: the headline, the lead, the body
and the article's labels (section name, tag names, byline names), each folded
by ``newsroom.text.fold`` and reduced to words, in four parts:
"phoi hop dam bao an ninh | sang nay ... | doan mot ... | thoi su an ninh tran quoc".
A query is folded the same way, so "đảm bảo", "dam bao", "ĐẢM BẢO" and NFD
input are one query. Vietnamese words are syllables: "an ninh" is two words.

A query is a list of *groups*: each plain word is a group of one, each quoted
part ("an ninh") a group of its words. An article matches when it holds every
group: a plain word anywhere in the four parts, a quoted group as a phrase
inside one part. The rank (``PHRASE_HEADLINE`` ... ``WORDS``) then says how
well it matches, newest first on ties.

This module imports no model: ``articles.models`` and the migrations build
``search_text`` with ``search_document``.
"""

import html
import re

from django.utils.translation import gettext as _

from newsroom.text import fold

MAX_QUERY_LENGTH = 200
PART_SEPARATOR = " | "  # between headline, lead, body and labels in search_text
MAX_TERM_LENGTH = 60  # longer "words" (URLs, codes) are searched but not listed as terms
# search_rank values: every word of the query in a row (as typed) in the
# headline; the same in the lead, body or labels; every word in the headline;
# every word somewhere.
PHRASE_HEADLINE, PHRASE, HEADLINE_WORDS, WORDS = 4, 3, 2, 1

_NOT_WORD = re.compile(r"[\W_]+")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# Straight and typographic double quotes: phones type “…”.
_QUOTED = re.compile(r"[\"“”„]([^\"“”„]*)(?:[\"“”„]|$)")


class InvalidQuery(ValueError):
    """A query that cannot be searched; ``str()`` is a message for the reader."""


def words(text):
    """The folded words of ``text``: "Đảm bảo: an-ninh!" -> ["dam", "bao", "an", "ninh"]."""
    return _NOT_WORD.sub(" ", fold(text)).split()


def plain_text(body):
    """The readable text of a (sanitised) rich-text body, one space between blocks."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", body or ""))).strip()


def search_document(headline, lead, body, labels=()):
    """The value of ``Article.search_text`` for these fields; ``labels`` are the
    section name, the tag names and the byline names."""
    texts = (headline or "", lead or "", plain_text(body), " ".join(labels))
    return PART_SEPARATOR.join(" ".join(words(text)) for text in texts)


def document_words(search_text):
    """The distinct words of a ``search_text`` (what the term list counts)."""
    return {word for word in (search_text or "").split() if word != "|"}


def parse_query(query):
    """The groups of folded words to search for (see the module), or
    ``InvalidQuery`` with a reason for the reader.

    ``"an ninh" Hà Nội`` -> ``[("an", "ninh"), ("ha",), ("noi",)]``; an
    unclosed quote runs to the end; quotes holding no word are ignored.
    """
    query = (query or "").replace("\x00", "").strip()
    if not query:
        raise InvalidQuery(_("Hãy nhập từ cần tìm."))
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidQuery(
            _("Từ cần tìm dài quá %(max)s ký tự, hãy rút gọn.") % {"max": MAX_QUERY_LENGTH}
        )
    groups, cursor = [], 0
    for quoted in _QUOTED.finditer(query):
        groups += [(word,) for word in words(query[cursor : quoted.start()])]
        phrase = tuple(words(quoted.group(1)))
        if phrase:
            groups.append(phrase)
        cursor = quoted.end()
    groups += [(word,) for word in words(query[cursor:])]
    if not groups:
        raise InvalidQuery(_("Từ cần tìm phải có ít nhất một chữ hoặc số."))
    return groups


def as_query(groups):
    """Groups of folded words as searched before corrections: each word one
    position with one choice, ``(word, is_prefix)``.

    A searched query is a tuple of groups, a group a tuple of positions, a
    position a tuple of ``(word, is_prefix)`` choices: what the backends
    search after corrections, and what highlighting marks.
    """
    return tuple(tuple(((word, False),) for word in group) for group in groups)


def positions(query):
    """Every position of a searched query, in the order typed."""
    return tuple(position for group in query for position in group)


def exact_phrase(terms):
    """A searched query of one group: ``terms`` (folded words) as a phrase."""
    return (tuple(((term, False),) for term in terms),)
