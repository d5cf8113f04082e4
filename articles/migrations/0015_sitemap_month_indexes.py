"""The article sitemaps by month (articles/sitemap_months.py), on PostgreSQL:
two expression indexes keyed by the month of ``published_at`` in ``TIME_ZONE``
(as it is when this migration runs), so that each month's latest modification
and its size are ``LIMIT 1`` probes. Not part of Django's model state (an
expression with a time zone literal); on other databases nothing is made.
"""

from django.db import migrations

from articles.sitemap_months import index_statements

INDEXES = ("article_public_month_modified", "article_public_month_id")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in index_statements():
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_sitemap_indexes")]

    operations = [migrations.RunPython(create, drop)]
