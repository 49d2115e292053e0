#!/usr/bin/env bash
# Until the first release, the schema is one initial revision: rebuild it from the models.
# (After a release, every schema change is a new revision: `flask --app app db migrate -m "..."`.)
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/ideathon-regen-migration.lock
flock 9
tmp=$(mktemp -d)
rm -f migrations/versions/*_initial_schema.py
IDEATHON_INSTANCE="$tmp" DATABASE_URL= .venv/bin/flask --app app db migrate -m "initial schema" --rev-id 0001 >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
rm -rf "$tmp"
ls migrations/versions/
