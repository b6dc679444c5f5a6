#!/usr/bin/env bash
# The test command: installs what the tests need, builds, runs every test project, and ends with the
# totals alone on a line: "N passed, N failed[, N skipped]". Exits non-zero when any test failed.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test || exit 1
mkdir -p .build
if ! dotnet build Detect.sln -c Release -nologo >.build/test-build.log 2>&1; then
  grep -E "error" .build/test-build.log | sort -u >&2
  echo "0 passed, 1 failed"; exit 1
fi

results=$(mktemp -d)
status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=$?
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o "$1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get total) - $(get executed)))
done
rm -rf "$results"
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1   # a crash or build failure is a failure
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
