"""``sync_royalties``: bring the royalty lines up to date with the articles.

Run when the statement pages open, before a month is closed, and by the
command ``manage.py sync_royalties``. Idempotent: running it twice changes
nothing the second time. It reads the articles' first publication and the
append-only Event log (the withdrawal's note); it never changes an article.

* A published article (first publication on or after the first base amount's
  date) gets a line per credit, once per person and role; sources ("Nguồn",
  "Theo TTXVN") get none. The line goes to the month of first publication, or,
  when that month is closed, to the next open month as an adjustment.
* Open lines of open months follow the rate table (unless an editor set the
  coefficient), the grade's multiplier and the base amount in force on the
  publication day. A closed month is never rewritten.
* A withdrawn article's lines in open months are cancelled with the reason; a
  line of a closed month (paid) gets an opposite line in the next open month.

Its cost: a fixed number of queries when nothing is new (tested), over the
articles of the open months; closing months keeps that set short.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Credit, Event

from .models import BaseAmount, QualityGrade, RoyaltyLine, RoyaltyMonth, RoyaltyRate

Status = Article.Status
State = RoyaltyLine.State
Origin = RoyaltyLine.Origin


def first_publication_day(article):
    moment = article.first_published_at or article.published_at
    return timezone.localdate(moment)


def royalties_start():
    """Royalties are counted from the first base amount's date (None: not yet)."""
    first = BaseAmount.objects.order_by("valid_from").first()
    return first.valid_from if first else None


def earliest_open_month_start():
    last_closed = RoyaltyMonth.objects.closed().first()  # newest first
    if last_closed is None:
        return None
    return last_closed.last_day + timedelta(days=1)


def articles_to_pay(start):
    """Articles the public has seen since ``start`` with a credit that is paid."""
    now = timezone.now()
    seen = Q(first_published_at__isnull=False) | Q(
        status__in=Article.PUBLIC_STATUSES, published_at__lte=now
    )
    paid_credit = Credit.objects.filter(article=OuterRef("pk"), role__is_source=False)
    has_lines = RoyaltyLine.objects.filter(article=OuterRef("pk"), origin=Origin.CREDIT)
    rows = Article.objects.filter(seen).filter(Exists(paid_credit))
    rows = rows.filter(
        Q(first_published_at__date__gte=start)
        | Q(first_published_at__isnull=True, published_at__date__gte=start)
    )
    recent = earliest_open_month_start()
    # New articles, and the open months' articles (a credit added after publication).
    if recent is not None:
        rows = rows.filter(
            ~Exists(has_lines) | Q(first_published_at__date__gte=recent)
            | Q(first_published_at__isnull=True)
        )
    return rows.prefetch_related("credits__role", "credits__contributor").order_by("pk")


def new_lines(article, existing_keys, grade, rates):
    """The lines ``article``'s credits call for that are not there yet."""
    day = first_publication_day(article)
    lines, seen = [], set(existing_keys)
    for credit in article.credits.all():
        if credit.role.is_source:
            continue
        line = RoyaltyLine(
            article=article, credit=credit, contributor=credit.contributor,
            name=credit.display_name, role=credit.role, kind=article.kind, published_on=day,
            coefficient=rates.coefficient(credit.role_id, article.kind), grade=grade,
            base_amount=rates.base_amount(day),
        )
        line.save_prepare()
        key = (line.person_key, line.role_id)
        if key not in seen:
            seen.add(key)
            lines.append(line)
    if not lines:
        return []
    month = RoyaltyMonth.objects.open_for(day)
    late = (month.year, month.month) != (day.year, day.month)
    for line in lines:
        line.month = month
        if late:
            line.state = State.ADJUSTMENT
            line.reason = _("Bài đăng ngày %(day)s, tháng đó đã khóa sổ.") % {
                "day": day.strftime("%d/%m/%Y")
            }
    return lines


def create_lines(start):
    grade = QualityGrade.default()
    rates = Rates()
    candidates = articles_to_pay(start)
    existing = {}
    for article_id, person_key, role_id in RoyaltyLine.objects.filter(
        article__in=candidates.values("pk"), origin=Origin.CREDIT
    ).values_list("article_id", "person_key", "role_id"):
        existing.setdefault(article_id, set()).add((person_key, role_id))
    created = 0
    for article in candidates:
        lines = new_lines(article, existing.get(article.pk, ()), grade, rates)
        if lines:
            # Two syncs at once: the unique constraint keeps one line per credit.
            created += len(RoyaltyLine.objects.bulk_create(lines, ignore_conflicts=True))
    return created


def withdrawal_reason(article):
    event = Event.objects.filter(article=article, action="withdraw").order_by("-created_at",
                                                                                 "-id").first()
    reason = article.get_withdrawal_reason_display() if article.withdrawal_reason else ""
    note = event.note if event else ""
    return _("Bài bị gỡ: %(note)s") % {"note": " ".join(filter(None, [note, str(reason)]))}


def settle_withdrawals():
    """Cancel or reverse the lines of withdrawn articles; returns how many lines changed."""
    reversed_already = RoyaltyLine.objects.filter(adjusts=OuterRef("pk"), origin=Origin.REVERSAL)
    pending = (
        RoyaltyLine.objects.filter(article__status=Status.WITHDRAWN)
        .exclude(origin=Origin.REVERSAL)
        .exclude(state=State.CANCELLED)
        .filter(~Exists(reversed_already))
        .select_related("month", "article")
    )
    changed = 0
    for line in pending:
        reason = withdrawal_reason(line.article)
        if not line.month.is_closed:
            line.state, line.reason = State.CANCELLED, reason
            line.save()
        else:
            month = RoyaltyMonth.objects.open_for(line.month.last_day + timedelta(days=1))
            reversal = RoyaltyLine(
                month=month, article=line.article, credit=None, contributor=line.contributor,
                name=line.name, role=line.role, kind=line.kind, published_on=line.published_on,
                coefficient=-line.coefficient, grade=line.grade, base_amount=line.base_amount,
                state=State.ADJUSTMENT, origin=Origin.REVERSAL, adjusts=line,
                reason=_("%(reason)s (trừ lại dòng đã trả tháng %(month)s)")
                % {"reason": reason, "month": line.month},
            )
            reversal.multiplier = line.multiplier  # the paid line's, even if the grade changed
            reversal.save_prepare()  # exactly -line.amount: rounding is symmetric
            RoyaltyLine.objects.bulk_create([reversal], ignore_conflicts=True)
        changed += 1
    return changed


class Rates:
    """The rate table and the base amounts, read once per sync."""

    def __init__(self):
        self.coefficients = {
            (rate.role_id, rate.kind): rate.coefficient for rate in RoyaltyRate.objects.all()
        }
        self.bases = list(BaseAmount.objects.order_by("-valid_from"))

    def coefficient(self, role_id, kind):
        found = self.coefficients.get((role_id, kind))
        return found if found is not None else self.coefficients.get((role_id, ""), Decimal(0))

    def base_amount(self, day):
        return next((b.amount_per_point for b in self.bases if b.valid_from <= day), 0)


def refresh_open_lines():
    """Open months' open lines follow today's rates, grades and base amounts."""
    rates = Rates()
    lines = RoyaltyLine.objects.filter(
        month__closed_at__isnull=True, state=State.OPEN, origin=Origin.CREDIT
    ).select_related("grade")
    changed = 0
    for line in lines:
        before = (line.coefficient, line.multiplier, line.base_amount, line.amount)
        if line.coefficient_set_by_id is None:
            line.coefficient = rates.coefficient(line.role_id, line.kind)
        line.base_amount = rates.base_amount(line.published_on)
        line.save_prepare()
        if (line.coefficient, line.multiplier, line.base_amount, line.amount) != before:
            line.save()
            changed += 1
    return changed


def sync_royalties():
    """Returns (lines created, lines cancelled or reversed, lines recomputed)."""
    start = royalties_start()
    if start is None:
        return 0, 0, 0
    with transaction.atomic():
        created = create_lines(start)
        settled = settle_withdrawals()
        refreshed = refresh_open_lines()
    return created, settled, refreshed
