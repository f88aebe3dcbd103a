#!/bin/sh
# Installs everything the tests need on a fresh machine (Python 3.11), then runs them all.
# Browser downloads are blocked here: Playwright drives Debian's chromium; the two-host
# serving test puts Debian's nginx in front of two gunicorns.
# The editable install is for the tests' imports; tests/test_packaging.py proves that the
# non-editable `pip install .` (a wheel, in a fresh venv, outside this tree) works too.
set -e
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
MISSING=""
command -v chromium >/dev/null 2>&1 || MISSING="$MISSING chromium"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || MISSING="$MISSING nginx"
if [ -n "$MISSING" ]; then
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $MISSING >/dev/null
fi
exec python3 -m pytest "$@"
