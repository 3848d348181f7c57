#!/usr/bin/env bash
# Mutation testing (Stryker.NET) of the safety scope: would the tests notice a wrong line in the code that protects?
# docs/safety.md, "Mutation testing". Too long for the test command (scripts/test.sh); run it before a change to that
# code lands. Usage:
#   bash scripts/mutation.sh                      every file of the safety scope
#   bash scripts/mutation.sh FILE...              only these files (paths from the repository root)
#   bash scripts/mutation.sh --since REF          the scope's files changed since REF (e.g. main)
# Environment: SOLIDBMS_MUTATION_CONCURRENCY (test processes in parallel, default 1: the machine is shared),
# SOLIDBMS_MUTATION_BREAK_AT (fail below this score, default 95: the target of issue 24).
# Reports (html, json) under artifacts/mutation/ (git-ignored); progress (one character per mutant) in
# artifacts/mutation/stryker.log; the summary ends with the score and every mutant that
# survived or had no covering test.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# The safety scope: what trips, what opens the contactor, who may change the limits, and the lab evidence (the event
# log, the capture and the abuse-test mode) a trip is judged by afterwards.
scope=(Firmware/Core/Safety/*.cs Firmware/Core/Actuation/*.cs Firmware/Core/Protocol/SettingAuthority.cs
       Firmware/Core/Protocol/DeviceAuth.cs Firmware/Core/Protocol/WriteLog.cs Firmware/Core/Lab/*.cs)

# The tests Stryker runs: the classes that drive the scope's code directly (unit tests, the protocol and lab rigs). The
# long simulated scenarios also reach it, but cost seconds each under Stryker's instrumentation (which covers the whole
# assembly: --mutate only filters the mutants) and kill nothing the focused tests do not; with coverage analysis
# "perTest" each mutant then runs only those of these tests that reach it.
tests=(MutantKiller SafetyScopeBranchTests SafetyAuthorityTests SupervisorPropertyTests LevelMonitorQuietPathTests
       ActuationTests SecondLineTests SafetyRegressionTests TrustFloorTests TemperatureRiseTests EventLogTests
       EventLogDamageTests EventLogFloodGuaranteeTests LabTests LabRecorderLevelTests EvidenceTests LineProtocolTests
       ModbusRtuTests BoardSecurityConfigTests)
filter=""
for c in "${tests[@]}"; do filter+="${filter:+|}FullyQualifiedName~SolidBms.Tests.$c"; done

in_scope() { local f; for f in "${scope[@]}"; do [ "$f" = "$1" ] && return 0; done; return 1; }

files=()
if [ "${1:-}" = "--since" ]; then
  [ -n "${2:-}" ] || { echo "mutation: --since needs a git revision (e.g. main)"; exit 2; }
  git rev-parse --verify -q "$2^{commit}" >/dev/null || { echo "mutation: '$2' is not a git revision"; exit 2; }
  while IFS= read -r f; do in_scope "$f" && files+=("$f"); done < <(git diff --name-only "$2" -- Firmware/Core)
  if [ ${#files[@]} -eq 0 ]; then echo "mutation: no file of the safety scope changed since $2"; exit 0; fi
elif [ $# -gt 0 ]; then
  for f in "$@"; do
    f=${f#./}
    [ -f "$f" ] || { echo "mutation: no such file: $f"; exit 2; }
    in_scope "$f" || echo "mutation: note: $f is outside the safety scope (docs/safety.md); mutating it anyway"
    files+=("$f")
  done
else
  files=("${scope[@]}")
fi

stryker=$(command -v dotnet-stryker || echo "$HOME/.dotnet/tools/dotnet-stryker")
if [ ! -x "$stryker" ]; then
  echo "mutation: installing dotnet-stryker 5.1.0 (dotnet tool install -g)"
  dotnet tool install -g dotnet-stryker --version 5.1.0 >/dev/null || { echo "mutation: cannot install dotnet-stryker"; exit 1; }
  stryker="$HOME/.dotnet/tools/dotnet-stryker"
fi

out="$root/artifacts/mutation"
# Stryker builds the test project and puts its mutated assembly into the test project's output: it runs in a copy of the
# working tree (tracked and new files, uncommitted changes included), so builds and tests in the tree itself go on
# meanwhile. The copy keeps its bin/obj between runs: the next run builds incrementally.
src="$out/src"
mkdir -p "$src"
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | (cd "$src" && tar xf -) || { echo "mutation: cannot copy the tree"; exit 1; }
# Stryker matches --mutate globs against full paths: one '**/<path from Firmware/Core>' per file.
mutate=()
for f in "${files[@]}"; do mutate+=(--mutate "**/${f#Firmware/Core/}"); done
concurrency=${SOLIDBMS_MUTATION_CONCURRENCY:-1}
break_at=${SOLIDBMS_MUTATION_BREAK_AT:-95}
echo "mutation: ${#files[@]} file(s), concurrency $concurrency, reports under artifacts/mutation/"
start=$(date +%s)
rm -rf "$out/run"
(cd "$src/Firmware/Core" && "$stryker" --project SolidBms.Core.csproj --test-project ../../Tests/SolidBms.Tests/SolidBms.Tests.csproj \
  --configuration Release "${mutate[@]}" --test-case-filter "$filter" --concurrency "$concurrency" \
  --reporter Dots --reporter Html --reporter Json --break-at "$break_at" --threshold-low "$break_at" \
  --threshold-high 100 --skip-version-check --output "$out/run") > "$out/stryker.log" 2>&1
status=$?
elapsed=$(( $(date +%s) - start ))
report="$out/run/reports/mutation-report.json"
if [ ! -f "$report" ]; then
  tail -30 "$out/stryker.log"
  echo "mutation: FAILED: Stryker wrote no report (log: artifacts/mutation/stryker.log)"
  exit 1
fi
python3 - "$report" "$src" <<'EOF' || status=1
import json, sys
report, root = sys.argv[1], sys.argv[2]
d = json.load(open(report))
count = {}
listed = []
for path, f in sorted(d["files"].items()):
    rel = path[len(root) + 1:] if path.startswith(root + "/") else path
    for m in f["mutants"]:
        s = m["status"]
        count[s] = count.get(s, 0) + 1
        if s in ("Survived", "NoCoverage"):
            loc = m["location"]["start"]
            listed.append("mutation:   %-10s %s:%d:%d %s: %s" % (s, rel, loc["line"], loc["column"], m["mutatorName"], m.get("replacement", "").replace("\n", " ")[:80]))
killed = count.get("Killed", 0) + count.get("Timeout", 0)
valid = killed + count.get("Survived", 0) + count.get("NoCoverage", 0)
for line in listed: print(line)
print("mutation: " + ", ".join("%s %d" % (k, v) for k, v in sorted(count.items())))
score = 100.0 * killed / valid if valid else 100.0
print("mutation: score %.1f %% (%d of %d killed or timed out)" % (score, killed, valid))
sys.exit(1 if count.get("NoCoverage", 0) else 0)
EOF
echo "mutation: took $((elapsed / 60)) min $((elapsed % 60)) s; report artifacts/mutation/run/reports/mutation-report.html"
[ $status -eq 0 ] || echo "mutation: FAILED: below ${break_at} % or a mutant no test reaches (docs/safety.md, \"Mutation testing\")"
exit $status
