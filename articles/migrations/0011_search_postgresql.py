"""Full-text and trigram search on PostgreSQL (see articles/search.py).

``search_vector`` is generated from ``search_text``, which Python has
already folded ("đảm bảo" -> "dam bao"), so the plain ``simple``
configuration is enough and the expression is truly immutable. The
``vi_unaccent`` configuration is created for ad hoc queries in psql
(``to_tsvector('vi_unaccent', headline)``): unaccent is only STABLE, so it does
not belong in a stored column. The column is not part of Django's model state.
"""

from django.db import migrations

from articles.search import search_document
from articles.sql import on_postgresql

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS vi_unaccent",
    "CREATE TEXT SEARCH CONFIGURATION vi_unaccent (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION vi_unaccent"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    """
    ALTER TABLE articles_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', split_part(search_text, ' | ', 1)), 'A')
        || setweight(to_tsvector('simple', split_part(search_text, ' | ', 2)), 'B')
        || setweight(to_tsvector('simple', split_part(search_text, ' | ', 3)), 'C')
    ) STORED
    """,
    "CREATE INDEX articles_article_search_vector ON articles_article USING gin (search_vector)",
    "CREATE INDEX articles_article_headline_trgm ON articles_article"
    " USING gin (headline_folded gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS articles_article_headline_trgm",
    "DROP INDEX IF EXISTS articles_article_search_vector",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS vi_unaccent",
]


def fill_search_text(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("headline", "lead", "body").iterator():
        Article.objects.filter(pk=article.pk).update(
            search_text=search_document(article.headline, article.lead, article.body)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_article_search_text")]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        on_postgresql(FORWARD, BACKWARD),
    ]
