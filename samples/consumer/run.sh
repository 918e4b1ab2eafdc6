#!/usr/bin/env bash
# Proves HwSpecGen works from its NuGet packages alone: packs HwSpecGen.Runtime and HwSpecGen.Generators into
# artifacts/feed, restores this project from that folder only (NuGet.config) into an empty package cache, builds it
# (the generator turns specs/acme-iommu/*.yaml plus the shipped AMD-Vi specs into structs) and runs it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rm -rf "$here/artifacts" "$here/bin" "$here/obj"
mkdir -p "$here/artifacts/feed"

echo "-- pack"
dotnet pack "$root/src/HwSpecGen.Runtime/HwSpecGen.Runtime.csproj" -c Release -o "$here/artifacts/feed" --nologo -v quiet
dotnet pack "$root/generators/HwSpecGen.Generators/HwSpecGen.Generators.csproj" -c Release -o "$here/artifacts/feed" --nologo -v quiet
ls "$here/artifacts/feed"

echo "-- restore from the local folder into an empty package cache"
export NUGET_PACKAGES="$here/artifacts/packages"
dotnet restore "$here/Consumer.csproj" --configfile "$here/NuGet.config" -v quiet

echo "-- build and run"
dotnet build "$here/Consumer.csproj" -c Release --no-restore --nologo -v quiet
dotnet "$here/bin/Release/net10.0/Consumer.dll"
