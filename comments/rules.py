"""Moderation rules for reader comments (issue 4).

``check(text, name, mode=..., first_time=...)`` returns a Verdict: publish,
hold or reject, with the reasons, each carrying the exact pieces of the
cleaned text that triggered it, so the queue can highlight them
(``highlight``). Store ``clean_text(body)``: the pieces are found in it.

Word matching is two-tier, because folding makes clean Vietnamese words
collide with obscene ones ("lớn"/"lồn", "các"/"cặc"):

- a word typed *with* diacritics matches a list entry only when it is the
  same word (NFC, case-insensitive) and then acts per the entry's list;
- a word typed *without* diacritics that equals the entry once the entry is
  folded is only a "folded match": the comment is held, never rejected.

Obfuscation (repeated letters, letters split by dots or spaces, look-alike
letters from other scripts, small capitals, fullwidth letters, digits for
letters, decoration marks, teencode) is undone first; an obfuscated exact
match of a banned word is rejected: it was typed that way on purpose.

About 600 lines, one cohesive thing: one text analysis (clean, tokenise, undo
obfuscation, match, highlight) whose steps share the tokeniser and the
lexicon; its data lives in ``vocabulary``.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from newsroom.text import fold, nfc

from . import vocabulary
from .models import Comment, Word

PUBLISH, HOLD, REJECT = "publish", "hold", "reject"


@dataclass
class Reason:
    code: str  # e.g. "banned_word", "suspect_word", "folded_match", "links", "phone"…
    label: str  # translated, shown in the queue
    matched: list = field(default_factory=list)  # the pieces of text that matched

    def as_dict(self):
        return {"code": self.code, "label": str(self.label), "matched": list(self.matched)}


@dataclass
class Verdict:
    action: str = PUBLISH
    reasons: list = field(default_factory=list)


# Reason codes in the order the queue shows them, with their labels.
LABELS = {
    "staff_name": _("Tên giả danh tòa soạn"),
    "banned_word": _("Từ bị cấm"),
    "suspect_word": _("Từ đáng ngờ"),
    "folded_match": _("Trùng từ cấm khi bỏ dấu"),
    "links": _("Có từ hai liên kết"),
    "phone": _("Có số điện thoại"),
    "zalo": _("Có Zalo"),
    "messaging": _("Có liên kết nhắn tin"),
    "gambling": _("Từ ngữ cờ bạc"),
    "too_long": _("Quá dài để kiểm tra hết"),
    "first_comment": _("Người bình luận lần đầu"),
    "pre_moderation": _("Duyệt trước theo chế độ của bài"),
}
ONE_LINK_LABEL = _("Có liên kết")
REJECTING = {"staff_name", "banned_word"}

MAX_NAME_LENGTH = Comment._meta.get_field("name").max_length


def max_length():
    """The longest comment the form accepts (NEWSROOM["COMMENTS_MAX_LENGTH"])."""
    return settings.NEWSROOM["COMMENTS_MAX_LENGTH"]


# ---------------------------------------------------------------------------
# Cleaning

# Invisible characters that are not format characters (category Cf, removed
# as a class): the combining grapheme joiner, Hangul fillers and the Khmer
# inherent vowels, all used to split a word without showing anything.
_DECORATION = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_MAX_STACKED_MARKS = 2  # Vietnamese needs one tone and one shape mark at most
_TOO_MANY_BLANK_LINES = re.compile(r"\n{4,}")


def clean_text(text):
    """Plain text as stored: NFC; zero-width, bidi-control, other format and
    control characters (except newline and tab) removed; unusual spaces made
    plain; CRLF -> LF; at most two blank lines in a row; stripped.

    Never shortens the text otherwise: length limits are the form's job.
    """
    text = nfc(str(text or "")).replace("\r\n", "\n").replace("\r", "\n")
    out = []
    marks = 0
    for ch in text:
        if ch in "\n\t":
            out.append(ch)
            marks = 0
            continue
        category = unicodedata.category(ch)
        if ch in _DECORATION or category in _REMOVED_CATEGORIES:
            continue
        if category in ("Zl", "Zp"):
            out.append("\n")
        elif category == "Zs":
            out.append(" ")
        elif category in ("Mn", "Me"):
            marks += 1
            if marks <= _MAX_STACKED_MARKS:
                out.append(ch)
            continue
        else:
            out.append(ch)
        marks = 0
    lines = [line.rstrip() for line in nfc("".join(out)).split("\n")]
    return _TOO_MANY_BLANK_LINES.sub("\n\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------------------
# Reading obfuscated text

_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=8192)
def _canon(ch):
    """One character as the matcher reads it: look-alikes, small capitals and
    fullwidth forms made Latin, case folded. Returns (text, obfuscated)."""
    mapped = vocabulary.LOOKALIKES.get(ch)
    if mapped is None:
        mapped = "".join(vocabulary.LOOKALIKES.get(c, c) for c in unicodedata.normalize("NFKC", ch))
    mapped = mapped.casefold()
    return mapped, mapped != ch.casefold()


def _is_word_char(ch):
    return ch.isalnum() or ch in vocabulary.LEET or unicodedata.combining(ch) > 0


def _vietnamese_marks_only(word):
    """Drop combining marks Vietnamese does not use, and duplicates."""
    out, seen = [], set()
    for ch in unicodedata.normalize("NFD", word):
        if not unicodedata.combining(ch):
            out.append(ch)
            seen = set()
        elif ch in _VIETNAMESE_MARKS and ch not in seen and len(seen) < _MAX_STACKED_MARKS:
            out.append(ch)
            seen.add(ch)
    return nfc("".join(out))


class _Token:
    """A word of the text: its canonical forms and where it sits in the text."""

    __slots__ = ("text", "start", "end", "obfuscated", "forms")

    def __init__(self, text, start, end, obfuscated):
        self.text, self.start, self.end, self.obfuscated = text, start, end, obfuscated
        self.forms = _forms(text, obfuscated)


def _deleet(word):
    if not any(c.isalpha() for c in word) or not any(c in vocabulary.LEET for c in word):
        return []
    plain = "".join(vocabulary.LEET.get(c, c) for c in word)
    other = "".join(vocabulary.LEET_ALTERNATIVES.get(c, vocabulary.LEET.get(c, c)) for c in word)
    return [plain, other]


def _forms(word, obfuscated):
    """[(form, folded form, obfuscated)…]: the word, de-leeted, de-repeated."""
    forms = {word: obfuscated}
    for variant in _deleet(word):
        forms.setdefault(variant, True)
    for variant in list(forms):
        collapsed = _REPEATS.sub(r"\1", variant)
        forms.setdefault(collapsed, True)
    return [(form, fold(form), obf) for form, obf in forms.items()]


def _tokens(text):
    """The words of ``text`` (Unicode letters and digits, with leet symbols)."""
    tokens = []
    chars, start, obfuscated = [], None, False
    for index, ch in enumerate(itertools.chain(text, " ")):
        mapped, changed = _canon(ch)
        if mapped and all(_is_word_char(c) for c in mapped):
            if start is None:
                start, obfuscated = index, False
            chars.append(mapped)
            obfuscated = obfuscated or changed
        elif not mapped and start is not None:
            obfuscated = True  # an invisible character inside a word
        elif start is not None:
            word = "".join(chars)
            clean = _vietnamese_marks_only(word)
            tokens.append(_Token(clean, start, index, obfuscated or clean != nfc(word)))
            chars, start = [], None
    return tokens


def _joined(tokens, text, backwards=False):
    """Tokens with runs of single letters split by the same separator joined
    into one word ("c.ặ.c", "đ-m", "l o n"); None when there is no such run.

    Runs are taken greedily from the start, or from the end (``backwards``):
    in "b> l.ồ.n" only the second finds "lồn", in "c.ặ.c x" only the first
    finds "cặc"; the caller matches both readings.
    """
    ordered = tokens[::-1] if backwards else tokens
    out, run, gap, joined_any = [], [], None, False

    def flush():
        nonlocal joined_any
        if len(run) > 1:
            letters = run[::-1] if backwards else run
            word = "".join(t.text for t in letters)
            out.append(_Token(word, letters[0].start, letters[-1].end, True))
            joined_any = True
        else:
            out.extend(run)

    for token in ordered:
        if len(token.text) == 1 and run:
            before, after = (token, run[-1]) if backwards else (run[-1], token)
            between = text[before.end : after.start]
            if len(between) <= 3 and "\n" not in between and gap in (None, between):
                run.append(token)
                gap = between
                continue
        flush()
        run, gap = ([token] if len(token.text) == 1 else []), None
        if len(token.text) != 1:
            out.append(token)
    flush()
    if not joined_any:
        return None
    return out[::-1] if backwards else out


# ---------------------------------------------------------------------------
# Word lists

_RANK = {Word.List.SUSPECT: 1, Word.List.BANNED: 2}


def _entry_words(text):
    return tuple(token.text for token in _tokens(clean_text(text)))


class Lexicon:
    """Entries (text, kind) indexed by their words, exact and folded, for
    n-gram lookups: one dict probe per candidate, whatever the list size."""

    def __init__(self, entries, compact=True):
        self.exact, self.folded, self.prefixes = {}, {}, set()
        for text, kind in entries:
            words = _entry_words(text)
            if not words:
                continue
            # "nhàcái", "đụmá": a phrase typed as one word is the phrase.
            keys = [words, ("".join(words),)] if compact and len(words) > 1 else [words]
            for key in keys:
                if _RANK.get(kind, 0) >= _RANK.get(self.exact.get(key), 0):
                    self.exact[key] = kind
                folded = tuple(fold(word) for word in key)
                self.folded.setdefault(folded, []).append((key, kind))
                self.prefixes.update(folded[:n] for n in range(1, len(folded) + 1))

    def lookup(self, words, folded=True):
        """(kind, exact) for a tuple of canonical words, or None; ``folded``
        False: exact matches only."""
        kind = self.exact.get(words)
        if kind is not None:
            return kind, True
        if not folded:
            return None
        best = None
        for key, kind in self.folded.get(tuple(fold(w) for w in words), ()):
            # Typed with accents, a word must be the entry's word itself.
            if all(w == k or w == fold(w) for w, k in zip(words, key, strict=True)):
                if best is None or _RANK.get(kind, 0) > _RANK.get(best, 0):
                    best = kind
        return (best, False) if best is not None else None

    def find(self, tokens, plain_writing=True):
        """Yield (first, last, kind, exact) for every run of tokens found.

        In a text written with accents (``plain_writing`` False) a lone
        word without accents is taken as typed: "du lịch", "lon bia",
        "cho tôi" are not "đụ", "lồn", "chó". A phrase, or a word written
        out of shape (repeats, leet, split letters), still folds.
        """
        for first in range(len(tokens)):
            stack = [(first, (), (), False)]
            while stack:
                index, words, folded, obfuscated = stack.pop()
                if index == len(tokens):
                    continue
                for form, form_folded, form_obfuscated in tokens[index].forms:
                    key, folded_key = words + (form,), folded + (form_folded,)
                    if folded_key not in self.prefixes:
                        continue
                    shaped = obfuscated or form_obfuscated
                    # A lone plain word that is an everyday word ("di", "du",
                    # "buoi") is never a folded match, even in plain writing.
                    lone = plain_writing and form_folded not in vocabulary.EVERYDAY_FOLDED
                    hit = self.lookup(key, lone or shaped or len(key) > 1)
                    if hit:
                        yield first, index, *hit
                    stack.append((index + 1, key, folded_key, shaped))


GAMBLING = Lexicon((text, "gambling") for text in vocabulary.GAMBLING)
# Not compacted: "zalo" alone is the app's name, not a handle.
ZALO = Lexicon(((text, "zalo") for text in vocabulary.ZALO_PHRASES), compact=False)

_GENERATION_KEY = "comments:words:generation"
_loaded = {"key": None, "lexicon": None, "local": 0}


def word_stats():
    """The Word table's (count, last id): with the generation, what tells a
    cached lexicon is stale (a bulk change sends no signal)."""
    stats = Word.objects.aggregate(count=Count("id"), last=Max("id"))
    return stats["count"], stats["last"]


def word_lexicon(stats=None):
    """The Word table as a Lexicon, rebuilt when a word is added, changed or
    deleted (one aggregate query per call, unless the caller read ``stats``
    (``word_stats``) in a query of its own; the build only on change)."""
    count, last = stats if stats is not None else word_stats()
    key = (count or 0, last, cache.get(_GENERATION_KEY, 0), _loaded["local"])
    if _loaded["key"] != key:
        _loaded["lexicon"] = Lexicon(Word.objects.values_list("text", "list"))
        _loaded["key"] = key
    return _loaded["lexicon"]


def _bump_generation():
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, None)


def words_changed_during_outage():
    """Receiver of ``newsroom.cache.on_recovery``: a word changed while the shared
    cache was down could not tell the other processes; every one rebuilds now."""
    _bump_generation()


def words_changed(**kwargs):
    """Receiver of Word's post_save and post_delete (connected in
    ``CommentsConfig.ready``): the cached lexicon is stale."""
    # Now for this process (it may read its own uncommitted rows), and again
    # after commit so another process cannot cache the rows from before.
    _loaded["local"] += 1
    _bump_generation()
    transaction.on_commit(_bump_generation)


# ---------------------------------------------------------------------------
# Spam signals read from the text itself

_TLDS = (
    "com|net|org|info|biz|vn|xyz|top|club|io|me|co|ly|cc|tk|ml|ga|link|site|online"
    "|store|app|vip|bet|win|live|tv|pro|asia|shop|fun|icu|ru|cn|us|uk|gl|gg|edu|gov"
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'(){}\[\]]{1,300}"
    r"|(?<![\w@.\-])(?:[a-z0-9\-]{1,63}\.){1,4}(?:" + _TLDS + r")(?![\w\-])(?:/[^\s<>\"']{0,300})?"
)
_SPELLED_URL = re.compile(
    r"(?<![a-z0-9])(?:[a-z0-9\-]{1,63}[\s.]{0,3})?"
    r"(?:cham|dot|\(\.\)|\[\.\]|\(dot\)|\[dot\]|\(cham\))[\s.]{0,3}"
    r"(?:com|net|org|vn|xyz|top|info|me|tk)(?![a-z0-9])"
)
_SEP = r"[\s.\-()]{0,3}"
_PHONE = re.compile(
    r"(?<![\d+])(?:\(?\+\s{0,2}84\)?|84|0)" + _SEP + r"[35789](?:" + _SEP + r"\d){8}(?!\d)"
    r"|(?<![\d+])0" + _SEP + r"2(?:" + _SEP + r"\d){9}(?!\d)"
)
_ZALO_HANDLE = re.compile(r"(?<![a-z0-9])zalo(?:\s{0,2}[:=]|[\s.\-]{0,3}\+?\d)")
# Links that open a chat: Telegram, Zalo, WhatsApp, Messenger, LINE, Viber.
_MESSAGING = re.compile(
    r"(?<![a-z0-9\-])(?:https?://)?(?:www\.)?"
    r"(?:t|telegram|(?:chat\s{0,2}\.\s{0,2})?zalo|wa|m|line|viber)\s{0,2}\.\s{0,2}"
    r"(?:me|dog|link)\s{0,2}/\s{0,2}[a-z0-9_+\-]{2,64}"
)
# Phone numbers with letters for digits ("O9l2 345 678"): read on a copy of
# the canonical text where "l" and "i" (so "I") are 1 and "o" is 0.
_DIGIT_LOOKALIKES = str.maketrans("lio", "110")
_MIN_REAL_DIGITS = 6
# A domain spelled out ("g o o g l e . c o m", "b.i.t.l.y", "shop88 . com"):
# whole ASCII words split by a few spaces, dots, hyphens or underscores.
_SPELLING_CHAIN = re.compile(
    r"(?<![^\W_])[a-z0-9]+(?:[ .\-_]{1,3}[a-z0-9]+(?![^\W_]))+"
)
_SPELLING_GAP = re.compile(r"([ .\-_]{1,3})")
_TLD_SET = frozenset(_TLDS.split("|"))
_TLD_PREFIXES = frozenset(tld[:n] for tld in _TLD_SET for n in range(1, len(tld) + 1))


def _views(text):
    """Two readings of ``text`` with one character per character, so a regex
    match's span is also the span in ``text``: canonical and folded."""
    canonical, folded = [], []
    for ch in text:
        mapped = _canon(ch)[0]
        mapped = mapped if len(mapped) == 1 else ch
        canonical.append(mapped)
        plain = fold(mapped)
        folded.append(plain if len(plain) == 1 else mapped)
    return "".join(canonical), "".join(folded)


# ---------------------------------------------------------------------------
# The verdict


class _Findings(dict):
    def add(self, code, piece=None):
        pieces = self.setdefault(code, [])
        if piece and piece not in pieces:
            pieces.append(piece)


def _teencode(form, folded, lexicon):
    """(code, …) for a teencode form like "đm", or None."""
    if form.replace("đ", "d") != folded or folded not in vocabulary.TEENCODE:
        return None
    meanings, fallback = vocabulary.TEENCODE[folded]
    best = None
    for meaning in meanings:
        kind = lexicon.exact.get(_entry_words(meaning))
        if kind is not None and _RANK[kind] > _RANK.get(best, 0):
            best = kind
    if best == Word.List.BANNED:
        return "banned_word"
    if best == Word.List.SUSPECT or fallback == "hold":
        return "suspect_word"
    return None


# Below this share of words with accents, a text counts as written without.
_ACCENTED_SHARE = 0.5


def _written_plain(tokens):
    words = [token.text for token in tokens if any(ch.isalpha() for ch in token.text)]
    accented = sum(1 for word in words if fold(word) != word)
    return accented < _ACCENTED_SHARE * len(words) or not words


def _spans(tokens):
    return [(token.start, token.end) for token in tokens]


def _scan_words(text, lexicon, found):
    tokens = _tokens(text)
    plain = _written_plain(tokens)
    sequences = [tokens]
    for backwards in (False, True):
        joined = _joined(tokens, text, backwards)
        if joined and all(_spans(joined) != _spans(seen) for seen in sequences):
            sequences.append(joined)
    for sequence in sequences:
        for first, last, kind, exact in lexicon.find(sequence, plain):
            piece = text[sequence[first].start : sequence[last].end]
            if not exact:
                found.add("folded_match", piece)
            else:
                found.add("banned_word" if kind == Word.List.BANNED else "suspect_word", piece)
        for builtin in (GAMBLING, ZALO):
            for first, last, kind, _exact in builtin.find(sequence, plain):
                found.add(kind, text[sequence[first].start : sequence[last].end])
        previous = None
        for token in sequence:
            piece = text[token.start : token.end]
            # After a number, "cc" and "dm" are units ("110 cc", "3 dm").
            after_number, previous = previous is not None and previous.text.isdigit(), token
            for form, folded, obfuscated in token.forms:
                code = None if after_number else _teencode(form, folded, lexicon)
                if code:
                    found.add(code, piece)
                if folded == "zalo" and obfuscated:
                    found.add("zalo", piece)


def _scan_signals(text, found):
    """Links (kept aside under "_links": counted later), phone numbers, Zalo."""
    canonical, folded = _views(text)
    links = [m.span() for m in _URL.finditer(canonical)]
    links += [m.span() for m in _SPELLED_URL.finditer(folded)]
    for start, end in links:
        found.setdefault("_links", []).append(text[start:end])
    for match in _PHONE.finditer(canonical):
        found.add("phone", text[match.start() : match.end()].strip(" .-()"))
    for match in _ZALO_HANDLE.finditer(folded):
        found.add("zalo", text[match.start() : match.end()])
    for match in _MESSAGING.finditer(canonical):
        found.add("messaging", text[match.start() : match.end()])
    for start, end in _spelled_domains(canonical):
        if not any(start < link_end and link_start < end for link_start, link_end in links):
            # Spelled out to get past the filter: held even where links are allowed.
            found.add("links", text[start:end])
    for start, end in _phones_with_letters(canonical):
        found.add("phone", text[start:end].strip(" .-()"))


def _phones_with_letters(canonical):
    """Spans of phone numbers written with "l", "I" or "O" for digits."""
    digits = canonical.translate(_DIGIT_LOOKALIKES)
    for match in _PHONE.finditer(digits):
        start, end = match.span()
        piece = canonical[start:end]
        if not any(ch in "lio" for ch in piece):
            continue  # a plain number: _PHONE found it already
        if sum(ch.isdigit() for ch in piece) < _MIN_REAL_DIGITS:
            continue
        if (start and canonical[start - 1].isalpha()) or canonical[end : end + 1].isalpha():
            continue  # inside a word
        yield start, end


def _spelled_domains(canonical):
    """Spans of domain names spelled with spaces or separators between the
    letters: a chain of whole ASCII words split by at most three of " .-_",
    with a dot before a known top-level domain and at least two letters
    before it. Only chains that are spelled (a one-letter word or a space in
    a gap): "abc.com" is _URL's."""
    for chain in _SPELLING_CHAIN.finditer(canonical):
        piece = chain.group()
        if "." not in piece:
            continue
        parts = _SPELLING_GAP.split(piece)  # word, gap, word, gap, …, word
        texts, gaps = parts[0::2], parts[1::2]
        if all(len(t) > 1 for t in texts) and not any(" " in g for g in gaps):
            continue
        before, offset = 0, 0  # letters before texts[k]; where texts[k] starts
        for k in range(1, len(texts)):
            before += len(texts[k - 1])
            offset += len(texts[k - 1]) + len(gaps[k - 1])
            if texts[k] not in _TLD_PREFIXES or "." not in gaps[k - 1] or before < 2:
                continue
            tail, ends = "", []
            for j in range(k, min(len(texts), k + 3)):
                tail += texts[j]
                if tail not in _TLD_PREFIXES:
                    break
                ends.append((tail in _TLD_SET, j))
            found = [j for is_tld, j in ends if is_tld]
            if found:
                last = found[-1]  # the longest
                stop = offset + sum(len(texts[j]) + len(gaps[j]) for j in range(k, last))
                yield chain.start(), chain.start() + stop + len(texts[last])
                break


def scan_limit():
    """How much text the rules read: twice the form's limit, so a caller that
    skipped the form's check cannot publish a tail the rules never saw."""
    return 2 * max(max_length(), 1000)


def check(text, name="", words=None, *, mode="pre", first_time=False):
    """Judge a comment's text and name. ``mode`` is the article's effective
    mode ("pre" or "post"); ``first_time`` is True when the commenter has no
    approved comment yet; ``words``, the Word table's ``word_stats()`` when the
    caller has just read them."""
    limit = scan_limit()
    text, name = str(text or ""), str(name or "")[: 4 * MAX_NAME_LENGTH]
    found = _Findings()
    # Cut before anything else reads the text (cleaning may only shorten it).
    if len(text) > 2 * limit:
        text = text[: 2 * limit]
        found.add("too_long")
    text, name = clean_text(text), clean_text(name)[: 2 * MAX_NAME_LENGTH]
    if len(text) > limit:
        text = text[:limit]
        found.add("too_long")
    if name and is_staff_like_name(name):
        found.add("staff_name", name)
    lexicon = word_lexicon(words)
    for piece in (text, name):
        if piece:
            _scan_words(piece, lexicon, found)
            _scan_signals(piece, found)

    links = found.pop("_links", [])
    threshold = 2 if settings.NEWSROOM.get("COMMENTS_ALLOW_LINKS") else 1
    if len(links) >= threshold:
        for piece in links:
            found.add("links", piece)

    rejected = any(code in found for code in REJECTING)
    if not rejected:
        if mode == "post" and first_time:
            found.add("first_comment")
        if mode == "pre":
            found.add("pre_moderation")

    reasons = []
    for code, label in LABELS.items():
        if code in found:
            if code == "links" and len(links) < 2:
                label = ONE_LINK_LABEL
            reasons.append(Reason(code, label, found[code]))
    if rejected:
        action = REJECT
    else:
        action = HOLD if reasons else PUBLISH
    return Verdict(action=action, reasons=reasons)


# ---------------------------------------------------------------------------
# Names


def _staff_keys():
    names = list(vocabulary.STAFF_NAMES) + [settings.NEWSROOM.get("NAME", "")]
    long_keys = {re.sub(r"[^a-z0-9]", "", fold(name)) for name in names} - {""}
    return long_keys, set(vocabulary.STAFF_SHORT_NAMES)


def is_staff_like_name(name):
    """True when ``name`` imitates the newsroom ("Tòa soạn", "T0a s0an",
    "Ban biên tập", "BBT", "Adm1n", the paper's name…), after cleaning,
    folding, undoing look-alikes and leet, and ignoring every separator."""
    read = "".join(_canon(ch)[0] for ch in clean_text(name))
    words = re.findall(r"[a-z0-9@$]+", fold(read))
    if not words:
        return False
    long_keys, short_keys = _staff_keys()
    for candidate in ["".join(words)] + words:
        variants = {candidate, *_deleet(candidate)}
        variants |= {_REPEATS.sub(r"\1", v) for v in variants}
        for variant in variants:
            if variant in short_keys:
                return True
            if any(key in variant or _REPEATS.sub(r"\1", key) in variant for key in long_keys):
                return True
    return False


# ---------------------------------------------------------------------------
# Showing the reasons


def _matched(reason):
    if isinstance(reason, Reason):
        return reason.matched
    return reason.get("matched") or []


def highlight(text, reasons):
    """``text`` escaped, with every occurrence of every matched piece of
    ``reasons`` (Reason objects or their stored dicts) wrapped in <mark>."""
    text = str(text or "")
    spans = []
    for reason in reasons or ():
        for piece in _matched(reason):
            piece = str(piece)
            start = text.find(piece) if piece else -1
            while start != -1 and len(spans) < 1000:
                spans.append((start, start + len(piece)))
                start = text.find(piece, start + len(piece))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, position = [], 0
    for start, end in merged:
        out.append(escape(text[position:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped
