"""Admin for rows that articles show (photos, contributors, sections, roles,
tags): no side door around an article's workflow.

``articles.shown`` says who may change such a row. Here every admin path that
writes one obeys it: the change form (a view-only form for who may not; a
forged or stale POST gets a page that says why and gives the typed text back),
the delete view, "delete selected", list-editable columns and "+"/pencil
popups (which open these same views). The save itself checks again under row
locks, so an article submitted meanwhile still stops it.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..shown import (
    NAMED_ARTICLES,
    ShownContentLocked,
    articles_in_the_way,
    may_publish,
    publisher_notice,
    refusal_message,
)


class ShownRowAdminMixin:
    """For the ModelAdmin of a model with ``ShownOnArticles``."""

    refused_template = "admin/articles/shown_refused.html"

    # Permissions: the model's permission, and the rule for this row.

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return self.rule_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return self.rule_allows(request, obj)

    def rule_allows(self, request, obj):
        """``obj.may_be_changed_by``, asked once a request (a change form asks the
        permissions many times). Saves and deletes check again, uncached."""
        answers = request.__dict__.setdefault("_shown_rows_rule", {})
        key = (obj._meta.label, obj.pk)
        if key not in answers:
            answers[key] = obj.may_be_changed_by(request.user)
        return answers[key]

    # Writing: checked again inside the admin's transaction, under row locks.

    def save_model(self, request, obj, form, change):
        if change:
            obj.check_may_be_changed_by(request.user)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        obj.check_may_be_changed_by(request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            obj.check_may_be_changed_by(request.user)
        super().delete_queryset(request, queryset)

    def get_deleted_objects(self, objs, request):
        """The delete page and "delete selected" name the articles in the way
        (as protected objects), so nothing is deleted and the page says why."""
        deletable, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = []
        for obj in objs:
            blocking = list(articles_in_the_way(obj, request.user)[:NAMED_ARTICLES])
            if blocking:
                refusals.append(refusal_message(obj, blocking))
        if refusals:
            # Protected rows stop the deletion whatever the permissions: say why
            # (the page would otherwise show only the missing permissions).
            perms_needed = set()
        return deletable, counts, perms_needed, [*protected, *refusals]

    def get_changelist_formset(self, request, **kwargs):
        """List-editable columns (section and role order): Django leaves a row the
        user may not change as it is; a POST that changes one is refused, saying why."""
        base = super().get_changelist_formset(request, **kwargs)
        user, editable = request.user, self.list_editable

        class ShownRowFormSet(base):
            def clean(self):
                super().clean()
                refusals = []
                for form in self.forms:
                    obj = form.instance
                    changed = any(
                        self.form.base_fields[name].has_changed(
                            form.initial.get(name), self.data.get(form.add_prefix(name))
                        )
                        for name in editable
                        if form.add_prefix(name) in self.data
                    )
                    if obj.pk and changed:
                        blocking = list(articles_in_the_way(obj, user)[:NAMED_ARTICLES])
                        if blocking:
                            refusals.append(refusal_message(obj, blocking))
                if refusals:
                    raise ValidationError(refusals)

        return ShownRowFormSet

    # The change form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return super().change_view(request, object_id, form_url, extra_context)
        if request.method == "POST":
            if "_saveasnew" not in request.POST and self._refused(request, obj):
                return self.refused_response(request, obj)
            try:
                return super().change_view(request, object_id, form_url, extra_context)
            except ShownContentLocked:  # an article was submitted meanwhile
                return self.refused_response(request, obj)
        self._notice(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def _refused(self, request, obj):
        """A save the model permission allows but this row's rule does not."""
        return super().has_change_permission(request, obj) and not self.rule_allows(request, obj)

    def _notice(self, request, obj):
        """Why the form is read-only, or, for a publisher, what a save changes at once."""
        user = request.user
        if may_publish(user):
            public = list(obj.articles_showing().beyond_drafting()[:NAMED_ARTICLES])
            if public and super().has_change_permission(request, obj):
                self.message_user(request, publisher_notice(obj, public), messages.WARNING)
        elif self._refused(request, obj):
            blocking = list(articles_in_the_way(obj, user)[:NAMED_ARTICLES])
            self.message_user(request, refusal_message(obj, blocking), messages.INFO)

    def refused_response(self, request, obj):
        """403: why nothing was saved, and the values the user typed, to copy."""
        blocking = list(articles_in_the_way(obj, request.user)[:NAMED_ARTICLES])
        submitted, files = self._submitted(request, obj)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Không lưu được thay đổi"),
            "message": refusal_message(obj, blocking),
            "articles": blocking,
            "submitted": submitted,
            "files": files,
            "can_add": self.has_add_permission(request),
        }
        return TemplateResponse(request, self.refused_template, context, status=403)

    def _submitted(self, request, obj):
        """(label, value) of each field the refused POST changed, and the names
        of the files it carried (not stored)."""
        readonly = set(self.get_readonly_fields(request, obj))
        names = [
            name
            for name in flatten_fieldsets(self.get_fieldsets(request, obj))
            if name not in readonly
        ]
        Form = forms.modelform_factory(self.model, form=self.form, fields=names)
        form = Form(request.POST, request.FILES, instance=obj)
        submitted, files = [], []
        for name in form.changed_data:
            field = form.fields[name]
            if isinstance(field, forms.FileField):
                upload = request.FILES.get(form.add_prefix(name))
                if upload is not None:
                    files.append((field.label, upload.name))
                continue
            value = form[name].value()
            if isinstance(field, forms.ModelChoiceField):
                try:  # the chosen row's name, not its id (one query, not every choice)
                    value = field.clean(value)
                except ValidationError:
                    pass
            elif isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)
            submitted.append((field.label, "" if value is None else str(value)))
        return submitted, files
