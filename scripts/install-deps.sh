#!/bin/sh
# Installs the Debian 12 packages calsync needs to build, test and run. Safe to run again:
# it asks apt only for what is missing.
set -eu

PACKAGES="
  ca-certificates cmake ninja-build g++ pkg-config make
  libpoco-dev libboost-dev libboost-program-options-dev libboost-log-dev libboost-system-dev
  libssl-dev libpugixml-dev libical-dev libhowardhinnant-date-dev libsqlite3-dev tzdata
  libgtest-dev libgmock-dev
  radicale python3 curl
"

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (it installs Debian packages)" >&2
  exit 1
fi

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    "install ok installed") ;;
    *) missing="$missing $p" ;;
  esac
done

if [ -n "$missing" ]; then
  echo "install-deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
