#!/bin/sh
# Builds the benchmark preset and runs each benchmark beside its Python peer on the same
# bytes (ICS: python3-icalendar; EWS: python3-exchangelib). Figures go to docs/benchmarks.md
# by hand, with this command.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
dpkg-query -W -f='${Status}' python3-icalendar 2>/dev/null | grep -q "ok installed" ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-icalendar
dpkg-query -W -f='${Status}' python3-exchangelib 2>/dev/null | grep -q "ok installed" ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-exchangelib
cmake --preset bench >/dev/null
cmake --build --preset bench --target ics_parse_bench ews_parse_bench heartbeat_bench
CORPUS=build/bench/corpus-10000.ics
./build/bench/bench/ics_parse_bench --events 10000 --runs 7 --write "$CORPUS"
/usr/bin/python3 bench/peer_icalendar.py "$CORPUS" 5
EWS_XML=build/bench/getitem-10000.xml
./build/bench/bench/ews_parse_bench --items 10000 --runs 7 --write "$EWS_XML"
/usr/bin/python3 bench/peer_exchangelib.py "$EWS_XML" 3
./build/bench/bench/heartbeat_bench --events 10000 --idle 200
