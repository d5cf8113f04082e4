"""What a change form submitted, read back from its POST data as content: the
conflict page shows a refused save's text, credits and photos with it. Nothing
here saves; every value is parsed defensively (a forged POST is just text)."""

from datetime import datetime

from django.utils import timezone
from taggit.utils import parse_tags

from .models import Contributor, Photo, Role, Section
from .revisions import TEXT_FIELDS


def parse_time(value):
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


# Ids and versions past a 64-bit column are no row's: None, not a database error.
MAX_INT = 2**63 - 1


def parse_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if -MAX_INT <= number <= MAX_INT else None


def submitted_rows(post, prefix, fields, filled):
    """The rows of inline formset ``prefix`` as submitted, leaving out deleted
    rows and blank ones (none of the ``filled`` fields given)."""
    total = min(parse_int(post.get(f"{prefix}-TOTAL_FORMS")) or 0, 1000)
    rows = []
    for i in range(total):
        if post.get(f"{prefix}-{i}-DELETE"):
            continue
        row = {name: post.get(f"{prefix}-{i}-{name}", "") for name in fields}
        if any(row[name].strip() for name in filled):
            rows.append(row)
    return rows


def _in_bulk(model, ids):
    return model._default_manager.in_bulk([pk for pk in map(parse_int, ids) if pk is not None])


def submitted_credits(post):
    rows = submitted_rows(
        post, "credits", ["role", "contributor", "name", "order"], ["contributor", "name"]
    )
    roles = _in_bulk(Role, [row["role"] for row in rows])
    people = _in_bulk(Contributor, [row["contributor"] for row in rows])
    return [
        {
            "role": roles.get(parse_int(row["role"]), ""),
            "person": people.get(parse_int(row["contributor"])) or row["name"],
            "order": row["order"],
        }
        for row in rows
    ]


def submitted_photos(post):
    rows = submitted_rows(
        post,
        "photo_uses",
        ["photo", "is_lead", "after_paragraph", "caption", "alt_text"],
        ["photo", "caption", "alt_text"],
    )
    photos = _in_bulk(Photo, [row["photo"] for row in rows])
    for row in rows:
        row["photo"] = photos.get(parse_int(row["photo"]), "")
        row["is_lead"] = bool(row["is_lead"])
    return rows


def submitted_snapshot(post, base):
    """``base`` with the text fields, section and tags the user submitted: enough
    to show what they changed. Fields missing from the form keep their values."""
    data = dict(base)
    for name in TEXT_FIELDS:
        if name in post:
            data[name] = post[name]
    if "section" in post:
        section = _in_bulk(Section, [post["section"]]).get(parse_int(post["section"]))
        data["section"] = {"id": section.pk, "name": section.name} if section else None
    if "tags" in post:
        data["tags"] = sorted(parse_tags(post["tags"]))
    return data
