#!/usr/bin/env bash
# The firmware's tick on nanoFramework's own interpreter (issue 20): builds Tools/SolidBms.NanoBench with nanoclr-host
# (nf-interpreter's posix target, the project's .nfproj files through nf-real-check and the MetadataProcessor), runs it
# on both 16-cell boards and prints host instructions per tick and per stage, the ESP32 time they stand for at 160 and
# 240 MHz (one instruction per cycle: a floor), wall time, managed heap, collections and .pe sizes.
#
#   scripts/nano-bench.sh MIRROR_DIR
#
# MIRROR_DIR holds the git mirrors nanoclr-host and nf-real-check need (MIRROR_DIR/nanoframework+<Repo>/repo; see
# ../shared/tools/nanoclr-host/README.md). The working tree is measured as it is, uncommitted changes included.
# Environment: NANOCLR_SH (default ../shared/tools/nanoclr-host/nanoclr.sh beside the repository), NANOCLR_HOME (the
# CLR build, default ~/.cache/nanoclr-host), NANO_BENCH_TICKS="200 1200" (the two tick counts), NANO_BENCH_STAGE_TICKS
# (default 600: a minute of ticks, so that work on a slower rhythm, up to the 30 s temperature-rate window, is in the
# mean), NANO_BENCH_M32=1 (the heap once more on a 32-bit interpreter, 12-byte heap blocks as
# on the ESP32; needs g++-multilib), NANO_BENCH_HEAP_ONLY=1 (only where the start-up's heap goes, step by step and by
# part of the controller: no valgrind, a few minutes), NANO_BENCH_KEEP=1 (keep the scratch folder).
#
# How the figures are made (docs/benchmarks.md, "The tick in nanoFramework's interpreter"):
#  - instructions per tick: the bench runs N1 and N2 loop passes (rig inputs set, one tick) under valgrind (nanoclr.sh
#    count); (I(N2) - I(N1)) / (N2 - N1), less the same difference for passes that only set the rig's inputs;
#  - per stage: callgrind cuts a run at each call of the stage timer's clock (--dump-before), NANO_BENCH_STAGE_TICKS ticks;
#  - ESP32 time: instructions / clock, as an in-order core runs at most one instruction per cycle (more with cache misses);
#  - heap: nanoFramework.Runtime.Native.GC.Run(false), the free bytes after a collection, before and after start-up and
#    after 1,000 ticks; collections: counted over 1,000 ticks with the free heap held at about 64 KiB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
die() { echo "nano-bench: $*" >&2; exit 2; }

mirror=${1:-}
[ -n "$mirror" ] || die "usage: scripts/nano-bench.sh MIRROR_DIR"
mirror=$(cd "$mirror" && pwd) || die "no folder $1"
nanoclr=${NANOCLR_SH:-$root/../shared/tools/nanoclr-host/nanoclr.sh}
[ -f "$nanoclr" ] || die "nanoclr-host not found at $nanoclr (set NANOCLR_SH)"
read -r n1 n2 <<<"${NANO_BENCH_TICKS:-200 1200}"
[ "$n2" -gt "$n1" ] 2>/dev/null || die "NANO_BENCH_TICKS must be two tick counts, the second larger"
stage_ticks=${NANO_BENCH_STAGE_TICKS:-600}
full_ticks=1000
heap_only=${NANO_BENCH_HEAP_ONLY:-0}
tools="git dotnet awk"; [ "$heap_only" = 1 ] || tools="$tools valgrind"
for t in $tools; do command -v $t >/dev/null || die "$t missing"; done
clr_home=${NANOCLR_HOME:-$HOME/.cache/nanoclr-host}
clr=$clr_home/build-os/bin/nanoFramework.nanoCLR.test
# Two runs at once would build the interpreter in the same source tree (git's index.lock): its builds and the .pe
# build take turns on a lock file beside it; the counted runs need no lock.
mkdir -p "$clr_home"
locked() { flock "$clr_home/nano-bench.lock" "$@"; }
boards=(sim-analog-16 bq76952-16s)

work=$(mktemp -d)
cleanup() { if [ "${NANO_BENCH_KEEP:-0}" = 1 ]; then echo "nano-bench: scratch folder kept: $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
t_start=$(date +%s)

# --- 1. The interpreter (incremental when already built) ---------------------------------------------------------
locked bash "$nanoclr" build "$mirror" >"$work/clr-build.log" 2>&1 || { cat "$work/clr-build.log" >&2; die "the interpreter did not build"; }
clr_commit=$(git -C "$(dirname "$(dirname "$(dirname "$clr")")")/src" rev-parse --short HEAD 2>/dev/null || echo "?")

# --- 2. A copy of the working tree, with the board texts and the bench's variants --------------------------------
# The interpreter passes a program no arguments: each run the script needs is an exe of its own, the bench's sources
# with BenchPlan.cs replaced, built in the same nf-real-check pass.
stage=$work/repo
mkdir -p "$stage"
(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$stage/")
bench=$stage/Tools/SolidBms.NanoBench
bash "$here/nano-bench-texts.sh" "$bench/BoardTexts.g.cs"
head=$(git -C "$root" rev-parse --short HEAD)
dirty=""; [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ] && dirty=" + uncommitted changes"
mkdir -p "$bench/plans"
variant() { # id board mode ticks
  local id=$1 board=$2 mode=$3 ticks=$4
  sed -e "s|public static readonly string Board = null;|public static readonly string Board = \"$board\";|" \
      -e "s|public static readonly string Mode = BenchRun.ModeFull;|public static readonly string Mode = \"$mode\";|" \
      -e "s|public static readonly int Ticks = 1000;|public static readonly int Ticks = $ticks;|" "$bench/BenchPlan.cs" >"$bench/plans/$id.cs"
  grep -q "Board = \"$board\"" "$bench/plans/$id.cs" && grep -q "Mode = \"$mode\"" "$bench/plans/$id.cs" \
    && grep -q "Ticks = $ticks;" "$bench/plans/$id.cs" || die "BenchPlan.cs no longer has the lines this script replaces"
  sed -e "s|<AssemblyName>SolidBms.NanoBench</AssemblyName>|<AssemblyName>NanoBench.$id</AssemblyName>|" \
      -e "s|<Compile Include=\"BenchPlan.cs\" />|<Compile Include=\"plans\\\\$id.cs\" />|" \
      "$bench/SolidBms.NanoBench.nfproj" >"$bench/NanoBench.$id.nfproj"
}
for i in 0 1; do
  b=${boards[$i]}
  variant "b${i}heap" "$b" heap "$full_ticks"
  [ "$heap_only" = 1 ] && continue
  variant "b${i}full" "$b" full "$full_ticks"
  variant "b${i}tick$n1" "$b" tick "$n1"
  variant "b${i}tick$n2" "$b" tick "$n2"
  variant "b${i}rig$n1" "$b" rig "$n1"
  variant "b${i}rig$n2" "$b" rig "$n2"
  variant "b${i}stages" "$b" stages "$stage_ticks"
done

# --- 3. The .pe files ----------------------------------------------------------------------------------------------
pe=$work/pe
echo "nano-bench: building the .pe files (nf-real-check and the MetadataProcessor; about a minute)" >&2
locked bash "$nanoclr" pe "$mirror" "$stage" "$pe" >"$work/pe.log" 2>&1 || { tail -20 "$work/pe.log" >&2; die "the .pe build failed"; }
grep -q "device build ERRORS=0 " "$work/pe.log" || { tail -20 "$work/pe.log" >&2; die "the device build has errors"; }

# nanoFramework.Runtime.Native once more, at its pin, compiled as C# 10. nf-real-check compiles the libraries with the
# SDK's newest C#, whose compiler adds two types of its own (Microsoft.CodeAnalysis.EmbeddedAttribute and
# RefSafetyRulesAttribute, C# 11 on). The interpreter finds a library's native methods by their index in the assembly,
# and the extra constructor moves every index by one: GC.Run would call EnableGCMessages. The interpreter ran the rebuilt
# library's .pe correctly; the repository's own assemblies have no native methods and are used as nf-real-check built them.
rtn_pin=$(sed -n 's|.*<NfRuntimeNativeVersion>\([^<]*\)<.*|\1|p' "$root/nf.props")
rtn_repo=$mirror/nanoframework+nanoFramework.Runtime.Native/repo
rtn=$work/rtn
mkdir -p "$rtn/src"
git -C "$rtn_repo" archive "v$rtn_pin" nanoFramework.Runtime.Native | tar -x -C "$rtn/src" || die "no tag v$rtn_pin in $rtn_repo"
for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do echo '<Project></Project>' >"$rtn/$f"; done
rtn_dir=$rtn/src/nanoFramework.Runtime.Native
compile=""
while read -r inc; do
  f=$(find "$rtn_dir" -ipath "$rtn_dir/${inc//\\//}" -print -quit)
  [ -n "$f" ] || die "Runtime.Native: $inc not found"
  compile+="    <Compile Include=\"$f\" />"$'\n'
done < <(sed -n 's|.*<Compile Include="\([^"]*\)".*|\1|p' "$rtn_dir/nanoFramework.Runtime.Native.nfproj")
echo "[assembly: System.Reflection.AssemblyVersion(\"$rtn_pin\")]" >"$rtn/AssemblyVersion.g.cs"
cat >"$rtn/rtn.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
    <AssemblyName>nanoFramework.Runtime.Native</AssemblyName>
    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>
    <DisableImplicitFrameworkReferences>true</DisableImplicitFrameworkReferences>
    <NoStdLib>true</NoStdLib>
    <NoCompilerStandardLib>true</NoCompilerStandardLib>
    <AddAdditionalExplicitAssemblyReferences>false</AddAdditionalExplicitAssemblyReferences>
    <GenerateAssemblyInfo>false</GenerateAssemblyInfo>
    <GenerateTargetFrameworkAttribute>false</GenerateTargetFrameworkAttribute>
    <ImplicitUsings>disable</ImplicitUsings>
    <Nullable>disable</Nullable>
    <LangVersion>10</LangVersion>
    <Optimize>true</Optimize>
    <Deterministic>true</Deterministic>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <OutputPath>bin</OutputPath>
    <AppendTargetFrameworkToOutputPath>false</AppendTargetFrameworkToOutputPath>
    <NoWarn>\$(NoWarn);CS1591;CS0067;CS0169;CS0414;CS0649;NU1701</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="mscorlib"><HintPath>$pe/dll/mscorlib.dll</HintPath><Private>false</Private></Reference>
$compile    <Compile Include="AssemblyVersion.g.cs" />
  </ItemGroup>
</Project>
EOF
(cd "$rtn" && dotnet build -nologo -v:q rtn.csproj >"$rtn/build.log" 2>&1) || { tail -20 "$rtn/build.log" >&2; die "Runtime.Native did not compile"; }
(cd "$rtn" && dotnet "$pe/mdp/nanoFramework.Tools.MetadataProcessor.dll" -loadHints mscorlib "$pe/dll/mscorlib.dll" \
  -parse bin/nanoFramework.Runtime.Native.dll -compile "$rtn/nanoFramework.Runtime.Native.pe" false >"$rtn/mdp.log" 2>&1) || true
[ "$(head -c 6 "$rtn/nanoFramework.Runtime.Native.pe" 2>/dev/null)" = NFMRK1 ] || { cat "$rtn/mdp.log" >&2; die "MetadataProcessor refused Runtime.Native"; }
cp "$rtn/nanoFramework.Runtime.Native.pe" "$pe/nanoFramework.Runtime.Native.pe"

libs=("$pe/mscorlib.pe" "$pe/nanoFramework.Runtime.Native.pe" "$pe/SolidBms.Core.pe" "$pe/SolidBms.Drivers.pe" "$pe/SolidBms.Firmware.pe")
val() { sed -n "s/^nanobench $1 //p" "$2" | head -1 | tr -d '\r'; }  # the interpreter ends its lines with CR LF

# --- 4. Runs -------------------------------------------------------------------------------------------------------
count() { # exe -> instructions (and the run's output in $work/<exe>.out)
  local exe=$1
  bash "$nanoclr" count "${libs[@]}" "$pe/NanoBench.$exe.pe" >"$work/$exe.out" 2>&1 || { tail -5 "$work/$exe.out" >&2; die "$exe failed"; }
  grep -q "^nanobench done" "$work/$exe.out" || { tail -5 "$work/$exe.out" >&2; die "$exe did not finish"; }
  [ "$(val count-gcs "$work/$exe.out")" = 0 ] || die "$exe: a garbage collection ran during the counted passes"
  sed -n 's/^nanoclr-host: instructions //p' "$work/$exe.out"
}
declare -A ins wall stage_ins
for i in 0 1; do
  [ "$heap_only" = 1 ] && break
  b=${boards[$i]}
  echo "nano-bench: $b: full runs, then four counted runs and a run cut by stage under valgrind" >&2
  # Three times: wall time on a shared machine measures its load too; the run with the fastest loop is kept.
  best=""
  for r in 1 2 3; do
    bash "$nanoclr" run "${libs[@]}" "$pe/NanoBench.b${i}full.pe" >"$work/b${i}full.$r.out" 2>&1 || { tail -5 "$work/b${i}full.$r.out" >&2; die "$b: the full run failed"; }
    grep -q "^nanobench done" "$work/b${i}full.$r.out" || { tail -5 "$work/b${i}full.$r.out" >&2; die "$b: the full run did not finish"; }
    w=$(val wall-us-per-pass "$work/b${i}full.$r.out")
    if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$w; cp "$work/b${i}full.$r.out" "$work/b${i}full.out"; fi
  done
  for v in "tick$n1" "tick$n2" "rig$n1" "rig$n2"; do
    ins[$i.$v]=$(count "b${i}$v")
    [ "$(val count-state "$work/b${i}$v.out")" = discharge ] || [[ $v == rig* ]] || die "$b: not discharging in b${i}$v"
  done
  # Per stage: callgrind dumps before every call of DateTime's native clock (the stage timer's only clock read).
  cg=$work/cg$i
  mkdir -p "$cg"
  valgrind --tool=callgrind --callgrind-out-file="$cg/out" --dump-before='*GetUtcNowAsTicks*' \
    "$clr" "${libs[@]}" "$pe/NanoBench.b${i}stages.pe" >"$work/b${i}stages.out" 2>"$work/b${i}stages.err" \
    || { tail -5 "$work/b${i}stages.err" >&2; die "$b: the run by stage failed"; }
  # Dump k holds the work between clock reads k-1 and k (dump 1: start-up). A loop pass reads the clock 10 times: twice
  # back to back before the tick, then the tick's start and the end of each of its 7 stages. From dump 2 on, each pass
  # gives 10 dumps: one read alone, the step into the tick, the 7 stages (each with one read in it), and the rest of the
  # pass (the rig, the loop) up to the next pass's first read (the last pass's rest is in the final dump, not used).
  nfiles=$(ls "$cg" | grep -c '^out\.[0-9]*$')
  [ "$nfiles" -eq $((10 * stage_ticks)) ] || die "$b: callgrind made $nfiles dumps, not $((10 * stage_ticks)): something else read the clock"
  sums=$(seq -f "$cg/out.%.0f" 2 $((10 * stage_ticks)) | xargs awk '/^summary:/ { print $2 }' \
    | awk '{ j = (NR - 1) % 10; s[j] += $1; c[j]++ } END { for (j = 0; j < 10; j++) printf "%d ", s[j] / c[j] }')
  read -r -a st <<<"$sums"
  # stage_ins[i.0..6]: the stages less one clock read; 7: the rest of the pass; 8: one clock read; 9: the step into the tick
  for s in 0 1 2 3 4 5 6; do stage_ins[$i.$s]=$(( st[s + 2] - st[0] )); done
  stage_ins[$i.7]=${st[9]}; stage_ins[$i.8]=${st[0]}; stage_ins[$i.9]=${st[1]}
done

# Where the start-up's heap goes, step by step (BenchRun.Heap), on the 64-bit interpreter.
for i in 0 1; do
  bash "$nanoclr" run "${libs[@]}" "$pe/NanoBench.b${i}heap.pe" >"$work/b${i}heap.out" 2>&1 && grep -q "^nanobench done" "$work/b${i}heap.out" \
    || { tail -5 "$work/b${i}heap.out" >&2; die "${boards[$i]}: the heap run failed"; }
done

# The heap once more on a 32-bit interpreter (NANO_BENCH_M32=1; nanoclr-host's NANOCLR_M32 build, needs g++-multilib):
# its heap blocks are 12 bytes as on the ESP32, where the 64-bit host's are larger.
if [ "${NANO_BENCH_M32:-0}" = 1 ]; then
  echo "nano-bench: the heap on a 32-bit interpreter" >&2
  NANOCLR_M32=1 locked bash "$nanoclr" build "$mirror" >"$work/clr32-build.log" 2>&1 || { tail -20 "$work/clr32-build.log" >&2; die "the 32-bit interpreter did not build"; }
  for i in 0 1; do
    [ "$heap_only" = 1 ] || { NANOCLR_M32=1 bash "$nanoclr" run "${libs[@]}" "$pe/NanoBench.b${i}full.pe" >"$work/b${i}full32.out" 2>&1 \
      && grep -q "^nanobench done" "$work/b${i}full32.out"; } || { tail -5 "$work/b${i}full32.out" >&2; die "${boards[$i]}: the 32-bit run failed"; }
    NANOCLR_M32=1 bash "$nanoclr" run "${libs[@]}" "$pe/NanoBench.b${i}heap.pe" >"$work/b${i}heap32.out" 2>&1 \
      && grep -q "^nanobench done" "$work/b${i}heap32.out" || { tail -5 "$work/b${i}heap32.out" >&2; die "${boards[$i]}: the 32-bit heap run failed"; }
  done
fi

# --- 5. Report -----------------------------------------------------------------------------------------------------
kib() { awk -v x="$1" 'BEGIN { printf "%.1f", x / 1024 }'; }
# Where the start-up's heap goes (BenchRun.Heap): step by step, then the controller by part.
heap_table() { # title key-prefix names...
  local title=$1 prefix=$2; shift 2
  echo "  $title"
  printf '  %-26s' step; for i in 0 1; do printf ' %14s' "${boards[$i]}"; [ "${NANO_BENCH_M32:-0}" = 1 ] && printf ' %14s' "(32-bit)"; done; echo
  for st in "$@"; do
    printf '  %-26s' "$st"
    for i in 0 1; do
      printf ' %14s' "$(kib "$(val "$prefix$st" "$work/b${i}heap.out")")"
      [ "${NANO_BENCH_M32:-0}" = 1 ] && printf ' %14s' "$(kib "$(val "$prefix$st" "$work/b${i}heap32.out")")"
    done
    echo
  done
}
heap_tables() {
  heap_table "where the start-up's heap goes, KiB (BenchRun.Heap: free heap after a collection before a step less after it)" \
    heap-step- board profile cell bench-rig controller event-log-and-capture soc-memory warm-up-ticks
  echo "  (bench-rig: the bench's fakes, not on the device; the texts are constants of the bench's assembly, so the board,"
  echo "   profile and cell steps hold what their parsed objects keep)"
  echo
  heap_table "the controller by part, KiB (each part built once more on its own; protocol-*: parts of protocol-endpoint)" \
    heap-part- sensors measurement estimator supervisor balancer protocol-endpoint protocol-telemetry-frame \
    protocol-line-commands protocol-modbus-map protocol-sunspec-map protocol-write-log protocol-profile-fields
  echo "  (the controller less sensors to protocol-endpoint: the controller object itself, output stage, loop timer, abuse mode)"
  echo
  heap_table "before start-up, KiB (the heap in use before Main builds anything: the interpreter's tables of the loaded assemblies)" \
    heap- before-start-up-bytes
  echo "  by assembly, as the interpreter logs each one's RAM at load (bytes: 64-bit / 32-bit):"
  for i in 0; do
    paste -d' ' <(assembly_ram "$work/b${i}heap.out") <(if [ "${NANO_BENCH_M32:-0}" = 1 ]; then assembly_ram "$work/b${i}heap32.out" | awk '{ print "/ " $2 }'; fi) \
      | awk '{ printf "    %-34s %s %s %s\n", $1, $2, $3, $4 }'
  done
}
# The interpreter's "Loading assembly: NAME (N RAM - ...)" lines, one "NAME N" line each.
assembly_ram() { tr -d '\r' <"$1" | sed -n 's/.*Assembly: \([^ ]*\) ([^)]*) *(\([0-9]*\) RAM.*/\1 \2/p'; }
if [ "$heap_only" = 1 ]; then
  echo
  echo "nano-bench: SolidBms $head$dirty, nanoFramework interpreter nf-interpreter $clr_commit (targets/posix, MinSizeRel -Os, $(uname -m) host)"
  heap_tables
  echo "nano-bench: done in $(( $(date +%s) - t_start )) s"
  exit 0
fi

d=$((n2 - n1))
fmt() { awk -v x="$1" 'BEGIN { s = sprintf("%.0f", x); n = length(s); o = ""; for (i = 1; i <= n; i++) { o = o substr(s, i, 1); if ((n - i) % 3 == 0 && i < n) o = o "," } print o }'; }
ms() { awk -v x="$1" -v f="$2" 'BEGIN { printf "%.1f", x / (f * 1000) }'; }
echo
echo "nano-bench: SolidBms $head$dirty, nanoFramework interpreter nf-interpreter $clr_commit (targets/posix, MinSizeRel -Os, $(uname -m) host)"
echo "  instructions per tick = (I($n2 passes) - I($n1 passes) - the same for the rig alone) / $d; ESP32 ms = instructions / MHz / 1000"
printf '  %-14s %12s %12s %9s %9s %10s %10s\n' board instr/tick "(rig+loop)" "ms@160" "ms@240" "wall us" "wall us/stg"
for i in 0 1; do
  b=${boards[$i]}
  pass=$(( (ins[$i.tick$n2] - ins[$i.tick$n1]) / d ))
  rigp=$(( (ins[$i.rig$n2] - ins[$i.rig$n1]) / d ))
  tick=$((pass - rigp))
  ins[$i.tick]=$tick
  w=$(awk -v a="$(val wall-us-per-pass "$work/b${i}full.out")" -v r="$(val wall-us-rig-step "$work/b${i}full.out")" 'BEGIN { printf "%.0f", a - r }')
  printf '  %-14s %12s %12s %9s %9s %10s %10s\n' "$b" "$(fmt $tick)" "$(fmt $rigp)" "$(ms $tick 160)" "$(ms $tick 240)" "$w" "$(val "stage-us tick" "$work/b${i}full.out")"
done
echo "  (rig+loop: the bench's own share of a loop pass, taken off; wall us: host wall time of a tick in the interpreter, the"
echo "   fastest of 3 runs, loop pass less the rig alone; wall us/stg: the stages summed, stage timer on)"
echo
echo "  per stage: host instructions, mean of $stage_ticks ticks (callgrind cut at the stage timer's clock reads, one read taken"
echo "  off each stage: ${stage_ins[0.8]} / ${stage_ins[1.8]} instructions), and host wall time in the interpreter (us, mean of"
echo "  $(val stage-ticks "$work/b0full.out") ticks of the full run; the machine's load moves it, the instruction counts not)"
printf '  %-12s' stage; for i in 0 1; do printf ' %14s %7s %8s' "${boards[$i]}" "ms@240" "wall us"; done; echo
names=(measure estimate protect actuate balance record report)
for s in 0 1 2 3 4 5 6; do
  printf '  %-12s' "${names[$s]}"
  for i in 0 1; do printf ' %14s %7s %8s' "$(fmt "${stage_ins[$i.$s]}")" "$(ms "${stage_ins[$i.$s]}" 240)" "$(val "stage-us ${names[$s]}" "$work/b${i}full.out")"; done
  echo
done
printf '  %-12s' "sum"
for i in 0 1; do
  t=0; for s in 0 1 2 3 4 5 6; do t=$((t + stage_ins[$i.$s])); done
  printf ' %14s %7s %8s' "$(fmt $t)" "$(ms $t 240)" "$(val "stage-us tick" "$work/b${i}full.out")"
done
echo
printf '  %-12s' "(into tick)"; for i in 0 1; do printf ' %14s %7s %8s' "$(fmt "${stage_ins[$i.9]}")" "" ""; done; echo
printf '  %-12s' "(rig, loop)"; for i in 0 1; do printf ' %14s %7s %8s' "$(fmt "${stage_ins[$i.7]}")" "" ""; done; echo
echo
echo "  the same stages as the device's TickCostTests prints them (docs/nanoframework.md, \"Device tests\"): the ESP32 floor at"
echo "  240 MHz from the instruction counts, us; a rig's \"nanobench stage-us ...\" lines are its measured figures, at or above these"
for i in 0 1; do
  t=0
  for s in 0 1 2 3 4 5 6; do
    t=$((t + stage_ins[$i.$s]))
    echo "    ${boards[$i]}: nanobench stage-us ${names[$s]} $(awk -v x="${stage_ins[$i.$s]}" 'BEGIN { printf "%.1f", x / 240 }')"
  done
  echo "    ${boards[$i]}: nanobench stage-us tick $(awk -v x="$t" 'BEGIN { printf "%.1f", x / 240 }')"
done
echo
echo "  managed heap (nanoFramework.Runtime.Native.GC.Run(false): free bytes after a collection; posix heap 10 MiB, 64-bit host)"
printf '  %-24s %12s %14s %12s %12s %22s\n' board "start-up KiB" "after $full_ticks KiB" "in use KiB" "GCs (10MiB)" "GCs (~64 KiB free)"
heaprow() { # label output-file
  local o=$2 su gr inuse g free garb
  su=$(val heap-start-up-bytes "$o"); gr=$(val heap-growth-over-ticks "$o")
  inuse=$(( $(val heap-total-posix "$o") - $(val heap-free-after-ticks "$o") ))
  g=$(val gcs-during-ticks-low-heap "$o"); free=$(val heap-free-while-counting-gcs "$o")
  garb=$(awk -v g="$g" -v f="$free" -v t="$full_ticks" 'BEGIN { if (g == 0) printf "< %.0f", f / t; else printf "~%.0f", g * f / t }')
  printf '  %-24s %12s %14s %12s %12s %22s\n' "$1" "$(kib "$su")" "$(kib $((su + gr)))" "$(kib $inuse)" \
    "$(val gcs-during-ticks-10mib-heap "$o")" "$g ($garb B/tick)"
}
for i in 0 1; do heaprow "${boards[$i]}" "$work/b${i}full.out"; done
if [ "${NANO_BENCH_M32:-0}" = 1 ]; then for i in 0 1; do heaprow "${boards[$i]} (32-bit)" "$work/b${i}full32.out"; done; fi
echo "  (start-up: what building the controller from its files and $(val warm-up-ticks "$work/b0full.out") warm-up ticks holds; in use: the whole heap"
echo "   less free after the ticks, the interpreter's own tables included; GCs (~64 KiB free): counted over $full_ticks ticks after"
echo "   100 settling ticks (BenchRun.SettleTicks) with a ballast holding the rest of the heap; garbage per tick ~ GCs x free / ticks)"
echo
heap_tables
echo
echo "  what the controller did (full run): "
for i in 0 1; do
  o=$work/b${i}full.out
  echo "    ${boards[$i]}: state $(val state-at-end "$o"), SOC estimate $(val pack-soc-estimate-percent "$o") % (true $(val pack-soc-true-percent "$o") %), current $(val current-a "$o") A, faults $(val faults "$o"), telemetry $(val telemetry-bytes-per-tick "$o") B/tick"
done
echo
echo "  .pe sizes (bytes)"
total=0; own=0
for f in "$pe"/*.pe; do
  n=$(basename "$f" .pe)
  case $n in NanoBench.*|SolidBms.NanoBench|NFUnitTest|nanoFramework.TestFramework|nanoFramework.UnitTestLauncher) continue ;; esac
  s=$(stat -c %s "$f"); total=$((total + s))
  case $n in SolidBms.*) own=$((own + s)) ;; esac
  printf '    %-34s %8s\n' "$n" "$(fmt "$s")"
done
printf '    %-34s %8s\n' "SolidBms.* (firmware)" "$(fmt $own)" "all the ESP32 app deploys" "$(fmt $total)" \
  "SolidBms.NanoBench (the bench)" "$(fmt "$(stat -c %s "$pe/SolidBms.NanoBench.pe")")"
echo "  (nanoFramework.Runtime.Native.pe as rebuilt above; the ESP32 app: SolidBms.Esp32 and everything it references)"
echo
echo "nano-bench: done in $(( $(date +%s) - t_start )) s"
