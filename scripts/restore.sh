#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and a media folder.
#   DATABASE_URL=postgres://.../new_db MEDIA_ROOT=/srv/media scripts/restore.sh BACKUP_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
BACKUP="${1:?usage: scripts/restore.sh BACKUP_DIR}"
: "${DATABASE_URL:?DATABASE_URL must point at the (empty) database to restore into}"
MEDIA_ROOT="${MEDIA_ROOT:-var/media}"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$BACKUP/database.dump"
if [ -f "$BACKUP/media.tar.gz" ]; then
  mkdir -p "$MEDIA_ROOT"
  tar -C "$MEDIA_ROOT" -xzf "$BACKUP/media.tar.gz"
fi
echo "restored $BACKUP"
