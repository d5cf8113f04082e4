"""Approval chains (duyệt nhiều cấp): the levels an article is approved at,
and which of them it has passed.

Read only: the workflow writes the approvals. The chains are few and small,
so ``ChainBook`` reads them all at once (three queries) and picks an
article's chain in Python; a list of articles shares one book. This module
never imports ``models`` (which imports the workflow, which imports this).
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


def _model(name):
    return apps.get_model("articles", name)


# What a level with no group is called: an install without any chain.
ANY_EDITOR = gettext_noop("Biên tập viên")


@dataclass(frozen=True)
class Level:
    """One level an article must pass: the group whose members approve at it
    (None: anyone who may approve), and its name as the desk says it."""

    group_id: int | None
    label: str

    def __str__(self):
        # Labels typed in the admin are data; the ones we ship are translated.
        return _(self.label)


class ChainBook:
    """Every approval chain with its levels and sections, read once."""

    def __init__(self):
        levels = _model("ApprovalLevel").objects.select_related("group")
        chains = list(
            _model("ApprovalChain").objects.prefetch_related(
                "sections", Prefetch("levels", queryset=levels)
            )
        )
        self.default = next((chain for chain in chains if chain.is_default), None)
        self.chains = [chain for chain in chains if not chain.is_default]
        self.section_ids = {
            chain.pk: {section.pk for section in chain.sections.all()} for chain in chains
        }
        # A chain naming a section takes its children too; no chain names one, no query.
        named = any(self.section_ids.values())
        self.parents = (
            dict(_model("Section").objects.values_list("pk", "parent_id")) if named else {}
        )
        self._sensitive = None

    def chain_for(self, article):
        """The chain for the article's section and kind: one naming both wins, then
        one naming its section, then one naming its kind, then the default. A
        section named directly wins over its parent; then the chain's name."""
        section, parent = article.section_id, self.parents.get(article.section_id)
        best, best_score = self.default, None
        for chain in self.chains:
            sections = self.section_ids[chain.pk]
            if not sections and not chain.kind:
                continue  # names nothing: never chosen
            if chain.kind and chain.kind != article.kind:
                continue
            if sections and section not in sections and parent not in sections:
                continue
            score = (bool(sections) * 2 + bool(chain.kind), section in sections)
            if best_score is None or score > best_score:
                best, best_score = chain, score
        return best

    def levels_for(self, article):
        """The article's levels in order; a sensitive article adds the top level."""
        chain = self.chain_for(article)
        if chain is None:
            levels = [Level(None, ANY_EDITOR)]
        else:
            levels = [
                Level(level.group_id, level.label or level.group.name)
                for level in chain.levels.all()
            ] or [Level(None, ANY_EDITOR)]
        top = self.sensitive_level() if article.is_sensitive else None
        if top and top.group_id not in {level.group_id for level in levels}:
            levels.append(top)
        return levels

    def sensitive_level(self):
        """The level a sensitive article adds: the group named by the setting."""
        if self._sensitive is None:
            name = settings.NEWSROOM["SENSITIVE_GROUP"]
            group = apps.get_model("auth", "Group").objects.filter(name=name).first()
            self._sensitive = [Level(group.pk, group.name)] if name and group else []
        return self._sensitive[0] if self._sensitive else None


@dataclass
class Standing:
    """Where an article stands in its chain: its levels, and the approval of
    each level it has passed (a content edit removes them; see workflow)."""

    levels: list
    approvals: dict = field(default_factory=dict)  # group id (or None) -> ArticleApproval

    @property
    def current_index(self):
        """The first level not yet approved, or None when every level is."""
        for index, level in enumerate(self.levels):
            if level.group_id not in self.approvals:
                return index
        return None

    @property
    def current(self):
        index = self.current_index
        return None if index is None else self.levels[index]

    @property
    def previous(self):
        index = self.current_index
        if index is None:
            return self.levels[-1] if self.levels else None
        return self.levels[index - 1] if index > 0 else None

    @property
    def complete(self):
        return self.current_index is None

    def missing(self):
        return [level for level in self.levels if level.group_id not in self.approvals]

    def passed(self):
        """(level, approval or None) for every level, in order."""
        return [(level, self.approvals.get(level.group_id)) for level in self.levels]


def book_of(article):
    """The chains as read for ``article`` (read once per article object)."""
    book = getattr(article, "_chain_book", None)
    if book is None:
        book = article._chain_book = ChainBook()
    return book


def standing(article, book=None):
    """The article's Standing; ``book`` shares the chains across a list of articles
    (without one, the chains are read once per article object, for one request).
    The approvals come from ``article.approvals`` (prefetched on a list)."""
    book = book or book_of(article)
    approvals = {approval.group_id: approval for approval in article.approvals.all()}
    levels = book.levels_for(article)
    in_chain = {level.group_id for level in levels}
    return Standing(levels, {key: value for key, value in approvals.items() if key in in_chain})


def in_sentence(level):
    """A level's name inside a sentence: a role, not a title ("Chờ thư ký tòa soạn duyệt")."""
    label = str(level)
    return label[:1].lower() + label[1:]


def holds(user, level):
    """Whether ``user`` approves at ``level``: a member of its group (superusers
    hold every level); a level with no group, anyone who may approve."""
    if not (user.is_active and user.is_staff and user.has_perm("articles.approve_article")):
        return False
    if user.is_superuser or level.group_id is None:
        return True
    return level.group_id in group_ids(user)


def group_ids(user):
    """The ids of ``user``'s groups, read once per user object."""
    if not hasattr(user, "_newsroom_group_ids"):
        user._newsroom_group_ids = set(user.groups.values_list("pk", flat=True))
    return user._newsroom_group_ids
