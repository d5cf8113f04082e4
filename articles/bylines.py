"""Render the byline from credits, the way Vietnamese papers print it.

- one person, news + photo: "Tin, ảnh: Trần Quốc"
- different people: "Bài: A - Ảnh: B"
- several people in one role: "Bài: A, B"
- a wire source: "Theo TTXVN"
"""

from django.utils.translation import gettext as _


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
