#!/usr/bin/env bash
# Proves that a backup restores: seeds a scratch PostgreSQL database with the demo data,
# backs it up, restores into a second fresh database and compares the row count of every
# table and the media files. Exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PGURL="postgres://postgres@127.0.0.1:5432"
SRC="portal_backup_src_$$"; DST="portal_backup_dst_$$"; WORK="$(mktemp -d)"
cleanup() {
  psql "$PGURL/postgres" -q -c "DROP DATABASE IF EXISTS $SRC" -c "DROP DATABASE IF EXISTS $DST" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
psql "$PGURL/postgres" -q -c "CREATE DATABASE $SRC" -c "CREATE DATABASE $DST"

export MEDIA_ROOT="$WORK/media-src"
DATABASE_URL="$PGURL/$SRC" $PY manage.py migrate --noinput -v0
DATABASE_URL="$PGURL/$SRC" $PY manage.py seed_demo >/dev/null
DATABASE_URL="$PGURL/$SRC" scripts/backup.sh "$WORK/backup"
MEDIA_ROOT="$WORK/media-dst" DATABASE_URL="$PGURL/$DST" scripts/restore.sh "$WORK/backup"

counts() {
  psql "$PGURL/$1" -At -c "SELECT table_name FROM information_schema.tables WHERE table_schema='public' AND table_type='BASE TABLE' ORDER BY 1" |
  while read -r table; do
    printf '%s %s\n' "$table" "$(psql "$PGURL/$1" -At -c "SELECT count(*) FROM \"$table\"")"
  done
}
counts "$SRC" > "$WORK/src.txt"
counts "$DST" > "$WORK/dst.txt"
if ! diff -u "$WORK/src.txt" "$WORK/dst.txt"; then
  echo "FAILED: table counts differ after restore"; exit 1
fi
src_files=$(cd "$WORK/media-src" && find . -type f | sort | xargs sha256sum | sha256sum)
dst_files=$(cd "$WORK/media-dst" && find . -type f | sort | xargs sha256sum | sha256sum)
[ "$src_files" = "$dst_files" ] || { echo "FAILED: media differ after restore"; exit 1; }
echo "restore check passed: $(wc -l < "$WORK/src.txt") tables, $(awk '{s+=$2} END {print s}' "$WORK/src.txt") rows, $(find "$WORK/media-src" -type f | wc -l) media files identical"
