#!/usr/bin/env bash
# Compiles every C# snippet of the README, docs/ and the packages' READMEs against the packages in
# artifacts/packages (run `dotnet pack` first; package-check.sh does), as an app outside this
# repository would: whatever the docs show then builds. Each ```csharp block is a complete program,
# unless the line before it says <!-- continues the snippet above -->: then it is appended to that one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
onnxruntime=$(sed -n 's:.*Include="Microsoft.ML.OnnxRuntime" Version="\([^"]*\)".*:\1:p' samples/Directory.Packages.props)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The build settings of the sample app (nullable, warnings as errors), the packages from the local feed.
cp samples/Directory.Build.props "$work/"
sed "s#value=\"../artifacts/packages\"#value=\"$root/artifacts/packages\"#" samples/nuget.config > "$work/nuget.config"
cat > "$work/Directory.Packages.props" <<PROPS
<Project>
  <ItemGroup>
    <PackageVersion Include="VqVaeMl.MlNet" Version="$version" />
    <PackageVersion Include="Microsoft.ML.OnnxRuntime" Version="$onnxruntime" />
  </ItemGroup>
</Project>
PROPS

# One folder per snippet: Program.cs, and where it came from (file:line) for the messages.
n=0
for doc in README.md docs/*.md $(git ls-files 'src/*README.md'); do
  awk -v doc="$doc" -v work="$work" -v start="$n" '
    /^<!-- continues the snippet above -->$/ { cont = 1; next }
    /^```csharp/ { inside = 1; if (!cont || n == start) n++; cont = 0
                   file = work "/" n "/Program.cs"; system("mkdir -p " work "/" n)
                   printf "%s:%d\n", doc, NR >> (work "/" n "/from"); next }
    /^```/ && inside { inside = 0; close(file); next }
    inside { print >> file }
    !/^[[:space:]]*$/ { cont = cont && /^<!--/ }
    END { print n > (work "/count") }' n="$n" "$doc"
  n=$(cat "$work/count")
done

failed=0
for dir in "$work"/[0-9]*/; do
  cat > "$dir/Snippet.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="VqVaeMl.MlNet" />
    <PackageReference Include="Microsoft.ML.OnnxRuntime" />
  </ItemGroup>
</Project>
PROJ
  if dotnet build "$dir/Snippet.csproj" -c Release -v quiet -nologo > "$dir/build.log" 2>&1; then
    echo "snippet $(paste -sd' ' "$dir/from"): builds"
  else
    echo "error: the C# snippet at $(paste -sd' ' "$dir/from") does not build:" >&2
    grep -E "error [A-Z]+[0-9]+" "$dir/build.log" | sed 's#.*/Program.cs#  Program.cs#' | sort -u >&2
    failed=1
  fi
done
[ "$failed" -eq 0 ] && echo "doc snippets: all $(ls -d "$work"/[0-9]*/ | wc -l) build"
exit "$failed"
