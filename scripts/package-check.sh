#!/usr/bin/env bash
# Packs the NuGet packages into artifacts/packages and uses them as a user would: the sample app
# restored from that folder (not from the projects) scores a few images with a freshly trained and
# exported model, the vqvae-score tool is installed from the folder and scores the same images, and
# the sample published self-contained for win-x64 runs under Wine and must give the same codes and
# decoded picture as on Linux.
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
[ "$(wc -l < "$work/sample/codes.txt")" -eq 4 ]

step "every C# snippet of the docs, built against artifacts/packages"
bash scripts/check-doc-snippets.sh

step "vqvae-score as a .NET tool from artifacts/packages"
dotnet tool install VqVaeMl.Score --version "$version" --tool-path "$work/tools" --add-source artifacts/packages
help=$("$work/tools/vqvae-score" --help)   # read whole: grep -q on a pipe could cut the writer short
grep -q "score" <<<"$help"
"$work/tools/vqvae-score" score --model "$work/model" --images "$work/images" --out "$work/scored"
grep -q '"scored": 20' "$work/scored/summary.json"

step "the sample published for win-x64 and run under Wine on the same images"
dotnet publish samples/VqVaeMl.Sample -c Release -r win-x64 --self-contained true -v quiet -nologo -o "$work/win-x64"
for lib in onnxruntime.dll libSkiaSharp.dll VqVaeMl.MlNet.dll Microsoft.ML.OnnxRuntime.dll; do
  [ -f "$work/win-x64/$lib" ] || { echo "error: the win-x64 publish lacks $lib" >&2; ls "$work/win-x64" >&2; exit 1; }
done
command -v wine >/dev/null || { echo "error: wine is not installed (apt-get install wine wine64)" >&2; exit 1; }
# A fresh prefix (the app carries its own .NET runtime). .NET's write-xor-execute code pages crash
# the runtime under Wine 8 ("Internal CLR error" when ML.NET's dynamic methods are freed), so they are
# turned off for this run. Wine's mscoree stays on (turning it off, a common way to skip Wine's Mono
# installer, keeps the runtime from loading its own System.Runtime.dll).
export WINEPREFIX="$work/wine" WINEDEBUG=-all
win() { winepath -w "$1"; }
DOTNET_EnableWriteXorExecute=0 timeout 600 wine "$work/win-x64/VqVaeMl.Sample.exe" "$(win "$work/model")" "$(win "$work/images")" "$(win "$work/sample-win-x64")" \
  | tee "$work/sample-win-x64.log"
wineserver -w   # this prefix's server gone before its folder is removed
grep -q "^execution provider: CPU" "$work/sample-win-x64.log"
grep -q "same codes for 4 images" "$work/sample-win-x64.log"
# The same codes, every one of every image, and the same decoded picture as on Linux.
diff --strip-trailing-cr "$work/sample/codes.txt" "$work/sample-win-x64/codes.txt" \
  || { echo "error: the win-x64 sample under Wine gives other codes than on Linux (above)" >&2; exit 1; }
cmp "$work/sample/decoded.png" "$work/sample-win-x64/decoded.png" \
  || { echo "error: the win-x64 sample under Wine decodes another picture than on Linux" >&2; exit 1; }
echo "package check: passed"
