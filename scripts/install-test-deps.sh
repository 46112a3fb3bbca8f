#!/bin/sh
# What the tests need beyond the Python test extra: Debian's Chromium (driven by Playwright;
# `playwright install` cannot download here), axe-core from npm, and the npm Perspective
# client the scoring-API tests point at Parley. Idempotent; called by `make test-deps`.
set -eu
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get install -y chromium || { $SUDO apt-get update && $SUDO apt-get install -y chromium; }
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
    npm ci --no-audit --no-fund
fi

if [ ! -d tests/perspective/node_modules/perspective-api-client ]; then
    npm ci --prefix tests/perspective --no-audit --no-fund
fi
