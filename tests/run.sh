#!/bin/sh
# Installs everything the tests need on a fresh machine (Python 3.11), then runs them all.
# Browser downloads are blocked here: Playwright drives Debian's chromium.
set -e
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi
exec python3 -m pytest "$@"
