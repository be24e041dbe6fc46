#!/usr/bin/env bash
# Packs the solution into artifacts/packages, builds the samples against those packages (as an application outside
# this repository would), and runs ConsoleRerank on a model folder (default: the random-weight fixture beside the
# repository, so the scores are meaningless but the pipeline is real).
#   samples/build.sh [--no-build] [model folder or hub id]
# --no-build packs the Release outputs already built (CI runs this right after dotnet test -c Release).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
pack_args=()
if [ "${1:-}" = --no-build ]; then
  pack_args+=(--no-build)
  shift
fi
model=${1:-$repo/../shared/fixtures/tiny-bert-reranker}
feed=$repo/artifacts/packages   # samples/NuGet.config points here

version=$(dotnet msbuild src/RerankKit/RerankKit.csproj -getProperty:Version)
rm -rf "$feed"
dotnet pack RerankKit.sln -c Release -o "$feed" -v quiet -nologo "${pack_args[@]}"

# Restore would reuse a RerankKit package of the same version already extracted in the global packages folder
# (from an earlier pack); drop those so the samples get the packages just packed.
global=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: *//')
for package in "$feed"/*.nupkg; do
  id=$(basename "$package" ".$version.nupkg")
  rm -rf "$global/${id,,}/$version"
done

for sample in ConsoleRerank WebRerank; do
  dotnet build "samples/$sample" -c Release --force -p:RerankKitVersion="$version" -v quiet -nologo
done

dotnet samples/ConsoleRerank/bin/Release/net10.0/ConsoleRerank.dll "$model"
