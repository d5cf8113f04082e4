#!/usr/bin/env bash
# Restore a Newsroom backup made by deploy/backup.sh into an empty database
# and media folder, and verify it: every table's row count against the
# backup's snapshot, every media file against its SHA-256. See README,
# "Backups and restore".
set -euo pipefail
# shellcheck source=deploy/common.sh
. "$(dirname "$0")/common.sh"

usage() {
  cat <<'EOF'
Usage: deploy/restore.sh [--media DIR] [--force] BACKUP_FOLDER
       deploy/restore.sh --check BACKUP_FOLDER

Restores BACKUP_FOLDER (a newsroom-<time> folder written by deploy/backup.sh):
  1. checks the backup itself (SHA256SUMS, a readable dump) before touching anything;
  2. refuses a database or media folder that is not empty, unless --force;
  3. pg_restore --single-transaction --exit-on-error --no-owner: all or nothing;
  4. compares every table's row count with rows.tsv (the dump's own snapshot);
  5. copies the media files and checks each one against SHA256SUMS.
A backup whose MANIFEST names a bucket (media_storage: s3://…) holds no media:
the database alone is restored, and the photo keys it names are listed in
media-referenced.txt, to check against the bucket.
Any mismatch is an error (exit status 1). A refused target exits with 3.

Environment:
  DATABASE_URL       the target: postgres://user[:password]@host:port/name (required).
                     Create it empty first, e.g.
                     createdb -E UTF8 -T template0 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 NAME
  DJANGO_MEDIA_ROOT  the media folder to restore into, unless --media is given
                     (default: the project's media/ folder, as in the settings)

Options:
  --media DIR  the media folder to restore into (created if missing)
  --force      restore over a database that is not empty (objects in the backup
               are dropped and recreated, pg_restore --clean) and over media files
               (files in the backup are overwritten, other files stay)
  --check      only verify the backup folder; no database or media is touched
  -h, --help   this text
EOF
}

die() { printf 'restore.sh: %s\n' "$*" >&2; exit 1; }
say() { printf 'restore.sh: %s\n' "$*" >&2; }
refuse() { printf 'restore.sh: REFUSED: %s\n' "$*" >&2; exit 3; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
media="${DJANGO_MEDIA_ROOT:-$here/../media}"
force=0
check_only=0
backup=""
while [ $# -gt 0 ]; do
  case "$1" in
    --media) [ $# -ge 2 ] || die "--media needs a folder"; media="$2"; shift 2 ;;
    --force) force=1; shift ;;
    --check) check_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) [ -z "$backup" ] || { usage >&2; die "one BACKUP_FOLDER only"; }; backup="$1"; shift ;;
  esac
done
[ -n "$backup" ] || { usage >&2; exit 2; }
for tool in psql pg_restore sha256sum tar; do
  command -v "$tool" >/dev/null || die "$tool is not installed (postgresql-client, coreutils)"
done
[ -d "$backup" ] || die "$backup is not a folder"
backup="$(cd "$backup" && pwd)"
for file in MANIFEST SHA256SUMS database.dump rows.tsv media-referenced.txt; do
  [ -f "$backup/$file" ] || die "$backup/$file is missing: not a complete backup"
done
[ -d "$backup/media" ] || die "$backup/media is missing: not a complete backup"
bucket="$(sed -n -E 's/^media_storage: (s3:[^ ]*).*/\1/p' "$backup/MANIFEST")"

# 1. The backup itself, before anything else is touched.
say "checking $backup"
(cd "$backup" && sha256sum --check --quiet --strict SHA256SUMS >&2) \
  || die "the backup is damaged: the files above do not match SHA256SUMS"
unlisted="$(cd "$backup" && find media -type f | LC_ALL=C sort \
  | comm -23 - <(sed -E 's/^\\?[0-9a-f]{64}  //' SHA256SUMS | LC_ALL=C sort))"
[ -z "$unlisted" ] || die "files in the backup's media/ missing from SHA256SUMS: $unlisted"
while IFS= read -r file; do
  [ -z "$file" ] || [ -n "$bucket" ] || [ -f "$backup/media/$file" ] \
    || die "the backup lacks the photo file $file that its database names"
done <"$backup/media-referenced.txt"
pg_restore --list "$backup/database.dump" >/dev/null || die "database.dump cannot be read"
say "backup OK: $(grep -E '^(created|app_revision|tables|rows|media_files):' "$backup/MANIFEST" \
  | tr '\n' ' ')"
[ "$check_only" -eq 0 ] || exit 0

url="${DATABASE_URL:-}"
[ -n "$url" ] || die "DATABASE_URL is not set"
[[ "$url" =~ ^postgres(ql)?:// ]] || die "DATABASE_URL must be a postgres:// URL"

psql_target() { psql "$url" -X -w -q -A -t -F $'\t' -v ON_ERROR_STOP=1 -c "$1"; }

# 2. Only into empty targets, unless forced; both are checked before either changes.
objects="$(psql_target "
  SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname !~ '^pg_(toast|temp)')
       + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')
       + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'));")" \
  || die "cannot connect to the target database (create it first: see --help)"
database="$(psql_target "SELECT current_database();")"
media_files=0
[ -n "$bucket" ] || [ ! -d "$media" ] || media_files="$(find "$media" -mindepth 1 -maxdepth 1 | wc -l)"
if [ "$force" -eq 0 ]; then
  [ "$objects" -eq 0 ] || refuse "database $database is not empty ($objects objects);" \
    "restore into a new empty database, or give --force to replace its contents"
  [ "$media_files" -eq 0 ] || refuse "media folder $media is not empty;" \
    "restore into an empty folder, or give --force to write over it"
fi

if [ -z "$bucket" ]; then
  mkdir -p "$media"
  media="$(cd "$media" && pwd)"
fi

# 3. The database, all or nothing.
clean=()
if [ "$objects" -gt 0 ]; then
  say "--force: replacing what the backup holds in database $database"
  clean=(--clean --if-exists)
fi
say "restoring the database into $database"
pg_restore --dbname="$url" -w --single-transaction --exit-on-error --no-owner \
  --no-privileges "${clean[@]}" "$backup/database.dump" \
  || die "pg_restore failed; the database was left as it was (one transaction)"

# 4. Row counts against the backup's snapshot.
restored="$(psql_target "$COUNT_ROWS")"
mismatches="$(awk -F '\t' '
  NR == FNR { got[$1] = $2; next }
  !($1 in got) { print "  " $1 ": " $2 " rows in the backup, table missing"; next }
  got[$1] != $2 { print "  " $1 ": " $2 " rows in the backup, " got[$1] " restored" }
' <(printf '%s\n' "$restored") "$backup/rows.tsv")"
if [ -n "$mismatches" ]; then
  printf '%s\n' "$mismatches" >&2
  die "row counts differ from the backup's snapshot"
fi
say "row counts match the backup: $(wc -l <"$backup/rows.tsv") tables"

# 5. The media files, then each one against its checksum.
if [ -n "$bucket" ]; then
  say "media are in the bucket $bucket, not in this backup: check that the" \
    "$(grep -c . "$backup/media-referenced.txt" || true) photo keys listed in" \
    "media-referenced.txt are there (the object store's versions restore a deleted one)"
else
  say "restoring the media files into $media"
  tar -C "$backup/media" -cf - . | tar -C "$media" --same-permissions -xf - \
    || die "copying the media files into $media failed"
  (cd "$media" && sed -E -n 's#^(\\?[0-9a-f]{64})  media/#\1  #p' "$backup/SHA256SUMS" \
    | sha256sum --check --quiet --strict >&2) \
    || die "restored media files do not match SHA256SUMS (see above)"
  say "media files match the backup: $(grep -c '  media/' "$backup/SHA256SUMS" || true) files"
fi

say "restored. Next: run 'manage.py migrate' if the code is newer than the backup" \
  "($(grep '^migrations:' "$backup/MANIFEST" || echo 'migrations: none')), and clear" \
  "the shared cache (Redis FLUSHDB) so that nothing remembered from before is served."
