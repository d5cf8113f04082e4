from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults


def switch_language(request, code):
    """Remember the reader's language in a cookie and go back.

    A plain link (GET) rather than Django's POST-only ``set_language``, so
    public pages need no CSRF token and stay cacheable; switching a language
    changes nothing but the reader's own display.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect, only to what the user may see in the admin.

    Django's own (admin/r/…) checks no more than that the user is staff, and the
    URL it redirects to names the object: for an article, its slug, made from the
    headline of a draft a comment moderator may not see.
    """
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    try:
        model_admin = admin.site.get_model_admin(model)
    except NotRegistered:
        raise PermissionDenied from None
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    obj = model_admin.get_object(request, object_id)
    if obj is not None and not model_admin.has_view_or_change_permission(request, obj):
        raise PermissionDenied
    return shortcut(request, content_type_id, object_id)


def shown_in_admin(request):
    """Whether an error answers a staff member inside the admin: they get it in the
    admin's layout with a way back, not the public page (or Django's bare
    "403 Forbidden") and a lost trail."""
    user = getattr(request, "user", None)
    return (
        request.path.startswith(reverse("admin:index"))
        and user is not None
        and user.is_active
        and user.is_staff
    )


def back_url(request):
    """Where "back" goes: the page the user came from when it is one of ours and not
    this one, else the admin's home."""
    referer = request.headers.get("Referer", "")
    if (
        referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and urlsplit(referer).path != request.path
    ):
        return referer
    return reverse("admin:index")


def admin_error(request, template, status, title, message):
    context = {
        **admin.site.each_context(request),
        "title": title,
        "message": message,
        "back_url": back_url(request),
    }
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response


def page_not_found(request, exception):
    """``handler404``: the admin's own for staff under /admin/, the public one for all else."""
    if shown_in_admin(request):
        return admin_error(
            request, "admin/404.html", 404, _("Không tìm thấy trang"),
            _("Trang này không có hoặc đã bị xóa."),
        )
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    """``handler403``: the admin's own for staff under /admin/, Django's for all else."""
    if shown_in_admin(request):
        return admin_error(
            request, "admin/403.html", 403, _("Không có quyền xem trang này"),
            _("Tài khoản của bạn không được mở trang này. Nếu công việc cần, hãy nhờ "
              "biên tập viên hoặc quản trị viên cấp quyền."),
        )
    return defaults.permission_denied(request, exception)
