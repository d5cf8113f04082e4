"""Search, third step (issue 14): every word anywhere, labels, a word list on
both databases.

1. ``search_text`` gets a fourth part, the article's labels (section name,
   tag names, byline names), and ``search_vector`` weighs it D. PostgreSQL 15
   cannot change a generated column's expression, so the column is dropped
   and added again (kept in the row, ``STORAGE MAIN``, as migration 0012 did),
   before the backfill, whose UPDATE writes each vector in the row; the GIN
   index comes after the backfill.
2. ``SearchTerm`` (folded word, how many articles hold it) replaces
   PostgreSQL's ``articles_searchword`` and its triggers: Python keeps it on
   both databases (``articles.search.terms``), filled here from the rebuilt
   documents. A trigram (GiST) index on PostgreSQL gives the nearest words.

The backfill reads articles 1,000 at a time with their section, tags and
credits in three queries, and counts words in memory (an archive has some
tens of thousands of distinct words): about a minute at 100,000 articles.
"""

from collections import Counter

from django.db import migrations, models

from articles.search.document import document_words, search_document
from articles.sql import on_postgresql

CHUNK = 1000

DROP_OLD = [
    "DROP TRIGGER IF EXISTS articles_article_words_updated ON articles_article",
    "DROP TRIGGER IF EXISTS articles_article_words_inserted ON articles_article",
    "DROP FUNCTION IF EXISTS articles_add_search_words()",
    "DROP TABLE IF EXISTS articles_searchword",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
    """
    ALTER TABLE articles_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', split_part(search_text, ' | ', 1)), 'A')
        || setweight(to_tsvector('simple', split_part(search_text, ' | ', 2)), 'B')
        || setweight(to_tsvector('simple', split_part(search_text, ' | ', 3)), 'C')
        || setweight(to_tsvector('simple', split_part(search_text, ' | ', 4)), 'D')
    ) STORED
    """,
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN",
]
INDEXES = [
    # The backfill's UPDATEs queued the deferred foreign key checks; an index
    # cannot be built on a table with pending trigger events.
    "SET CONSTRAINTS ALL IMMEDIATE",
    "CREATE INDEX articles_article_search_vector ON articles_article USING gin (search_vector)",
    "CREATE INDEX articles_searchterm_trgm ON articles_searchterm"
    " USING gist (word gist_trgm_ops)",
    "ANALYZE articles_article",
    "ANALYZE articles_searchterm",
]


def rebuild_documents(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    Credit = apps.get_model("articles", "Credit")
    table = schema_editor.quote_name(Article._meta.db_table)
    counts, last = Counter(), 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            rows = list(
                Article.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "headline", "lead", "body", "section__name", "search_text")[
                    :CHUNK
                ]
            )
            if not rows:
                break
            last = rows[-1][0]
            pks = [row[0] for row in rows]
            tags, credits = {}, {}
            for article, name in (
                TaggedArticle.objects.filter(content_object_id__in=pks)
                .order_by("tag__name")
                .values_list("content_object_id", "tag__name")
            ):
                tags.setdefault(article, []).append(name)
            for article, name, real, pen in (
                Credit.objects.filter(article_id__in=pks)
                .order_by("order", "id")
                .values_list("article_id", "name", "contributor__name", "contributor__pen_name")
            ):
                credits.setdefault(article, []).append(pen or real or name.strip())
            changed = []
            for pk, headline, lead, body, section, old in rows:
                labels = ([section] if section else []) + tags.get(pk, []) + credits.get(pk, [])
                text = search_document(headline, lead, body, labels)
                counts.update(document_words(text))
                if text != old:
                    changed.append((text, pk))
            cursor.executemany(
                f"UPDATE {table} SET search_text = %s WHERE id = %s",  # noqa: S608
                changed,
            )
    SearchTerm = apps.get_model("articles", "SearchTerm")
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=word, count=count) for word, count in counts.items() if len(word) <= 60],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_photo_search_text")]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=60, unique=True)),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "từ trong kho bài",
                "verbose_name_plural": "từ trong kho bài",
            },
        ),
        on_postgresql(DROP_OLD, []),
        migrations.RunPython(rebuild_documents, migrations.RunPython.noop),
        on_postgresql(INDEXES, []),
    ]
