"""Vietnamese text: NFC normalisation, accent folding and slugs.

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
    """NFC-normalise every character field of a model instance in place."""
    from django.db import models

    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, nfc(value))


def _normalize_on_save(sender, instance, raw=False, **kwargs):
    normalize_text_fields(instance)


def normalize_models_on_save(app_config):
    """Make every model of ``app_config`` store its text as NFC on save."""
    from django.db.models.signals import pre_save

    for model in app_config.get_models():
        pre_save.connect(_normalize_on_save, sender=model, dispatch_uid=f"nfc-{model._meta.label}")
