"""The editorial workflow: the only code that changes an article's status.

Each transition checks the article's state and the user's permission under a
row lock, changes the state, writes an Event and, once the transaction has
committed, sends its notifications. ``Article.submit()``, ``.approve()``…
are the public entry points; they call ``transition`` here.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import notifications
from .revisions import content_hash, snapshot


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


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    permission: str
    needs_note: bool = False
    own_only: bool = False  # without edit_any_article, only on one's own article
    author_only: bool = False  # only on one's own article, whoever one is
    style: str = ""
    extra: dict = field(default_factory=dict)


def _status():
    from .models import Article

    return Article.Status


def transitions():
    """Every transition, in the order the admin shows their buttons."""
    status = _status()
    return {
        t.name: t
        for t in [
            Transition(
                "submit", gettext_lazy("Gửi duyệt"),
                (status.DRAFT, status.CHANGES_REQUESTED), "articles.submit_article",
                own_only=True,
            ),
            Transition(
                "pull_back", gettext_lazy("Rút lại để sửa"),
                (status.IN_REVIEW,), "articles.submit_article", author_only=True,
            ),
            Transition(
                "approve", gettext_lazy("Duyệt"),
                (status.IN_REVIEW,), "articles.approve_article",
            ),
            Transition(
                "request_changes", gettext_lazy("Yêu cầu sửa"),
                (status.IN_REVIEW, status.APPROVED, status.SCHEDULED),
                "articles.approve_article", needs_note=True, style="warning",
            ),
            Transition(
                "publish", gettext_lazy("Đăng / hẹn giờ đăng"),
                (status.APPROVED, status.SCHEDULED), "articles.publish_article",
                style="primary",
            ),
            Transition(
                "unschedule", gettext_lazy("Hủy hẹn giờ"),
                (status.SCHEDULED,), "articles.publish_article",
            ),
            Transition(
                "withdraw", gettext_lazy("Gỡ bài"),
                (status.PUBLISHED, status.SCHEDULED), "articles.withdraw_article",
                needs_note=True, style="danger",
            ),
            Transition(
                "reopen", gettext_lazy("Mở lại thành bản nháp"),
                (status.WITHDRAWN,), "articles.withdraw_article",
            ),
        ]
    }


def is_own(article, user):
    return article.created_by_id is not None and article.created_by_id == user.pk


def can_edit_content(article, user):
    """Whether ``user`` may change the article's content in its current state."""
    status = _status()
    if not user.is_active or not user.is_staff:
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    return (
        user.has_perm("articles.change_article")
        and is_own(article, user)
        and article.status in (status.DRAFT, status.CHANGES_REQUESTED)
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


def available_transitions(article, user):
    """The transitions ``user`` may use on ``article`` in its current state."""
    allowed = []
    for transition in transitions().values():
        if article.status not in transition.sources:
            continue
        try:
            check_allowed(article, user, transition)
        except NotAllowed:
            continue
        if transition.name == "approve" and approval_blocked(article, user):
            continue
        allowed.append(transition)
    return allowed


def approval_blocked(article, user):
    """Whether the four-eyes rule stops ``user`` approving ``article``."""
    try:
        _check_four_eyes(article, user, "")
    except NotAllowed:
        return True
    return False


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


# Revisions ---------------------------------------------------------------------------------


def record_revision(article, by, note=""):
    """Store a revision when the content changed since the last one.

    Called after every save of the article and its credits, photos and tags.
    An edit to approved content sends the article back to review. Returns the
    new revision, or None when nothing changed.
    """
    from .models import Article, Event, Revision

    data = snapshot(article)
    digest = content_hash(data)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        latest = locked.revisions.order_by("-number").first()
        if latest and latest.content_hash == digest:
            return None
        revision = Revision.objects.create(
            article=locked,
            number=(latest.number + 1) if latest else 1,
            data=data,
            content_hash=digest,
            article_version=locked.version,
            created_by=by,
            note=note,
        )
        updates = {"last_editor": by}
        status = Article.Status
        reset = (
            latest is not None
            and locked.status in (status.APPROVED, status.SCHEDULED)
            and locked.approved_hash != digest
        )
        if reset:
            updates |= {"status": status.IN_REVIEW, "approved_hash": "", "approved_by": None,
                        "approved_at": None}
            Event.objects.create(
                article=locked, action="content_changed", actor=by, from_status=locked.status,
                to_status=status.IN_REVIEW, revision=revision,
                note=_("Nội dung đã sửa sau khi duyệt: bài trở lại chờ duyệt."),
            )
        Article.objects.filter(pk=locked.pk).update(**updates)
    for name, value in updates.items():
        setattr(article, name, value)
    return revision


def latest_revision(article):
    return article.revisions.order_by("-number").first()


# Transitions -------------------------------------------------------------------------------


def transition(article, name, by, note="", at=None, reason="", command="", notify=True):
    """Make transition ``name`` on ``article`` as user ``by``.

    ``note`` is required where the transition says so; ``at`` is the publish
    time for ``publish`` (None: now; a future time schedules); ``reason`` is the
    public withdrawal reason for ``withdraw``. ``by`` is None only for a
    management command run by the operator at the shell, named by ``command``
    (see ``publish_by_command``): it has no user whose permissions to check,
    and its Event says which command it was. ``notify=False`` sends no e-mail.
    """
    from .models import Article, Event, WithdrawalReason

    spec = transitions()[name]
    status = Article.Status
    note = (note or "").strip()
    if by is None and not command:
        raise NotAllowed(_("Bạn không có quyền “%(action)s”.") % {"action": spec.label})
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.status not in spec.sources:
            raise InvalidTransition(
                _("Không thể “%(action)s” một bài đang ở trạng thái “%(status)s”.")
                % {"action": spec.label, "status": locked.get_status_display()}
            )
        if by is not None:
            check_allowed(locked, by, spec)
        if spec.needs_note and not note:
            raise NoteRequired(_("Cần ghi lý do để “%(action)s”.") % {"action": spec.label})
        revision = latest_revision(locked)
        updates = {}
        target = None
        if name == "submit":
            target = status.IN_REVIEW
        elif name == "pull_back":
            target = status.DRAFT
        elif name == "request_changes":
            target = status.CHANGES_REQUESTED
            updates |= {"approved_hash": "", "approved_by": None, "approved_at": None}
        elif name == "approve":
            target = status.APPROVED
            if by is not None:
                note = _check_four_eyes(locked, by, note)
            updates |= {
                "approved_hash": revision.content_hash if revision else "",
                "approved_by": by,
                "approved_at": timezone.now(),
            }
        elif name == "publish":
            target, updates = _publish(locked, by, at, revision)
        elif name == "unschedule":
            target = status.APPROVED
        elif name == "withdraw":
            if reason not in WithdrawalReason.values:
                raise NoteRequired(_("Chọn lý do gỡ bài hiện cho bạn đọc."))
            target = status.WITHDRAWN
            updates["withdrawal_reason"] = reason
        elif name == "reopen":
            target = status.DRAFT
            updates |= {"approved_hash": "", "approved_by": None, "approved_at": None}
        from_status = locked.status
        Article.objects.filter(pk=locked.pk).update(
            status=target, version=F("version") + 1, **updates
        )
        event = Event.objects.create(
            article=locked, action=name, actor=by, from_status=from_status, to_status=target,
            note=note, revision=revision,
        )
        if notify:
            transaction.on_commit(lambda: notifications.transition_made(event))
    article.refresh_from_db()
    return event


def publish_path():
    """The workflow's own transitions from each state to published, in order."""
    status = _status()
    from_draft = ("submit", "approve", "publish")
    return {
        status.DRAFT: from_draft,
        status.CHANGES_REQUESTED: from_draft,
        status.IN_REVIEW: ("approve", "publish"),
        status.APPROVED: ("publish",),
        status.SCHEDULED: ("publish",),
        status.PUBLISHED: (),
    }


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
            # A state with no path (withdrawn) fails at "publish" with its reason.
            path = publish_path().get(locked.status, ("publish",))
            for number, name in enumerate(path, start=1):
                events.append(
                    transition(
                        article, name, None, note=note, at=at if name == "publish" else None,
                        command=command, notify=number == len(path),
                    )
                )
    finally:
        article.refresh_from_db()  # rolled back or not, the caller sees what is stored
    return events


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


def _publish(article, by, at, revision):
    status = _status()
    missing = missing_for_publication(article)
    if missing:
        raise PublishBlocked(_("Chưa thể đăng bài:"), *missing)
    if article.approved_hash and revision and article.approved_hash != revision.content_hash:
        raise InvalidTransition(_("Nội dung đã đổi sau khi duyệt; cần duyệt lại."))
    now = timezone.now()
    when = at or now
    updates = {"published_at": when, "published_by": by}
    if when > now:
        return status.SCHEDULED, updates | {"announced_at": None}
    updates |= {
        "first_published_at": article.first_published_at or when,
        "announced_at": now,
    }
    return status.PUBLISHED, updates


def publish_due(now=None):
    """Move scheduled articles whose time has come to published and announce
    them. Safe to run from several machines at once: each article is taken
    under a row lock that other runners skip. Returns the events written."""
    from .models import Article, Event

    now = now or timezone.now()
    status = Article.Status
    events = []
    due_ids = Article.objects.due(now).values_list("pk", flat=True)
    for pk in list(due_ids):
        with transaction.atomic():
            locked = (
                Article.objects.select_for_update(skip_locked=True)
                .due(now)
                .filter(pk=pk)
                .first()
            )
            if locked is None:
                continue  # another runner has it, or it changed meanwhile
            Article.objects.filter(pk=pk).update(
                status=status.PUBLISHED,
                first_published_at=locked.first_published_at or locked.published_at,
                announced_at=now,
                version=F("version") + 1,
            )
            event = Event.objects.create(
                article=locked, action="publish_scheduled", actor=None,
                from_status=status.SCHEDULED, to_status=status.PUBLISHED,
                revision=latest_revision(locked),
                note=_("Đến giờ hẹn, bài đã lên trang."),
            )
            transaction.on_commit(lambda event=event: notifications.transition_made(event))
            events.append(event)
    return events


def correct(article, by, kind, text, is_major=False):
    """Add a public correction note to a published article."""
    from .models import Article, Correction, Event

    text = (text or "").strip()
    if not text:
        raise NoteRequired(_("Cần nội dung cải chính."))
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.status != Article.Status.PUBLISHED:
            raise InvalidTransition(_("Chỉ đăng cải chính cho bài đã đăng."))
        if not (by.is_active and by.is_staff and by.has_perm("articles.correct_article")):
            raise NotAllowed(_("Bạn không có quyền đăng cải chính."))
        correction = Correction.objects.create(
            article=locked, kind=kind, text=text, is_major=is_major, created_by=by
        )
        if is_major:
            Article.objects.filter(pk=locked.pk).update(
                updated_at=correction.published_at, version=F("version") + 1
            )
        Event.objects.create(
            article=locked, action="correct", actor=by, from_status=locked.status,
            to_status=locked.status, note=f"{correction.get_kind_display()}: {text}",
            revision=latest_revision(locked),
        )
    article.refresh_from_db()
    return correction
