"""The ``MEASURE_CRS`` parameter of the algorithms that measure areas: one measuring CRS per project run.

Left empty, the core chooses it (:func:`landcoord.allocation.crs.project_measurement_crs`): the
boundary's projected CRS, else the cadastre's, else the national projection or a local transverse
Mercator with scale factor 1. An officer who runs several algorithms on one project gives the same
CRS to each (the dock passes its setting).
"""

from __future__ import annotations

from qgis.core import QgsProcessingParameterCrs
from qgis.PyQt.QtCore import QCoreApplication

from ..qgis_compat import PARAMETER_ADVANCED

MEASURE_CRS = "MEASURE_CRS"


def _tr(text: str) -> str:
    return QCoreApplication.translate("MeasureCRS", text)


def add_measure_crs(alg) -> None:
    """Add the optional, advanced ``MEASURE_CRS`` parameter to ``alg``."""
    p = QgsProcessingParameterCrs(MEASURE_CRS, _tr("Measuring CRS"), optional=True)
    p.setFlags(p.flags() | PARAMETER_ADVANCED)
    p.setHelp(
        _tr(
            "Projected CRS to measure areas in, the same for every step of a project. Empty: the "
            "boundary's projected CRS, else the cadastre's, else the national projection (CGCS2000 "
            "Gauss-Krüger zone, Lambert-93 in France) or a local transverse Mercator with scale "
            "factor 1; never a UTM zone unless chosen here."
        )
    )
    alg.addParameter(p)


def measure_crs(alg, parameters, context) -> str | None:
    """The chosen measuring CRS (``EPSG:...`` or WKT) for the core, or None when not given."""
    if parameters.get(MEASURE_CRS) in (None, ""):
        return None
    crs = alg.parameterAsCrs(parameters, MEASURE_CRS, context)
    if not crs.isValid():
        return None
    return crs.authid() or crs.toWkt()
