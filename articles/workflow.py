"""The editorial workflow: an article's states, the transitions between them,
and the only code that changes an article's status.

Each transition checks the article's state and the user's permission under a
row lock, changes the state, writes an Event and, once the transaction has
committed, sends its notifications. ``Article.submit()``, ``.approve()``…
are the public entry points; they hand the article they are called on to
``make`` here. This module never imports ``models`` (which imports it): it
works on the instance it is given, reaching other rows through its managers.

Over 400 lines because it is one thing: the transition table, its guard,
the publish gates (checked when approving and publishing) and the code that
moves an article along the table. Approval happens once per level of the
article's approval chain; which levels, and which it has passed, is
``articles.chains`` (read only); the approvals are written here.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import chains, notifications, purges
from .revisions import content_hash, snapshot


class Status(models.TextChoices):
    """An article's state (``Article.Status``)."""

    DRAFT = "draft", gettext_lazy("Bản nháp")
    IN_REVIEW = "in_review", gettext_lazy("Chờ duyệt")
    CHANGES_REQUESTED = "changes_requested", gettext_lazy("Cần sửa")
    APPROVED = "approved", gettext_lazy("Đã duyệt")
    SCHEDULED = "scheduled", gettext_lazy("Hẹn giờ đăng")
    PUBLISHED = "published", gettext_lazy("Đã đăng")
    WITHDRAWN = "withdrawn", gettext_lazy("Đã gỡ")


class WithdrawalReason(models.TextChoices):
    """The reason shown to readers on a withdrawn article's page."""

    LEGAL = "legal", gettext_lazy("Bài được gỡ theo yêu cầu của cơ quan có thẩm quyền.")
    ERROR = "error", gettext_lazy("Bài được gỡ vì có thông tin chưa chính xác.")
    DUPLICATE = "duplicate", gettext_lazy("Bài được gỡ vì trùng với một bài khác đã đăng.")
    EDITORIAL = "editorial", gettext_lazy("Bài được gỡ theo quyết định của tòa soạn.")


PUBLIC_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)
DRAFTING_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)

NO_APPROVAL = {"approved_hash": "", "approved_by": None, "approved_at": None}


class WorkflowError(Exception):
    """A transition that cannot happen; ``messages`` say why, in Vietnamese."""

    def __init__(self, *messages):
        super().__init__(" ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


class InvalidTransition(WorkflowError):
    """The article is not in a state the transition starts from."""


class NotAllowed(WorkflowError, PermissionDenied):
    """The user may not make this transition on this article."""


class NoteRequired(WorkflowError):
    """The transition needs a note (changes requested, withdrawal)."""


class PublishBlocked(WorkflowError):
    """The article misses items the publish gates require."""


@dataclass
class Step:
    """One transition being made: what its ``prepare`` hook reads and adjusts."""

    article: object  # the locked row
    by: object
    note: str
    at: object
    reason: str
    revision: object
    target: str
    level: str = ""  # the approval level the step is at, for its Event


@dataclass(frozen=True)
class Transition:
    """One row of the table. ``name`` is also the Article method that makes it;
    ``prepare(step)`` returns the other fields the transition writes (and may
    refuse, or change ``step.target``, as publishing a time ahead schedules)."""

    name: str
    label: str
    sources: tuple
    target: str
    permission: str
    needs_note: bool = False
    own_only: bool = False  # without edit_any_article, only on one's own article
    author_only: bool = False  # only on one's own article, whoever one is
    # Whose level: "current" (in review: the level the article waits at; later:
    # any level of its chain), "sensitive" (the sensitive level's group).
    holder: str = ""
    applies: object = None  # applies(article): offered at all (besides the state)
    style: str = ""
    prepare: object = None


# Publish gates -------------------------------------------------------------------------


def _gate_headline(article):
    return [] if article.headline.strip() else [_("Thiếu tít.")]


def _gate_lead(article):
    return [] if article.lead.strip() else [_("Thiếu sapo.")]


def _gate_section(article):
    return [] if article.section_id else [_("Chưa chọn chuyên mục.")]


def _gate_credit(article):
    return [] if article.credits.exists() else [_("Chưa ghi công tác giả.")]


def _gate_tag(article):
    return [] if article.tags.exists() else [_("Chưa gắn thẻ nào.")]


def _gate_photos(article):
    missing = []
    for number, use in enumerate(article.photo_uses.select_related("photo"), start=1):
        if not use.photo.image:
            missing.append(_("Ảnh %(n)s chưa có tệp ảnh.") % {"n": number})
        if not use.display_alt.strip() or not (use.alt_text or use.photo.alt_text).strip():
            missing.append(_("Ảnh %(n)s thiếu mô tả ảnh (alt).") % {"n": number})
        if not use.display_caption.strip():
            missing.append(_("Ảnh %(n)s thiếu chú thích.") % {"n": number})
    return missing


GATES = {
    "headline": _gate_headline,
    "lead": _gate_lead,
    "section": _gate_section,
    "credit": _gate_credit,
    "photos": _gate_photos,
    "tag": _gate_tag,
}


def missing_for_publication(article):
    """Every item the configured publish gates find missing, in one list."""
    missing = []
    for name in settings.NEWSROOM["PUBLISH_GATES"]:
        missing.extend(GATES[name](article))
    return missing


# What each transition writes besides the status ------------------------------------------


def _check_four_eyes(article, user, note):
    """No one approves content they wrote, unless the desk turned the rule off."""
    authors = {article.created_by_id, article.last_editor_id} - {None}
    if user.pk not in authors:
        return note
    if settings.NEWSROOM["FOUR_EYES"]:
        raise NotAllowed(
            _("Bạn không thể duyệt bài có nội dung do chính mình viết; cần người khác duyệt.")
        )
    return " ".join(
        filter(None, [note, _("(Duyệt bài của chính mình: quy tắc hai người đang tắt.)")])
    )


def _check_one_level(standing, user, level, note):
    """No one approves two levels of the same content (four eyes, per level)."""
    other = next(
        (
            approval for group_id, approval in standing.approvals.items()
            if group_id != level.group_id and approval.approved_by_id == user.pk
        ),
        None,
    )
    if other is None:
        return note
    if settings.NEWSROOM["FOUR_EYES"]:
        raise NotAllowed(
            _("Bạn đã duyệt bài này ở cấp “%(level)s”; mỗi cấp cần một người khác duyệt.")
            % {"level": _(other.label)}
        )
    return " ".join(
        filter(None, [note, _("(Một người duyệt hai cấp: quy tắc hai người đang tắt.)")])
    )


def _clear_approval(step):
    step.article.approvals.all().delete()
    return dict(NO_APPROVAL)


def _approve(step):
    article = step.article
    standing = chains.standing(article)
    level = standing.current or standing.levels[-1]
    if step.by is not None:
        step.note = _check_four_eyes(article, step.by, step.note)
        step.note = _check_one_level(standing, step.by, level, step.note)
    # Approving what could not be published would only move the refusal later.
    missing = missing_for_publication(article)
    if missing:
        raise PublishBlocked(_("Chưa thể duyệt bài:"), *missing)
    digest = step.revision.content_hash if step.revision else ""
    now = timezone.now()
    # A management command has no level of its own: it approves every one left.
    levels = [level] if step.by is not None else (standing.missing() or [level])
    for approved in levels:
        article.approvals.update_or_create(
            group_id=approved.group_id,
            defaults={"label": approved.label, "approved_by": step.by,
                      "content_hash": digest, "approved_at": now},
        )
    step.level = ", ".join(str(approved) for approved in levels)
    done = set(standing.approvals) | {approved.group_id for approved in levels}
    if any(other.group_id not in done for other in standing.levels):
        step.target = Status.IN_REVIEW  # on to the next level
        return {}
    return {"approved_hash": digest, "approved_by": step.by, "approved_at": now}


def _send_back(step):
    previous = chains.standing(step.article).previous
    if previous is None:
        raise InvalidTransition(_("Bài đang ở cấp duyệt đầu tiên; không có cấp trước để trả về."))
    step.article.approvals.filter(group_id=previous.group_id).delete()
    step.level = str(previous)
    return {}


def _set_sensitive(value):
    def prepare(step):
        article = step.article
        article.is_sensitive = value
        standing = chains.standing(article)
        step.level = str(chains.book_of(article).sensitive_level() or "")
        if article.status in (Status.APPROVED, Status.SCHEDULED) and not standing.complete:
            step.target = Status.IN_REVIEW  # the top level is still to approve
            return {"is_sensitive": value, **NO_APPROVAL}
        if article.status == Status.IN_REVIEW and standing.complete and standing.approvals:
            last = max(standing.approvals.values(), key=lambda approval: approval.approved_at)
            step.target = Status.APPROVED  # the level it waited at is no longer asked
            return {"is_sensitive": value, "approved_hash": last.content_hash,
                    "approved_by": last.approved_by, "approved_at": last.approved_at}
        return {"is_sensitive": value}

    return prepare


def _has_previous_level(article):
    return chains.standing(article).previous is not None


def _publish(step):
    article, revision = step.article, step.revision
    missing = missing_for_publication(article)
    if missing:
        raise PublishBlocked(_("Chưa thể đăng bài:"), *missing)
    if article.approved_hash and revision and article.approved_hash != revision.content_hash:
        raise InvalidTransition(_("Nội dung đã đổi sau khi duyệt; cần duyệt lại."))
    now = timezone.now()
    when = step.at or now
    updates = {"published_at": when, "published_by": step.by}
    if when > now:
        step.target = Status.SCHEDULED
        return updates | {"announced_at": None}
    return updates | {
        "first_published_at": article.first_published_at or when,
        "announced_at": now,
    }


def _withdraw(step):
    if step.reason not in WithdrawalReason.values:
        raise NoteRequired(_("Chọn lý do gỡ bài hiện cho bạn đọc."))
    return {"withdrawal_reason": step.reason}


# The table ---------------------------------------------------------------------------------

SUBMIT = Transition(
    "submit", gettext_lazy("Gửi duyệt"),
    DRAFTING_STATUSES, Status.IN_REVIEW, "articles.submit_article", own_only=True,
)
PULL_BACK = Transition(
    "pull_back", gettext_lazy("Rút lại để sửa"),
    (Status.IN_REVIEW,), Status.DRAFT, "articles.submit_article", author_only=True,
)
APPROVE = Transition(  # stays in review until the chain's last level approves
    "approve", gettext_lazy("Duyệt"),
    (Status.IN_REVIEW,), Status.APPROVED, "articles.approve_article", holder="current",
    prepare=_approve,
)
SEND_BACK = Transition(
    "send_back", gettext_lazy("Trả về cấp trước"),
    (Status.IN_REVIEW,), Status.IN_REVIEW, "articles.approve_article", needs_note=True,
    holder="current", applies=_has_previous_level, style="warning", prepare=_send_back,
)
REQUEST_CHANGES = Transition(
    "request_changes", gettext_lazy("Yêu cầu sửa"),
    (Status.IN_REVIEW, Status.APPROVED, Status.SCHEDULED), Status.CHANGES_REQUESTED,
    "articles.approve_article", needs_note=True, holder="current", style="warning",
    prepare=_clear_approval,
)
SENSITIVE_SOURCES = (*DRAFTING_STATUSES, Status.IN_REVIEW, Status.APPROVED, Status.SCHEDULED)
MARK_SENSITIVE = Transition(  # the target is the state it is in, unless a level is to pass
    "mark_sensitive", gettext_lazy("Đánh dấu nhạy cảm"),
    SENSITIVE_SOURCES, "", "articles.approve_article",
    applies=lambda article: not article.is_sensitive, prepare=_set_sensitive(True),
)
UNMARK_SENSITIVE = Transition(
    "unmark_sensitive", gettext_lazy("Bỏ đánh dấu nhạy cảm"),
    SENSITIVE_SOURCES, "", "articles.approve_article", holder="sensitive",
    applies=lambda article: article.is_sensitive, prepare=_set_sensitive(False),
)
PUBLISH = Transition(  # to SCHEDULED when the publish time is ahead
    "publish", gettext_lazy("Đăng / hẹn giờ đăng"),
    (Status.APPROVED, Status.SCHEDULED), Status.PUBLISHED, "articles.publish_article",
    style="primary", prepare=_publish,
)
UNSCHEDULE = Transition(
    "unschedule", gettext_lazy("Hủy hẹn giờ"),
    (Status.SCHEDULED,), Status.APPROVED, "articles.publish_article",
)
WITHDRAW = Transition(
    "withdraw", gettext_lazy("Gỡ bài"),
    (Status.PUBLISHED, Status.SCHEDULED), Status.WITHDRAWN, "articles.withdraw_article",
    needs_note=True, style="danger", prepare=_withdraw,
)
REOPEN = Transition(
    "reopen", gettext_lazy("Mở lại thành bản nháp"),
    (Status.WITHDRAWN,), Status.DRAFT, "articles.withdraw_article", prepare=_clear_approval,
)

# Every transition a person makes, in the order the admin shows their buttons.
TRANSITIONS = {
    t.name: t
    for t in (
        SUBMIT, PULL_BACK, APPROVE, SEND_BACK, REQUEST_CHANGES, PUBLISH, UNSCHEDULE, WITHDRAW,
        REOPEN, MARK_SENSITIVE, UNMARK_SENSITIVE,
    )
}

# The workflow's own transitions from each state to published, in order.
PUBLISH_PATH = {
    Status.DRAFT: (SUBMIT, APPROVE, PUBLISH),
    Status.CHANGES_REQUESTED: (SUBMIT, APPROVE, PUBLISH),
    Status.IN_REVIEW: (APPROVE, PUBLISH),
    Status.APPROVED: (PUBLISH,),
    Status.SCHEDULED: (PUBLISH,),
    Status.PUBLISHED: (),
}


def transitions():
    """Every transition a person makes, by name (``TRANSITIONS``)."""
    return TRANSITIONS


# The guard ---------------------------------------------------------------------------------


def is_own(article, user):
    return article.created_by_id is not None and article.created_by_id == user.pk


def can_edit_content(article, user):
    """Whether ``user`` may change the article's content in its current state."""
    if not user.is_active or not user.is_staff:
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    return (
        user.has_perm("articles.change_article")
        and is_own(article, user)
        and article.status in DRAFTING_STATUSES
    )


def check_allowed(article, user, transition):
    """Raise ``NotAllowed`` unless ``user`` may make ``transition`` on ``article``."""
    if not (user.is_active and user.is_staff and user.has_perm(transition.permission)):
        raise NotAllowed(_("Bạn không có quyền “%(action)s”.") % {"action": transition.label})
    if not is_own(article, user) and (
        transition.author_only
        or (transition.own_only and not user.has_perm("articles.edit_any_article"))
    ):
        raise NotAllowed(_("Bạn chỉ được thao tác trên bài của mình."))
    if transition.holder:
        _check_holder(article, user, transition)


def _check_holder(article, user, transition):
    """The level rule: in review, only the level the article waits at acts on it;
    after, any level of its chain; the sensitive mark is lifted only by its level."""
    if transition.holder == "sensitive":
        level = chains.book_of(article).sensitive_level()
        if level is None or not chains.holds(user, level):
            raise NotAllowed(
                _("Chỉ cấp duyệt bài nhạy cảm mới bỏ được đánh dấu nhạy cảm.")
            )
        return
    standing = chains.standing(article)
    if article.status == Status.IN_REVIEW:
        level = standing.current or standing.levels[-1]
        if not chains.holds(user, level):
            raise NotAllowed(
                _("Bài đang chờ %(level)s duyệt; bạn không thuộc cấp này.")
                % {"level": chains.in_sentence(level)}
            )
    elif not any(chains.holds(user, level) for level in standing.levels):
        raise NotAllowed(_("Bạn không thuộc cấp duyệt nào của bài này."))


def applies(article, transition):
    """Whether ``transition`` starts from the article's state and fits it."""
    return article.status in transition.sources and (
        transition.applies is None or transition.applies(article)
    )


def available_transitions(article, user):
    """The transitions ``user`` may use on ``article`` in its current state."""
    allowed = []
    for transition in TRANSITIONS.values():
        if not applies(article, transition):
            continue
        try:
            check_allowed(article, user, transition)
        except NotAllowed:
            continue
        if transition is APPROVE and approval_blocked(article, user):
            continue
        allowed.append(transition)
    return allowed


def approval_refusal(article, user):
    """Why the four-eyes rule stops ``user`` approving ``article`` at its
    current level (their own content, or another level they approved), or None."""
    try:
        _check_four_eyes(article, user, "")
        standing = chains.standing(article)
        level = standing.current or standing.levels[-1]
        _check_one_level(standing, user, level, "")
    except NotAllowed as refusal:
        return str(refusal)
    return None


def is_own_content(article, user):
    """Whether ``user`` wrote the article's current content (created or last edited it)."""
    return user.pk in {article.created_by_id, article.last_editor_id} - {None}


def approval_blocked(article, user):
    """Whether the four-eyes rule stops ``user`` approving ``article``."""
    return approval_refusal(article, user) is not None


# Revisions ---------------------------------------------------------------------------------


def _record_event(article, **fields):
    """Append an Event to ``article``'s log (the Event model, reached through it)."""
    return article.events.model.objects.create(article=article, **fields)


def latest_revision(article):
    return article.revisions.order_by("-number").first()


def record_revision(article, by, note=""):
    """Store a revision when the content changed since the last one.

    Called after every save of the article and its credits, photos and tags.
    An edit to approved content sends the article back to review. Returns the
    new revision, or None when nothing changed.
    """
    rows = type(article).objects
    data = snapshot(article)
    digest = content_hash(data)
    with transaction.atomic():
        locked = rows.select_for_update().get(pk=article.pk)
        latest = latest_revision(locked)
        if latest and latest.content_hash == digest:
            return None
        revision = locked.revisions.create(
            number=(latest.number + 1) if latest else 1,
            data=data,
            content_hash=digest,
            article_version=locked.version,
            created_by=by,
            note=note,
        )
        updates = {"last_editor": by}
        # An approval is bound to the content it approved: an edit leaves it behind.
        stale = list(locked.approvals.exclude(content_hash=digest)) if latest else []
        if stale:
            locked.approvals.filter(pk__in=[approval.pk for approval in stale]).delete()
        reset = (
            latest is not None
            and locked.status in (Status.APPROVED, Status.SCHEDULED)
            and locked.approved_hash != digest
        )
        if reset:
            updates |= {"status": Status.IN_REVIEW, **NO_APPROVAL}
            _record_event(
                locked, action="content_changed", actor=by, from_status=locked.status,
                to_status=Status.IN_REVIEW, revision=revision,
                note=_("Nội dung đã sửa sau khi duyệt: bài trở lại chờ duyệt."),
            )
        elif stale and locked.status == Status.IN_REVIEW:
            _record_event(
                locked, action="content_changed", actor=by, from_status=locked.status,
                to_status=Status.IN_REVIEW, revision=revision,
                level=str(chains.standing(locked).current or ""),
                note=_("Nội dung đã sửa sau khi được duyệt ở cấp %(levels)s: bài trở lại "
                       "cấp duyệt đầu tiên chưa duyệt nội dung này.")
                % {"levels": ", ".join(_(approval.label) for approval in stale)},
            )
        rows.filter(pk=locked.pk).update(**updates)
        # An edit of published content.
        _purge_after(locked, updates.get("status", locked.status), latest.data if latest else None)
    for name, value in updates.items():
        setattr(article, name, value)
    return revision


# Transitions -------------------------------------------------------------------------------


def _purge_after(article, to_status, before=None):
    """After commit, purge the public pages that showed ``article`` or will
    (articles/purges.py); a schedule changing moves the pages' lifetime cap.
    ``before``: the previous revision's data, whose section, tags and credits
    the article may just have left."""
    public = (Status.PUBLISHED, Status.SCHEDULED, Status.WITHDRAWN)
    if article.status in public or to_status in public:
        purges.purge_article(article, before)


def make(article, spec, by, note="", at=None, reason="", command="", notify=True):
    """Make transition ``spec`` (a row of the table) on ``article`` as user ``by``.

    ``note`` is required where the transition says so; ``at`` is the publish
    time for ``publish`` (None: now; a future time schedules); ``reason`` is the
    public withdrawal reason for ``withdraw``. ``by`` is None only for a
    management command run by the operator at the shell, named by ``command``
    (see ``publish_by_command``): it has no user whose permissions to check,
    and its Event says which command it was. ``notify=False`` sends no e-mail.
    Called by the Article method of the same name.
    """
    rows = type(article).objects
    note = (note or "").strip()
    if by is None and not command:
        raise NotAllowed(_("Bạn không có quyền “%(action)s”.") % {"action": spec.label})
    with transaction.atomic():
        locked = rows.select_for_update().get(pk=article.pk)
        if not applies(locked, spec):
            raise InvalidTransition(
                _("Không thể “%(action)s” một bài đang ở trạng thái “%(status)s”.")
                % {"action": spec.label, "status": locked.get_status_display()}
            )
        if by is not None:
            check_allowed(locked, by, spec)
        if spec.needs_note and not note:
            raise NoteRequired(_("Cần ghi lý do để “%(action)s”.") % {"action": spec.label})
        target = spec.target or locked.status
        step = Step(locked, by, note, at, reason, latest_revision(locked), target)
        from_status = locked.status
        updates = spec.prepare(step) if spec.prepare else {}
        rows.filter(pk=locked.pk).bump_version(status=step.target, **updates)
        event = _record_event(
            locked, action=spec.name, actor=by, from_status=from_status, to_status=step.target,
            note=step.note, revision=step.revision, level=step.level,
        )
        if notify:
            transaction.on_commit(lambda: notifications.transition_made(event))
        _purge_after(locked, step.target)
    article.refresh_from_db()
    return event


def publish_by_command(article, command, note, at=None):
    """Publish ``article`` (schedule it when ``at`` is ahead) for the
    management command ``command``, through the same transitions a person
    would make: submit, approve and publish, with the publish gates. Each
    Event has no user and a note naming the command.

    All or nothing, in one transaction: when a gate or a transition refuses,
    the WorkflowError says why (``PublishBlocked`` lists every missing item)
    and the article stays as it was. Only the last transition sends e-mail
    (nobody is asked to review what is published at once). An article
    already published is left alone: returns the Events made, maybe none.
    """
    note = _("Lệnh %(command)s: %(note)s") % {"command": command, "note": note}
    events = []
    try:
        with transaction.atomic():
            locked = type(article).objects.select_for_update().get(pk=article.pk)
            if locked.status in PUBLISH_PATH and locked.status != Status.PUBLISHED:
                # Said as publishing says it, not as the approval on the way would.
                missing = missing_for_publication(locked)
                if missing:
                    raise PublishBlocked(_("Chưa thể đăng bài:"), *missing)
            # A state with no path (withdrawn) fails at "publish" with its reason.
            path = PUBLISH_PATH.get(locked.status, (PUBLISH,))
            # (``approve`` by a command passes every level of the chain at once.)
            for number, spec in enumerate(path, start=1):
                events.append(
                    make(
                        article, spec, None, note=note, at=at if spec is PUBLISH else None,
                        command=command, notify=number == len(path),
                    )
                )
    finally:
        article.refresh_from_db()  # rolled back or not, the caller sees what is stored
    return events


def publish_scheduled(article, now=None):
    """Move ``article``, scheduled and due, to published and announce it.
    Safe to run from several machines at once: the article is taken under a
    row lock that other runners skip. Returns the Event, or None when another
    runner has the article or it is no longer due."""
    now = now or timezone.now()
    rows = type(article).objects
    with transaction.atomic():
        locked = rows.select_for_update(skip_locked=True).due(now).filter(pk=article.pk).first()
        if locked is None:
            return None
        rows.filter(pk=locked.pk).bump_version(
            status=Status.PUBLISHED,
            first_published_at=locked.first_published_at or locked.published_at,
            announced_at=now,
        )
        event = _record_event(
            locked, action="publish_scheduled", actor=None,
            from_status=Status.SCHEDULED, to_status=Status.PUBLISHED,
            revision=latest_revision(locked),
            note=_("Đến giờ hẹn, bài đã lên trang."),
        )
        transaction.on_commit(lambda: notifications.transition_made(event))
        _purge_after(locked, Status.PUBLISHED)
    article.refresh_from_db()
    return event


def correct(article, by, kind, text, is_major=False):
    """Add a public correction note to a published article."""
    rows = type(article).objects
    text = (text or "").strip()
    if not text:
        raise NoteRequired(_("Cần nội dung cải chính."))
    with transaction.atomic():
        locked = rows.select_for_update().get(pk=article.pk)
        if locked.status != Status.PUBLISHED:
            raise InvalidTransition(_("Chỉ đăng cải chính cho bài đã đăng."))
        if not (by.is_active and by.is_staff and by.has_perm("articles.correct_article")):
            raise NotAllowed(_("Bạn không có quyền đăng cải chính."))
        correction = locked.corrections.create(
            kind=kind, text=text, is_major=is_major, created_by=by
        )
        if is_major:
            rows.filter(pk=locked.pk).bump_version(updated_at=correction.published_at)
        _record_event(
            locked, action="correct", actor=by, from_status=locked.status,
            to_status=locked.status, note=f"{correction.get_kind_display()}: {text}",
            revision=latest_revision(locked),
        )
        # The sitemaps' lastmod counts every correction; the feeds show major ones.
        purges.purge(f"article-{locked.pk}", "sitemaps", *(("feeds",) if is_major else ()))
    article.refresh_from_db()
    return correction


# Actions written by code other than the transitions table.
EVENT_LABELS = {
    "publish_scheduled": gettext_lazy("Đăng theo giờ hẹn"),
    "content_changed": gettext_lazy("Sửa nội dung sau khi duyệt"),
    "correct": gettext_lazy("Cải chính"),
}


def event_label(event):
    """The translated name of what ``event`` records (a transition, or another
    action), with its approval level: "Duyệt (Thư ký tòa soạn)"."""
    spec = TRANSITIONS.get(event.action)
    label = spec.label if spec else EVENT_LABELS.get(event.action, event.action)
    if event.level and event.action in LEVEL_ACTIONS:
        return f"{label} ({_(event.level)})"  # a label we ship is translated
    return label


LEVEL_ACTIONS = {"approve", "send_back"}
