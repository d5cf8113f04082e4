"""The rows an article shows besides itself: sections, contributors, roles and tags.

Each is locked by ``ShownRowAdminMixin`` once an article past drafting shows it."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from ..models import Contributor, Role, Section, Tag
from .shown import ShownRowAdminMixin


@admin.register(Section)
class SectionAdmin(ShownRowAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "order"]
    list_editable = ["order"]
    list_filter = ["parent"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "parent", "order", "description"]


@admin.register(Contributor)
class ContributorAdmin(ShownRowAdminMixin, admin.ModelAdmin):
    list_display = ["name", "pen_name", "slug", "user", "article_count"]
    search_fields = ["name", "pen_name", "slug"]
    ordering = ["name", "pk"]  # the Count annotation drops Meta.ordering (GROUP BY)
    autocomplete_fields = ["user"]
    fields = ["name", "pen_name", "slug", "bio", "user", "default_role"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(num_articles=Count("credits__article", distinct=True))
        )

    @admin.display(description=_("số bài"), ordering="num_articles")
    def article_count(self, obj):
        return obj.num_articles


@admin.register(Role)
class RoleAdmin(ShownRowAdminMixin, admin.ModelAdmin):
    list_display = ["label", "order", "is_source", "is_photo"]
    list_editable = ["order"]
    search_fields = ["label"]


admin.site.unregister(TaggitTag)


@admin.register(Tag)
class TagAdmin(ShownRowAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    ordering = ["name", "pk"]  # the article form's suggestions page through it
    search_fields = ["name", "slug"]
    readonly_fields = ["slug"]
    fields = ["name", "slug"]
