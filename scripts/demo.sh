#!/bin/sh
# Installs what is needed, builds calsyncd and runs it in standalone mode on the bundled
# example: a demo ICS calendar consolidated into a local Radicale CalDAV calendar, with the
# API on http://localhost:8008. Ctrl-C stops both.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)

sh scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target calsyncd

STATE="$ROOT/build/demo"
mkdir -p "$STATE/radicale"
cat >"$STATE/radicale/config" <<CONF
[server]
hosts = 127.0.0.1:5232
[auth]
type = none
[storage]
filesystem_folder = $STATE/radicale/collections
[logging]
level = warning
CONF

radicale --config "$STATE/radicale/config" &
RADICALE=$!
trap 'kill $RADICALE 2>/dev/null || true' EXIT INT TERM

# Radicale needs a moment to listen; wait for it (up to 20 s) before creating the calendar.
i=0
until curl -s -o /dev/null http://127.0.0.1:5232/; do
  i=$((i + 1))
  if [ $i -gt 200 ]; then echo "demo: Radicale did not start" >&2; exit 1; fi
  sleep 0.1
done
if ! kill -0 $RADICALE 2>/dev/null; then
  echo "demo: Radicale could not start; is something else listening on 127.0.0.1:5232?" >&2
  exit 1
fi
curl -s -o /dev/null -u demo:demo -X MKCALENDAR http://127.0.0.1:5232/demo/consolidated/ || true

echo "demo: calsyncd on http://localhost:8008 (try /health, and /api/calendar/events?time_min=...&time_max=... with -H 'Authorization: Bearer demo-admin-token')"
echo "demo: the consolidated calendar is http://127.0.0.1:5232/demo/consolidated/ (user demo, password demo)"
sed -e "s|@DEMO_DIR@|$ROOT/examples/demo|g" -e "s|@STATE_DIR@|$STATE|g" \
  "$ROOT/examples/demo/calsyncd.ini" >"$STATE/calsyncd.ini"
"$ROOT/build/default/daemon/calsyncd" --config "$STATE/calsyncd.ini"
