#!/bin/sh
# What the browser tests need beyond the Python test extra: Debian's Chromium (driven by
# Playwright; `playwright install` cannot download here) and axe-core from npm.
# Idempotent; called by `make test-deps`.
set -eu
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get install -y chromium || { $SUDO apt-get update && $SUDO apt-get install -y chromium; }
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
    npm ci --no-audit --no-fund
fi
