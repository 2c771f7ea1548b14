#!/usr/bin/env bash
# The main job: builds the package, starts the local LuxSci sandbox, and runs examples/quickstart.mjs
# against it (authenticate, list domains, create and read back an alias, send an email, revoke).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
coproc SANDBOX { exec node js/sandbox/cli.js --port 0; }
trap 'kill "$SANDBOX_PID" 2>/dev/null || true' EXIT
read -r line <&"${SANDBOX[0]}"
LUXSCI_SANDBOX="$line" node examples/quickstart.mjs
