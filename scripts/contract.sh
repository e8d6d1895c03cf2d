#!/usr/bin/env bash
# Contract test of the partner API (docs/api.md): start the app on a free port with a seeded
# SQLite database, give an API client to each kind of partner (a training provider, a
# Jobcentre, an employer), and run Schemathesis with every check against /api/v1/schema with
# each one's token. Fails on any server error or any response that does not match the schema.
#
# EXAMPLES (default 10) is the number of generated cases per operation and phase.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

PY="${ROOT}/.venv/bin/python"
ST="${ROOT}/.venv/bin/schemathesis"
EXAMPLES="${EXAMPLES:-10}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/contract.XXXXXX")"
PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:${PORT}"

export DJANGO_SETTINGS_MODULE=config.settings.local
export DATABASE_URL="sqlite:///${WORK}/contract.sqlite3"
export CACHE_URL="locmemcache://"
export DEBUG=false
export API_RATE_LIMIT="1000000/min"
export SITE_URL="${BASE}"

server=""
cleanup() {
  if [[ -n "${server}" ]]; then kill "${server}" 2>/dev/null || true; wait "${server}" 2>/dev/null || true; fi
  rm -rf "${WORK}"
}
trap cleanup EXIT

echo "Seeding ${WORK}/contract.sqlite3"
"$PY" manage.py migrate --verbosity 0
"$PY" manage.py load_reference_data --verbosity 0
"$PY" manage.py seed_demo --residents 60 >/dev/null

client() {  # organisation name, scopes...: prints "client_id:secret"
  local organisation="$1"; shift
  local args=()
  for scope in "$@"; do args+=(--scope "${scope}"); done
  "$PY" manage.py api_partner_create --organisation "${organisation}" --name "Contract test: ${organisation}" \
    "${args[@]}" --json \
    | "$PY" -c 'import json, sys; d = json.load(sys.stdin); print(d["client_id"] + ":" + d["client_secret"])'
}
provider="$(client "Sefton Community Learning Service" residents:read evidence:write training)"
jobcentre="$(client "Bootle Jobcentre" residents:read residents:write evidence:write casework)"
employer="$(client "Dockside Logistics Ltd" employer)"

"$PY" manage.py runserver "127.0.0.1:${PORT}" --noreload --skip-checks >"${WORK}/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "${BASE}/api/v1/schema" && break
  sleep 0.5
done

token() {
  curl -sf -u "$1" -d grant_type=client_credentials "${BASE}/o/token/" \
    | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# Each partner's system exercises the operations it is for; together, every operation.
declare -A paths=(
  [provider]='^/api/v1/(cohorts|residents)'
  [jobcentre]='^/api/v1/(residents|referrals-in)'
  [employer]='^/api/v1/(opportunities|referrals/|referrals$|sustainment-checks)'
)
status=0
for who in provider jobcentre employer; do
  echo
  echo "--- Schemathesis as the ${who}'s system ---"
  # One worker: Python 3.11's parser is not safe to call from several threads at once, which
  # Hypothesis does while describing strategies. Run in ${WORK}, where its cache is thrown away.
  (cd "${WORK}" && "${ST}" --config-file "${ROOT}/scripts/schemathesis.toml" run "${BASE}/api/v1/schema" \
    --checks all \
    --header "Authorization: Bearer $(token "${!who}")" \
    --include-path-regex "${paths[${who}]}" \
    --max-examples "${EXAMPLES}" \
    --workers 1 \
    --seed 2026 \
    --warnings off) \
    || status=1
done
if grep -q "Traceback" "${WORK}/server.log"; then
  echo "The server logged errors:"; grep -B2 -A20 "Traceback" "${WORK}/server.log" | head -80
  status=1
fi
exit "${status}"
