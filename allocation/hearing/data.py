"""What :func:`~landcoord.allocation.hearing.hearing_data` returns: :class:`HearingData`.

Imports only :mod:`.formatting` (for :class:`Table`) and :mod:`.ledger_block`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyproj

from .formatting import Table
from .ledger_block import LedgerBlock
from .monitoring import MonitoringPage

__all__ = ["HearingData"]


@dataclass
class HearingData:
    """Everything a hearing pack prints for one project (see :func:`hearing_data`).

    Attributes
    ----------
    project, project_name : str
    project_area : float or None
        Area of the project boundary (m²).
    public : bool
        True for the public version (names masked).
    crs : pyproj.CRS
        The CRS of every layer (that of the affected pieces).
    holders : DataFrame
        One row per holder of the project: ``code``, ``label`` (as printed), ``individual``,
        ``basis``, ``parcels``, ``affected_area``, ``project_share``, ``sheet`` (True when the
        holder gets a sheet in this pack). In the public version it has no unmasked name.
    layers : dict of GeoDataFrame
        ``boundary``, ``parcels``, ``pieces``, ``holders`` (one feature per holder; ``sheet`` = 1
        for those with a sheet: the atlas coverage), and when given ``controls``, ``retained``, ``conflicts``.
    overview : Table
        Affected area per holder.
    holder_parcels, holder_scenarios : dict of str -> Table
        Per holder code with a sheet: their parcels; their figures under each scenario.
    benefits, quota, conflicts, conflict_summary, retained : Table or None
    finance, payers, feasibility : Table or None
        What every party gets under every scenario, reconciled per scenario; who pays what; the
        implementing entity's verdict per scenario (:func:`.finance.finance_tables`).
    chart : str or None
        Path of the scenario comparison chart (PNG).
    unverified : bool
        True when a quota or scenario figure printed rests on an unverified value.
    ledger : LedgerBlock or None
        The ledger's fingerprint code and the project's consent progress, when a ledger was given.
    monitoring : MonitoringPage or None
        The project's monitoring indicators on the hearing day, its stage's duties and the
        indicators over the months before (:func:`.monitoring.monitoring_page`); None without a ledger.
    measured : str
        How the areas were measured: CRS and method
        (:func:`~landcoord.allocation.affected.measured_statement`), printed on every sheet.
    land : dict
        The project's land figures, each with one meaning: ``boundary_area`` (None without the
        boundary), ``covered_area`` (the land the parcels cover, counted once: the sum of the
        holders' ``held_area``, the figure the quota, scenarios and consent by area use),
        ``gap_area`` (boundary − covered), ``claimed_area`` (sum of the pieces, double claims
        included) and ``double_claimed_area`` (claimed − covered).
    warnings, notes : list of str
    """

    project: str
    project_name: str
    project_area: float | None
    public: bool
    crs: pyproj.CRS
    holders: pd.DataFrame
    layers: dict
    overview: Table
    holder_parcels: dict
    holder_scenarios: dict
    benefits: Table | None = None
    quota: Table | None = None
    conflicts: Table | None = None
    conflict_summary: Table | None = None
    retained: Table | None = None
    finance: Table | None = None
    payers: Table | None = None
    feasibility: Table | None = None
    chart: str | None = None
    unverified: bool = False
    ledger: LedgerBlock | None = None
    monitoring: MonitoringPage | None = None
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    measured: str = ""
    land: dict = field(default_factory=dict)

    @property
    def sheet_codes(self) -> list:
        """Codes of the holders that get a sheet, in sheet order."""
        return self.holders.loc[self.holders["sheet"], "code"].tolist()
