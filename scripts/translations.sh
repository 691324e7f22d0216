#!/usr/bin/env bash
# Updates i18n/landcoord_zh_CN.ts from every tr() string in the plugin's .py and .ui files
# (keeping existing translations), then compiles it to i18n/landcoord_zh_CN.qm.
#   scripts/translations.sh           update .ts and compile .qm
#   scripts/translations.sh --compile compile only
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
ts=i18n/landcoord_zh_CN.ts
if [ "${1:-}" != "--compile" ]; then
  mapfile -t sources < <(git ls-files --cached --others --exclude-standard -- \
    'plugin.py' 'processing/*.py' 'ui/*.py' 'ui/*.ui' | sort)
  pylupdate5 -noobsolete "${sources[@]}" -ts "$ts"
fi
lrelease -silent "$ts" -qm i18n/landcoord_zh_CN.qm
