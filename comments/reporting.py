"""Readers reporting a comment: enough distinct reports send a published
comment back to the moderators, with the reports as its reason."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from . import rules
from .models import Comment, ModerationEvent, Report
from .posting import allow, parse_rate, setting


class AlreadyReported(Exception):
    pass


def over_rate(client):
    """True when ``client`` has sent more reports than REPORT_RATE allows
    (counts this one)."""
    return not allow(f"report:{client}", *parse_rate(setting("REPORT_RATE")))


def report(comment, reason, client):
    """Record a reader's report; at REPORTS_TO_HOLD distinct clients the comment
    goes back to the queue with the reports as its reason. Returns True when
    this report sent it back."""
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        try:
            with transaction.atomic():
                Report.objects.create(comment=locked, reason=reason, client_hash=client)
        except IntegrityError:
            raise AlreadyReported from None
        Comment.objects.filter(pk=locked.pk).update(report_count=F("report_count") + 1)
        reports = list(Report.objects.filter(comment=locked).order_by("created_at", "id"))
        if len(reports) < setting("REPORTS_TO_HOLD") or locked.status != Comment.Status.PUBLISHED:
            return False
        labels = sorted({str(Report.Reason(r.reason).label) for r in reports})
        reason_row = rules.Reason("reports", _("Bạn đọc báo cáo vi phạm"), labels).as_dict()
        Comment.objects.filter(pk=locked.pk).update(
            reasons=[*(r for r in locked.reasons if r.get("code") != "reports"), reason_row]
        )
        return locked.moderate(Comment.Status.PENDING, note=ModerationEvent.Note.REPORTS)
