#!/usr/bin/env bash
# Packs the NuGet packages into artifacts/packages and uses them as a user would: the sample app
# restored from that folder (not from the projects) scores a few images with a freshly trained and
# exported model, the vqvae-score tool is installed from the folder and scores the same images, and
# the sample published for win-x64 is checked for the native libraries it needs there.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step() { echo "== $*"; }

step "dotnet pack"
rm -rf artifacts/packages
dotnet pack VqVaeMl.sln -c Release -v quiet -nologo
ls -l artifacts/packages
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
for id in VqVaeMl.Common VqVaeMl.MlNet VqVaeMl.Score; do
  [ -f "artifacts/packages/$id.$version.nupkg" ] || { echo "error: $id.$version.nupkg was not packed" >&2; exit 1; }
done
# What an app gets with the library: no TorchSharp, no command-line or console packages.
if unzip -p "artifacts/packages/VqVaeMl.MlNet.$version.nupkg" VqVaeMl.MlNet.nuspec \
   | grep -Ei 'id="(TorchSharp|libtorch|System.CommandLine|Spectre.Console|Microsoft.ML.OnnxRuntime(.Gpu)?(.Linux)?)"'; then
  echo "error: VqVaeMl.MlNet depends on a package an app must not get from it (above)" >&2; exit 1
fi

step "a small model to score with"
dotnet build VqVaeMl.sln -c Release -v quiet -nologo
train=src/Trainer/bin/Release/net10.0/vqvae-train.dll
exporter=src/Exporter/vqvae-export/bin/Release/net10.0/vqvae-export.dll
dotnet "$train" fetch-data --data-dir data
# The image cache goes to the work folder, not the user's cache folder.
dotnet "$train" train --preset mnist --epochs 1 --max-steps-per-epoch 10 --out "$work/model" --threads 2 --device cpu --cache-dir "$work/cache"
dotnet "$exporter" --model "$work/model"
mkdir -p "$work/images"
digits=(data/mnist-validation-png/*.png)   # an array, not `ls | head`: head's early exit is a SIGPIPE under pipefail
cp "${digits[@]:0:20}" "$work/images/"

step "the sample app, restored from artifacts/packages"
# The global packages folder may hold an older VqVaeMl of the same version: restore what was just packed.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/vqvaeml.*
dotnet run --project samples/VqVaeMl.Sample -c Release -- "$work/model" "$work/images" "$work/sample" | tee "$work/sample.log"
grep -q "^execution provider: CPU (CUDA was asked for on GPU 0 but this ONNX Runtime has no CUDA provider" "$work/sample.log"
grep -q "same codes for 4 images" "$work/sample.log"
[ -s "$work/sample/decoded.png" ]

step "vqvae-score as a .NET tool from artifacts/packages"
dotnet tool install VqVaeMl.Score --version "$version" --tool-path "$work/tools" --add-source artifacts/packages
help=$("$work/tools/vqvae-score" --help)   # read whole: grep -q on a pipe could cut the writer short
grep -q "score" <<<"$help"
"$work/tools/vqvae-score" score --model "$work/model" --images "$work/images" --out "$work/scored"
grep -q '"scored": 20' "$work/scored/summary.json"

step "the sample published for win-x64"
dotnet publish samples/VqVaeMl.Sample -c Release -r win-x64 --self-contained false -v quiet -nologo -o "$work/win-x64"
for lib in onnxruntime.dll libSkiaSharp.dll VqVaeMl.MlNet.dll Microsoft.ML.OnnxRuntime.dll; do
  [ -f "$work/win-x64/$lib" ] || { echo "error: the win-x64 publish lacks $lib" >&2; ls "$work/win-x64" >&2; exit 1; }
done
echo "package check: passed"
