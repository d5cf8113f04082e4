"""The day's plan and the week by section: admin pages, one query of entries each."""

from datetime import MAXYEAR, MINYEAR, date, timedelta
from itertools import groupby

from django.contrib import messages
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PlanEntry, week_of


def chosen_day(request, name):
    """The day the query string names (YYYY-MM-DD), or today with a message."""
    value = request.GET.get(name, "")
    if value:
        try:
            chosen = date.fromisoformat(value)
        except ValueError:
            chosen = None
        if chosen and MINYEAR < chosen.year < MAXYEAR:  # a week on either side exists
            return chosen
        messages.warning(request, _("Ngày không hợp lệ; đang hiện hôm nay."))
    return timezone.localdate()


def _context(model_admin, request, title, **extra):
    request.current_app = model_admin.admin_site.name
    return {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.opts,
        "changelist_url": model_admin.url("changelist"),
        "day_url": model_admin.url("day"),
        "week_url": model_admin.url("week"),
        **extra,
    }


def day(model_admin, request):
    """Every entry planned for a day, by slot: its state, its article's, and whether it is late."""
    day = chosen_day(request, "date")
    now = timezone.now()
    entries = list(
        PlanEntry.objects.on(day).for_plan()
        .order_by(F("slot__order").asc(nulls_last=True), "slot__name", "section__order",
                  "section__name", F("deadline").asc(nulls_last=True), "id")
    )
    rows = [{"entry": entry, "late": entry.is_late(now),
             "url": model_admin.url("change", entry.pk)} for entry in entries]
    groups = [
        {"slot": slot, "rows": list(items)}
        for slot, items in groupby(rows, key=lambda row: row["entry"].slot)
    ]
    context = _context(
        model_admin, request, _("Kế hoạch ngày %(day)s") % {"day": day.strftime("%d/%m/%Y")},
        day=day, groups=groups, late_count=sum(row["late"] for row in rows),
        previous_day=day - timedelta(days=1), next_day=day + timedelta(days=1),
    )
    return TemplateResponse(request, "admin/planning/planentry/day.html", context)


def week(model_admin, request):
    """Seven days from a day, one row per section with entries, cancelled ones left out."""
    first = chosen_day(request, "start")
    days = week_of(first)
    entries = (
        PlanEntry.objects.between(days[0], days[-1]).not_cancelled().for_plan()
        .order_by("section__order", "section__name", "section_id", "planned_for",
                  F("slot__order").asc(nulls_last=True), "id")
    )
    now = timezone.now()
    sections = []
    for section, items in groupby(entries, key=lambda entry: entry.section):
        by_day = {day: [] for day in days}
        for entry in items:
            by_day[entry.planned_for].append({
                "entry": entry, "late": entry.is_late(now),
                "url": model_admin.url("change", entry.pk),
            })
        sections.append({"section": section, "days": [by_day[day] for day in days]})
    context = _context(
        model_admin, request,
        _("Kế hoạch 7 ngày từ %(day)s") % {"day": first.strftime("%d/%m/%Y")},
        days=days, sections=sections, today=timezone.localdate(),
        previous_week=first - timedelta(days=7), next_week=first + timedelta(days=7),
    )
    return TemplateResponse(request, "admin/planning/planentry/week.html", context)
