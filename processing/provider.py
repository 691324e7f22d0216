"""The Processing provider ``landcoord``: lists its algorithms explicitly."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication, QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

ICON = Path(__file__).resolve().parent.parent / "icons" / "landcoord.svg"


def algorithms() -> list:
    """One instance of every landcoord algorithm, in the order of the workflow."""
    from .affected_area import AffectedArea
    from .benefit_scenarios import BenefitScenarios
    from .carve_retained import CarveRetained
    from .city_screen import CityScreen
    from .consent_progress import ConsentProgress
    from .hearing_maps import HearingMaps
    from .plan_conflicts import PlanConflicts
    from .project_stage import ProjectStage
    from .retained_quota import RetainedQuota

    return [
        AffectedArea(),
        RetainedQuota(),
        BenefitScenarios(),
        CarveRetained(),
        PlanConflicts(),
        ConsentProgress(),
        ProjectStage(),
        HearingMaps(),
        CityScreen(),
    ]


def models() -> list:
    """The Processing models shipped in ``processing/models/`` (the whole chain as one model)."""
    from .models.chain import load_chain

    chain = load_chain()
    return [chain] if chain is not None else []


class LandcoordProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "landcoord"

    def name(self) -> str:
        return QCoreApplication.translate("LandcoordProvider", "Land consolidation (landcoord)")

    def longName(self) -> str:
        return self.name()

    def icon(self) -> QIcon:
        return QIcon(str(ICON))

    def svgIconPath(self) -> str:
        return str(ICON)

    def loadAlgorithms(self) -> None:
        for alg in algorithms():
            self.addAlgorithm(alg)
        self._models = models()
        for model in self._models:
            self.addAlgorithm(model)
        registry = QgsApplication.processingRegistry()
        if registry.providerById(self.id()) is self:  # a refresh: the children are found already
            return
        # first load: QGIS registers the provider after this returns; attach the models' children then
        if not getattr(self, "_waiting", False):
            registry.providerAdded.connect(self._registered)
            self._waiting = True

    def _registered(self, provider_id: str) -> None:
        if provider_id != self.id():
            return
        registry = QgsApplication.processingRegistry()
        try:
            registry.providerAdded.disconnect(self._registered)
        except TypeError:  # already disconnected
            pass
        self._waiting = False
        for model in getattr(self, "_models", []):
            model.reattach()
