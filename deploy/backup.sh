#!/usr/bin/env bash
# Back up the Newsroom: the PostgreSQL database (pg_dump -Fc) and the media
# files (photos and renditions), with a manifest to verify them. Run nightly
# from cron; see README, "Backups and restore".
set -euo pipefail
# shellcheck source=deploy/common.sh
. "$(dirname "$0")/common.sh"

usage() {
  cat <<'EOF'
Usage: deploy/backup.sh [--media DIR] [--keep N] [--attempts N] BACKUP_ROOT

Writes one folder BACKUP_ROOT/newsroom-<UTC time>/ holding:
  database.dump         pg_dump -Fc of the database, taken in one snapshot
  media/                a copy of the media folder (photos, renditions)
  SHA256SUMS            SHA-256 of database.dump and of every media file
                        (check with: cd FOLDER && sha256sum -c SHA256SUMS)
  rows.tsv              the row count of every table, in the dump's snapshot
  media-referenced.txt  the photo files the dump's rows name
  migrations.txt        the applied Django migrations, in the dump's snapshot
  MANIFEST              times, versions (app revision, PostgreSQL, pg_dump), totals
The folder appears only once everything is written and checked; the last line
printed on standard output is its path.

Environment:
  DATABASE_URL       postgres://user[:password]@host:port/name (required)
  DJANGO_MEDIA_ROOT  the media folder, unless --media is given
                     (default: the project's media/ folder, as in the settings)
  NEWSROOM_REVISION  the app revision to record when the code is not a git checkout
  NEWSROOM_MEDIA_S3_BUCKET, NEWSROOM_MEDIA_S3_PREFIX
                     media in an S3-compatible bucket (README "Object storage for
                     media"): without --media, the database alone is backed up,
                     media/ stays empty and MANIFEST names the bucket; the bucket
                     is backed up by the object store (versioning, replication)

Options:
  --media DIR    the media folder to copy
  --keep N       afterwards, delete all but the newest N backups in BACKUP_ROOT
  --attempts N   tries when a photo file the dump names vanished meanwhile (3)
  -h, --help     this text
EOF
}

die() { printf 'backup.sh: %s\n' "$*" >&2; exit 1; }
say() { printf 'backup.sh: %s\n' "$*" >&2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
media="${DJANGO_MEDIA_ROOT:-$here/../media}"
media_given=0
keep=""
attempts=3
root=""
while [ $# -gt 0 ]; do
  case "$1" in
    --media) [ $# -ge 2 ] || die "--media needs a folder"; media="$2"; media_given=1; shift 2 ;;
    --keep) [ $# -ge 2 ] || die "--keep needs a number"; keep="$2"; shift 2 ;;
    --attempts) [ $# -ge 2 ] || die "--attempts needs a number"; attempts="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) [ -z "$root" ] || { usage >&2; die "one BACKUP_ROOT only"; }; root="$1"; shift ;;
  esac
done
[ -n "$root" ] || { usage >&2; exit 2; }
[[ -z "$keep" || "$keep" =~ ^[1-9][0-9]*$ ]] || die "--keep needs a number of 1 or more"
[[ "$attempts" =~ ^[1-9][0-9]*$ ]] || die "--attempts needs a number of 1 or more"
url="${DATABASE_URL:-}"
[ -n "$url" ] || die "DATABASE_URL is not set"
[[ "$url" =~ ^postgres(ql)?:// ]] \
  || die "DATABASE_URL must be a postgres:// URL (this script backs up PostgreSQL only)"
# Photos in a bucket: not ours to copy (the object store keeps their versions).
bucket=""
if [ -n "${NEWSROOM_MEDIA_S3_BUCKET:-}" ] && [ "$media_given" -eq 0 ]; then
  prefix="${NEWSROOM_MEDIA_S3_PREFIX:-}"
  bucket="s3://$NEWSROOM_MEDIA_S3_BUCKET${prefix:+/${prefix#/}}"
  say "media are in the bucket $bucket: not copied (back the bucket up with its own" \
    "versioning or replication; media-referenced.txt lists the photo keys the dump names)"
else
  [ -d "$media" ] || die "media folder $media does not exist (set DJANGO_MEDIA_ROOT or --media)"
  media="$(cd "$media" && pwd)"
fi
for tool in psql pg_dump sha256sum tar flock; do
  command -v "$tool" >/dev/null || die "$tool is not installed (postgresql-client, coreutils)"
done

# A backup holds e-mail addresses and password hashes: readable by its owner only.
umask 077
mkdir -p "$root"
root="$(cd "$root" && pwd)"
exec 9>"$root/.backup.lock"
flock -n 9 || die "another backup is running in $root"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="newsroom-$stamp"
n=1
while [ -e "$root/$name" ] || [ -e "$root/$name.partial" ]; do
  n=$((n + 1)); name="newsroom-$stamp-$n"
done
final="$root/$name"
work="$final.partial"
mkdir "$work"
for stale in "$root"/newsroom-*.partial; do
  [ "$stale" = "$work" ] || [ ! -e "$stale" ] \
    || say "warning: $stale is left from a backup that was interrupted; delete it"
done

snap_pid=""
finish() {
  local status=$?
  if [ -n "$snap_pid" ]; then kill "$snap_pid" 2>/dev/null || true; fi
  if [ "$status" -ne 0 ]; then
    rm -rf "$work"
    say "FAILED: no backup was written"
  fi
}
trap finish EXIT

psql_snapshot() {  # psql_snapshot SNAPSHOT SQL: run SQL inside the exported snapshot
  psql "$url" -X -w -q -A -t -F $'\t' -v ON_ERROR_STOP=1 <<EOF
BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;
SET TRANSACTION SNAPSHOT '$1';
$2
COMMIT;
EOF
}

# The photo files the rows name (the only file column), and the migrations.
PHOTO_FILES="SELECT format('SELECT image FROM articles_photo WHERE image <> %L ORDER BY 1', '')
 WHERE to_regclass('articles_photo') IS NOT NULL \\gexec"
MIGRATIONS="SELECT format('SELECT app, name, applied FROM django_migrations ORDER BY id')
 WHERE to_regclass('django_migrations') IS NOT NULL \\gexec"

dump_in_snapshot() {
  # One transaction exports its snapshot and stays open while the counts, the
  # photo list and pg_dump itself read exactly that snapshot: what rows.tsv
  # says is what database.dump holds, however many writes go on meanwhile.
  coproc SNAP { psql "$url" -X -w -q -A -t -v ON_ERROR_STOP=1; }
  snap_pid=$SNAP_PID
  printf '%s\n' "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;" \
    "SELECT pg_export_snapshot();" >&"${SNAP[1]}"
  local snapshot=""
  read -r -t 60 snapshot <&"${SNAP[0]}" || true
  [[ "$snapshot" =~ ^[0-9A-F-]+$ ]] || die "could not export a snapshot from the database"
  # Every file a row of the snapshot names was written before this moment.
  touch "$work/.snapshot-taken"
  psql_snapshot "$snapshot" "$COUNT_ROWS" >"$work/rows.tsv"
  psql_snapshot "$snapshot" "$PHOTO_FILES" >"$work/media-referenced.txt"
  psql_snapshot "$snapshot" "$MIGRATIONS" >"$work/migrations.txt"
  psql_snapshot "$snapshot" "SELECT current_database(), current_setting('server_version');" \
    >"$work/server.tsv"
  pg_dump --dbname="$url" -w -Fc --snapshot="$snapshot" --file="$work/database.dump"
  printf '%s\n' "COMMIT;" '\q' >&"${SNAP[1]}"
  wait "$snap_pid" || die "the snapshot transaction failed"
  snap_pid=""
  printf '%s\n' "$snapshot" >"$work/snapshot.txt"
}

copy_media() {
  # After the dump: every photo row in the dump was committed, with its file
  # already written, before the snapshot, and a stored file is never
  # rewritten. Files that appear meanwhile are harmless extras (their rows are
  # not in the dump). But replacing or deleting a photo deletes its file when
  # the change commits, so a file the dump names may be gone by now, or its
  # name taken by a new upload: missing_files finds both, and the backup
  # starts again with a new snapshot.
  rm -rf "$work/media"
  mkdir "$work/media"
  [ -z "$bucket" ] || return 0
  local rc=0
  # POSIX format keeps sub-second modification times, which missing_files reads.
  tar -C "$media" --exclude='.tmp-*' --ignore-failed-read --format=posix \
    --warning=no-file-removed --warning=no-file-changed -cf - . \
    | tar -C "$work/media" --same-permissions -xf - || rc=$?
  # tar answers 1 when a file changed while it was read (an upload being
  # written, not yet in any committed row): the checks below decide.
  [ "$rc" -le 1 ] || die "copying $media failed"
}

missing_files() {
  # The photo files the dump names that the copy lacks (deleted since the
  # snapshot), or holds newer than the snapshot: the name was freed by a
  # replaced photo and taken by a new upload, so it is not the dump's file.
  local file
  [ -z "$bucket" ] || return 0
  while IFS= read -r file; do
    [ -n "$file" ] || continue
    if [ ! -f "$work/media/$file" ]; then
      printf '%s (deleted)\n' "$file"
    elif [ "$work/media/$file" -nt "$work/.snapshot-taken" ]; then
      printf '%s (written after the snapshot)\n' "$file"
    fi
  done <"$work/media-referenced.txt"
}

attempt=1
while :; do
  dump_in_snapshot
  copy_media
  missing="$(missing_files)"
  [ -n "$missing" ] || break
  say "attempt $attempt: photo files named by the dump changed before they were copied" \
    "(photos replaced or deleted meanwhile):"
  sed 's/^/  /' <<<"$missing" >&2
  if [ "$attempt" -ge "$attempts" ]; then
    die "gave up after $attempt attempts; run the backup again"
  fi
  attempt=$((attempt + 1))
  say "attempt $attempt"
done

(
  cd "$work"
  sha256sum database.dump
  find media -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
) >"$work/SHA256SUMS.tmp"
mv "$work/SHA256SUMS.tmp" "$work/SHA256SUMS"

revision="${NEWSROOM_REVISION:-}"
if [ -z "$revision" ] && command -v git >/dev/null \
    && revision="$(git -C "$here/.." rev-parse HEAD 2>/dev/null)"; then
  [ -z "$(git -C "$here/.." status --porcelain --untracked-files=no 2>/dev/null)" ] \
    || revision="$revision (with uncommitted changes)"
fi
IFS=$'\t' read -r database server_version <"$work/server.tsv"
rm "$work/server.tsv"
{
  echo "format: newsroom-backup 1"
  echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "app_revision: ${revision:-unknown}"
  echo "database: $database"
  echo "server_version: $server_version"
  echo "pg_dump_version: $(pg_dump --version)"
  echo "snapshot: $(cat "$work/snapshot.txt")"
  echo "attempts: $attempt"
  # The newest migration of each app (names are numbered), e.g. "articles 0013_…".
  echo "migrations: $(cut -f 1,2 "$work/migrations.txt" | LC_ALL=C sort | awk -F '\t' '
    { last[$1] = $2 } END { for (app in last) print app " " last[app] }' | LC_ALL=C sort \
    | paste -sd ',' - | sed 's/,/, /g')"
  echo "tables: $(wc -l <"$work/rows.tsv")"
  echo "rows: $(awk -F '\t' '{ s += $2 } END { print s + 0 }' "$work/rows.tsv")"
  if [ -n "$bucket" ]; then
    echo "media_root: none"
    echo "media_storage: $bucket (not copied)"
  else
    echo "media_root: $media"
  fi
  echo "media_files: $(grep -c '  media/' "$work/SHA256SUMS" || true)"
  echo "media_bytes: $(du -sb "$work/media" | cut -f 1)"
  echo "photo_files_referenced: $(grep -c . "$work/media-referenced.txt" || true)"
} >"$work/MANIFEST"
rm "$work/snapshot.txt" "$work/.snapshot-taken"

mv "$work" "$final"
say "done: $(grep -E '^(tables|rows|media_files):' "$final/MANIFEST" | tr '\n' ' ')"

if [ -n "$keep" ]; then
  mapfile -t old < <(find "$root" -mindepth 1 -maxdepth 1 -type d -name 'newsroom-*' \
    ! -name '*.partial' -printf '%f\n' | LC_ALL=C sort | head -n "-$keep")
  for folder in "${old[@]}"; do
    say "deleting old backup $folder (--keep $keep)"
    rm -rf "${root:?}/$folder"
  done
fi
printf '%s\n' "$final"
