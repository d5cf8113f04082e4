"""The search document of an article and the words of a query, folded alike.

Both backends search ``Article.search_text``, the headline, lead and body
folded by ``newsroom.text.fold`` and reduced to words:
"phoi hop dam bao an ninh | sang nay ... | doan mot ...". A query is folded the
same way, so "đảm bảo", "dam bao", "ĐẢM BẢO" and NFD input are one query, and
its words must follow each other inside one part ("an ninh" is not "ninh an").
The rank is the best part that holds the phrase, then newest first.

This module imports no model: ``articles.models`` and migration 0011 build
``search_text`` with ``search_document``.
"""

import html
import re

from django.utils.translation import gettext as _

from newsroom.text import fold

MAX_QUERY_LENGTH = 200
PART_SEPARATOR = " | "  # between headline, lead and body in search_text
HEADLINE, LEAD, BODY = 3, 2, 1  # search_rank values

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


def exact_phrase(terms):
    """The phrase for ``terms`` as typed: one choice per position.

    A phrase is one tuple of ``(word, is_prefix)`` choices per position: what
    PostgreSQL searches after corrections, and what highlighting marks.
    """
    return tuple(((term, False),) for term in terms)
