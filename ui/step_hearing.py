"""The Hearing step: ``landcoord:hearingmaps``, the print-ready pack for the public hearing."""

from __future__ import annotations

from .guard import SetupError
from .step import StepController

__all__ = ["HearingStep"]


class HearingStep(StepController):
    KEY = "hearing"
    ALG_ID = "landcoord:hearingmaps"
    FORM = "hearing_step.ui"

    def title(self) -> str:
        return self.tr("Hearing")

    def parameters(self, for_dialog: bool = False):
        raise SetupError(self.availability_note() or self.tr("The hearing pack is not available yet."))

    def load_results(self, result) -> str:
        return ""
