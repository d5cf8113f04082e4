from django.db import migrations

# The roles Vietnamese papers print in bylines. Roles are data: a newsroom
# edits or adds its own in the admin.
DEFAULT_ROLES = [
    # label, order, is_source, is_photo
    ("Tin", 10, False, False),
    ("Bài", 20, False, False),
    ("Ảnh", 30, False, True),
    ("Đồ họa", 40, False, False),
    ("Video", 50, False, False),
    ("Dịch", 60, False, False),
    ("Nguồn", 90, True, False),
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("articles", "Role")
    for label, order, is_source, is_photo in DEFAULT_ROLES:
        Role.objects.get_or_create(
            label=label, defaults={"order": order, "is_source": is_source, "is_photo": is_photo}
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
