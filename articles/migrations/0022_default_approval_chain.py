"""The approval levels' groups, and the default chain: one level, the editors,
as the workflow was before chains (an existing install works as it did)."""

from django.db import migrations

EDITORS = "Biên tập viên"
SECTION_HEADS = "Trưởng ban"
MANAGING_EDITORS = "Thư ký tòa soạn"
EDITORS_IN_CHIEF = "Tổng biên tập"

# A level's group approves and sends back; it edits or publishes only when its
# members are also in another group (an editor who is the managing editor).
LEVEL_PERMISSIONS = [
    "view_article", "approve_article", "view_credit", "view_articlephoto", "view_photo",
    "view_section", "view_contributor", "view_role", "view_tag", "view_correction",
]


def create_default_chain(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="articles", codename__in=LEVEL_PERMISSIONS)
    )
    for name in (SECTION_HEADS, MANAGING_EDITORS, EDITORS_IN_CHIEF):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
    ApprovalChain = apps.get_model("articles", "ApprovalChain")
    if ApprovalChain.objects.filter(is_default=True).exists():
        return
    chain = ApprovalChain.objects.create(name="Mặc định", is_default=True)
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None:
        chain.levels.create(position=1, group=editors, label=EDITORS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_approval_chains"),
        ("articles", "0006_newsroom_groups"),
    ]

    operations = [migrations.RunPython(create_default_chain, migrations.RunPython.noop)]
