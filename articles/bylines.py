"""Render the byline from credits, the way Vietnamese papers print it.

- one person, news + photo: "Tin, ảnh: Trần Quốc"
- different people: "Bài: A - Ảnh: B"
- several people in one role: "Bài: A, B"
- a wire source: "Theo TTXVN"

A photo's photographer (``Photo.creator``) who is credited on the article
joins the byline in the photo role ("Tin" + their photo = "Tin, ảnh: X"),
and the photo's own credit line is then not printed again under it
(``article_byline``). This module never imports ``models`` (which imports
it): it reaches the Role rows through the credits it is given.
"""

from django.utils.translation import gettext as _

from newsroom.text import fold


def _join_labels(roles):
    labels = [role.label for role in roles]
    rest = [label[:1].lower() + label[1:] for label in labels[1:]]
    return ", ".join([labels[0], *rest])


def byline_groups(credits):
    """Group credits into (roles, names) pairs, in the order they were given.

    A person's roles are merged ("Tin, ảnh"); people with the same roles are
    listed together ("Bài: A, B"). Source roles form their own groups.
    """
    people = {}  # person key -> [name, roles]
    for credit in credits:
        name = credit.display_name
        if not name:
            continue
        entry = people.setdefault(credit.person_key, [name, []])
        if credit.role not in entry[1]:
            entry[1].append(credit.role)
    groups = {}  # tuple of role ids -> [roles, names]
    for name, roles in people.values():
        roles.sort(key=lambda role: (role.order, role.label))
        key = tuple(role.pk for role in roles)
        groups.setdefault(key, [roles, []])[1].append(name)
    return [(roles, names) for roles, names in groups.values()]


def render_byline(credits):
    parts, sources = [], []
    for roles, names in byline_groups(credits):
        own_roles = [role for role in roles if not role.is_source]
        if len(own_roles) < len(roles):
            sources.extend(names)
        if own_roles:
            parts.append(f"{_join_labels(own_roles)}: {', '.join(names)}")
    if sources:
        parts.append(_("Theo %(sources)s") % {"sources": ", ".join(sources)})
    return " - ".join(parts)


def photo_creators(photo):
    """The people ``photo`` names as its photographers: "A, B" is two."""
    return [name.strip() for name in photo.creator.split(",") if name.strip()]


def _folded_names(credit):
    names = {fold(credit.display_name)}
    if credit.contributor_id:
        names.add(fold(credit.contributor.name))
    return names - {""}


def with_photographers(credits, photo_uses):
    """``credits`` and, for each photographer of ``photo_uses`` who has a credit
    on the article but none in a photo role, an unsaved credit in the first
    photo role. Source credits ("Theo TTXVN") never take a photo role."""
    credits = list(credits)
    people = [credit for credit in credits if credit.display_name and not credit.role.is_source]
    if not people:
        return credits
    photo_people = {credit.person_key for credit in credits if credit.role.is_photo}
    merged, photo_role = [], None
    for use in photo_uses:
        for name in photo_creators(use.photo):
            match = next((c for c in people if fold(name) in _folded_names(c)), None)
            if match is None or match.person_key in photo_people:
                continue
            if photo_role is None:
                photo_role = next(
                    (c.role for c in credits if c.role.is_photo), None
                ) or type(match.role).objects.filter(is_photo=True).first()
                if photo_role is None:  # the newsroom has no photo role
                    return credits
            photo_people.add(match.person_key)
            merged.append(
                type(match)(
                    article_id=match.article_id, contributor=match.contributor,
                    name=match.name, role=photo_role, order=match.order,
                )
            )
    return credits + merged


def _credit_line_says_only(photo, creators, labels):
    """Whether the photo's credit line says no more than "<photo role>: <creators>"."""
    text = fold(photo.credit_line).strip()
    for label in labels:
        prefix = fold(label) + ":"
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    names = sorted(name.strip() for name in text.split(",") if name.strip())
    return not names or names == sorted(fold(name) for name in creators)


def article_byline(credits, photo_uses):
    """The byline of an article with these credits and photos, photographers
    merged in (``with_photographers``). Marks each use whose credit line the
    byline already says: ``use.credit_in_byline`` is True when every
    photographer of its photo is in the byline in a photo role and its credit
    line is empty or says only that ("Ảnh: X"); the caption then leaves it out.
    """
    photo_uses = list(photo_uses)
    credits = with_photographers(credits, photo_uses)
    photo_credits = [credit for credit in credits if credit.role.is_photo and credit.display_name]
    in_byline = set().union(*(_folded_names(credit) for credit in photo_credits))
    labels = {credit.role.label for credit in photo_credits}
    for use in photo_uses:
        creators = photo_creators(use.photo)
        use.credit_in_byline = bool(creators) and all(
            fold(name) in in_byline for name in creators
        ) and _credit_line_says_only(use.photo, creators, labels)
    return render_byline(credits)
