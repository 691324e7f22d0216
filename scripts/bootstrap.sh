#!/usr/bin/env bash
# Installs everything landcoord needs on a fresh Debian 12 machine, and nothing twice.
#
#   scripts/bootstrap.sh            apt packages (when missing) + the venv in .venv
#
# 1. Debian packages: QGIS 3.40 LTR (bookworm-backports) with its Python bindings, the GEOS/GDAL/PROJ headers, Xvfb,
#    poppler (pdftotext/pdftoppm), a CJK font, and PostgreSQL 15 + PostGIS 3 (the tests start a
#    throw-away server on loopback; nothing is configured system-wide). Installed only when missing.
# 2. A venv made from Debian's /usr/bin/python3 with --system-site-packages, so that `qgis` and
#    Debian's numpy 1.24 are visible in it. shapely, pyogrio and pyproj are compiled against
#    Debian's GEOS, GDAL and PROJ (never the pip wheels, which carry their own copies and crash
#    inside a QGIS process: see docs in README.md, "Why the venv is built this way").
# 3. `landcoord` made importable from the venv whatever this checkout's folder is called, and a
#    `landcoord` command in .venv/bin.
#
# A stamp (hash of this script and requirements.txt) makes the second run a no-op.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${LANDCOORD_VENV:-$here/.venv}"
cd "$here"

apt_packages=(
  python3-venv python3-dev python3-matplotlib build-essential
  libgeos-dev libgdal-dev libproj-dev proj-bin   # to compile shapely/pyogrio/pyproj against them
  xvfb xauth poppler-utils fonts-noto-cjk    # screenshots, PDF checks, Chinese text in PDFs
  fonts-wqy-microhei                         # Simplified Chinese glyphs for matplotlib charts
  qttools5-dev-tools pyqt5-dev-tools         # lrelease (translations), pyrcc5 (resources)
  sqlite3 zip python3-gdal                   # sqlite3 CLI; GDAL's GeoPackage validator (tests)
  postgresql postgis postgresql-15-postgis-3  # throw-away PostGIS server for the city-scale tests
)
qgis_packages=(qgis python3-qgis qgis-providers)   # QGIS, its Python bindings, data providers

# QGIS 3.40 LTR comes from Debian's <codename>-backports suite, built on the same GDAL 3.6, GEOS
# 3.11, PROJ 9.1 and Python 3.11 as bookworm itself (so the one-GEOS rule below still holds). The
# suite is added from the machine's own Debian source entry (same mirror, same keyring), never from
# a hard-coded mirror. LANDCOORD_QGIS=3.22 installs Debian's own QGIS 3.22 instead (`make test-min`
# on a machine of its own: one QGIS per machine).
qgis_want="${LANDCOORD_QGIS:-3.40}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
qgis_target=()
need_update=
if [ "$qgis_want" != "3.22" ]; then
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
  qgis_target=(-t "$codename-backports")
  if ! grep -rqs -- "$codename-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "bootstrap: adding Debian's $codename-backports suite (QGIS 3.40 LTR)"
    /usr/bin/python3 "$here/scripts/debian_backports_source.py" "$codename" \
      | $SUDO tee /etc/apt/sources.list.d/landcoord-backports.sources >/dev/null
    need_update=1
  fi
fi

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
have_qgis="$(dpkg-query -W -f='${Status} ${Version}' qgis 2>/dev/null || true)"
case "$have_qgis" in
  "install ok installed $qgis_want"*) qgis_missing=() ;;
  *) qgis_missing=("${qgis_packages[@]}") ;;
esac
if [ ${#missing[@]} -gt 0 ] || [ ${#qgis_missing[@]} -gt 0 ] || [ -n "$need_update" ]; then
  $SUDO apt-get update -q
fi
# One apt call, with the backports suite as target: QGIS 3.40 pulls a few newer libraries from it
# (e.g. libwebp), and their -dev packages that GDAL's headers need must come from the same suite.
# GDAL, GEOS and PROJ themselves are not in backports: they stay bookworm's.
if [ ${#missing[@]} -gt 0 ] || [ ${#qgis_missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]} ${qgis_missing[*]} (QGIS $qgis_want; have: ${have_qgis:-none})"
  $SUDO apt-get install -y -q --no-install-recommends "${qgis_target[@]}" "${missing[@]}" "${qgis_missing[@]}"
fi

stamp="$venv/.landcoord-stamp"
want="$(cat "$here/requirements.txt" "$here/scripts/bootstrap.sh" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
  exit 0
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "bootstrap: creating the venv $venv from /usr/bin/python3"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
fi

# pyproj 3.6.1 does not build with Cython 3.1; the constraint applies inside build environments too.
constraints="$venv/build-constraints.txt"
printf 'cython<3.1\nnumpy<2\n' > "$constraints"
export PIP_CONSTRAINT="$constraints"
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PROJ_DIR=/usr

echo "bootstrap: installing Python requirements (shapely, pyogrio, pyproj built from source)"
"$venv/bin/python" -m pip install -q --no-binary shapely,pyogrio,pyproj -r "$here/requirements.txt"

# Check that the three libraries are Debian's: the same GEOS/GDAL/PROJ that QGIS loads.
"$venv/bin/python" - <<'PY'
import shapely, pyogrio, pyproj
geos = ".".join(map(str, shapely.geos_version))
gdal = ".".join(map(str, pyogrio.__gdal_version__))
print(f"bootstrap: shapely {shapely.__version__} (GEOS {geos}), pyogrio {pyogrio.__version__} "
      f"(GDAL {gdal}), pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str})")
PY

# Make `import landcoord` resolve to this checkout, whatever its folder is called.
site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
mkdir -p "$venv/pkgroot"
ln -sfn "$here" "$venv/pkgroot/landcoord"
echo "$venv/pkgroot" > "$site/landcoord-checkout.pth"
cat > "$venv/bin/landcoord" <<EOF
#!$venv/bin/python
import sys
from landcoord.cli import main
if __name__ == "__main__":  # worker processes (Dask's spawn) import this file again: run only once
    sys.exit(main())
EOF
chmod +x "$venv/bin/landcoord"

echo "$want" > "$stamp"
echo "bootstrap: ready ($venv)"
