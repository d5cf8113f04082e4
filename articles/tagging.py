"""Tag names as editors type them ("An ninh, Công đoàn"), checked before any is stored.

The article form's tag field and the importer's ``--tags`` read names the same
way: taggit's comma-separated syntax, normalised as the tags will be stored
(``newsroom.text.normalize``: NFC, no control characters), each within the
length the tag table holds. A name that is too long is a form error, never a
database error.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from taggit.utils import parse_tags

from newsroom.text import normalize

from .models import Tag

MAX_TAG_LENGTH = Tag._meta.get_field("name").max_length
SHOWN_LENGTH = 40

TOO_LONG = _("Thẻ “%(tag)s” dài %(length)d ký tự; mỗi thẻ dài tối đa %(limit)d ký tự.")


def check_tag_names(names):
    """``names`` normalised, without blanks and repeats, in order; a
    ValidationError naming every name longer than a tag can be."""
    cleaned = list(dict.fromkeys(filter(None, (normalize(name).strip() for name in names))))
    errors = [
        ValidationError(
            TOO_LONG,
            code="tag_too_long",
            params={
                "tag": name[:SHOWN_LENGTH] + "…",
                "length": len(name),
                "limit": MAX_TAG_LENGTH,
            },
        )
        for name in cleaned
        if len(name) > MAX_TAG_LENGTH
    ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def tag_names(text):
    """The tag names typed in ``text``, checked (``check_tag_names``)."""
    return check_tag_names(parse_tags(text or ""))


class TagNamesField(TagField):
    """taggit's tag field, with every name checked as ``check_tag_names`` does."""

    def clean(self, value):
        return check_tag_names(super().clean(value))
