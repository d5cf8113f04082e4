"""The newsroom's roles as groups with their permissions.

Permissions are normally created after all migrations run; this migration
creates the ones it needs first, so a fresh database has working groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTERS = "Phóng viên"
EDITORS = "Biên tập viên"
MODERATORS = "Kiểm duyệt bình luận"

REPORTER_PERMISSIONS = [
    "add_article", "change_article", "view_article", "submit_article",
    "add_credit", "change_credit", "delete_credit", "view_credit",
    "add_articlephoto", "change_articlephoto", "delete_articlephoto", "view_articlephoto",
    "add_photo", "change_photo", "view_photo",
    "view_section", "view_contributor", "view_role", "view_tag", "add_tag",
]
EDITOR_PERMISSIONS = REPORTER_PERMISSIONS + [
    "approve_article", "publish_article", "withdraw_article", "correct_article",
    "edit_any_article",
    "add_section", "change_section",
    "add_contributor", "change_contributor",
    "change_tag", "view_correction", "view_sharelink",
]


def create_groups(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True  # create_permissions skips apps without one
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [
        (REPORTERS, REPORTER_PERMISSIONS),
        (EDITORS, EDITOR_PERMISSIONS),
        (MODERATORS, []),  # the comments app gives this group its permissions
    ]:
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions not found: {sorted(missing)}")
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
