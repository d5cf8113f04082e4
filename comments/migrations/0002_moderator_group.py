"""The comment moderators' group gets the comment permissions; editors too
(DESIGN: editors moderate comments)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    "view_comment", "change_comment", "moderate_comment",
    "view_report", "view_moderationevent",
    "view_word", "add_word", "change_word", "delete_word",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("comments")
    app_config.models_module = True  # create_permissions skips apps without one
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
        )
    )
    if len(permissions) != len(MODERATOR_PERMISSIONS):
        raise RuntimeError("comment permissions not found")
    for name in ("Kiểm duyệt bình luận", "Biên tập viên"):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0006_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
