#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan, every library instrumented for
# coverage) in build/fuzz and runs each for a bounded time: fuzz_olk15_event ~60 s, the
# others ~15 s each. Fails on any crash, sanitizer report, leak or timeout. Run from
# anywhere, as root on Debian 12 (it installs clang and the libFuzzer runtime with apt).
#   FUZZ_SECONDS_OLK15, FUZZ_SECONDS_OTHER override the times; FUZZ_TARGETS picks targets.
set -eu
cd "$(dirname "$0")/.."

OLK15_SECONDS=${FUZZ_SECONDS_OLK15:-60}
OTHER_SECONDS=${FUZZ_SECONDS_OTHER:-15}

# clang 14 and its libFuzzer runtime (libclang_rt.fuzzer lives in libclang-rt-14-dev).
missing=""
for p in clang-14 libclang-rt-14-dev; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "fuzz: needs$missing; run as root to install them" >&2
    exit 1
  fi
  echo "fuzz: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
sh scripts/install-deps.sh >/dev/null

launcher=""
if command -v ccache >/dev/null 2>&1; then launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"; fi
# Libraries get coverage instrumentation (fuzzer-no-link) and the sanitizers; the targets
# link libFuzzer itself (tests/fuzz/CMakeLists.txt). UB aborts instead of printing and going on.
# shellcheck disable=SC2086
cmake -S . -B build/fuzz -G Ninja $launcher \
  -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -Wno-unknown-warning-option" \
  -DCALSYNC_FUZZ=ON -DCALSYNC_TESTS=ON -DCALSYNC_BENCH=OFF >/dev/null

TARGETS=${FUZZ_TARGETS:-"fuzz_olk15_event fuzz_ical_parse fuzz_dav_multistatus fuzz_config_ini fuzz_batch_json"}
# shellcheck disable=SC2086
cmake --build build/fuzz --target $TARGETS

corpus_of() {
  case "$1" in
    fuzz_olk15_event) echo olk15 ;;
    fuzz_ical_parse) echo ical ;;
    fuzz_dav_multistatus) echo dav ;;
    fuzz_config_ini) echo ini ;;
    fuzz_batch_json) echo batch ;;
  esac
}

status=0
for target in $TARGETS; do
  seconds=$OTHER_SECONDS
  [ "$target" = fuzz_olk15_event ] && seconds=$OLK15_SECONDS
  # Work on a copy: what the fuzzer finds stays in build/, the committed seeds stay small.
  work="build/fuzz/corpus/$target"
  rm -rf "$work" && mkdir -p "$work"
  cp "tests/fuzz/corpus/$(corpus_of "$target")"/* "$work"/
  echo "fuzz: $target for ${seconds}s"
  if ! (cd build/fuzz && "./tests/fuzz/$target" "corpus/$target" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$target-" >"$target.log" 2>&1); then
    echo "fuzz: $target FAILED; see build/fuzz/$target.log and the artifact build/fuzz/$target-*" >&2
    tail -40 "build/fuzz/$target.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|Done" "build/fuzz/$target.log" | tail -1 || true
  fi
done
exit $status
