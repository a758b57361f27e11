#!/bin/sh
# Installs what is needed, builds the test preset (warnings are errors) and runs every test
# through ctest. Run from anywhere, as root on Debian 12.
set -eu
cd "$(dirname "$0")/.."

sh scripts/install-deps.sh
cmake --preset test >/dev/null
cmake --build --preset test
ctest --preset test "$@"
