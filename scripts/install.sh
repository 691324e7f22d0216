#!/usr/bin/env bash
# Installs this checkout as the QGIS plugin `landcoord` for the user in $HOME:
#  - links the checkout into the default profile's python/plugins/landcoord,
#  - enables it (also for qgis_process),
#  - makes its Python libraries (the venv built by bootstrap.sh against Debian's GEOS/GDAL/PROJ)
#    importable by QGIS's own Python through a .pth file in the user site-packages, so that QGIS
#    desktop and qgis_process, started plainly, find them.
# Honours HOME (and QGIS_CUSTOM_CONFIG_PATH, as QGIS does), so tests install into a temporary profile.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${LANDCOORD_VENV:-$here/.venv}"
profile="${QGIS_CUSTOM_CONFIG_PATH:-$HOME/.local/share/QGIS/QGIS3}/profiles/default"
plugins="$profile/python/plugins"
mkdir -p "$plugins"
if [ -e "$plugins/landcoord" ] && [ ! -L "$plugins/landcoord" ]; then
  echo "install: $plugins/landcoord exists and is not a link; remove it first" >&2
  exit 1
fi
ln -sfn "$here" "$plugins/landcoord"

site_venv="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
user_site="$(HOME="$HOME" /usr/bin/python3 -c 'import site; print(site.getusersitepackages())')"
mkdir -p "$user_site"
printf '%s\n' "$site_venv" > "$user_site/landcoord-deps.pth"

QT_QPA_PLATFORM=offscreen /usr/bin/qgis_process.bin plugins enable landcoord >/dev/null 2>&1 || {
  echo "install: 'qgis_process.bin plugins enable landcoord' failed" >&2
  QT_QPA_PLATFORM=offscreen /usr/bin/qgis_process.bin plugins enable landcoord >&2 || true
  exit 1
}
# Check from a plain QGIS process, without the venv, that the plugin and its libraries load.
if ! QT_QPA_PLATFORM=offscreen /usr/bin/qgis_process.bin list 2>/dev/null | grep -q "landcoord:affectedarea"; then
  echo "install: qgis_process does not list landcoord:affectedarea; see 'qgis_process.bin list'" >&2
  exit 1
fi
echo "install: landcoord linked into $plugins and enabled; libraries from $site_venv"
