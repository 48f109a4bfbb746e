#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump custom format) and the media folder.
#   scripts/backup.sh [OUT_DIR]       (default: backups/<UTC timestamp>)
# Reads DATABASE_URL (postgres://...) and MEDIA_ROOT (default var/media) from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database to back up}"
MEDIA_ROOT="${MEDIA_ROOT:-var/media}"
OUT="${1:-backups/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
pg_dump --format=custom --no-owner --no-privileges --file="$OUT/database.dump" "$DATABASE_URL"
if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$OUT/media.tar.gz" .
fi
echo "backup written to $OUT"
