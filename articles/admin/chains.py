"""The approval chains (duyệt nhiều cấp): their levels, set in the admin."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ApprovalChain, ApprovalLevel


class ApprovalLevelInline(admin.TabularInline):
    model = ApprovalLevel
    fields = ["position", "group", "label"]
    extra = 0
    min_num = 1
    verbose_name = gettext_lazy("cấp duyệt")
    verbose_name_plural = gettext_lazy("các cấp, theo thứ tự duyệt")


class ApprovalChainForm(forms.ModelForm):
    class Meta:
        model = ApprovalChain
        fields = ["name", "is_default", "sections", "kind"]

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("is_default") or cleaned.get("sections") or cleaned.get("kind")):
            raise forms.ValidationError(
                _("Chọn chuyên mục hoặc thể loại cho chuỗi này, hoặc đặt làm chuỗi mặc định; "
                  "không thì không bài nào đi theo chuỗi.")
            )
        return cleaned


@admin.register(ApprovalChain)
class ApprovalChainAdmin(admin.ModelAdmin):
    form = ApprovalChainForm
    inlines = [ApprovalLevelInline]
    list_display = ["name", "is_default", "kind", "section_names", "level_names"]
    filter_horizontal = ["sections"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sections", "levels__group")

    @admin.display(description=gettext_lazy("chuyên mục"))
    def section_names(self, obj):
        return ", ".join(section.name for section in obj.sections.all()) or "—"

    @admin.display(description=gettext_lazy("các cấp"))
    def level_names(self, obj):
        return " → ".join(str(level) for level in obj.levels.all())
