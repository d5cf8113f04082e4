"""Stored XSS (security.md T3, B5): reader text is plain text. Cleaning keeps
every visible character as typed (never "sanitises" by rewriting) and drops
only invisible ones; the queue's highlighting escapes everything."""

import unicodedata
from html.parser import HTMLParser

import pytest

from comments import rules

from .payloads import XSS_PAYLOADS

INVISIBLE = {"Cc", "Cf"}


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.tags.append(("!--", data))

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    collector = TagCollector()
    collector.feed(str(html))
    collector.close()
    return collector


def test_there_are_enough_payloads():
    assert len(XSS_PAYLOADS) >= 50
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_cleaning_keeps_the_visible_text_and_drops_invisible_characters(payload):
    cleaned = rules.clean_text(payload)
    visible = "".join(
        ch for ch in payload if ch in "\n\t" or unicodedata.category(ch) not in INVISIBLE
    )
    assert cleaned == unicodedata.normalize("NFC", visible).strip()
    assert "\x00" not in cleaned
    assert not any(unicodedata.category(ch) == "Cf" for ch in cleaned)
    assert rules.clean_text(cleaned) == cleaned  # idempotent


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_highlighting_a_payload_makes_no_tag_but_mark(payload):
    cleaned = rules.clean_text(payload)
    pieces = ["<script>", "alert", "onerror=", "javascript:", "<svg", "\"", "'", "&"]
    reasons = [rules.Reason("links", "x", [p for p in pieces if p in cleaned])]
    html = rules.highlight(cleaned, reasons)
    parsed = parse(html)
    assert {tag for tag, _attrs in parsed.tags} <= {"mark"}
    assert all(attrs == [] for _tag, attrs in parsed.tags)
    # Reading the HTML back gives the text exactly as the reader typed it.
    assert "".join(parsed.text) == cleaned


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_highlighting_stored_reasons_escapes_the_matched_pieces_too(payload):
    cleaned = rules.clean_text(payload)
    stored = [{"code": "banned_word", "label": "x", "matched": [cleaned[:12]]}]
    html = str(rules.highlight(cleaned, stored))
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "".join(parse(html).text) == cleaned


def test_staff_names_with_markup_are_still_staff_names():
    assert rules.is_staff_like_name("<b>Tòa soạn</b>")
    assert rules.is_staff_like_name("\u202eAdmin\u202c")
