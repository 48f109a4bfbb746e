#!/usr/bin/env bash
# The API against its own OpenAPI schema: schemathesis, every check, on a live gunicorn with
# DEBUG=0 (production settings) over a small seeded demo. Exits non-zero on any failure.
#
#   make api-contract                          # throwaway SQLite under var/api-contract/
#   DATABASE_URL=postgres://... make api-contract   # a throwaway database of your own
#
# Knobs: API_CONTRACT_PORT (default: a free port), API_CONTRACT_MAX_EXAMPLES (100 per
# operation), API_CONTRACT_NEEDS (demo needs, 40), API_CONTRACT_SEED (schemathesis --seed).
# The throttles are raised for the run (the checks send thousands of requests from one
# address); the 429 stays documented in the schema all the same.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="${PY:-$ROOT/.venv/bin/python}"
BIN="$(cd "$(dirname "$PY")" && pwd)"  # absolute: schemathesis runs from another folder
PY="$BIN/$(basename "$PY")"
WORK="$ROOT/var/api-contract"
MAX_EXAMPLES="${API_CONTRACT_MAX_EXAMPLES:-100}"
NEEDS="${API_CONTRACT_NEEDS:-40}"

if ! "$PY" -c "import schemathesis" 2>/dev/null; then
  echo "schemathesis is not installed: pip install -r requirements-dev.txt" >&2
  exit 2
fi

rm -rf "$WORK"
mkdir -p "$WORK"
export VAR_DIR="$WORK" MEDIA_ROOT="$WORK/media" STATIC_ROOT="$WORK/static"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$WORK/db.sqlite3}"
export TASKS_IMMEDIATE=1 EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend

echo "== migrate and seed a small demo ($NEEDS needs)"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo --needs "$NEEDS" >"$WORK/seed.log"

PORT="${API_CONTRACT_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
BASE="http://127.0.0.1:$PORT"

echo "== gunicorn, DEBUG=0, on $BASE"
METRICS_TOKEN="metrics-$$-$RANDOM-$RANDOM"
DEBUG=0 SECRET_KEY="api-contract-$$-$RANDOM" ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 METRICS_TOKEN="$METRICS_TOKEN" \
  PROMETHEUS_MULTIPROC_DIR="$WORK/metrics" \
  API_THROTTLE_ANON=1000000/min API_THROTTLE_USER=1000000/min \
  BIND="127.0.0.1:$PORT" WEB_CONCURRENCY=2 GUNICORN_THREADS=4 GUNICORN_ACCESS_LOG="$WORK/access.log" \
  "$BIN/gunicorn" -c gunicorn.conf.py portal.wsgi >"$WORK/gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true' EXIT

healthy() {
  "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$BASE/healthz" 2>/dev/null
}
for _ in $(seq 1 60); do
  healthy && break
  kill -0 "$GUNICORN" 2>/dev/null || break
  sleep 0.5
done
if ! healthy; then
  echo "gunicorn did not answer $BASE/healthz:" >&2
  cat "$WORK/gunicorn.log" >&2
  exit 1
fi

echo "== schemathesis: every check, at most $MAX_EXAMPLES examples per operation"
args=(run "$BASE/api/schema/?format=json" --checks all --max-examples "$MAX_EXAMPLES"
      --generation-database none --request-timeout 30 --no-color)
if [ -n "${API_CONTRACT_SEED:-}" ]; then
  args+=(--seed "$API_CONTRACT_SEED")
fi
status=0
# From the run's own folder: schemathesis keeps its crash cache (for `st replay`) there.
(cd "$WORK" && "$BIN/schemathesis" "${args[@]}") || status=$?
if grep -qE '" 5[0-9]{2} ' "$WORK/access.log"; then
  echo "server errors in $WORK/access.log:" >&2
  grep -E '" 5[0-9]{2} ' "$WORK/access.log" | head -20 >&2
  status=1
fi
echo "== /metrics across the workers, and JSON logs with request ids"
"$PY" scripts/metrics_check.py "$BASE" "$METRICS_TOKEN" "$WORK/gunicorn.log" "$WORK/metrics" || status=1
exit "$status"
