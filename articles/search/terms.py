"""The archive's word list (``SearchTerm``: folded word, how many articles hold
it) and the corrections drawn from it: typos and an unfinished last word.

The list is kept by ``Article.save()`` and the label signals (see
``articles.models.Article.refresh_search``) from the difference between an
article's old and new ``search_text``: one upsert statement per change, on
both databases. It counts every article, whatever its status: a word is only
ever a *candidate* that the searched articles must then hold, so the words of
a draft never reach a reader (see ``corrections``).
"""

from django.apps import apps
from django.db import connection

from .document import MAX_TERM_LENGTH, as_query, document_words

NEAREST = 100  # PostgreSQL: words of the list looked at per unknown word (trigram order)
BUCKET = 500  # other databases: words of the same first letter and length looked at
CHOICES = 5  # corrections kept per unknown word
MAX_CORRECTED_TERMS = 8  # longer queries are searched as typed
UPSERT_ROWS = 300  # rows per INSERT (SQLite's variable limit)


def max_edits(term):
    """How many typing mistakes a word may be corrected for: none for short
    words and numbers (too many neighbours), one, two from eight letters."""
    if len(term) < 3 or any(char.isdigit() for char in term):
        return 0
    return 1 if len(term) < 8 else 2


def edit_distance(a, b):
    """Insertions, deletions, substitutions and swaps of two neighbours
    (optimal string alignment): "ngheip" -> "nghiep" is one edit."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char_a != char_b),
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _table():
    return connection.ops.quote_name(apps.get_model("articles", "SearchTerm")._meta.db_table)


def add_counts(deltas):
    """Add ``deltas`` ({word: +n or -n}) to the word list, in word order (so two
    writers lock shared words in the same order and never deadlock)."""
    rows = sorted(
        (word, delta) for word, delta in deltas.items() if delta and len(word) <= MAX_TERM_LENGTH
    )
    table = _table()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_ROWS):
            chunk = rows[start : start + UPSERT_ROWS]
            cursor.execute(
                f"INSERT INTO {table} (word, count) VALUES "  # noqa: S608 - our table name
                + ", ".join(["(%s, %s)"] * len(chunk))
                + f" ON CONFLICT (word) DO UPDATE SET count = {table}.count + excluded.count",
                [value for row in chunk for value in row],
            )


def document_changed(old_text, new_text):
    """Count the words ``new_text`` added and forget those it dropped."""
    old, new = document_words(old_text), document_words(new_text)
    deltas = dict.fromkeys(new - old, 1) | dict.fromkeys(old - new, -1)
    if deltas:
        add_counts(deltas)


def _like_prefix(word):
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _near_sql(term):
    """SQL and params: (word, count) of the list's words that may be ``term`` mistyped."""
    table = _table()
    if connection.vendor == "postgresql":
        return (
            f"SELECT word, count FROM {table} WHERE count > 0"  # noqa: S608
            " ORDER BY word <-> %s LIMIT %s",
            [term, NEAREST],
        )
    # A bounded bucket: the same first letter (or the first two swapped), a
    # length within the edits allowed, the most frequent first.
    edits = max_edits(term)
    first = term[0]
    swapped = term[1] + term[0] if len(term) > 1 else first
    return (
        f"SELECT word, count FROM {table} WHERE count > 0"  # noqa: S608
        " AND (word LIKE %s ESCAPE '\\' OR word LIKE %s ESCAPE '\\')"
        " AND length(word) BETWEEN %s AND %s ORDER BY count DESC LIMIT %s",
        [_like_prefix(first), _like_prefix(swapped), len(term) - edits, len(term) + edits, BUCKET],
    )


def corrections(queryset, groups, holding):
    """The searched query (see ``document.as_query``) to try instead of
    ``groups``, which no article of ``queryset`` holds all of; one query.

    A word some article of ``queryset`` holds stays as typed (``holding(word)``
    gives the SQL of the ids of those articles). The last word also becomes a
    prefix when it begins a word of the list (an unfinished word: "nong ngh"
    -> "nong ngh…"). An unknown word gets the words at most ``max_edits`` away
    ("ngheip" -> "nghiep") among the list's candidates, at most ``CHOICES``,
    the nearest and most frequent first; the searched articles then decide
    which fits. Also returns the set of words no searched article holds.
    Queries of more than ``MAX_CORRECTED_TERMS`` words are not corrected.
    """
    terms = [word for group in groups for word in group]
    unique = list(dict.fromkeys(terms))
    if len(unique) > MAX_CORRECTED_TERMS:
        return as_query(groups), set()
    last, table = terms[-1], _table()
    sql, params = [], []
    for term in unique:
        near, near_params = _near_sql(term)
        sql.append(f"SELECT 'near', %s, near.word, near.count FROM ({near}) AS near")  # noqa: S608
        params += [term, *near_params]
        found, found_params = holding(term)
        sql.append(f"SELECT 'known', %s, NULL, 0 WHERE EXISTS ({found})")
        params += [term, *found_params]
    sql.append(
        f"SELECT 'begins', %s, NULL, 0 WHERE EXISTS (SELECT 1 FROM {table}"  # noqa: S608
        " WHERE count > 0 AND word LIKE %s ESCAPE '\\' AND word <> %s)"
    )
    params += [last, _like_prefix(last), last]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql), params)
        rows = cursor.fetchall()
    nearest, known, begins = {}, set(), False
    for kind, term, word, count in rows:
        if kind == "near":
            nearest.setdefault(term, []).append((word, count))
        elif kind == "known":
            known.add(term)
        else:
            begins = True
    query, unknown = [], set()
    for group_index, group in enumerate(groups):
        corrected = []
        for index, term in enumerate(group):
            is_last = group_index == len(groups) - 1 and index == len(group) - 1
            if term in known:
                # A known last word may still be unfinished ("m" of "mặn").
                corrected.append(((term, is_last and begins),))
                continue
            choices = [(term, True)] if is_last and begins else []
            limit = max_edits(term)
            close = sorted(
                (distance, -count, word)
                for word, count in dict(nearest.get(term, [])).items()
                if 0 < (distance := edit_distance(term, word)) <= limit
            )
            choices += [(word, False) for _d, _c, word in close[:CHOICES]]
            if not choices:
                unknown.add(term)
            corrected.append(tuple(choices) or ((term, False),))
        query.append(tuple(corrected))
    return tuple(query), unknown


# Housekeeping receivers (connected in apps.py): the labels of an article
# (tags, credits) changed, or an article goes.


def credit_changed(sender, instance, origin=None, **kwargs):
    article_model = apps.get_model("articles", "Article")
    if isinstance(origin, article_model) or getattr(origin, "model", None) is article_model:
        return  # the article itself goes (article_deleted counts it)
    article = article_model.objects.filter(pk=instance.article_id).first()
    if article is not None:
        article.refresh_search()


def tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        instance.refresh_search()
    elif pk_set:
        for article in model.objects.filter(pk__in=pk_set):
            article.refresh_search()


def article_deleted(sender, instance, **kwargs):
    document_changed(instance._indexed_search_text(), "")
