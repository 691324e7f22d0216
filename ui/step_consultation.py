"""The Consultation step: the consent ledger of the project (``allocation/ledger.py``)."""

from __future__ import annotations

from .guard import SetupError
from .step import StepController

__all__ = ["ConsultationStep"]


class ConsultationStep(StepController):
    KEY = "consultation"
    ALG_ID = "landcoord:consentprogress"
    FORM = "consultation_step.ui"

    def title(self) -> str:
        return self.tr("Consultation")

    def refresh(self) -> None:
        super().refresh()
        available = self.is_available()
        for name in ("openLedgerButton", "setConsentButton", "addEventButton", "ledgerFile"):
            getattr(self.form, name).setEnabled(available)

    def parameters(self, for_dialog: bool = False):
        raise SetupError(self.availability_note() or self.tr("The consent ledger is not available yet."))

    def load_results(self, result) -> str:
        return ""
