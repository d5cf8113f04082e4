"""PostgreSQL search, second step (see articles/search.py).

1. ``search_vector`` is kept inside the table row (``STORAGE MAIN``) instead
   of in the TOAST table, where PostgreSQL moved it because the row is long.
   Checking a candidate article then reads one heap page instead of a TOAST
   index and its chunks: at 100,000 articles the candidate scan is four times
   faster. Existing rows are rewritten once so they follow the new rule.
2. ``articles_searchword`` holds every folded word of the archive, with a
   trigram (GiST) index: it gives the candidates when a query word is in no
   article ("ngheip" -> "nghiep", see ``articles.search.corrected_phrase``).
   Two statement-level triggers add the words of inserted and changed
   articles, so ``save()``, ``update()`` and ``bulk_create`` all keep it
   current at the cost of one statement (the distinct words of the statement's
   rows, then the ones the table lacks). The table has no unique constraint
   on purpose: a writer only adds words it does not see, and never waits for
   another transaction adding the same word (no lock waits, no deadlocks
   between imports); a rare duplicate costs nothing. Words are never removed:
   they are only candidates, checked against the searched articles.
3. The trigram index on whole headlines, which the word table replaces, goes.

The table and triggers are PostgreSQL only and not part of Django's model
state, like ``search_vector``.
"""

from django.db import migrations

from articles.sql import on_postgresql

FORWARD = [
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN",
    # Rewrite existing rows so their vectors move into the row.
    "UPDATE articles_article SET search_text = search_text",
    "CREATE TABLE articles_searchword (word text NOT NULL)",
    "CREATE INDEX articles_searchword_word ON articles_searchword (word)",
    "CREATE INDEX articles_searchword_trgm ON articles_searchword USING gist (word gist_trgm_ops)",
    """
    INSERT INTO articles_searchword (word)
    SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM articles_article
    """,
    """
    CREATE FUNCTION articles_add_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            INSERT INTO articles_searchword (word)
            SELECT added.word
            FROM (
                SELECT DISTINCT unnest(tsvector_to_array(new_rows.search_vector)) AS word
                FROM new_rows JOIN old_rows USING (id)
                WHERE new_rows.search_text IS DISTINCT FROM old_rows.search_text
            ) AS added
            WHERE NOT EXISTS (SELECT 1 FROM articles_searchword s WHERE s.word = added.word);
        ELSE
            INSERT INTO articles_searchword (word)
            SELECT added.word
            FROM (
                SELECT DISTINCT unnest(tsvector_to_array(search_vector)) AS word FROM new_rows
            ) AS added
            WHERE NOT EXISTS (SELECT 1 FROM articles_searchword s WHERE s.word = added.word);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER articles_article_words_inserted AFTER INSERT ON articles_article
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_add_search_words()
    """,
    """
    CREATE TRIGGER articles_article_words_updated AFTER UPDATE ON articles_article
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_add_search_words()
    """,
    "DROP INDEX IF EXISTS articles_article_headline_trgm",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS articles_article_headline_trgm ON articles_article"
    " USING gin (headline_folded gin_trgm_ops)",
    "DROP TRIGGER IF EXISTS articles_article_words_updated ON articles_article",
    "DROP TRIGGER IF EXISTS articles_article_words_inserted ON articles_article",
    "DROP FUNCTION IF EXISTS articles_add_search_words()",
    "DROP TABLE IF EXISTS articles_searchword",
    "ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE EXTENDED",
]


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_search_postgresql")]

    operations = [on_postgresql(FORWARD, BACKWARD)]
