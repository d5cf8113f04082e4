"""Vietnamese text: NFC normalisation, control characters, accent folding and slugs.

Everything that normalises, folds or slugs text calls these functions, so a
slug, a tag, a search index and a word filter agree on what a word is.
"""

import re
import unicodedata

# U+0110/U+0111 (Đ/đ) have no Unicode decomposition, so NFKD + "drop marks"
# leaves them alone and an ASCII encode deletes them ("đảm" -> "am"), which
# is what django.utils.text.slugify does.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def nfc(value):
    """Return ``value`` in Unicode NFC; non-strings pass through unchanged."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


# C0 and C1 control characters and DEL (Unicode category Cc): never typed on
# purpose, invisible on a page, and refused by XML 1.0 (RSS) or, for NUL, by
# PostgreSQL. Pasting from Word or a PDF brings them in.
_CONTROLS = [code for code in range(0xA0) if unicodedata.category(chr(code)) == "Cc"]
_BREAKS = "\n\r\x0b\x0c\x85"  # LF, CR, vertical tab, form feed, next line
_ONE_LINE = {code: None for code in _CONTROLS} | {ord(char): " " for char in "\t" + _BREAKS}
_MULTILINE = {code: None for code in _CONTROLS} | {ord(char): "\n" for char in _BREAKS}
_MULTILINE |= {ord("\t"): "\t", ord("\r"): "\r"}


def strip_controls(value, multiline=False):
    """``value`` without C0/C1 control characters; non-strings pass through.

    Multi-line text keeps its tabs and line breaks (CR, LF; a vertical tab,
    form feed or NEL becomes LF). In one-line text a tab or line break becomes
    a space. Every other control character (U+0001, ESC, U+0080-U+009F…) is
    removed.
    """
    if not isinstance(value, str):
        return value
    if multiline:
        return value.translate(_MULTILINE)
    return value.replace("\r\n", "\n").translate(_ONE_LINE)


def normalize(value, multiline=False):
    """What every stored text is: control characters removed, then NFC."""
    return nfc(strip_controls(value, multiline))


class _WithoutMarks(dict):
    """A ``str.translate`` table, filled as characters are met: combining
    marks are deleted, "Đ"/"đ" become "D"/"d", everything else stays."""

    def __missing__(self, code):
        char = chr(code)
        value = None if unicodedata.combining(char) else _D_STROKE.get(code, code)
        self[code] = value
        return value


_WITHOUT_MARKS = _WithoutMarks()


def strip_marks(value):
    """Remove diacritics, keeping case: "Đồng Khởi" -> "Dong Khoi"."""
    return unicodedata.normalize("NFKD", value).translate(_WITHOUT_MARKS)


def fold(value):
    """Accent- and case-insensitive form of ``value``: "Đảm Bảo" -> "dam bao"."""
    return strip_marks(value).casefold()


def slugify(value, max_length=None):
    """ASCII slug that keeps Vietnamese letters readable.

    "Phối hợp đảm bảo an ninh trật tự" -> "phoi-hop-dam-bao-an-ninh-trat-tu",
    whether the input is NFC or NFD.
    """
    slug = _SLUG_JUNK.sub("-", fold(str(value))).strip("-")
    if max_length and len(slug) > max_length:
        # Cut at a word boundary when there is one.
        head = slug[: max_length + 1]
        slug = head[:-1] if head.endswith("-") or "-" not in head else head.rsplit("-", 1)[0]
    return slug.strip("-")


def normalize_text_fields(instance):
    """``normalize`` every character field of a model instance in place:
    text fields (multi-line) keep their line breaks, char fields get none."""
    from django.db import models

    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                multiline = isinstance(field, models.TextField)
                setattr(instance, field.attname, normalize(value, multiline))


class CleanTextMixin:
    """Model mixin: ``full_clean`` checks the text as ``save`` will store it,
    so a unique name that differs from a stored one only by NFD or a control
    character is a form error ("already exists"), not a database error."""

    def clean_fields(self, exclude=None):
        normalize_text_fields(self)
        super().clean_fields(exclude)


def _normalize_on_save(sender, instance, raw=False, **kwargs):
    normalize_text_fields(instance)


def normalize_models_on_save(app_config):
    """Make every model of ``app_config`` store its text normalised (``normalize``) on save."""
    from django.db.models.signals import pre_save

    for model in app_config.get_models():
        pre_save.connect(_normalize_on_save, sender=model, dispatch_uid=f"nfc-{model._meta.label}")
