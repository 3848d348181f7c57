#!/usr/bin/env bash
# Regenerates the <Compile> lists of the .nfproj files from the sources on disk (classic nanoFramework
# projects list files explicitly). NfProjectTests fails when a list is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
for proj in Firmware/Core/SolidBms.Core.nfproj Drivers/SolidBms.Drivers/SolidBms.Drivers.nfproj Firmware/App/SolidBms.Firmware.nfproj; do
  dir=$(dirname "$proj")
  list=$(cd "$dir" && find . -name '*.cs' -not -path './obj/*' -not -path './bin/*' -not -path './Device/*' | sed 's#^\./##' | LC_ALL=C sort | sed 's#/#\\#g; s#.*#    <Compile Include="&" />#')
  awk -v list="$list" '
    /<!-- compile:begin -->/ { print; print list; skip=1; next }
    /<!-- compile:end -->/ { skip=0 }
    !skip { print }' "$proj" > "$proj.tmp" && mv "$proj.tmp" "$proj"
done
