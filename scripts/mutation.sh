#!/usr/bin/env bash
# Mutation testing (Stryker.NET) of the safety scope: would the tests notice a wrong line in the code that protects?
# docs/safety.md, "Mutation testing". Too long for the test command (scripts/test.sh); run it before a change to that
# code lands. The scope is run in four groups of files, one Stryker run each, so that a part can be re-run after a
# change; the summary merges the newest result of every file into one score. Usage:
#   bash scripts/mutation.sh                      every group (safety, actuation, authority, lab)
#   bash scripts/mutation.sh --group NAME...      only these groups
#   bash scripts/mutation.sh FILE...              only these files (paths from the repository root)
#   bash scripts/mutation.sh --since REF          the scope's files changed since REF (e.g. main)
#   bash scripts/mutation.sh --summary            no run: the merged summary of the results there are
# Environment: SOLIDBMS_MUTATION_CONCURRENCY (test processes in parallel, default 1: the machine is shared),
# SOLIDBMS_MUTATION_BREAK_AT (fail below this score, default 95: the target of issue 24).
# Each run's reports (html, json) under artifacts/mutation/<group>/reports/ (git-ignored), its Stryker log (one
# character per mutant) in artifacts/mutation/<group>/stryker.log; the summary lists every mutant that survived or
# had no covering test, the score per file and in all, and marks a file changed since its result as stale.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# The safety scope in groups: what trips, what opens the contactor, who may change the limits, and the lab evidence
# (the event log, the capture and the abuse-test mode) a trip is judged by afterwards.
groups=(safety actuation authority lab)
group_files() {
  case "$1" in
    safety) echo Firmware/Core/Safety/*.cs ;;
    actuation) echo Firmware/Core/Actuation/*.cs ;;
    authority) echo Firmware/Core/Protocol/SettingAuthority.cs Firmware/Core/Protocol/DeviceAuth.cs Firmware/Core/Protocol/WriteLog.cs ;;
    lab) echo Firmware/Core/Lab/*.cs ;;
    *) return 1 ;;
  esac
}
scope=()
for g in "${groups[@]}"; do read -ra fs <<< "$(group_files "$g")"; scope+=("${fs[@]}"); done

# The tests Stryker runs, per group: the classes that drive the group's code directly. With coverage analysis
# "perTest" (Stryker's default) each mutant runs only those of them that reach it, but Stryker compiles every mutant
# of the assembly into it (--mutate only chooses which are tested), so a test ticking the whole controller (the
# protocol and scenario rigs) reaches every mutant of the supervisor and the actuation and costs seconds for each of
# them. Left out: the rigs where a group's code is reached only in passing, and the property test of the supervisor
# (random inputs: a mutant it kills with one seed may survive the next, and it ran 4 s for every mutant).
unit_tests="MutantKiller SafetyScopeBranchTests ActuationTests TrustFloorTests TemperatureRiseTests RateTrackerSignalsTests EventLogTests
  BoardSecurityConfigTests LevelMonitorQuietPathTests"
group_tests() {
  case "$1" in
    safety) echo "$unit_tests" ;; # without SafetyRegressionTests: its scenario rigs cost seconds for every supervisor mutant
    actuation) echo "$unit_tests SecondLineTests SafetyRegressionTests" ;;
    authority) echo "MutantKiller SafetyScopeBranchTests BoardSecurityConfigTests" ;; # direct: the protocol rigs cost 12.5 s a mutant
    lab) echo "$unit_tests LabTests LabRecorderLevelTests EventLogDamageTests EventLogFloodGuaranteeTests EvidenceTests" ;;
    *) echo "$unit_tests SafetyRegressionTests SecondLineTests SafetyAuthorityTests LineProtocolTests ModbusRtuTests TripClearReplyTests LabTests
      LabRecorderLevelTests EventLogDamageTests EventLogFloodGuaranteeTests EvidenceTests" ;;
  esac
}
test_filter() {
  local c filter=""
  for c in $(group_tests "$1"); do filter+="${filter:+|}FullyQualifiedName~SolidBms.Tests.$c"; done
  echo "$filter"
}

in_scope() { local f; for f in "${scope[@]}"; do [ "$f" = "$1" ] && return 0; done; return 1; }
# The group every one of the files belongs to (its tests are theirs), else "files" (every group's tests).
group_of() {
  local g f found
  for g in "${groups[@]}"; do
    found=1
    for f in "$@"; do [[ " $(group_files "$g") " == *" $f "* ]] || { found=0; break; }; done
    [ $found -eq 1 ] && { echo "$g"; return; }
  done
  echo files
}

out="$root/artifacts/mutation"
runs=()       # "name file..." per Stryker run
summary_only=0
if [ "${1:-}" = "--summary" ]; then
  summary_only=1
elif [ "${1:-}" = "--since" ]; then
  [ -n "${2:-}" ] || { echo "mutation: --since needs a git revision (e.g. main)"; exit 2; }
  git rev-parse --verify -q "$2^{commit}" >/dev/null || { echo "mutation: '$2' is not a git revision"; exit 2; }
  files=()
  while IFS= read -r f; do in_scope "$f" && files+=("$f"); done < <(git diff --name-only "$2" -- Firmware/Core)
  if [ ${#files[@]} -eq 0 ]; then echo "mutation: no file of the safety scope changed since $2"; exit 0; fi
  runs+=("files ${files[*]}")
elif [ "${1:-}" = "--group" ]; then
  shift
  [ $# -gt 0 ] || { echo "mutation: --group needs a name: ${groups[*]}"; exit 2; }
  for g in "$@"; do
    fs=$(group_files "$g") || { echo "mutation: no such group: $g (groups: ${groups[*]})"; exit 2; }
    runs+=("$g $fs")
  done
elif [ $# -gt 0 ]; then
  files=()
  for f in "$@"; do
    f=${f#./}
    [ -f "$f" ] || { echo "mutation: no such file: $f"; exit 2; }
    in_scope "$f" || echo "mutation: note: $f is outside the safety scope (docs/safety.md); mutating it anyway"
    files+=("$f")
  done
  runs+=("files ${files[*]}")
else
  for g in "${groups[@]}"; do runs+=("$g $(group_files "$g")"); done
fi

status=0
if [ $summary_only -eq 0 ]; then
  stryker=$(command -v dotnet-stryker || echo "$HOME/.dotnet/tools/dotnet-stryker")
  if [ ! -x "$stryker" ]; then
    echo "mutation: installing dotnet-stryker 5.1.0 (dotnet tool install -g)"
    dotnet tool install -g dotnet-stryker --version 5.1.0 >/dev/null || { echo "mutation: cannot install dotnet-stryker"; exit 1; }
    stryker="$HOME/.dotnet/tools/dotnet-stryker"
  fi
  # Stryker builds the test project and puts its mutated assembly into the test project's output: it runs in a copy of
  # the working tree (tracked and new files, uncommitted changes included), so builds and tests in the tree itself go
  # on meanwhile. The copy keeps its bin/obj between runs: the next run builds incrementally.
  src="$out/src"
  mkdir -p "$src"
  git ls-files -co --exclude-standard -z | tar --null -T - -cf - | (cd "$src" && tar xf -) || { echo "mutation: cannot copy the tree"; exit 1; }
  # In the copy only: the test project's build-order references to the nanoFramework projects go. Stryker's project
  # analysis tries each of them twice (their simulated build fails) at every run, and no test in its filters needs them.
  sed -i '/ProjectReference Include=.*\.Nano\.csproj" ReferenceOutputAssembly="false"/d' "$src/Tests/SolidBms.Tests/SolidBms.Tests.csproj"
  concurrency=${SOLIDBMS_MUTATION_CONCURRENCY:-1}
  echo "mutation: ${#runs[@]} run(s), concurrency $concurrency, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for r in "${runs[@]}"; do
    read -ra words <<< "$r"
    name=${words[0]}; files=("${words[@]:1}")
    # A run of named files keeps its own folder per set of files, so that it replaces neither a group's result nor
    # another set's (the summary takes the newest result of each file).
    [ "$name" = files ] && name="files-$(printf '%s\n' "${files[@]}" | sha1sum | cut -c1-8)"
    dir="$out/$name"
    rm -rf "$dir"; mkdir -p "$dir"
    # Stryker matches --mutate globs against full paths: one '**/<path from Firmware/Core>' per file.
    mutate=()
    for f in "${files[@]}"; do mutate+=(--mutate "**/${f#Firmware/Core/}"); done
    # What the result is of: the content of each file, to mark it stale once the file changes.
    for f in "${files[@]}"; do echo "$(git hash-object "$f") $f"; done > "$dir/sources.txt"
    filter=$(test_filter "$(group_of "${files[@]}")") # here: the group's globs are relative to the repository root
    start=$(date +%s)
    (cd "$src/Firmware/Core" && "$stryker" --project SolidBms.Core.csproj --test-project ../../Tests/SolidBms.Tests/SolidBms.Tests.csproj \
      --configuration Release "${mutate[@]}" --test-case-filter "$filter" --concurrency "$concurrency" \
      --reporter Dots --reporter Html --reporter Json --break-at 0 --skip-version-check --output "$dir") > "$dir/stryker.log" 2>&1
    elapsed=$(( $(date +%s) - start ))
    echo "$elapsed $(cut -d' ' -f1-3 /proc/loadavg)" > "$dir/took.txt"
    if [ ! -f "$dir/reports/mutation-report.json" ]; then
      tail -30 "$dir/stryker.log"
      echo "mutation: FAILED: Stryker wrote no report for $name (log: artifacts/mutation/$name/stryker.log)"
      status=1
      continue
    fi
    echo "mutation: $name: ${#files[@]} file(s) in $((elapsed / 60)) min $((elapsed % 60)) s (load average at the end $(cut -d' ' -f1-3 /proc/loadavg))"
  done
fi

# The merged summary: for every file the newest result any run left, stale when the file changed since.
python3 - "$out" "${SOLIDBMS_MUTATION_BREAK_AT:-95}" "${scope[@]}" <<'EOF' || status=1
import glob, json, os, re, subprocess, sys
out, break_at, scope = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
newest = {}  # file -> (report time, run, mutants, hash of the source the result is of)
for report in glob.glob(os.path.join(out, "*", "reports", "mutation-report.json")):
    run_dir = os.path.dirname(os.path.dirname(report))
    hashes = {}
    sources = os.path.join(run_dir, "sources.txt")
    if os.path.exists(sources):
        for line in open(sources):
            h, f = line.split(None, 1)
            hashes[f.strip()] = h
    when = os.path.getmtime(report)
    for path, f in json.load(open(report))["files"].items():
        rel = path[path.index("Firmware/Core/"):] if "Firmware/Core/" in path else path
        if rel not in hashes: continue  # the report lists every file of the assembly: only the run's own count
        if rel not in newest or newest[rel][0] < when:
            newest[rel] = (when, os.path.basename(run_dir), f["mutants"], hashes.get(rel))
if not newest:
    print("mutation: no result yet (run bash scripts/mutation.sh)")
    sys.exit(1)
def current_hash(f):
    try: return subprocess.run(["git", "hash-object", f], capture_output=True, text=True, check=True).stdout.strip()
    except Exception: return None
# A mutant marked equivalent in the source (`// Stryker disable once <Mutator> : <reason>`, docs/safety.md) is Ignored
# by Stryker with the comment's reason as its statusReason (or Stryker's "Ignored via code comment." without one);
# Stryker's other Ignored mutants (a block removal standing for them, a mutator left out) carry its own reasons.
marker = re.compile(r"//\s*Stryker\s+disable\s+(?:once\s+)?[^:]*:?(.*)$", re.I)
def marked_reasons(rel):
    reasons = {"Ignored via code comment."}
    try:
        for line in open(rel):
            m = marker.search(line)
            if m and m.group(1).strip(): reasons.add(m.group(1).strip())
    except OSError: pass
    return reasons
total, listed, rows, stale, missing = {}, [], [], [], [s for s in scope if s not in newest]
for rel in sorted(newest):
    when, run, mutants, h = newest[rel]
    count, reasons = {}, marked_reasons(rel)
    for m in mutants:
        s = m["status"]
        if s == "Ignored" and (m.get("statusReason") or "").strip() in reasons: s = "Marked"
        count[s] = count.get(s, 0) + 1
        total[s] = total.get(s, 0) + 1
        if s in ("Survived", "NoCoverage"):
            loc = m["location"]["start"]
            listed.append("mutation:   %-10s %s:%d:%d %s: %s" % (s, rel, loc["line"], loc["column"], m["mutatorName"], m.get("replacement", "").replace("\n", " ")[:80]))
    killed = count.get("Killed", 0) + count.get("Timeout", 0)
    valid = killed + count.get("Survived", 0) + count.get("NoCoverage", 0)
    is_stale = h is None or h != current_hash(rel)
    if is_stale: stale.append(rel)
    rows.append("mutation: %-48s %-16s %5s %4d killed %3d survived %3d no coverage %3d marked%s" % (
        rel, run, "%.1f%%" % (100.0 * killed / valid) if valid else "n/a", killed, count.get("Survived", 0),
        count.get("NoCoverage", 0), count.get("Marked", 0), "  (stale: changed since)" if is_stale else ""))
for line in listed: print(line)
for line in rows: print(line)
print("mutation: " + ", ".join("%s %d" % (k, v) for k, v in sorted(total.items())))
killed = total.get("Killed", 0) + total.get("Timeout", 0)
valid = killed + total.get("Survived", 0) + total.get("NoCoverage", 0)
marked = total.get("Marked", 0)
score = 100.0 * killed / valid if valid else 100.0
# Honest both ways: the score as Stryker counts it (marked mutants left out), and as if every marked one had survived.
pessimistic = 100.0 * killed / (valid + marked) if valid + marked else 100.0
print("mutation: score %.1f %% (%d of %d killed or timed out) on %d file(s); %d marked equivalent by comment "
      "(%.1f %% if they counted as survivors)" % (score, killed, valid, len(newest), marked, pessimistic))
for f in missing: print("mutation: no result for " + f)
for f in stale: print("mutation: stale: " + f + " changed since its result (re-run its group)")
failed = score < break_at or total.get("NoCoverage", 0) > 0
if failed: print("mutation: FAILED: below %g %% or a mutant no test reaches (docs/safety.md, \"Mutation testing\")" % break_at)
sys.exit(1 if failed else 0)
EOF
exit $status
