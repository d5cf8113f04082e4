"""The accountant group (Kế toán) and its permissions, the editors' right to
adjust a royalty line, and example rates and grades (the paper sets its own).

Permissions are normally created after all migrations run; this migration
creates the ones it needs first, as articles 0006 does.
"""

from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACCOUNTANTS = "Kế toán"
EDITORS = "Biên tập viên"

ACCOUNTANT_PERMISSIONS = {
    "royalties": [
        "view_statement", "export_statement", "close_month", "view_royaltymonth",
        "view_royaltyline", "add_royaltyline",
        "view_royaltyrate", "add_royaltyrate", "change_royaltyrate", "delete_royaltyrate",
        "view_qualitygrade", "add_qualitygrade", "change_qualitygrade",
        "view_baseamount", "add_baseamount", "change_baseamount",
        "view_paymentdetails", "add_paymentdetails", "change_paymentdetails",
    ],
    # To read what a line points at, and to pick a contributor for payment details.
    "articles": ["view_article", "view_contributor", "view_role"],
}
EDITOR_PERMISSIONS = {
    "royalties": [
        "view_royaltyline", "change_royaltyline", "view_royaltyrate", "view_qualitygrade",
        "view_baseamount",
    ],
}

# Examples within Decree 18/2014/NĐ-CP's ranges (tin 1–10, bài 1,5–15…): the
# paper sets its own in the admin. (role label, article kind or "", coefficient)
DEFAULT_RATES = [
    ("Tin", "", "1.50"),
    ("Bài", "", "4.00"),
    ("Ảnh", "", "1.00"),
    ("Ảnh", "photo", "3.00"),
    ("Đồ họa", "", "2.00"),
    ("Video", "", "3.00"),
    ("Dịch", "", "1.00"),
]
DEFAULT_GRADES = [
    # code, label, multiplier, is_default
    ("A", "Xuất sắc", "1.50", False),
    ("B", "Đạt", "1.00", True),
    ("C", "Cần cố gắng", "0.70", False),
]


def create_group_and_defaults(apps, schema_editor):
    for label in ("articles", "royalties"):
        app_config = apps.get_app_config(label)
        if getattr(app_config, "models_module", None) is None:
            app_config.models_module = True  # create_permissions skips apps without one
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in [(ACCOUNTANTS, ACCOUNTANT_PERMISSIONS), (EDITORS, EDITOR_PERMISSIONS)]:
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codenames in by_app.items():
            permissions = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"permissions not found: {sorted(missing)}")
            group.permissions.add(*permissions)
    Role = apps.get_model("articles", "Role")
    RoyaltyRate = apps.get_model("royalties", "RoyaltyRate")
    for label, kind, coefficient in DEFAULT_RATES:
        role = Role.objects.filter(label=label).first()
        if role is not None:
            RoyaltyRate.objects.get_or_create(
                role=role, kind=kind, defaults={"coefficient": Decimal(coefficient)}
            )
    QualityGrade = apps.get_model("royalties", "QualityGrade")
    for order, (code, label, multiplier, is_default) in enumerate(DEFAULT_GRADES, start=1):
        QualityGrade.objects.get_or_create(
            code=code,
            defaults={"label": label, "multiplier": Decimal(multiplier),
                      "is_default": is_default, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("royalties", "0001_initial"),
        ("articles", "0006_newsroom_groups"),
        ("articles", "0002_default_roles"),
    ]

    operations = [migrations.RunPython(create_group_and_defaults, migrations.RunPython.noop)]
