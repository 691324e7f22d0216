"""Shared fixtures. QGIS itself comes from pytest-qgis (qgis_app, qgis_iface, qgis_processing).

Plugin modules are imported inside fixtures and tests, never at the top of this file (pytest-qgis
patches ``iface`` after conftest files are imported).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("LANDCOORD_SHARED_DATA", ROOT.parent / "shared" / "data"))
SAMPLE = ROOT / "sample" / "landcoord_sample.gpkg"


def _ensure_importable() -> None:
    """Make ``import landcoord`` resolve to this checkout even outside the venv's .pth."""
    try:
        import landcoord  # noqa: F401

        return
    except ImportError:
        pass
    link_dir = ROOT / ".venv" / "pkgroot"
    link_dir.mkdir(parents=True, exist_ok=True)
    link = link_dir / "landcoord"
    if not link.exists():
        link.symlink_to(ROOT)
    sys.path.insert(0, str(link_dir))


_ensure_importable()
# Tests run with --import-mode=importlib (pyproject.toml): pytest must not put the repository root
# on sys.path, where its processing/ folder would shadow QGIS's Processing package, whatever the
# checkout folder is called. Helper modules in tests/ stay importable from here.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.append(str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def sample_gpkg() -> Path:
    assert SAMPLE.exists(), "the bundled sample project is missing: run `make sample`"
    return SAMPLE


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The team's shared real-data folder; tests that need it skip when it is absent."""
    if not SHARED_DATA.exists():
        pytest.skip(f"shared real data not found at {SHARED_DATA} (a fresh clone has none)")
    return SHARED_DATA


@pytest.fixture
def landcoord_provider(qgis_app, qgis_processing):
    """The landcoord provider registered in the test QGIS for one test, removed afterwards."""
    from qgis.core import QgsApplication

    from landcoord.processing.provider import LandcoordProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("landcoord")
    added = provider is None
    if added:
        provider = LandcoordProvider()
        registry.addProvider(provider)
    yield provider
    if added:
        registry.removeProvider(provider)


@pytest.fixture
def run_alg(landcoord_provider, qgis_processing):
    """Run a landcoord algorithm through ``processing.run`` and return its result dict."""
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    def _run(alg_id: str, params: dict, feedback=None):
        context = QgsProcessingContext()
        fb = feedback or QgsProcessingFeedback()
        return processing.run(alg_id, params, context=context, feedback=fb)

    return _run
