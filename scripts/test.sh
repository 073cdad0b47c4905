#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: restores packages, builds, tests.
# Usage: bash scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK is needed (dotnet on PATH)" >&2
  exit 2
fi

# The dashboard's browser tests drive Debian's Chromium through Playwright (never a browser that
# Playwright downloads). CI runs as root; elsewhere run this once with sudo, or install it yourself.
if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium is missing: installing Debian's package for the dashboard's browser tests" >&2
  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium) || {
    echo "error: could not install chromium (apt-get install -y chromium, as root); the dashboard tests need /usr/bin/chromium" >&2
    exit 2
  }
fi

# The coverage tool writes its hit counts when the test host exits; the test platform kills a host
# that takes longer than 100 ms to exit (VSTEST_TESTHOST_SHUTDOWN_TIMEOUT), which on a loaded machine
# lost every count once: 0% coverage with every test passed. A healthy host still exits at once.
export VSTEST_TESTHOST_SHUTDOWN_TIMEOUT="${VSTEST_TESTHOST_SHUTDOWN_TIMEOUT:-60000}"

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
set +e
# Line coverage of the real-time code (Realtime, Security) must stay at 90% or more: the build
# fails below it (coverlet's threshold), as the WebSocket story's AC6 asks. Generated code (the
# [LoggerMessage] methods) is not ours to test and is left out.
# A hang fails the run after 20 minutes instead of holding CI until its deadline. (Not the test
# platform's blame-hang collector: under it coverlet loses most of its hit counts.)
timeout --signal=KILL 20m dotnet test CanvasLearning.sln -c Release --logger "console;verbosity=normal" --logger "trx;LogFileName=tests.trx" \
  --results-directory "$results" \
  -p:CollectCoverage=true -p:CoverletOutputFormat=cobertura -p:CoverletOutput="$results/coverage/" \
  '-p:Include=[*]CanvasLearning.Realtime.*%2c[*]CanvasLearning.Security.*' -p:ExcludeByAttribute=GeneratedCodeAttribute \
  -p:Threshold=90 -p:ThresholdType=line -p:ThresholdStat=total \
  "$@" 2>&1 | tee "$results/out.txt"
status=${PIPESTATUS[0]}
set -e

# One plain closing line, whatever the runner printed above.
passed=$(grep -ho 'passed="[0-9]*"' "$results"/*.trx 2>/dev/null | head -1 | tr -dc 0-9)
failed=$(grep -ho 'failed="[0-9]*"' "$results"/*.trx 2>/dev/null | head -1 | tr -dc 0-9)
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
