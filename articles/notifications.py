"""E-mail about workflow transitions. Queued only after the transaction that
made the transition has committed, so a rolled-back transition sends nothing;
sent by the ``send_transition_mail`` task (on the worker in production)."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from newsroom.worker.models import Receipt
from newsroom.worker.retry import retrying

from . import chains

# Who hears about which transition: the first level's group about submissions,
# the next level's about an approval at a level before the last (the previous
# level's about a send-back), the author about what editors decided.
TO_EDITORS = {"submit"}
TO_NEXT_LEVEL = {"approve", "send_back", "mark_sensitive"}
TO_AUTHOR = {"request_changes", "approve", "publish", "publish_scheduled", "withdraw"}


def editors():
    User = get_user_model()
    permission = Q(
        groups__permissions__codename="approve_article",
        groups__permissions__content_type__app_label="articles",
    ) | Q(
        user_permissions__codename="approve_article",
        user_permissions__content_type__app_label="articles",
    )
    return User.objects.filter(permission | Q(is_superuser=True), is_active=True).distinct()


def level_members(article):
    """Who approves at the level ``article`` waits at: its group's active members
    (a level with no group: every editor)."""
    standing = chains.standing(article)
    level = standing.current
    if level is None:
        return editors().none()
    if level.group_id is None:
        return editors()
    return get_user_model().objects.filter(groups=level.group_id, is_active=True)


def recipients(event):
    # Marked sensitive once approved: back in review, waiting for the top level.
    moved = event.action != "mark_sensitive" or event.from_status != "in_review"
    waiting = event.to_status == "in_review" and event.action in TO_NEXT_LEVEL and moved
    if event.action in TO_EDITORS or waiting:
        users = level_members(event.article).exclude(pk=event.actor_id)
    elif event.action in TO_AUTHOR and event.article.created_by_id:
        users = [event.article.created_by]
    else:
        users = []
    return sorted({user.email for user in users if user.email})


def transition_made(event):
    """Called by the workflow once the transition's transaction has committed."""
    send_transition_mail.enqueue(event.pk)


@task
def send_transition_mail(event_id, attempt=1):
    """Send the e-mail about the Event ``event_id``, once. Returns how many were sent.

    A ``Receipt`` row is written in the same transaction as the sending: a run
    again after a success (the task queued twice, an operator re-running it) finds
    it and sends nothing. A failed send rolls it back and is retried later. The one
    duplicate left possible: a worker killed after the mail server accepted the
    message and before the commit (milliseconds); SMTP gives no way to ask."""
    Event = apps.get_model("articles", "Event")
    event = Event.objects.select_related("article__created_by").filter(pk=event_id).first()
    if event is None:
        return 0
    with retrying(send_transition_mail, event_id, attempt=attempt), transaction.atomic():
        try:
            with transaction.atomic():
                Receipt.objects.create(key=f"transition-mail-{event_id}")
        except IntegrityError:
            return 0  # sent already
        return _send(event)


def _send(event):
    to = recipients(event)
    if not to:
        return 0
    site = settings.NEWSROOM["SITE_URL"].rstrip("/")
    context = {
        "event": event,
        "article": event.article,
        "paper": settings.NEWSROOM,
        "admin_url": site + reverse("admin:articles_article_change", args=[event.article_id]),
        "public_url": site + event.article.get_absolute_url(),
    }
    level = chains.standing(event.article).current if event.to_status == "in_review" else None
    if level is not None:
        context["level"] = chains.in_sentence(level)
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("articles/email/transition_subject.txt", context)
        body = render_to_string("articles/email/transition_body.txt", context)
    message = (" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, to)
    return send_mass_mail([message], fail_silently=False)
