"""The plan's permissions for the newsroom's groups, and the day's usual slots.

Reporters propose and edit their own proposals; editors approve, assign and
cancel, and keep the list of slots. Deleting is left to superusers: an entry is
cancelled, not deleted, so the plan keeps its history.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTERS = "Phóng viên"
EDITORS = "Biên tập viên"

REPORTER_PERMISSIONS = ["add_planentry", "change_planentry", "view_planentry", "view_planslot"]
EDITOR_PERMISSIONS = REPORTER_PERMISSIONS + ["approve_planentry", "add_planslot", "change_planslot"]
SLOTS = [("Trang chủ buổi sáng", 10), ("Trang chủ buổi chiều", 20), ("Báo in", 30)]


def add_permissions(apps, schema_editor):
    app_config = apps.get_app_config("planning")
    app_config.models_module = True  # create_permissions skips apps without one
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [(REPORTERS, REPORTER_PERMISSIONS), (EDITORS, EDITOR_PERMISSIONS)]:
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="planning", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions not found: {sorted(missing)}")
        group.permissions.add(*permissions)
    PlanSlot = apps.get_model("planning", "PlanSlot")
    for slot_name, order in SLOTS:
        PlanSlot.objects.get_or_create(name=slot_name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_plan_entries"),
        ("articles", "0006_newsroom_groups"),
    ]

    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
