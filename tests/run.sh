#!/usr/bin/env bash
# Runs the whole test suite: installs the test dependencies when they are missing, then
# `dotnet test` over the solution.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install-deps.sh
export INSPECTOR_SERVERS_DIR="${INSPECTOR_SERVERS_DIR:-/opt/inspector-test-servers}"
dotnet test Inspector.sln --nologo --blame-hang-timeout 5m "$@"
