"""Raw SQL steps for migrations that only PostgreSQL takes (the search
machinery, see articles/search/); on other databases they do nothing."""

from django.db import migrations


def on_postgresql(forward, backward):
    """A migration operation running the SQL statements ``forward`` (and
    ``backward`` when unapplied) on PostgreSQL only."""

    def run(statements):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            for statement in statements:
                schema_editor.execute(statement)

        return operation

    return migrations.RunPython(run(forward), run(backward))
