"""The hearing pack's one public step, :func:`hearing_data`: a short orchestrator of the sheet
builders of this package (project and holders, map layers, overview, benefit, quota and retained
land, conflicts, ledger block, masking), in the order the figures depend on each other.

Imports every module of this package and :mod:`landcoord.allocation`'s errors, feedback and i18n.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from ..errors import InputError
from ..feedback import Feedback
from ..i18n import tr
from .benefit import benefit_tables, quota_table, retained_sheet
from .conflicts import conflict_tables
from .data import HearingData
from .finance import finance_tables
from .holders import (
    _holder_index,
    _holder_types,
    _project_boundary,
    _project_pieces,
    _sheet_selection,
    holder_parcel_tables,
)
from .layers import map_layers
from .ledger_block import ledger_block
from .masking import clean_all, public_text
from .monitoring import monitoring_page
from .overview import overview_table

__all__ = ["hearing_data"]


def hearing_data(
    pieces: gpd.GeoDataFrame,
    *,
    project=None,
    summary: pd.DataFrame | None = None,
    boundary: gpd.GeoDataFrame | None = None,
    project_field: str | None = None,
    project_name: str | None = None,
    project_name_field: str | None = None,
    parcels: gpd.GeoDataFrame | None = None,
    parcel_field: str | None = None,
    holder_field: str | None = None,
    holder_type_field: str | None = None,
    status_field: str | None = None,
    conflicts: gpd.GeoDataFrame | None = None,
    conflict_summary: pd.DataFrame | None = None,
    quota_trail: pd.DataFrame | None = None,
    scenarios: pd.DataFrame | None = None,
    chart=None,
    retained: gpd.GeoDataFrame | None = None,
    controls: gpd.GeoDataFrame | None = None,
    control_kind_field: str | None = None,
    control_name_field: str | None = None,
    public: bool = True,
    holders=None,
    max_holders: int | None = None,
    compound_surnames=None,
    ledger=None,
    finance=None,
    hearing_day=None,
    feedback: Feedback | None = None,
) -> HearingData:
    """Prepare the tables and layers of a hearing pack for one project.

    Parameters
    ----------
    pieces : GeoDataFrame
        Affected pieces (``affected_area(...).pieces``: project, parcel_id, holder, status,
        piece_area, parcel_area, parcel_share), one or more projects.
    project : optional
        The project to print; required when ``pieces`` holds several.
    summary : DataFrame, optional
        Affected area by holder (``affected_area(...).summary``); computed from ``pieces`` if None.
    boundary : GeoDataFrame, optional
        Project boundaries; with ``project_field`` the features of ``project`` are taken (default:
        all features). Gives the project area and the outline on the maps.
    project_name, project_name_field : optional
        The project's name, given or read from a field of ``boundary``.
    parcels : GeoDataFrame, optional
        The cadastre: the base of the maps (parcels near the project) and, with
        ``holder_type_field``, who is an individual. ``parcel_field``, ``holder_field`` and
        ``status_field`` name its fields. Its other fields (ID, phone ...) are never read.
    conflicts, conflict_summary : optional
        The one-map conflicts (input_id, kind, severity, conflict_area, input_share, rule,
        source, adjustment) and the per-input verdicts (input_id, blocking_area, review_area,
        advisory_area, verdict). A table covering several projects is cut to this one: the
        conflicts whose interior meets the project's boundary or its carved land, the verdicts of
        their inputs and of inputs whose id does not name another project.
    quota_trail : DataFrame, optional
        The retained-land quota trail (project, community, item, quantity, value, unit, rule,
        source, verified).
    scenarios : DataFrame, optional
        Benefit-sharing figures per scenario × party (scenario, party, party_type, land_area,
        floor_area, money, swap_floor_area, verified); ``chart`` is its comparison chart (PNG).
    retained : GeoDataFrame, optional
        Carved retained land (community, target_area, area, deviation, compactness, min_width,
        frontage, distance_to_holdings).
    controls : GeoDataFrame, optional
        Control lines / zones of the "one map", with their kind in ``control_kind_field``.
    public : bool
        True (default): the public version, individuals' names masked. False: the internal
        version (full names; never for public display). ID and phone numbers never appear.
    holders : sequence, optional
        Holder codes (H01 ...) or names that get a sheet (default: every holder).
    max_holders : int, optional
        At most this many holder sheets, largest affected area first.
    compound_surnames : optional
        Compound surnames to recognise when masking.
    ledger : path, DSN or Ledger, optional
        The consultation ledger (usually the project's GeoPackage): its fingerprint code (校验码)
        and the project's consent rates, read in one transaction, are printed on the overview
        sheet (:func:`ledger_block`). None (default): nothing about the ledger is printed.
    finance : ScenarioResult or dict of DataFrame, optional
        The result of ``benefit_scenarios`` with finance sections, or its tables (``scenario_parties``,
        ``finance_cashflow``, ``finance_floor``, ``finance_feasibility``; :func:`.finance.read_finance`
        reads them back from the output of ``landcoord benefits``):
        the benefit sheet then shows every party's land, floor area, cash now and income later
        (NPV) under each scenario, reconciled, who pays what, and the implementing entity's
        feasibility verdict (:func:`.finance.finance_tables`).
    hearing_day : str, optional
        The hearing day (``YYYY-MM-DD``, default today): with a ledger, the monitoring page prints
        the project's indicators on that day, as ``landcoord monitor --day`` computes them
        (:func:`.monitoring.monitoring_page`).

    Returns
    -------
    HearingData

    Examples
    --------
    >>> from shapely import box
    >>> pieces = gpd.GeoDataFrame(
    ...     {"project": ["P1"] * 3, "parcel_id": ["G1", "G2", "G3"],
    ...      "holder": ["张伟", "沙井社区股份合作公司", "张伟"], "status": ["房地产证"] * 3,
    ...      "piece_area": [100.0, 300.0, 50.0], "parcel_area": [100.0, 300.0, 100.0],
    ...      "parcel_share": [1.0, 1.0, 0.5]},
    ...     geometry=[box(0, 0, 10, 10), box(10, 0, 40, 10), box(40, 0, 45, 10)], crs=4547)
    >>> d = hearing_data(pieces, project_name="示例项目")
    >>> d.holders[["code", "label", "affected_area"]].values.tolist()
    [['H01', '沙井社区股份合作公司', 300.0], ['H02', '张*', 150.0]]
    >>> d.holder_parcels["H02"].rows
    [['G1', '房地产证', '100.00', '100.00', '100.00%'], ['G3', '房地产证', '100.00', '50.00', '50.00%']]
    """
    # long: its numpydoc docstring (parameters, a runnable example); the body is an orchestrator of phases
    fb = feedback or Feedback()
    warnings: list[str] = []
    notes: list[str] = []

    def warn(msg):
        warnings.append(msg)
        fb.warning(msg)

    p = _project_pieces(pieces, project)
    project = p.project
    bgeom, project_area, project_name = _project_boundary(
        boundary, p, project_field, project_name, project_name_field, notes
    )
    type_of = _holder_types(parcels, holder_field, holder_type_field, warn)
    who = _holder_index(p, summary, type_of, project_area, public, compound_surnames, holder_type_field, warn)
    _sheet_selection(who, holders, max_holders, project)
    layers, outside = map_layers(
        p,
        who,
        bgeom,
        project_name,
        parcels,
        (parcel_field, holder_field, status_field),
        controls,
        (control_kind_field, control_name_field),
        public,
        compound_surnames,
        notes,
    )
    overview, land = overview_table(who, p.mine, project_area, p.measured, public)
    holder_parcels = holder_parcel_tables(who, p.mine)
    sheets = _sheets(
        scenarios,
        finance,
        quota_trail,
        retained,
        (conflicts, conflict_summary),
        p,
        bgeom,
        who,
        layers,
        (public, compound_surnames),
        notes,
    )
    ledger_info = _ledger_info(ledger, p, warn)
    monitoring = None
    if ledger is not None:
        monitoring = monitoring_page(ledger, p.mine, p.project, hearing_day, public=public,
                                     compound_surnames=compound_surnames)  # fmt: skip
    chart_path = _chart_path(chart)

    clean = public_text(who, outside, sheets.extra, public, compound_surnames)
    project_name = clean(str(project_name))
    tables = [overview, *sheets.tables(), *holder_parcels.values(), *sheets.holder_scenarios.values()]
    if monitoring is not None:
        tables += [monitoring.indicators, monitoring.duties, monitoring.history]
    clean_all(clean, layers, tables, notes, warnings)

    return HearingData(
        project=project,
        project_name=str(project_name),
        project_area=project_area,
        public=public,
        crs=p.crs,
        holders=who.table,
        layers=layers,
        overview=overview,
        holder_parcels=holder_parcels,
        **sheets.fields(),
        chart=chart_path,
        ledger=ledger_info,
        monitoring=monitoring,
        warnings=warnings,
        notes=notes,
        measured=p.measured,
        land=land,
    )


@dataclass
class _Sheets:
    """The benefit, finance, quota, retained-land and conflict sheets of one project (before masking)."""

    benefits: pd.DataFrame | None
    holder_scenarios: dict
    extra: dict  # the benefit sheets' party names, for the masking of free text
    finance: pd.DataFrame | None
    payers: pd.DataFrame | None
    feasibility: pd.DataFrame | None
    quota: pd.DataFrame | None
    retained: pd.DataFrame | None
    conflicts: pd.DataFrame | None
    conflict_summary: pd.DataFrame | None
    unverified: bool

    def tables(self) -> list:
        """The sheets' tables, in the order they are masked."""
        first = [self.benefits, self.quota, self.conflicts, self.conflict_summary, self.retained]
        return [*first, self.finance, self.payers, self.feasibility]

    def fields(self) -> dict:
        """The :class:`HearingData` fields these sheets fill."""
        names = ("benefits", "holder_scenarios", "quota", "conflicts", "conflict_summary", "retained")
        names += ("finance", "payers", "feasibility", "unverified")
        return {name: getattr(self, name) for name in names}


def _sheets(
    scenarios, finance, quota_trail, retained, conflict_inputs, p, bgeom, who, layers, masking, notes
):
    """Builds the benefit, finance, quota, retained-land and conflict sheets in the order their figures
    depend on each other; adds the retained land and conflicts to ``layers``."""
    project = p.project
    public, compound_surnames = masking
    benefits, holder_scenarios, extra, unverified = benefit_tables(
        scenarios, project, who, public, compound_surnames, notes
    )
    finance_table, payers_table, feasibility_table, finance_unverified = finance_tables(
        finance, project, who, public, compound_surnames, extra, notes
    )
    quota, quota_ok, quota_unverified = quota_table(quota_trail, project, notes)
    retained_table, retained_layer, target_unverified = retained_sheet(
        retained, p.crs, project, quota_ok, notes
    )
    if retained_layer is not None:
        layers["retained"] = retained_layer
    conflicts, conflict_summary = conflict_inputs
    conflict_table, verdict_table, conflicts_layer = conflict_tables(
        conflicts, conflict_summary, p, bgeom, retained_layer, notes
    )
    if conflicts_layer is not None:
        layers["conflicts"] = conflicts_layer
    return _Sheets(
        benefits=benefits,
        holder_scenarios=holder_scenarios,
        extra=extra,
        finance=finance_table,
        payers=payers_table,
        feasibility=feasibility_table,
        quota=quota,
        retained=retained_table,
        conflicts=conflict_table,
        conflict_summary=verdict_table,
        unverified=unverified or quota_unverified or target_unverified or finance_unverified,
    )


def _ledger_info(ledger, p, warn):
    """The ledger block of the overview sheet (fingerprint and consent rates), its warnings passed on;
    None without a ledger."""
    if ledger is None:
        return None
    info = ledger_block(ledger, p.mine, p.project)
    for w in info.warnings:
        warn(w)
    return info


def _chart_path(chart):
    """The scenario chart (PNG) as a path text, refused when there is no such file; None for none."""
    if chart is None:
        return None
    chart_path = str(Path(chart))
    if not Path(chart_path).is_file():
        raise InputError(
            tr(
                "The scenario chart '{path}' does not exist; give the PNG the scenarios step wrote.",
                path=chart_path,
            )
        )
    return chart_path
