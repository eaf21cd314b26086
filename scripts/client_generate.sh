#!/usr/bin/env bash
# Regenerate the Python client: clients/python/schema.json from the code (drf-spectacular),
# then clients/python/taskledger_client/ from that schema (openapi-python-client). The
# hand-written modules (HAND_WRITTEN below) are kept; every other file is the generator's.
# tests/test_client_python.py fails when either is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
CLIENT=clients/python
PACKAGE=$CLIENT/taskledger_client
HAND_WRITTEN=(ledger.py)

env -u DATABASE_URL -u REDIS_URL $PY manage.py spectacular --format openapi-json --validate \
  --fail-on-warn --file "$CLIENT/schema.json"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$PY -m openapi_python_client generate --path "$CLIENT/schema.json" --meta none \
  --config "$CLIENT/generate.yml" --output-path "$work/taskledger_client" --fail-on-warning

for name in "${HAND_WRITTEN[@]}"; do
  [ -e "$PACKAGE/$name" ] && cp "$PACKAGE/$name" "$work/taskledger_client/$name"
done
rm -rf "$PACKAGE"
cp -r "$work/taskledger_client" "$PACKAGE"
echo "generated $PACKAGE from $CLIENT/schema.json"
