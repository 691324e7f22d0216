#!/usr/bin/env bash
# Builds dist/landcoord-<version>.zip for QGIS's "Install from ZIP": the plugin folder `landcoord/`
# with compiled translations, without tests, benchmarks, scripts or CI files.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
version="$(sed -n 's/^version=//p' metadata.txt)"
dist="${DIST:-$here/dist}"          # where the zip goes (tests set it)
build_root="$(mktemp -d)"
trap 'rm -rf "$build_root"' EXIT
build="$build_root/landcoord"
mkdir -p "$build" "$dist"

scripts/translations.sh --compile
python3 scripts/compile_catalogs.py  # the core's gettext catalogs: .po -> .mo (shipped with the .po)
git ls-files --cached --others --exclude-standard \
  | grep -Ev '^(tests|benchmarks|scripts|docs|\.ci|\.github)/|^(Makefile|pyproject\.toml|requirements\.txt|\.gitignore)$' \
  | while read -r f; do
      [ -f "$f" ] || continue
      mkdir -p "$build/$(dirname "$f")"
      cp -p "$f" "$build/$f"
    done
cp -p i18n/landcoord_zh_CN.qm "$build/i18n/"
find "$build" -name '__pycache__' -prune -exec rm -rf {} +
zip_path="$dist/landcoord-$version.zip"
rm -f "$zip_path"
(cd "$build_root" && zip -q -r -X "$zip_path" landcoord)
echo "package: $zip_path ($(du -h "$zip_path" | cut -f1))"
