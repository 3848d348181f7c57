#!/usr/bin/env bash
# Regenerates board/cells/assb-nmc811-reference-fitted.cell the way a lab would: the simulator's reference cell
# (single-particle physics, Tools/SolidBms.Simulator/Physics/ReferenceCell) through C/20 and HPPC tests at 25 and
# 10 C (`solidbms characterise`), then `solidbms fit-cell` on the cycler CSVs. The CSVs (about 13 MB) go to a
# temporary directory and are not kept. Usage: bash scripts/fit-reference-cell.sh [OUT.cell]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-board/cells/assb-nmc811-reference-fitted.cell}
lab=$(mktemp -d)
trap 'rm -rf "$lab"' EXIT
cli() { dotnet run -c Release --project Tools/SolidBms.Cli -- "$@"; }
cli characterise --out "$lab" --temperatures 25,10
cli fit-cell --ocv "$lab/ref-c20-25c.csv" --ocv "$lab/ref-c20-10c.csv" \
  --hppc "$lab/ref-hppc-25c.csv" --hppc "$lab/ref-hppc-10c.csv" \
  --out "$out" --name assb-nmc811-reference-fitted
