#!/usr/bin/env bash
# Prepares the measured A123 LFP cell data (Plett's ESC toolbox, MIT) that `solidbms bench real` scores against:
#   bash scripts/real-data.sh [SOURCE] [OUT]
# SOURCE: a git mirror of the public repository batterysim/esctoolbox-python (default
#   $SOLIDBMS_MIRROR/batterysim+esctoolbox-python/repo, SOLIDBMS_MIRROR defaulting to /work/.mirror), or an already
#   converted folder (holding a123-*.csv), which is used as it is.
# OUT: where the converted files go (default artifacts/real-data/a123, git-ignored).
# Prints the folder on success; exit 3 (and a reason on stderr) when no source is present, so callers can skip.
# What is kept and why: board/data/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mirror_root=${SOLIDBMS_MIRROR:-/work/.mirror}
src=${1:-$mirror_root/batterysim+esctoolbox-python/repo}
out=${2:-artifacts/real-data/a123}

if [ -d "$src" ] && ls "$src"/a123-*.csv >/dev/null 2>&1; then echo "$src"; exit 0; fi
if [ ! -d "$src" ] || ! git -C "$src" rev-parse --verify -q HEAD:dyn_data >/dev/null 2>&1; then
  echo "real-data: no A123 data at $src (a mirror of batterysim/esctoolbox-python, or a folder of a123-*.csv): see board/data/README.md" >&2
  exit 3
fi
commit=$(git -C "$src" rev-parse HEAD)
if [ -f "$out/SOURCE" ] && grep -q "$commit" "$out/SOURCE"; then echo "$out"; exit 0; fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Test temperature (C) of each file tag, and the dynamic test run at it (the current magnitude differs by temperature).
declare -A temp=([N05]=-5 [P05]=5 [P15]=15 [P25]=25 [P35]=35 [P45]=45)
declare -A dyn=([N05]=30_N05 [P05]=45_P05 [P15]=45_P15 [P25]=50_P25 [P35]=50_P35 [P45]=50_P45)

for tag in N05 P05 P15 P25 P35 P45; do
  t=${temp[$tag]}
  name=$(printf 'a123-%s' "$( [ "$t" -lt 0 ] && printf 'm%02dc' "${t#-}" || printf '%02dc' "$t")")
  # OCV test: script 1 (C/30 discharge at the test temperature from full) then script 3 (C/30 charge at the test
  # temperature from empty), joined on one time axis 10 s apart. Scripts 2 and 4 run at 25 C (bring the cell to
  # exactly empty / full) and are left out: fit-cell wants one temperature per file. Arbin counts charge current as
  # positive: negated here (+ = discharge). Columns kept: time, current, voltage; the chamber temperature added.
  git -C "$src" show "HEAD:ocv_data/A123_OCV_${tag}_S1.csv" > "$tmp/s1.csv"
  git -C "$src" show "HEAD:ocv_data/A123_OCV_${tag}_S3.csv" > "$tmp/s3.csv"
  awk -F, -v T="$t" 'BEGIN { print "time_s,current_a,voltage_v,temperature_c" }
    FNR == 1 { file++; if (file == 2) offset = last + 10 - first3; next }
    file == 2 && FNR == 2 { first3 = $2; offset = last + 10 - first3 }
    { time = $2 + offset; printf "%.3f,%.5f,%.5f,%d\n", time, -$7, $8, T; if (file == 1) last = $2 }' \
    "$tmp/s1.csv" "$tmp/s3.csv" > "$out/$name-ocv.csv"
  # Dynamic test: script 1 (from full, a C/2 step of 720 s and a 900 s rest, then drive-cycle blocks of 1800 s with 300 s
  # rests down to the cut-off), 1 s rows, current + = discharge already. Kept: time, current, voltage, the chamber
  # temperature, and the cycler's own net discharged charge (disAh - chgAh), the SOC truth.
  git -C "$src" show "HEAD:dyn_data/A123_DYN_${dyn[$tag]}_s1.csv" |
    awk -F', *' -v T="$t" 'NR == 1 { print "time_s,current_a,voltage_v,temperature_c,discharged_ah"; next }
      { printf "%.3f,%.5f,%.5f,%d,%.5f\n", $1, $3, $4, T, $6 - $5 }' > "$out/$name-dyn.csv"
done
git -C "$src" show HEAD:LICENSE > "$out/LICENSE"
{
  echo "batterysim/esctoolbox-python at $commit"
  echo "converted by scripts/real-data.sh (see board/data/README.md)"
} > "$out/SOURCE"
echo "$out"
