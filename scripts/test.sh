#!/usr/bin/env bash
# The one test command (README, CI): installs what the tests need on a bare machine, then runs every
# test, including the nanoFramework check builds of Firmware/ and Drivers/, reports line and branch coverage (failing when
# the safety scope drops below its target: docs/safety.md, "Test coverage"), and ends with a summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit 1
results=artifacts/test-results
rm -rf "$results" artifacts/bench-real.txt
# The measured A123 cell data for `bench real` (a public data set kept outside the repository: board/data/README.md):
# converted from a mirror when one is on the machine; without it those tests are skipped and say so.
if real=$(bash scripts/real-data.sh 2>/tmp/solidbms-real-data.err); then
  export SOLIDBMS_REAL_DATA="$real"
else
  echo "test: bench real skipped: $(cat /tmp/solidbms-real-data.err)"
fi
# A private PostgreSQL for the fleet tests (docs/fleet.md), stopped on any exit, failures included.
if pg_url=$(bash scripts/postgres.sh start); then
  export SOLIDBMS_POSTGRES_URL="$pg_url"
  trap 'bash scripts/postgres.sh stop "$SOLIDBMS_POSTGRES_URL"' EXIT
else
  echo "test: could not start PostgreSQL (scripts/postgres.sh); the fleet tests will fail" >&2
fi
# Line and branch coverage (coverlet.collector, Cobertura) of every run; scripts/coverage.sh summarises it below.
dotnet test SolidBms.sln -c Release --logger "console;verbosity=normal" --logger "trx" --results-directory "$results" \
  --collect "XPlat Code Coverage" "$@"
status=$?
# The safety scope's coverage target holds for the whole suite only: a run narrowed by arguments (--filter ...) reports
# its coverage but cannot fail on it.
if [ $# -eq 0 ]; then
  coverage_out=$(bash scripts/coverage.sh "$results") || { [ $status -eq 0 ] && status=1; }
else
  coverage_out=$(SOLIDBMS_COVERAGE_REPORT_ONLY=1 bash scripts/coverage.sh "$results")
fi
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); executed=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
[ -f artifacts/bench-real.txt ] && cat artifacts/bench-real.txt
echo "$coverage_out"
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
