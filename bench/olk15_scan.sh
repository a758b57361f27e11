#!/bin/sh
# The Outlook for Mac store scan benchmark: builds the bench preset, writes a synthetic
# profile of 9,095 events over 256 calendar folders and 256 bucket directories, then
# measures (wall time and peak RSS, each pull in its own process):
#   cold   first pull, empty state, page cache dropped (needs root; says so otherwise)
#   warm   second pull of the unchanged store, from the state the cold pull left
#   first  first pull again (empty state) with the files in the page cache: the CPU cost
#   floor  `cat` of every event file and Outlook.sqlite to /dev/null, page cache dropped
# Figures go to docs/benchmarks.md by hand, with this command.
set -eu
cd "$(dirname "$0")/.."
cmake --preset bench >/dev/null
cmake --build --preset bench --target olk15_scan_bench
BIN=./build/bench/bench/olk15_scan_bench
DIR=build/bench/olk15-store
STATE=build/bench/olk15-state
RUNS=${RUNS:-5}

drop_caches() {
  sync
  if [ "$(id -u)" -eq 0 ] && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then
    return 0
  fi
  echo "  (could not drop the page cache: not root or not allowed; 'cold' is page-cache warm)"
}

$BIN generate "$DIR"
DATA="$DIR/Outlook 15 Profiles/Main Profile/Data"
echo "store: $(find "$DATA/Events" -name '*.olk15Event' | wc -l) event files, $(du -sh "$DATA" | cut -f1)"

for i in $(seq "$RUNS"); do
  rm -rf "$STATE"
  drop_caches
  printf 'cold  %s: ' "$i"; $BIN pull "$DIR" "$STATE"
  printf 'warm  %s: ' "$i"; $BIN pull "$DIR" "$STATE"
  drop_caches
  start=$(date +%s.%N)
  find "$DATA" -type f \( -name '*.olk15Event' -o -name 'Outlook.sqlite*' \) -exec cat {} + >/dev/null
  end=$(date +%s.%N)
  printf 'floor %s: cat of every file: %.3f s wall\n' "$i" "$(echo "$end - $start" | bc)"
  rm -rf "$STATE"
  printf 'first %s: ' "$i"; $BIN pull "$DIR" "$STATE"
  start=$(date +%s.%N)
  find "$DATA" -type f \( -name '*.olk15Event' -o -name 'Outlook.sqlite*' \) -exec cat {} + >/dev/null
  end=$(date +%s.%N)
  printf 'cat   %s: cat of every file, page cache warm: %.3f s wall\n' "$i" "$(echo "$end - $start" | bc)"
done
