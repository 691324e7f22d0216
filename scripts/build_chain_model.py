"""Write the chain model ``processing/models/landcoord_chain.model3`` from :func:`build_model`.

Run it after changing the chain (``tests/test_dock_model.py`` fails while the shipped file is stale)::

    .venv/bin/python scripts/build_chain_model.py            # rewrites the shipped file
    .venv/bin/python scripts/build_chain_model.py out.model3 # or writes elsewhere

It starts a headless QGIS with Processing and the landcoord provider (the model's children are the
provider's algorithms), so it is a development script, not part of the shipped plugin.
"""

from __future__ import annotations

import sys
from pathlib import Path

QGIS_PLUGINS = "/usr/share/qgis/python/plugins"  # QGIS's own Processing plugin (Debian/Ubuntu path)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    if QGIS_PLUGINS not in sys.path:
        sys.path.insert(0, QGIS_PLUGINS)
    from processing.core.Processing import Processing

    Processing.initialize()
    from landcoord.processing.models.chain import MODEL_FILE, write_model
    from landcoord.processing.provider import LandcoordProvider

    provider = LandcoordProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    path = write_model(Path(argv[0]) if argv else MODEL_FILE)
    print(path)
    QgsApplication.processingRegistry().removeProvider(provider)
    return 0


if __name__ == "__main__":
    sys.exit(main())
