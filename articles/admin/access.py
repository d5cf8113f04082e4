"""The object an admin view names, or 404, or 403: one helper for every custom
admin view (workflow buttons, revisions, share links, the comment queue)."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .. import workflow


def object_or_refuse(model_admin, request, object_id, allowed, not_found=None):
    """``model_admin``'s object ``object_id`` (quoted, as in admin URLs) when
    ``allowed(request, obj)``: Http404 (with ``not_found`` as its message) when
    there is no such object the admin shows, PermissionDenied when not allowed."""
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None:
        raise Http404(not_found) if not_found else Http404
    if not allowed(request, obj):
        raise PermissionDenied
    return obj


def article_or_refuse(model_admin, request, object_id, edit=False):
    """The article ``object_id`` if ``request.user`` may see it in the admin
    (and, with ``edit``, change its content: ``workflow.can_edit_content``);
    404 or 403 otherwise."""

    def allowed(request, article):
        return model_admin.has_view_or_change_permission(request, article) and (
            not edit or workflow.can_edit_content(article, request.user)
        )

    return object_or_refuse(model_admin, request, object_id, allowed, _("Không có bài viết này."))
