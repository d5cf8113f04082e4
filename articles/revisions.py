"""Snapshots of an article's editorial content: take and compare (the objects
of a snapshot, for a preview or a restore, are ``models.snapshot_content``).

A snapshot holds every field an editor approves: headline, kicker, source
tag, lead, body, section, kind, tags, credits and photos with captions. Its
hash binds an approval to the exact content approved.
"""

import difflib
import hashlib
import json

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

TEXT_FIELDS = ["headline", "kicker", "source_tag", "lead", "body", "kind"]

FIELD_LABELS = {
    "headline": _("Tít"),
    "kicker": _("Tít phụ"),
    "source_tag": _("Tên nguồn đầu sapo"),
    "lead": _("Sapo"),
    "body": _("Nội dung"),
    "kind": _("Thể loại"),
    "section": _("Chuyên mục"),
    "tags": _("Thẻ"),
    "credits": _("Ghi công"),
    "photos": _("Ảnh"),
}


def snapshot(article):
    """Every editorial field of a saved article, as plain JSON data."""
    credits = article.credits.select_related("contributor", "role").order_by("order", "id")
    photos = article.photo_uses.select_related("photo").order_by("-is_lead", "order", "id")
    data = {name: getattr(article, name) for name in TEXT_FIELDS}
    data["section"] = (
        {"id": article.section_id, "name": article.section.name} if article.section_id else None
    )
    data["tags"] = sorted(tag.name for tag in article.tags.all())
    data["credits"] = [
        {
            "role": credit.role_id,
            "role_label": credit.role.label,
            "contributor": credit.contributor_id,
            "name": credit.name,
            "display_name": credit.display_name,
            "order": credit.order,
        }
        for credit in credits
    ]
    data["photos"] = [
        {
            "photo": use.photo_id,
            "file": use.photo.image.name,
            "is_lead": use.is_lead,
            "after_paragraph": use.after_paragraph,
            "caption": use.caption,
            "alt_text": use.alt_text,
            "order": use.order,
        }
        for use in photos
    ]
    return data


def content_hash(data):
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


def _lines(name, data):
    """A field of a snapshot as lines of plain text, for a readable diff."""
    value = data.get(name)
    if name == "body":
        text = (value or "").replace("</p>", "</p>\n").replace("<br>", "\n")
        return [line.strip() for line in strip_tags(text).splitlines() if line.strip()]
    if name == "section":
        return [value["name"]] if value else []
    if name == "tags":
        return list(value or [])
    if name == "credits":
        return [f"{c['role_label']}: {c['display_name']}" for c in value or []]
    if name == "photos":
        lines = []
        for use in value or []:
            place = _("ảnh đại diện") if use["is_lead"] else _("ảnh trong bài")
            lines.append(f"[{place}] {use['file']} — {use['caption']} ({use['alt_text']})")
        return lines
    return (value or "").splitlines() or ([value] if value else [])


def _word_diff(old, new):
    """Mark changed words: <del> for removed, <ins> for added (escaped text)."""
    old_words, new_words = old.split(" "), new.split(" ")
    out = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            out.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            out.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return " ".join(out)


def diff(old, new):
    """Field-by-field differences between two snapshots.

    Returns a list of ``(label, html)`` for the fields that differ, where the
    html shows removed text in <del> and added text in <ins>, all escaped.
    """
    changes = []
    for name, label in FIELD_LABELS.items():
        old_lines, new_lines = _lines(name, old or {}), _lines(name, new or {})
        if old_lines == new_lines:
            continue
        rows = []
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                rows.extend(f"<p>{escape(line)}</p>" for line in old_lines[a1:a2])
            elif op == "replace" and a2 - a1 == b2 - b1:
                rows.extend(
                    f"<p>{_word_diff(o, n)}</p>"
                    for o, n in zip(old_lines[a1:a2], new_lines[b1:b2], strict=True)
                )
            else:
                rows.extend(f"<p><del>{escape(line)}</del></p>" for line in old_lines[a1:a2])
                rows.extend(f"<p><ins>{escape(line)}</ins></p>" for line in new_lines[b1:b2])
        changes.append((label, mark_safe("".join(rows))))  # noqa: S308 - every piece escaped
    return changes
