"""The backup drill (issue 9, point 13; security.md B22), on PostgreSQL with the
real scripts: ``deploy/backup.sh`` runs while a reader posts comments through
the site, ``deploy/restore.sh`` restores into a new empty database and media
folder, and the test compares every table's row count with the backup's
snapshot and every media file's SHA-256 with the source's.

The test drives the timing through a ``pg_dump`` placed first on the PATH
that waits at gates the test opens, then runs the real ``pg_dump``: so
comments are committed after the backup's snapshot and before the dump
starts (a dump outside that snapshot would hold them), and a photo can be
replaced between the dump and the media copy (its old file is then gone).
"""

import hashlib
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from unittest import skipUnless
from urllib.parse import quote

import dj_database_url
import psycopg
from django.conf import settings
from django.db import connection, connections
from django.test import Client, TransactionTestCase, override_settings
from django.urls import reverse
from psycopg import sql

from articles.images import clean_photo
from articles.models import CommentsMode, Photo
from comments.models import Comment
from tests.factories import add_photo, image_upload, make_article, make_comment, make_section

REPO = Path(__file__).resolve().parents[2]
BACKUP = REPO / "deploy" / "backup.sh"
RESTORE = REPO / "deploy" / "restore.sh"
TOOLS = ("pg_dump", "pg_restore", "psql", "sha256sum", "tar", "flock")
WAIT = 60  # seconds before a gate or a poster gives up: a failure, never a hang

SHIM = """#!/bin/sh
# pg_dump as the backup test drives it: wait at the gates the test opens
# (only where GATE_BEFORE / GATE_AFTER are set), run the real pg_dump between.
gate() {
  touch "$BACKUP_GATES/$1"
  n=0
  while [ ! -e "$BACKUP_GATES/$2" ]; do
    n=$((n + 1)); [ "$n" -lt 1200 ] || exit 99; sleep 0.05
  done
}
[ -z "${GATE_BEFORE:-}" ] || gate dump-started dump-go
"$REAL_PG_DUMP" "$@" || exit $?
[ -z "${GATE_AFTER:-}" ] || gate dump-finished copy-go
"""

FAST_COMMENTS = {
    **settings.NEWSROOM,
    "COMMENTS_MIN_SECONDS": 0,
    "COMMENTS_RATE_PER_CLIENT": "100000/60",
    "COMMENTS_RATE_PER_ARTICLE": "100000/60",
}


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def files_under(folder):
    folder = Path(folder)
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def url_for(name):
    """A libpq URL for database ``name`` on the test server."""
    s = connection.settings_dict
    user = quote(s["USER"] or "postgres", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    return f"postgresql://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def table_counts(url):
    """Every table's row count, counted here (not by the scripts' own query)."""
    with psycopg.connect(url, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT schemaname, tablename FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
        return {
            f"{schema}.{table}": conn.execute(
                sql.SQL("SELECT count(*) FROM {}.{}").format(
                    sql.Identifier(schema), sql.Identifier(table)
                )
            ).fetchone()[0]
            for schema, table in tables
        }


def query(url, statement, *params):
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def manifest_counts(folder):
    rows = (Path(folder) / "rows.tsv").read_text().splitlines()
    return {table: int(count) for table, count in (row.split("\t") for row in rows)}


def manifest_sums(folder):
    """{path under media/: sha256} from the backup's SHA256SUMS."""
    sums = {}
    for line in (Path(folder) / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        if name.startswith("media/"):
            sums[name.removeprefix("media/")] = digest
    return sums


def wait_for(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


class Poster(threading.Thread):
    """A reader posting comments through the site, one after another, the way a
    browser does: fetch the form, then a render token for it from the token
    endpoint (comments.js; each token is taken once), then send it."""

    def __init__(self, article_ids):
        super().__init__(daemon=True)
        self.article_ids = article_ids
        self.stopping = threading.Event()
        self.posted = []  # bodies of the comments accepted (committed), in order
        self.failures = []

    def run(self):
        try:
            client = Client()
            number = 0
            while not self.stopping.is_set():
                article_id = self.article_ids[number % len(self.article_ids)]
                form = client.get(reverse("comments:thread", args=[article_id]))
                if 'name="rendered"' not in form.text:
                    self.failures.append(("no form", form.status_code))
                    return
                rendered = client.get(reverse("comments:token")).json()["rendered"]
                body = f"Ý kiến số {number} gửi trong lúc sao lưu."
                response = client.post(
                    reverse("comments:post", args=[article_id]),
                    {"name": "Bạn đọc", "body": body, "rendered": rendered},
                    REMOTE_ADDR=f"10.30.{number // 200}.{number % 200 + 1}",
                )
                if response.status_code == 302:
                    self.posted.append(body)
                else:
                    self.failures.append((body, response.status_code))
                number += 1
        finally:
            connections.close_all()

    def count(self):
        return len(self.posted)


@skipUnless(
    connection.vendor == "postgresql",
    "the backup scripts back up PostgreSQL (pg_dump, pg_restore): CI runs this on PostgreSQL",
)
@override_settings(NEWSROOM=FAST_COMMENTS)
class BackupDrillTests(TransactionTestCase):
    def setUp(self):
        missing = [tool for tool in TOOLS if shutil.which(tool) is None]
        if missing:
            # CI installs postgresql-client: there a missing tool is a failure.
            if os.environ.get("CI"):
                self.fail(f"missing {', '.join(missing)}")
            self.skipTest(f"needs {', '.join(missing)} (apt-get install postgresql-client)")
        self.tmp = Path(tempfile.mkdtemp(prefix="newsroom-backup-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.media = self.tmp / "media"
        self.media.mkdir()
        self.enterContext(override_settings(MEDIA_ROOT=str(self.media)))
        self.source_url = url_for(connection.settings_dict["NAME"])
        # Restore targets are named after the configured database, e.g.
        # newsroom_ci_restore_1a2b3c4d, and dropped at the end.
        self.base_name = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]

    # --- helpers -----------------------------------------------------------------

    def new_database(self):
        name = f"{self.base_name}_restore_{secrets.token_hex(4)}"
        admin = url_for("postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'"
                    " LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                ).format(sql.Identifier(name))
            )

        def drop():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(name)
                    )
                )

        self.addCleanup(drop)
        return url_for(name)

    def gates(self, before=False, after=False):
        """An environment whose pg_dump waits at the gates in the returned folder."""
        folder = Path(tempfile.mkdtemp(dir=self.tmp, prefix="gates-"))
        shim = folder / "bin" / "pg_dump"
        shim.parent.mkdir()
        shim.write_text(SHIM)
        shim.chmod(0o755)
        env = {
            "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}",
            "BACKUP_GATES": str(folder),
            "REAL_PG_DUMP": shutil.which("pg_dump"),
        }
        if before:
            env["GATE_BEFORE"] = "1"
        if after:
            env["GATE_AFTER"] = "1"
        return folder, env

    def start_backup(self, root, *options, env=None):
        return subprocess.Popen(
            [str(BACKUP), "--media", str(self.media), *options, str(root)],
            env={**os.environ, "DATABASE_URL": self.source_url, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def finish(self, process):
        out, err = process.communicate(timeout=120)
        return process.returncode, out, err

    def backup(self, root, *options, env=None):
        status, out, err = self.finish(self.start_backup(root, *options, env=env))
        self.assertEqual(status, 0, err)
        return Path(out.strip().splitlines()[-1])

    def restore(self, folder, url, media, *options):
        result = subprocess.run(
            [str(RESTORE), "--media", str(media), *options, str(folder)],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=120,
        )
        return result.returncode, result.stderr

    def seed(self, articles=3, photos=2):
        """Published articles open to comments, with photos (and their renditions)."""
        section = make_section("Thời sự")
        made = []
        for number in range(articles):
            article = make_article(
                headline=f"Bài có ảnh số {number}",
                section=section,
                comments_mode=CommentsMode.POST,
            )
            for order in range(photos):
                add_photo(article, order=order)
            make_comment(article, status="published", body=f"Bình luận cũ {number}.")
            made.append(article)
        return made

    # --- the drill ---------------------------------------------------------------

    def test_backup_while_comments_are_posted_then_restore_matches_the_snapshot(self):
        articles = self.seed()
        files_before = {name: sha256(self.media / name) for name in files_under(self.media)}
        self.assertGreater(len(files_before), 6)  # photos and their renditions
        gates, env = self.gates(before=True)
        poster = Poster([article.pk for article in articles])
        poster.start()
        self.addCleanup(poster.join, WAIT)
        self.addCleanup(poster.stopping.set)
        wait_for(lambda: poster.count() >= 3, "the first comments")

        posted_before_backup = poster.count()
        process = self.start_backup(self.tmp / "backups", env=env)
        # The shim is reached once the snapshot is exported and counted.
        wait_for(lambda: (gates / "dump-started").exists() or process.poll() is not None,
                 "the backup to reach pg_dump")
        # The comment in flight now may have committed before the snapshot; the
        # ones after it were sent once the snapshot existed.
        after_snapshot = poster.count() + 1
        wait_for(lambda: poster.count() >= after_snapshot + 3, "comments after the snapshot")
        (gates / "dump-go").touch()
        status, out, err = self.finish(process)
        self.assertEqual(status, 0, err)
        after_backup = poster.count()
        wait_for(lambda: poster.count() >= after_backup + 2, "comments after the backup")
        poster.stopping.set()
        poster.join(WAIT)
        self.assertFalse(poster.is_alive())
        self.assertEqual(poster.failures, [])
        folder = Path(out.strip().splitlines()[-1])

        target, target_media = self.new_database(), self.tmp / "restored-media"
        status, err = self.restore(folder, target, target_media)
        self.assertEqual(status, 0, err)

        # Every table: the restored database holds exactly the snapshot's rows.
        snapshot = manifest_counts(folder)
        self.assertEqual(table_counts(target), snapshot)
        self.assertIn("public.comments_comment", snapshot)
        # The snapshot lies strictly inside the stream of comments: those sent
        # before the backup are in it, those sent after its snapshot are not,
        # and the source went on growing past it.
        restored = {body for (body,) in query(target, "SELECT body FROM comments_comment")}
        self.assertLessEqual(set(poster.posted[:posted_before_backup]), restored)
        self.assertEqual(restored & set(poster.posted[after_snapshot:]), set())
        source_total = Comment.objects.count()
        self.assertLess(snapshot["public.comments_comment"], source_total)
        # One poster commits in id order: the snapshot is every comment up to an id.
        last_id = query(target, "SELECT max(id) FROM comments_comment")[0][0]
        self.assertEqual(
            snapshot["public.comments_comment"], Comment.objects.filter(pk__lte=last_id).count()
        )

        # Every media file: restored byte for byte, as in the source.
        sums = manifest_sums(folder)
        self.assertLessEqual(set(files_before), set(sums))
        self.assertEqual(files_under(target_media), set(sums))
        for name, digest in sums.items():
            self.assertEqual(sha256(target_media / name), digest, name)
            self.assertEqual(sha256(self.media / name), digest, name)
        photo_files = [name for (name,) in query(target, "SELECT image FROM articles_photo")]
        self.assertEqual(len(photo_files), 6)
        for name in photo_files:
            self.assertEqual(sha256(target_media / name), files_before[name], name)

    def test_photo_replaced_during_backup_is_caught_and_retried(self):
        [article] = self.seed(articles=1, photos=2)
        photo = article.photo_uses.first().photo

        def replace_photo(name, color):
            old = photo.image.name
            photo.image = clean_photo(image_upload(name, color=color))
            photo.save()  # commits: the old file is deleted at once
            self.assertFalse((self.media / old).exists())
            return old

        def backup_meeting(change, *options):
            """Run a backup and ``change()`` between its dump and its media copy."""
            gates, env = self.gates(after=True)
            process = self.start_backup(self.tmp / "backups", *options, env=env)
            wait_for(lambda: (gates / "dump-finished").exists() or process.poll() is not None,
                     "the dump")
            changed = change()
            (gates / "copy-go").touch()
            return changed, *self.finish(process)

        # One attempt only: the dump names a file deleted before the copy, so
        # the backup fails and leaves no folder that looks complete.
        vanished, status, out, err = backup_meeting(
            lambda: replace_photo("anh-moi.jpg", (10, 120, 200)), "--attempts", "1"
        )
        self.assertEqual(status, 1, err)
        self.assertIn(f"{vanished} (deleted)", err)
        self.assertEqual(list((self.tmp / "backups").glob("newsroom-*")), [])

        # The freed name taken by a new upload: the file is there, but it is not
        # the one the dump's row means.
        def replace_and_reuse_the_name():
            old = replace_photo("anh-khac.jpg", (10, 200, 10))
            newcomer = Photo.objects.create(
                image=clean_photo(image_upload(old.rsplit("/", 1)[1], color=(250, 250, 0)))
            )
            self.assertEqual(newcomer.image.name, old)
            return old

        reused, status, out, err = backup_meeting(replace_and_reuse_the_name, "--attempts", "1")
        self.assertEqual(status, 1, err)
        self.assertIn(f"{reused} (written after the snapshot)", err)
        self.assertEqual(list((self.tmp / "backups").glob("newsroom-*")), [])

        # By default the backup dumps again; the new snapshot names the new file.
        vanished, status, out, err = backup_meeting(
            lambda: replace_photo("anh-cuoi.jpg", (200, 120, 10))
        )
        self.assertEqual(status, 0, err)
        self.assertIn(vanished, err)
        folder = Path(out.strip().splitlines()[-1])
        self.assertIn("attempts: 2", (folder / "MANIFEST").read_text())

        target, target_media = self.new_database(), self.tmp / "restored-media"
        status, err = self.restore(folder, target, target_media)
        self.assertEqual(status, 0, err)
        photo.refresh_from_db()
        [(restored_name,)] = query(
            target, "SELECT image FROM articles_photo WHERE id = %s", photo.pk
        )
        self.assertEqual(restored_name, photo.image.name)
        self.assertEqual(sha256(target_media / restored_name), sha256(self.media / restored_name))
        for (name,) in query(target, "SELECT image FROM articles_photo"):
            self.assertEqual(sha256(target_media / name), sha256(self.media / name), name)

    def test_with_media_in_a_bucket_the_database_alone_is_backed_up_and_restored(self):
        """NEWSROOM_MEDIA_S3_BUCKET set (README "Object storage for media"): the
        scripts copy no media, MANIFEST names the bucket, the restore brings
        back every row and says which photo keys to check in the bucket."""
        self.seed(articles=1, photos=2)
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_MEDIA_ROOT"}
        bucket = {"NEWSROOM_MEDIA_S3_BUCKET": "bao-anh", "NEWSROOM_MEDIA_S3_PREFIX": "media"}
        result = subprocess.run(
            [str(BACKUP), str(self.tmp / "backups")],
            env={**env, **bucket, "DATABASE_URL": self.source_url},
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("media are in the bucket s3://bao-anh/media: not copied", result.stderr)
        folder = Path(result.stdout.strip().splitlines()[-1])
        manifest = (folder / "MANIFEST").read_text()
        self.assertIn("media_storage: s3://bao-anh/media (not copied)", manifest)
        self.assertEqual(list((folder / "media").iterdir()), [])
        referenced = (folder / "media-referenced.txt").read_text().split()
        self.assertEqual(sorted(referenced), sorted(Photo.objects.values_list("image", flat=True)))

        target = self.new_database()
        result = subprocess.run(
            [str(RESTORE), str(folder)],
            env={**env, "DATABASE_URL": target},
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("check that the 2 photo keys listed in media-referenced.txt", result.stderr)
        self.assertEqual(table_counts(target), manifest_counts(folder))

    def test_restore_refuses_a_target_that_is_not_empty_and_a_damaged_backup(self):
        self.seed(articles=1, photos=1)
        root = self.tmp / "backups"
        folder = self.backup(root)
        restored = self.new_database()
        first_media = self.tmp / "restored-media"
        status, err = self.restore(folder, restored, first_media)
        self.assertEqual(status, 0, err)
        query(restored, "UPDATE articles_article SET headline = 'Đã sửa sau khi khôi phục'")

        # A database that is not empty: refused, and nothing in it changed.
        status, err = self.restore(folder, restored, self.tmp / "other-media")
        self.assertEqual(status, 3, err)
        self.assertIn("is not empty", err)
        self.assertEqual(
            query(restored, "SELECT DISTINCT headline FROM articles_article"),
            [("Đã sửa sau khi khôi phục",)],
        )
        self.assertFalse((self.tmp / "other-media").exists())
        # An empty database but a media folder that is not: refused before the
        # database is touched.
        empty = self.new_database()
        status, err = self.restore(folder, empty, first_media)
        self.assertEqual(status, 3, err)
        self.assertIn(str(first_media), err)
        self.assertEqual(table_counts(empty), {})
        # --force replaces the contents and verifies them.
        status, err = self.restore(folder, restored, first_media, "--force")
        self.assertEqual(status, 0, err)
        self.assertEqual(table_counts(restored), manifest_counts(folder))
        self.assertNotIn(
            ("Đã sửa sau khi khôi phục",), query(restored, "SELECT headline FROM articles_article")
        )

        # A damaged backup: --check names the file, a restore refuses to start.
        photo_name = Photo.objects.get().image.name
        with (folder / "media" / photo_name).open("ab") as handle:
            handle.write(b"\0")
        check = subprocess.run(
            [str(RESTORE), "--check", str(folder)], capture_output=True, text=True, timeout=60
        )
        self.assertEqual(check.returncode, 1, check.stderr)
        self.assertIn(photo_name, check.stderr)
        status, err = self.restore(folder, empty, self.tmp / "third-media")
        self.assertEqual(status, 1, err)
        self.assertEqual(table_counts(empty), {})

        # --keep: the newest backups stay, the older ones go.
        newest = self.backup(root, "--keep", "1")
        self.assertEqual(list(root.glob("newsroom-*")), [newest])
