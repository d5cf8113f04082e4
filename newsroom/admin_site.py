"""The admin site: every changelist screens its query string before the database sees it.

Django's changelist applies any lookup on the model's own fields that a query
string names (``?status__regex=(``, ``?id__in=1,99999999999999999999``), turns
only the ORM's own complaints into its "Database error" page, and passes the
rest to the database: a NUL byte (PostgreSQL refuses it in text), a
date-hierarchy year past 9999 or a number too large for SQLite answer 500.

``SafeChangeList`` keeps the parameters the declared list filters, the date
hierarchy and Django itself use, drops NUL bytes and impossible dates before
any query, and answers a value the filters cannot use with the unfiltered
list and a message. ``NewsroomAdminSite`` gives it to every registered
ModelAdmin, Django's and third parties' included, so no admin can forget it.

The admin home shows "the desk": counts of the work waiting for the user,
each a link to its list. Each ModelAdmin that has a ``desk_counts(request)``
hook gives its own (the articles' and the comment queue's), only those the
user's permissions allow, each one COUNT query.
"""

from datetime import MAXYEAR, MINYEAR, date

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.utils.translation import gettext as _

from .text import strip_controls

SHOWN_NAME_LENGTH = 40


def _has_nul(key, values):
    return "\x00" in key or any(isinstance(value, str) and "\x00" in value for value in values)


def valid_date_hierarchy(year, month=None, day=None):
    """Whether the date hierarchy's year, month and day (the last value of each
    given, as Django reads them) name a real day in a year whose whole period,
    in any time zone, Python and every database can store."""
    try:
        values = [int(year[-1]), int(month[-1]) if month else 1, int(day[-1]) if day else 1]
        date(*values)
    except (ValueError, OverflowError):
        return False
    return MINYEAR < values[0] < MAXYEAR


class SafeChangeList(ChangeList):
    def get_filters(self, request):
        params = self.get_filters_params()
        self.drop_parameters(request, [key for key, vals in params.items() if _has_nul(key, vals)])
        bounds = set()
        if self.date_hierarchy:
            parts = [f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day")]
            given = [self.filter_params.get(name) for name in parts]
            if given[0] is not None and not valid_date_hierarchy(*given):
                self.drop_parameters(request, parts)
            elif given[0] is not None:
                bounds = {f"{self.date_hierarchy}__gte", f"{self.date_hierarchy}__lt"}
        specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        # What no declared filter took: a free ORM lookup nobody offered.
        free = [key for key in remaining if key not in bounds]
        for key in free:
            del remaining[key]
        self.drop_parameters(request, free)
        return specs, has_filters, remaining, duplicates, active

    def get_queryset(self, request, exclude_parameters=None):
        try:
            return super().get_queryset(request, exclude_parameters)
        except IncorrectLookupParameters:
            # A value a filter cannot use ("abc" for a number): the whole list,
            # said so, rather than Django's "Database error" page.
            names = list(self.get_filters_params())
            if not names:
                raise
            self.drop_parameters(request, names)
            return super().get_queryset(request, exclude_parameters)

    def get_results(self, request):
        try:
            super().get_results(request)
        except IncorrectLookupParameters:
            if self.page_num == 1:
                raise
            messages.warning(request, _("Không có trang này; đang hiện trang đầu."))
            self.page_num = 1
            super().get_results(request)

    def drop_parameters(self, request, names):
        names = [name for name in names if name in self.filter_params]
        if not names:
            return
        for name in names:
            self.filter_params.pop(name, None)
            self.params.pop(name, None)
        shown = ", ".join(
            f"“{strip_controls(name)[:SHOWN_NAME_LENGTH]}”" for name in sorted(names)
        )
        messages.warning(
            request,
            _("Bỏ qua bộ lọc không dùng được trong địa chỉ: %(names)s.") % {"names": shown},
        )


class SafeChangeListMixin:
    def get_changelist(self, request, **kwargs):
        return SafeChangeList


class NewsroomAdminSite(admin.AdminSite):
    def desk_counts(self, request):
        """``[{"label", "count", "url"}]`` from every registered admin's
        ``desk_counts(request)`` hook, in the order the admins were registered."""
        counts = []
        for model_admin in self._registry.values():
            hook = getattr(model_admin, "desk_counts", None)
            if hook is not None:
                counts.extend(hook(request))
        return counts

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "desk_counts": self.desk_counts(request)}
        return super().index(request, extra_context)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as Django does, with ``SafeChangeListMixin`` mixed into
        ``admin_class`` when it does not have it yet."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeChangeListMixin):
            admin_class = type(
                admin_class.__name__,
                (SafeChangeListMixin, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)
