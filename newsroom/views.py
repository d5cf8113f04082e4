from django.conf import settings
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


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
