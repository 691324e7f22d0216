"""What a hearing pack (听证会图册) prints: every table, already masked and formatted, and safe layers.

:func:`hearing_data` takes the outputs of the other steps (affected area, conflicts, quota trail,
benefit scenarios, carved retained land) for ONE project and returns a :class:`HearingData`: the
tables of every sheet as text cells (numbers formatted once, here, so that what is printed can be
compared with what was computed), and the layers the maps draw, carrying only what may be printed.

Privacy is applied here, before anything reaches a layout: in the public version (the default)
individual rights-holders' names are masked (:mod:`landcoord.allocation.privacy`), holders are
identified on the maps by a sheet code (H01, H02 ...) and their masked name, and no layer or table
carries an ID-card number, a phone number or an unmasked individual name. A user's own layout
template therefore cannot print them either.

Every quota or scenario figure whose rule value is not verified is marked ``未核实 unverified``
in its cell, and the sheet says the figures are not official.

Column names of the other steps' outputs are matched through :data:`COLUMN_ALIASES` (one place),
so a slightly different name (``party_name`` for ``party``) still works.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from .affected import measured_statement
from .errors import FieldError, InputError, LayerError
from .feedback import Feedback
from .i18n import tr
from .io.files import column_values, layer_name
from .privacy import PublicText, classify_holders, is_organisation_name, mask_name, scrub_text

__all__ = [
    "UNVERIFIED",
    "UNVERIFIED_MARK",
    "COLUMN_ALIASES",
    "PARTY_TYPE_LABELS",
    "SEVERITY_LABELS",
    "Table",
    "LedgerBlock",
    "HearingData",
    "FIELD_ARGUMENTS",
    "adapt_columns",
    "field_arguments",
    "hearing_data",
    "ledger_block",
    "shanghai_time",
    "fmt_area",
    "fmt_money",
    "fmt_share",
    "is_verified",
]

#: The field-name arguments of :func:`hearing_data` (the sample's and the command line's settings use
#: the same names).
FIELD_ARGUMENTS = (
    "project_field",
    "project_name_field",
    "parcel_field",
    "holder_field",
    "holder_type_field",
    "status_field",
    "control_kind_field",
    "control_name_field",
)


def field_arguments(settings) -> dict:
    """The :data:`FIELD_ARGUMENTS` found in ``settings`` (a mapping), to pass to :func:`hearing_data`."""
    return {k: settings[k] for k in FIELD_ARGUMENTS if k in settings}


#: What unverified means, in the notes of the sheets.
UNVERIFIED = "未核实 unverified"
#: The mark printed under every figure that rests on an unverified rule value.
UNVERIFIED_MARK = "未核实"

#: Expected columns of each input table -> other names accepted for them (the adapter's one place).
COLUMN_ALIASES: dict[str, dict[str, tuple]] = {
    "pieces": {
        "project": ("项目编号", "project_id"),
        "parcel_id": ("宗地号", "parcel"),
        "holder": ("权利人",),
        "status": ("用地状态",),
        "piece_area": ("area", "affected_area"),
        "parcel_area": (),
        "parcel_share": ("share",),
    },
    "summary": {
        "project": ("项目编号", "project_id"),
        "holder": ("权利人",),
        "parcels": ("parcel_count", "n_parcels"),
        "affected_area": ("area",),
        "project_share": ("share",),
    },
    "conflicts": {
        "input_id": ("input", "id", "proposal_id"),
        "kind": ("control_kind", "类型"),
        "severity": (),
        "conflict_area": ("area", "overlap_area"),
        "input_share": ("share",),
        "rule": ("rule_text",),
        "source": ("document",),
        "verified": (),
    },
    "conflict_summary": {
        "input_id": ("input", "id"),
        "blocking_area": ("blocking",),
        "review_area": ("review",),
        "advisory_area": ("advisory",),
        "verdict": (),
    },
    "quota_trail": {
        "project": ("project_id",),
        "community": ("社区",),
        "item": ("key", "name"),
        "quantity": ("label", "description"),
        "value": (),
        "unit": (),
        "rule": ("formula",),
        "source": ("document",),
        "verified": ("official",),
        "note": (),
    },
    "scenarios": {
        "scenario": ("scenario_id", "option", "方案"),
        "project": ("project_id",),
        "party": ("party_name", "name", "参与方"),
        "party_type": ("type", "party_kind", "类别"),
        "land_area": ("land", "land_m2", "用地面积"),
        "floor_area": ("floor", "floor_m2", "建筑面积"),
        "money": ("cash", "compensation", "货币补偿"),
        "swap_floor_area": ("swap_area", "swap_floor", "swap", "置换建筑面积"),
        "verified": ("official",),
    },
    "retained": {
        "project": (),
        "community": ("社区",),
        "target_area": ("quota", "target"),
        "area": ("carved_area",),
        "deviation": (),
        "compactness": (),
        "min_width": (),
        "frontage": (),
        "distance_to_holdings": ("distance",),
    },
}

#: Party types of the scenarios table as printed.
PARTY_TYPE_LABELS = {
    "government": "政府 government",
    "community": "社区 community",
    "holder": "权利人 holder",
    "developer": "开发主体 developer",
    "entity": "实施主体 implementing entity",
}
#: Conflict severities as printed.
SEVERITY_LABELS = {
    "blocking": "禁止 blocking",
    "review": "需审查 review",
    "advisory": "提示 advisory",
    "sliver": "碎片 sliver",
}
_VERDICT_LABELS = {"clear": "无冲突 clear", "review": "需审查 review", "blocked": "不可行 blocked"}
_NO_HOLDER = "（无权利人 no holder）"


def fmt_area(value) -> str:
    """An area (m²) as printed: thousands separators, two decimals; '—' when missing.

    >>> fmt_area(1234.5), fmt_area(None), fmt_area(-0.001)
    ('1,234.50', '—', '0.00')
    """
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "—"
    value = float(value)
    if abs(value) < 0.005:
        value = 0.0  # no "-0.00"
    return f"{value:,.2f}"


fmt_money = fmt_area


def fmt_share(value) -> str:
    """A share as a percentage with two decimals.

    >>> fmt_share(0.12345)
    '12.35%'
    """
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "—"
    return f"{float(value):.2%}"


def is_verified(value) -> bool:
    """Whether a ``verified`` cell says verified. Missing, empty and unknown values do not.

    >>> [is_verified(v) for v in (True, 1, "true", "是", False, None, "", float("nan"))]
    [True, True, True, True, False, False, False, False]
    """
    if value is None:
        return False
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value) == 1
    if isinstance(value, float):
        return value == 1.0
    return str(value).strip().casefold() in {"true", "yes", "y", "1", "是", "已核实", "verified", "t"}


@dataclass
class Table:
    """One printed table: header, text cells, the values behind them and the rows to mark.

    Attributes
    ----------
    title : str
    columns : list of str
        Header texts.
    rows : list of list of str
        The cells exactly as printed.
    values : DataFrame
        The figures behind ``rows`` (same order; the total row, if any, is not in it).
    align : list of str
        ``"l"`` or ``"r"`` per column.
    marked : list of bool
        Rows printed highlighted (an unverified figure, a blocking conflict).
    total : list of str or None
        A total row printed after every page's last row of the table's last page.
    note : str
        A footnote printed under the table.
    """

    title: str
    columns: list
    rows: list
    values: pd.DataFrame
    align: list
    marked: list = field(default_factory=list)
    total: list | None = None
    note: str = ""

    def __post_init__(self):
        if not self.marked:
            self.marked = [False] * len(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class LedgerBlock:
    """The consultation ledger as the overview sheet prints it: its fingerprint code (校验码) and the
    project's consent progress, read in one read transaction (see :func:`ledger_block`).

    Only aggregates: no holder is named, so the block is the same in the public and internal version.

    Attributes
    ----------
    code : str
        ``LC1-<entries>-XXXX-XXXX-XXXX-XXXX`` (:meth:`Ledger.fingerprint`).
    entries : int
        Audit entries the code covers.
    last_changed_at : str or None
        UTC time of the last of them (``YYYY-MM-DDTHH:MM:SS.sssZ``); None for an empty trail.
    progress : dict
        The project's row of the consent progress (:data:`PROGRESS_COLUMNS` of
        :func:`~landcoord.allocation.ledger.consent_progress`): ``holders``, ``consented``,
        ``consent_rate``, ``area``, ``area_consented``, ``area_consent_rate`` ...
    lines : list of str
        The block's text, line by line, as printed.
    warnings : list of str
        Warnings of the consent progress (for the officer, not printed).
    """

    code: str
    entries: int
    last_changed_at: str | None
    progress: dict
    lines: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def shanghai_time(utc_text) -> str:
    """A UTC time of the ledger as Shanghai local time with its offset (China has no summer time).

    >>> shanghai_time("2026-11-25T18:35:15.123Z"), shanghai_time(None)
    ('2026-11-26 02:35:15 +08:00', '—')
    """
    from datetime import UTC, datetime, timedelta, timezone

    if not utc_text:
        return "—"
    when = datetime.fromisoformat(str(utc_text).replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone(timezone(timedelta(hours=8)))
    return local.strftime("%Y-%m-%d %H:%M:%S +08:00")


def ledger_block(ledger, pieces, project) -> LedgerBlock:
    """Read the ledger's fingerprint and the consent progress of ``project`` in ONE read transaction.

    Parameters
    ----------
    ledger : path, DSN or Ledger
        The project GeoPackage holding the ledger (or a PostgreSQL DSN), or an open
        :class:`~landcoord.allocation.ledger.Ledger` (left open).
    pieces : DataFrame
        Affected pieces with ``project``, ``holder`` and ``piece_area`` (the pack's own).
    project : str
        The pack's project.

    Raises
    ------
    LedgerError
        ``ledger`` is no file, not a GeoPackage, or has no consultation ledger (the message names it).
    """
    from .ledger import Ledger, consent_progress

    own = not isinstance(ledger, Ledger)
    led = Ledger.open(ledger) if own else ledger
    try:
        with led.read_transaction():  # the code of the very records the rates come from
            fingerprint = led.fingerprint()
            # Ledger.progress over this project's records only, so that other projects of the
            # ledger give no "not reported" warnings
            result = consent_progress(
                led.consent_table(project),
                pieces,
                project_field="project",
                holder_field="holder",
                area_field=None,  # held_area: the land counted once, as the overview counts it
                projects=[project],
            )
            procedure_lines = _procedure_lines(led, project)
    finally:
        if own:
            led.close()
    row = result.projects.iloc[0].to_dict() if len(result.projects) else {}
    block = LedgerBlock(
        fingerprint.code, fingerprint.entries, fingerprint.last_changed_at, row, warnings=result.warnings
    )
    block.lines = [
        f"台账校验码 Ledger code：{fingerprint.code}",
        f"审计记录 {fingerprint.entries} 条，截至 {shanghai_time(fingerprint.last_changed_at)}"
        f"（{fingerprint.entries} audit entries up to then）",
        "同意率（已同意及已签约）consent (agreed or signed)：",
        f"　按权利人 by holders：{int(row.get('consented', 0))} / {int(row.get('holders', 0))}"
        f"（{fmt_share(row.get('consent_rate'))}）",
        f"　按受影响面积 by affected area：{fmt_area(row.get('area_consented'))} / "
        f"{fmt_area(row.get('area'))} m²（{fmt_share(row.get('area_consent_rate'))}）",
        *procedure_lines,
        "核验 verify：landcoord consent verify --code " + fingerprint.code,
    ]
    return block


def _procedure_lines(ledger, project) -> list:
    """The project's stage history and public notices, for the ledger block (no names: stages, days,
    counts). Empty when the project has neither."""
    from .notice import notices, objections
    from .procedure import load_procedure, stage_history

    moves = stage_history(ledger, project)
    ns = notices(ledger, project)
    out = []
    if len(moves):
        labels = {st.key: st.label.split(" ")[0] for st in load_procedure().stages}
        steps = [
            f"{labels.get(m.to_stage, m.to_stage)} {m.moved_on}" + ("（强制 forced）" if m.forced else "")
            for m in moves.itertuples()
        ]
        out.append("阶段记录 stage history：" + " → ".join(steps))
    if len(ns):
        objs = objections(ledger)
        objs = objs[objs["notice_id"].isin(list(ns["id"]))]
        answered = int(objs["answer_date"].notna().sum())
        for n in ns.itertuples():
            state = f"已结束 closed {n.closed_date}" if n.status == "closed" else "公示中 open"
            out.append(f"公示 notice：{n.start_date} 至 {n.end_date}，{state}")
        out.append(f"　异议 objections：{len(objs)} 条，已答复 answered {answered} 条")
    return out


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
    chart : str or None
        Path of the scenario comparison chart (PNG).
    unverified : bool
        True when a quota or scenario figure printed rests on an unverified value.
    ledger : LedgerBlock or None
        The ledger's fingerprint code and the project's consent progress, when a ledger was given.
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
    chart: str | None = None
    unverified: bool = False
    ledger: LedgerBlock | None = None
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    measured: str = ""
    land: dict = field(default_factory=dict)

    @property
    def sheet_codes(self) -> list:
        """Codes of the holders that get a sheet, in sheet order."""
        return self.holders.loc[self.holders["sheet"], "code"].tolist()


def adapt_columns(frame, table: str, required=(), name: str | None = None):
    """A copy of ``frame`` with its columns renamed to the names :data:`COLUMN_ALIASES` expects.

    Parameters
    ----------
    frame : DataFrame
    table : str
        Key of :data:`COLUMN_ALIASES` (``"scenarios"``, ``"conflicts"``, ...).
    required : sequence of str
        Expected columns that must be present (after renaming).
    name : str, optional
        Name of the table for messages (default: the frame's layer name).

    Raises
    ------
    FieldError
        When a required column is missing; the message lists the accepted names.

    Examples
    --------
    >>> df = pd.DataFrame({"scenario_id": ["A"], "party_name": ["x"], "type": ["holder"], "cash": [1.0]})
    >>> adapt_columns(df, "scenarios", required=["scenario", "party", "money"]).columns.tolist()
    ['scenario', 'party', 'party_type', 'money']
    """
    aliases = COLUMN_ALIASES[table]
    label = name or layer_name(frame)
    geom = getattr(frame, "_geometry_column_name", None) if isinstance(frame, gpd.GeoDataFrame) else None
    cols = [c for c in frame.columns if c != geom]
    rename = {}
    folded = {str(c).casefold(): c for c in cols}
    for want, alts in aliases.items():
        if want in cols:
            continue
        for alt in (want, *alts):
            c = folded.get(str(alt).casefold())
            if c is not None and c not in rename and c not in aliases:
                rename[c] = want
                break
    out = frame.rename(columns=rename)
    for want in required:
        if want not in out.columns:
            accepted = ", ".join([want, *aliases.get(want, ())])
            raise FieldError(
                label,
                want,
                cols,
                expected=tr("present (a column named one of: {accepted})", accepted=accepted),
            )
    return out


def _same(values, key) -> np.ndarray:
    """values == key, comparing as text so that 1 and '1' match."""
    k = str(key)
    return np.array([v is not None and str(v) == k for v in values], dtype=bool)


def _no_crs(layer: str, what: str) -> LayerError:
    return LayerError(
        tr("Layer '{layer}' ({what}) has no coordinate reference system; set it.", layer=layer, what=what)
    )


def _reproject(gdf, crs, what: str, notes: list):
    """``gdf`` in ``crs`` (a note when it is reprojected); ``what`` says what it is (translated)."""
    if gdf.crs is None:
        raise _no_crs(layer_name(gdf), what)
    if not pyproj.CRS(gdf.crs).equals(crs):
        notes.append(
            tr(
                "Layer '{layer}' ({what}) reprojected to {crs} for the maps.",
                layer=layer_name(gdf),
                what=what,
                crs=pyproj.CRS(crs).name,
            )
        )
        return gdf.to_crs(crs)
    return gdf


def _frame(columns: dict, geoms, crs, index=None) -> gpd.GeoDataFrame:
    df = pd.DataFrame(
        {k: pd.Series(list(v), dtype=object if not _numeric(v) else float) for k, v in columns.items()}
    )
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(list(geoms), crs=crs), crs=crs)


def _numeric(values) -> bool:
    vals = [v for v in values if v is not None]
    return bool(vals) and all(isinstance(v, (float, np.floating)) for v in vals)


def _text(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def _code_width(n: int) -> int:
    return max(2, len(str(n)))


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
    fb = feedback or Feedback()
    warnings: list[str] = []
    notes: list[str] = []

    def warn(msg):
        warnings.append(msg)
        fb.warning(msg)

    # --- the project's pieces ---------------------------------------------------------------------
    if pieces is None or not isinstance(pieces, gpd.GeoDataFrame):
        raise InputError(tr("hearing_data: 'pieces' must be the GeoDataFrame of affected pieces."))
    pname = layer_name(pieces)
    pieces = adapt_columns(
        pieces, "pieces", required=["project", "parcel_id", "holder", "piece_area"], name=pname
    )
    if pieces.crs is None:
        raise _no_crs(pname, tr("affected pieces"))
    crs = pyproj.CRS(pieces.crs)
    projects = list(dict.fromkeys(str(p) for p in column_values(pieces, "project") if p is not None))
    if project is None:
        if len(projects) != 1:
            raise InputError(
                tr(
                    "Layer '{layer}' holds {count} projects ({projects}); choose the project to print.",
                    layer=pname,
                    count=len(projects),
                    projects=", ".join(projects[:20]) or tr("none"),
                )
            )
        project = projects[0]
    project = str(project)
    if project not in projects:
        raise InputError(
            tr(
                "Project '{project}' is not in layer '{layer}' (affected pieces); "
                "its projects are: {projects}.",
                project=project,
                layer=pname,
                projects=", ".join(projects[:50]) or tr("(none)"),
            )
        )
    mine = pieces[_same(column_values(pieces, "project"), project)].copy()
    for col in ("status", "parcel_area", "parcel_share"):
        if col not in mine.columns:
            mine[col] = None if col == "status" else np.nan
    mine["piece_area"] = pd.to_numeric(mine["piece_area"], errors="coerce").astype(float)
    mine["parcel_area"] = pd.to_numeric(mine["parcel_area"], errors="coerce").astype(float)
    mine["parcel_share"] = pd.to_numeric(mine["parcel_share"], errors="coerce").astype(float)
    # the land counted once (double-claimed land split between its claimants), as the quota,
    # scenarios and consent by area count it; pieces without held_area count piece_area
    if "held_area" in mine.columns:
        mine["held_area"] = pd.to_numeric(mine["held_area"], errors="coerce").astype(float)
    else:
        mine["held_area"] = mine["piece_area"]
    measured = measured_statement(mine)

    # --- the boundary and the project's name and area ------------------------------------------------
    bgeom = None
    project_area = None
    if boundary is not None:
        boundary = _reproject(boundary, crs, tr("project boundaries"), notes)
        if project_field:
            if project_field not in boundary.columns:
                raise FieldError(layer_name(boundary), project_field, list(boundary.columns))
            sel = _same(column_values(boundary, project_field), project)
            if not sel.any():
                raise InputError(
                    tr(
                        "Layer '{layer}': no feature has {field} = '{project}'; choose the project id field "
                        "that the affected pieces were computed with.",
                        layer=layer_name(boundary),
                        field=project_field,
                        project=project,
                    )
                )
            b = boundary[sel]
        else:
            b = boundary
        bgeom = shapely.union_all(shapely.make_valid(b.geometry.values))
        project_area = float(bgeom.area)
        if project_name is None and project_name_field:
            if project_name_field not in b.columns:
                raise FieldError(layer_name(boundary), project_name_field, list(boundary.columns))
            names = [v for v in column_values(b, project_name_field) if v is not None]
            project_name = str(names[0]) if names else None
    if bgeom is None:
        bgeom = shapely.union_all(mine.geometry.values) if len(mine) else shapely.Polygon()
    project_name = project_name or project

    # --- who is an individual ------------------------------------------------------------------------
    raw_holders = column_values(mine, "holder")
    type_of: dict = {}
    if parcels is not None and holder_type_field:
        for f in (holder_field, holder_type_field):
            if not f or f not in parcels.columns:
                raise FieldError(layer_name(parcels), str(f), list(parcels.columns))
        kinds: dict = {}
        for h, t in zip(column_values(parcels, holder_field), column_values(parcels, holder_type_field)):
            if h is not None:
                kinds.setdefault(h, []).append(t)
        for h, ts in kinds.items():
            distinct = list(dict.fromkeys(t for t in ts if t is not None))
            if len(distinct) > 1:
                # any individual type wins: masking is the safe side
                cls = classify_holders([h] * len(distinct), distinct)
                type_of[h] = distinct[int(np.argmax(cls["individual"].to_numpy()))]
                warn(
                    tr(
                        "Layer '{layer}': one holder has holder types {types} in field '{field}'; "
                        "treated as '{type}'.",
                        layer=layer_name(parcels),
                        types=", ".join(map(str, distinct)),
                        field=holder_type_field,
                        type=type_of[h],
                    )
                )
            else:
                type_of[h] = distinct[0] if distinct else None
    elif holder_type_field:
        warn(
            tr(
                "Holder type field '{field}' given without the parcels layer; names decide.",
                field=holder_type_field,
            )
        )

    # --- per-holder figures ----------------------------------------------------------------------------
    if summary is not None:
        summary = adapt_columns(summary, "summary", required=["holder", "affected_area"], name="summary")
        if "project" in summary.columns:
            summary = summary[_same(column_values(summary, "project"), project)]
        srows = {}
        for r in summary.to_dict("records"):
            srows[r["holder"] if r["holder"] == r["holder"] else None] = r
    else:
        srows = None
    order = pd.DataFrame(
        {
            "holder": pd.Series(raw_holders, dtype=object),
            "area": mine["piece_area"].to_numpy(),
            "held": mine["held_area"].to_numpy(),
        }
    )
    grp = order.groupby("holder", dropna=False, sort=False)["area"].sum()
    held_grp = order.groupby("holder", dropna=False, sort=False)["held"].sum()
    keys = list(grp.index)
    keys = [None if (k is None or (isinstance(k, float) and k != k)) else k for k in keys]
    per_parcels = {}
    for h, pid in zip(raw_holders, column_values(mine, "parcel_id")):
        per_parcels.setdefault(h, set()).add(pid)
    area_of = {k: float(a) for k, a in zip(keys, grp.to_numpy())}
    held_of = {k: float(a) for k, a in zip(keys, held_grp.to_numpy())}
    if srows is not None:
        missing = [k for k in keys if k not in srows]
        if missing:
            raise InputError(
                tr(
                    "The summary table has no row for {count} holder(s) of project '{project}' that the "
                    "pieces have; give the summary computed with these pieces, or none "
                    "(it is then computed).",
                    count=len(missing),
                    project=project,
                )
            )
        for k in keys:
            if abs(float(srows[k]["affected_area"]) - area_of[k]) > 1e-6 * max(area_of[k], 1.0):
                raise InputError(
                    tr(
                        "The summary table's affected area of a holder of project '{project}' "
                        "({area:.2f} m²) differs from the sum of its pieces ({pieces:.2f} m²); "
                        "give the summary computed with these pieces.",
                        project=project,
                        area=float(srows[k]["affected_area"]),
                        pieces=area_of[k],
                    )
                )
    keys.sort(key=lambda k: (-area_of[k], str(k)))
    types = [type_of.get(k) for k in keys]
    cls = classify_holders(
        keys, types if type_of else None, public=public, compound_surnames=compound_surnames
    )
    for k, b in zip(keys, cls["basis"]):
        if b.startswith("masked"):
            warn(
                tr(
                    "A holder of project '{project}' is typed as an organisation in '{field}' but its name "
                    "has no organisation marker; it is masked to be safe. Check its holder type. "
                    "Parcels: {parcels}",
                    project=project,
                    field=holder_type_field,
                    parcels=", ".join(sorted(map(str, per_parcels.get(k, ()))))[:200],
                )
            )
    width = _code_width(len(keys))
    codes = [f"H{i + 1:0{width}d}" for i in range(len(keys))]
    labels = [d if d is not None else _NO_HOLDER for d in cls["display"]]
    code_of = dict(zip(keys, codes))
    label_of = dict(zip(keys, labels))
    individual = dict(zip(keys, cls["individual"]))
    holder_rows = []
    for k, c, lab in zip(keys, codes, labels):
        if srows is not None:
            r = srows[k]
            n = int(r.get("parcels", len(per_parcels.get(k, ()))))
            a = float(r["affected_area"])
            share = r.get("project_share")
            share = float(share) if share is not None and share == share else None
        else:
            n = len(per_parcels.get(k, ()))
            a = area_of[k]
            share = a / project_area if project_area else None
        holder_rows.append((c, lab, bool(individual[k]), n, a, share, held_of[k]))
    holders_df = pd.DataFrame(
        holder_rows,
        columns=["code", "label", "individual", "parcels", "affected_area", "project_share", "held_area"],
    )
    holders_df["basis"] = cls["basis"].to_numpy()

    # which holders get a sheet
    sheet = np.ones(len(keys), dtype=bool)
    if holders is not None:
        wanted = [str(h) for h in holders]
        known = set(codes) | {str(k) for k in keys if k is not None}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise InputError(
                tr(
                    "Holder(s) {holders} are not holders of project '{project}'; give sheet codes "
                    "{first}...{last} or names as in the cadastre.",
                    holders=", ".join(unknown[:10]),
                    project=project,
                    first=codes[0] if codes else "H01",
                    last=codes[-1] if codes else "",
                )
            )
        sheet = np.array([c in wanted or (k is not None and str(k) in wanted) for c, k in zip(codes, keys)])
    if max_holders is not None:
        if max_holders < 0:
            raise InputError(tr("max_holders must be 0 or more, got {value}.", value=max_holders))
        sheet &= np.cumsum(sheet) <= max_holders
    holders_df["sheet"] = sheet

    # --- layers ----------------------------------------------------------------------------------------
    outside: dict = {}  # holders of parcels near the project (base map) -> as printed
    extra: dict = {}  # scenario parties that are no holders of the project -> as printed
    layers: dict = {}
    layers["boundary"] = _frame({"project": [project], "name": [project_name]}, [bgeom], crs)
    piece_codes = [code_of[None if (h is None) else h] for h in raw_holders]
    piece_layer = _frame(
        {
            "parcel_id": [_text(v) for v in column_values(mine, "parcel_id")],
            "holder_code": piece_codes,
            "holder_label": [label_of[h] for h in raw_holders],
            "status": [_text(v) for v in column_values(mine, "status")],
            "piece_area": mine["piece_area"].to_numpy(),
        },
        mine.geometry.values,
        crs,
    )
    layers["pieces"] = piece_layer
    # holders: one feature per holder (the union of its pieces); "sheet" = 1 for those with a
    # sheet: the atlas coverage of the holder sheets, filtered on it
    raw_arr = np.empty(len(raw_holders), dtype=object)
    raw_arr[:] = list(raw_holders)
    hgeoms = []
    for k in keys:
        sel = np.array([h == k for h in raw_arr], dtype=bool)
        hgeoms.append(shapely.union_all(mine.geometry.values[sel]))
    layers["holders"] = _frame(
        {
            "code": codes,
            "label": labels,
            "sheet": [1.0 if s else 0.0 for s in sheet],
            "parcels": [float(v) for v in holders_df["parcels"]],
            "affected_area": [float(v) for v in holders_df["affected_area"]],
        },
        hgeoms,
        crs,
    )
    # the base map: parcels near the project (the map extent), holder shown as on the sheets
    if parcels is not None:
        parcels = _reproject(parcels, crs, tr("parcels"), notes)
        for f in (parcel_field, holder_field):
            if not f or f not in parcels.columns:
                raise FieldError(layer_name(parcels), str(f), list(parcels.columns))
        if status_field and status_field not in parcels.columns:
            raise FieldError(layer_name(parcels), status_field, list(parcels.columns))
        minx, miny, maxx, maxy = shapely.bounds(bgeom) if not bgeom.is_empty else parcels.total_bounds
        pad = 0.25 * max(maxx - minx, maxy - miny, 1.0)
        near = parcels.cx[minx - pad : maxx + pad, miny - pad : maxy + pad]
        ph = column_values(near, holder_field)
        in_project = [h in code_of for h in ph]
        p_labels = []
        for h, inside in zip(ph, in_project):
            if inside:
                p_labels.append(label_of[h])
            elif h is None:
                p_labels.append(_NO_HOLDER)
            else:
                if h not in outside:
                    t = [type_of.get(h)] if type_of else None
                    outside[h] = classify_holders([h], t, public=public, compound_surnames=compound_surnames)[
                        "display"
                    ].iloc[0]
                p_labels.append(outside[h])
        layers["parcels"] = _frame(
            {
                "parcel_id": [_text(v) for v in column_values(near, parcel_field)],
                "holder_code": [code_of[h] if ok else None for h, ok in zip(ph, in_project)],
                "holder_label": p_labels,
                "status": [_text(v) for v in column_values(near, status_field)]
                if status_field
                else [""] * len(near),
            },
            near.geometry.values,
            crs,
        )
    else:
        layers["parcels"] = piece_layer[
            ["parcel_id", "holder_code", "holder_label", "status", "geometry"]
        ].copy()
    if controls is not None:
        controls = _reproject(controls, crs, tr("control lines"), notes)
        if not control_kind_field or control_kind_field not in controls.columns:
            raise FieldError(
                layer_name(controls),
                str(control_kind_field),
                list(controls.columns),
                expected=tr("the kind field"),
            )
        if control_name_field and control_name_field not in controls.columns:
            raise FieldError(layer_name(controls), control_name_field, list(controls.columns))
        layers["controls"] = _frame(
            {
                "kind": [_text(v) for v in column_values(controls, control_kind_field)],
                "name": [scrub_text(_text(v)) for v in column_values(controls, control_name_field)]
                if control_name_field
                else [""] * len(controls),
            },
            controls.geometry.values,
            crs,
        )

    # --- overview table ------------------------------------------------------------------------------------
    ov_rows = [
        [
            r.code,
            r.label,
            _type_label(r.basis, r.individual),
            str(r.parcels),
            fmt_area(r.affected_area),
            fmt_share(r.project_share),
            fmt_area(r.held_area),
        ]
        for r in holders_df.itertuples(index=False)
    ]
    total_area = float(holders_df["affected_area"].sum())
    covered = float(holders_df["held_area"].sum())
    land = {
        "boundary_area": project_area,
        "covered_area": covered,
        "gap_area": max(project_area - covered, 0.0) if project_area is not None else None,
        "claimed_area": total_area,
        "double_claimed_area": max(total_area - covered, 0.0),
    }
    land_note = (
        f"项目用地 project land：范围 boundary {fmt_area(project_area)} m² "
        f"= 覆盖 covered {fmt_area(covered)} m² + 缺口 gaps {fmt_area(land['gap_area'])} m²；"
        f"主张 claimed {fmt_area(total_area)} m²，"
        f"其中重复主张 double-claimed {fmt_area(land['double_claimed_area'])} m² 由各主张方均分计入 "
        "(split equally between its claimants in the counted column)。"
        if project_area is not None
        else f"项目用地 project land：覆盖 covered {fmt_area(covered)} m²；"
        f"主张 claimed {fmt_area(total_area)} m²。"
    ) + f" 量算 measured: {measured}。"
    overview = Table(
        title="受影响面积（按权利人） Affected area by rights-holder",
        columns=[
            "编号 code",
            "权利人 holder",
            "类型 type",
            "宗地 parcels",
            "受影响面积 area m²",
            "占项目 share",
            "计入面积 counted m²",
        ],
        rows=ov_rows,
        values=holders_df[["code", "parcels", "affected_area", "project_share", "held_area"]].copy(),
        align=["l", "l", "l", "r", "r", "r", "r"],
        total=[
            "合计 total",
            f"{len(holders_df)} 权利人 holders",
            "",
            str(int(mine["parcel_id"].nunique())),
            fmt_area(total_area),
            fmt_share(total_area / project_area) if project_area else "—",
            fmt_area(covered),
        ],
        note=(
            "个人权利人姓名已脱敏（公开版）。 Individuals' names are masked (public version). "
            "类型按数据 type from the data; 脱敏另行决定 masking is a separate decision. "
            if public
            else "内部版：含权利人全名，不得公开展示。 Internal version: full names, not for public display. "
        )
        + land_note,
    )

    # --- holders' parcel tables ---------------------------------------------------------------------------
    holder_parcels: dict = {}
    for k, c, s in zip(keys, codes, sheet):
        if not s:
            continue
        sel = np.array([h == k for h in raw_holders], dtype=bool)
        sub = mine[sel].sort_values("parcel_id", key=lambda x: x.astype(str), kind="stable")
        vals = pd.DataFrame(
            {
                "parcel_id": [_text(v) for v in column_values(sub, "parcel_id")],
                "status": [_text(v) for v in column_values(sub, "status")],
                "parcel_area": sub["parcel_area"].to_numpy(),
                "piece_area": sub["piece_area"].to_numpy(),
                "parcel_share": sub["parcel_share"].to_numpy(),
            }
        )
        holder_parcels[c] = Table(
            title="宗地 Parcels",
            columns=[
                "宗地号 parcel",
                "用地状态 status",
                "宗地面积 parcel m²",
                "受影响面积 affected m²",
                "占宗地 share",
            ],
            rows=[
                [p, st, fmt_area(pa), fmt_area(a), fmt_share(sh)]
                for p, st, pa, a, sh in vals.itertuples(index=False)
            ],
            values=vals,
            align=["l", "l", "r", "r", "r"],
            total=["合计 total", "", "", fmt_area(float(vals["piece_area"].sum())), ""],
        )

    unverified = False
    # --- scenarios ------------------------------------------------------------------------------------------
    benefits = None
    holder_scenarios: dict = {}
    if scenarios is not None:
        sc = adapt_columns(
            scenarios,
            "scenarios",
            required=[
                "scenario",
                "party",
                "party_type",
                "land_area",
                "floor_area",
                "money",
                "swap_floor_area",
            ],
            name=layer_name(scenarios) if hasattr(scenarios, "attrs") else "scenarios",
        )
        if "project" in sc.columns:
            sc = sc[_same(column_values(sc, "project"), project)]
        if "verified" not in sc.columns:
            sc = sc.assign(verified=False)
            notes.append(
                tr(
                    "The scenarios table has no 'verified' column: every scenario figure is printed "
                    "as unverified."
                )
            )
        sc = sc.reset_index(drop=True)
        for col in ("land_area", "floor_area", "money", "swap_floor_area"):
            sc[col] = pd.to_numeric(sc[col], errors="coerce").astype(float)
        ok = [is_verified(v) for v in sc["verified"]]
        unverified |= not all(ok)
        ptypes = [_text(t) for t in sc["party_type"]]
        parties = column_values(sc, "party")
        shown = []
        # the scenarios step names the land of no holder '(no holder)'
        parties = np.array([None if p == "(no holder)" else p for p in parties], dtype=object)
        for p, t in zip(parties, ptypes):
            if t.casefold() == "holder" or t == "权利人":
                if p in label_of:
                    shown.append(f"{code_of[p]} {label_of[p]}")
                    continue
                if p not in extra:
                    tp = [type_of.get(p)] if type_of else None
                    extra[p] = (
                        classify_holders([p], tp, public=public, compound_surnames=compound_surnames)[
                            "display"
                        ].iloc[0]
                        or _NO_HOLDER
                    )
                shown.append(extra[p])
            else:
                # government, community, developer: organisations, printed in full unless the name
                # reads as a person's (a developer that is a natural person)
                txt = scrub_text(_text(p))
                person_like = t.casefold() in ("developer", "entity") and not is_organisation_name(txt)
                if public and txt and person_like:
                    txt = mask_name(txt, compound_surnames)
                shown.append(txt)
        sc["shown"] = shown
        sc["type_label"] = [PARTY_TYPE_LABELS.get(t.casefold(), t) for t in ptypes]
        sc["ok"] = ok

        def figs(r):
            mark = "" if r.ok else f"\n{UNVERIFIED_MARK}"
            return [
                fmt_area(r.land_area) + mark,
                fmt_area(r.floor_area) + mark,
                fmt_money(r.money) + mark,
                fmt_area(r.swap_floor_area) + mark,
            ]

        rank = {"government": 0, "community": 1, "developer": 2, "entity": 2, "holder": 3}
        sc["_rank"] = [rank.get(t.casefold(), 4) for t in ptypes]
        scen_order = list(dict.fromkeys(_text(s) for s in sc["scenario"]))
        sc["_sorder"] = [scen_order.index(_text(s)) for s in sc["scenario"]]
        hold_rank = {f"{c} {lab}": i for i, (c, lab) in enumerate(zip(codes, labels))}
        sc["_hrank"] = [
            hold_rank.get(s, len(labels)) if r == 3 else 0 for s, r in zip(sc["shown"], sc["_rank"])
        ]
        ordered = sc.sort_values(["_rank", "_hrank", "shown", "_sorder"], kind="stable")
        benefits = Table(
            title="利益分配方案比较 Benefit-sharing scenarios, all parties",
            columns=[
                "参与方 party",
                "类别 type",
                "方案 scenario",
                "用地 land m²",
                "建筑面积 floor m²",
                "货币 money ¥",
                "置换 swap floor m²",
            ],
            rows=[
                [r.shown, r.type_label, _text(r.scenario), *figs(r)] for r in ordered.itertuples(index=False)
            ],
            values=ordered[
                ["scenario", "party_type", "land_area", "floor_area", "money", "swap_floor_area", "ok"]
            ]
            .reset_index(drop=True)
            .assign(party=ordered["shown"].to_numpy()),
            align=["l", "l", "l", "r", "r", "r", "r"],
            marked=[not o for o in ordered["ok"]],
            note=_unverified_note(not all(ok)),
        )
        for k, c, s in zip(keys, codes, sheet):
            if not s:
                continue
            # the holder's own rows: as a holder, or (a community company, a developer) under its
            # own party type; never the government's
            rows_k = sc[
                [p == k and t.casefold() not in ("government", "政府") for t, p in zip(ptypes, parties)]
            ]
            rows_k = rows_k.sort_values("_sorder", kind="stable")
            holder_scenarios[c] = Table(
                title="各方案下的补偿与安置 Figures under each scenario",
                columns=[
                    "方案 scenario",
                    "用地 land m²",
                    "建筑面积 floor m²",
                    "货币 money ¥",
                    "置换 swap floor m²",
                ],
                rows=[[_text(r.scenario), *figs(r)] for r in rows_k.itertuples(index=False)],
                values=rows_k[
                    ["scenario", "land_area", "floor_area", "money", "swap_floor_area", "ok"]
                ].reset_index(drop=True),
                align=["l", "r", "r", "r", "r"],
                marked=[not o for o in rows_k["ok"]],
                note=_unverified_note(not all(rows_k["ok"])) if len(rows_k) else "无 none",
            )

    # --- quota trail ----------------------------------------------------------------------------------------
    quota = None
    quota_ok: dict = {}  # community -> its retained-land quota is verified
    if quota_trail is not None:
        qt = adapt_columns(quota_trail, "quota_trail", required=["item", "value"], name="quota trail")
        if "project" in qt.columns:
            qt = qt[_same(column_values(qt, "project"), project)]
        qt = qt.reset_index(drop=True)
        for col in ("community", "quantity", "unit", "rule", "source", "note"):
            if col not in qt.columns:
                qt[col] = None
        if "verified" not in qt.columns:
            qt["verified"] = False
            notes.append(
                tr("The quota trail has no 'verified' column: every quota figure is printed as unverified.")
            )
        qt["value"] = pd.to_numeric(qt["value"], errors="coerce").astype(float)
        ok = [is_verified(v) for v in qt["verified"]]
        unverified |= not all(ok)
        rows = []
        for r, o in zip(qt.itertuples(index=False), ok):
            unit = _text(r.unit).replace("m2", "m²")
            value = _fmt_value(r.value, unit)
            rows.append(
                [
                    _text(r.community) or "—",
                    # the quota step writes the step's label in 'item' and its key in 'quantity'
                    _text(r.item) or _text(r.quantity),
                    value + ("" if o else f"\n{UNVERIFIED_MARK}"),
                    unit,
                    scrub_text(_text(r.rule)),
                    scrub_text(_text(r.source)),
                ]
            )
        for r, o in zip(qt.itertuples(index=False), ok):
            if "retained_area" in (_text(r.quantity), _text(r.item)) or "result.retained_area" in (
                _text(r.quantity),
                _text(r.item),
            ):
                quota_ok[_text(r.community)] = o
        quota = Table(
            title="留用地指标计算 Retained-land quota, step by step",
            columns=["社区 community", "项目 item", "数值 value", "单位 unit", "规则 rule", "来源 source"],
            rows=rows,
            values=qt[["community", "item", "value", "unit"]].assign(verified=ok),
            align=["l", "l", "r", "l", "l", "l"],
            marked=[not o for o in ok],
            note=_unverified_note(not all(ok)),
        )

    # --- carved retained land -----------------------------------------------------------------------------
    retained_table = None
    if retained is not None:
        rt = adapt_columns(retained, "retained", required=["community", "area"], name=layer_name(retained))
        rt = _reproject(rt, crs, tr("carved retained land"), notes)
        if "project" in rt.columns and rt["project"].notna().any():
            rt = rt[_same(column_values(rt, "project"), project)]
        for col in (
            "target_area",
            "deviation",
            "compactness",
            "min_width",
            "frontage",
            "distance_to_holdings",
        ):
            if col not in rt.columns:
                rt[col] = np.nan
            rt[col] = pd.to_numeric(rt[col], errors="coerce").astype(float)
        rt["area"] = pd.to_numeric(rt["area"], errors="coerce").astype(float)
        layers["retained"] = _frame(
            {"community": [_text(v) for v in rt["community"]], "area": rt["area"].to_numpy()},
            rt.geometry.values,
            crs,
        )
        # the target of a parcel is a quota figure: marked unless the quota trail says the
        # community's retained-land quota is verified
        target_ok = [quota_ok.get(_text(c), False) for c in rt["community"]]
        unverified |= len(rt) > 0 and not all(target_ok)
        parts = rt["parts"] if "parts" in rt.columns else pd.Series([1] * len(rt), index=rt.index)
        part = rt["part"] if "part" in rt.columns else pd.Series([1] * len(rt), index=rt.index)
        rows = []
        for r, ok_t, k, n in zip(rt.itertuples(index=False), target_ok, part, parts):
            label = _text(r.community) or "—"
            if n == n and n is not None and int(n) > 1:
                label += f" {int(k)}/{int(n)}"
            rows.append(
                [
                    label,
                    fmt_area(r.target_area) + ("" if ok_t else f"\n{UNVERIFIED_MARK}"),
                    fmt_area(r.area),
                    fmt_area(r.deviation),
                    "—" if not np.isfinite(r.compactness) else f"{r.compactness:.3f}",
                    fmt_area(r.min_width),
                    fmt_area(r.frontage),
                    fmt_area(r.distance_to_holdings),
                ]
            )
        retained_table = Table(
            title="留用地选址 Carved retained land",
            columns=[
                "社区 community",
                "指标 target m²",
                "面积 area m²",
                "偏差 deviation m²",
                "紧凑度 compactness",
                "最小宽度 min width m",
                "临路 frontage m",
                "距现有用地 to holdings m",
            ],
            rows=rows,
            values=pd.DataFrame(rt.drop(columns=rt.geometry.name))
            .reset_index(drop=True)
            .assign(ok=target_ok),
            align=["l", "r", "r", "r", "r", "r", "r", "r"],
            marked=[not o for o in target_ok],
        )

    # --- conflicts ----------------------------------------------------------------------------------------
    conflict_table = None
    verdict_table = None
    dropped_inputs = set()
    if conflicts is not None:
        ct = adapt_columns(
            conflicts,
            "conflicts",
            required=["input_id", "kind", "severity", "conflict_area"],
            name=layer_name(conflicts),
        )
        for col in ("input_share", "rule", "source"):
            if col not in ct.columns:
                ct[col] = None
        ct["conflict_area"] = pd.to_numeric(ct["conflict_area"], errors="coerce").astype(float)
        ct["input_share"] = pd.to_numeric(ct["input_share"], errors="coerce").astype(float)
        if isinstance(ct, gpd.GeoDataFrame) and ct.geometry.notna().any():
            ct = _reproject(ct, crs, tr("conflicts"), notes)
            # a conflicts layer may cover several projects: keep the conflicts on this project's
            # land (its boundary and its carved retained land)
            zone = [bgeom] + (list(layers["retained"].geometry.values) if "retained" in layers else [])
            zone = shapely.union_all([g for g in zone if g is not None])
            shapely.prepare(zone)
            # interiors meet: touching along an edge (a neighbouring project) is not enough
            keep = np.array(
                [g is not None and shapely.relate_pattern(zone, g, "T********") for g in ct.geometry.values],
                dtype=bool,
            )
            # an input whose id names another project of the pieces (and not this one) is that
            # project's, even where its land touches this one: its rows are that project's page
            others = [p for p in projects if p != project and p not in project]
            keep &= np.array(
                [project in _text(v) or not any(o in _text(v) for o in others) for v in ct["input_id"]],
                dtype=bool,
            )
            if not keep.all():
                kept_ids = {_text(v) for v in ct.loc[keep, "input_id"]}
                dropped_inputs = {_text(v) for v in ct.loc[~keep, "input_id"]} - kept_ids
                notes.append(
                    tr(
                        "{count} conflict(s) lie outside project '{project}' and are not printed.",
                        count=int((~keep).sum()),
                        project=project,
                    )
                )
                ct = ct[keep]
            layers["conflicts"] = _frame(
                {
                    "input_id": [_text(v) for v in ct["input_id"]],
                    "kind": [_text(v) for v in ct["kind"]],
                    "severity": [_text(v) for v in ct["severity"]],
                    "conflict_area": ct["conflict_area"].to_numpy(),
                },
                ct.geometry.values,
                crs,
            )
        sev_rank = {"blocking": 0, "review": 1, "advisory": 2, "sliver": 3}
        ct = ct.assign(_r=[sev_rank.get(_text(s), 4) for s in ct["severity"]]).sort_values(
            ["_r", "conflict_area"], ascending=[True, False], kind="stable"
        )
        conflict_table = Table(
            title="一张图管控冲突 Conflicts with the control lines",
            columns=[
                "对象 input",
                "管控类型 kind",
                "严重程度 severity",
                "面积 area m²",
                "占比 share",
                "规则 rule",
                "依据 source",
            ],
            rows=[
                [
                    _text(r.input_id),
                    _text(r.kind),
                    SEVERITY_LABELS.get(_text(r.severity), _text(r.severity)),
                    "<0.01" if 0 < r.conflict_area < 0.005 else fmt_area(r.conflict_area),
                    fmt_share(r.input_share),
                    scrub_text(_text(r.rule) + (f"（调整途径：{_text(a)}）" if _text(a) else "")),
                    scrub_text(_text(r.source)),
                ]
                for r, a in zip(
                    ct.itertuples(index=False),
                    ct["adjustment"] if "adjustment" in ct.columns else [None] * len(ct),
                )
            ],
            values=pd.DataFrame(
                ct[["input_id", "kind", "severity", "conflict_area", "input_share"]]
            ).reset_index(drop=True),
            align=["l", "l", "l", "r", "r", "l", "l"],
            marked=[_text(s) == "blocking" for s in ct["severity"]],
            note="" if len(ct) else "未发现冲突。 No conflict found.",
        )
    if conflict_summary is not None:
        cs = adapt_columns(
            conflict_summary, "conflict_summary", required=["input_id", "verdict"], name="conflict summary"
        )
        # inputs whose conflicts all lie outside this project, or whose id names another project
        # of the pieces (and not this one), belong to another project
        others = [p for p in projects if p not in (project,) and p not in project]
        cs = cs[
            [
                _text(v) not in dropped_inputs
                and (project in _text(v) or not any(o in _text(v) for o in others))
                for v in cs["input_id"]
            ]
        ]
        for col in ("blocking_area", "review_area", "advisory_area"):
            if col not in cs.columns:
                cs[col] = np.nan
            cs[col] = pd.to_numeric(cs[col], errors="coerce").astype(float)
        verdict_table = Table(
            title="结论 Verdict per input",
            columns=[
                "对象 input",
                "禁止 blocking m²",
                "需审查 review m²",
                "提示 advisory m²",
                "结论 verdict",
            ],
            rows=[
                [
                    _text(r.input_id),
                    fmt_area(r.blocking_area),
                    fmt_area(r.review_area),
                    fmt_area(r.advisory_area),
                    _VERDICT_LABELS.get(_text(r.verdict), _text(r.verdict)),
                ]
                for r in cs.itertuples(index=False)
            ],
            values=pd.DataFrame(
                cs[["input_id", "blocking_area", "review_area", "advisory_area", "verdict"]]
            ).reset_index(drop=True),
            align=["l", "r", "r", "r", "l"],
            marked=[_text(v) == "blocked" for v in cs["verdict"]],
        )

    ledger_info = None
    if ledger is not None:
        ledger_info = ledger_block(ledger, mine, project)
        for w in ledger_info.warnings:
            warn(w)

    chart_path = None
    if chart is not None:
        from pathlib import Path

        chart_path = str(Path(chart))
        if not Path(chart_path).is_file():
            raise InputError(
                tr(
                    "The scenario chart '{path}' does not exist; give the PNG the scenarios step wrote.",
                    path=chart_path,
                )
            )

    # --- personal data in free text ------------------------------------------------------------------------
    # every text the pack prints (parcel ids, project name, statuses, control names, rules, conflict
    # inputs, notes) is cleaned: in the public version the individuals' names of this run, however
    # spaced, are masked (a parcel id such as 'G-李娜-01' too); ID-card and phone numbers never appear
    if public:
        individuals = [k for k, ind in zip(keys, cls["individual"]) if ind and k is not None]
        if outside:
            names_out = list(outside)
            t_out = [type_of.get(h) for h in names_out] if type_of else None
            ind_out = classify_holders(names_out, t_out, compound_surnames=compound_surnames)["individual"]
            individuals += [h for h, ind in zip(names_out, ind_out) if ind]
        individuals += [p for p, t in extra.items() if p is not None and t != scrub_text(_text(p))]
        clean = PublicText(individuals, compound_surnames=compound_surnames)
    else:
        clean = PublicText([])
    project_name = clean(str(project_name))
    for name, frame in layers.items():
        layers[name] = _clean_frame(frame, clean)
    tables = [overview, benefits, quota, conflict_table, verdict_table, retained_table]
    for t in [*tables, *holder_parcels.values(), *holder_scenarios.values()]:
        if t is not None:
            _clean_table(t, clean)
    notes[:] = [clean(n) for n in notes]
    warnings[:] = [clean(w) for w in warnings]

    return HearingData(
        project=project,
        project_name=str(project_name),
        project_area=project_area,
        public=public,
        crs=crs,
        holders=holders_df,
        layers=layers,
        overview=overview,
        holder_parcels=holder_parcels,
        holder_scenarios=holder_scenarios,
        benefits=benefits,
        quota=quota,
        conflicts=conflict_table,
        conflict_summary=verdict_table,
        retained=retained_table,
        chart=chart_path,
        unverified=unverified,
        ledger=ledger_info,
        warnings=warnings,
        notes=notes,
        measured=measured,
        land=land,
    )


def land_line(land: dict) -> str:
    """The project-land line of the overview sheet (``HearingData.land``): boundary = covered + gaps.

    >>> land_line({"boundary_area": 100.0, "covered_area": 90.0, "gap_area": 10.0})
    '项目用地 project land：范围 boundary 100.00 m² = 覆盖 covered 90.00 m² + 缺口 gaps 10.00 m²'
    """
    if land.get("boundary_area") is None:
        return f"项目用地 project land：覆盖 covered {fmt_area(land.get('covered_area'))} m²"
    return (
        f"项目用地 project land：范围 boundary {fmt_area(land['boundary_area'])} m² "
        f"= 覆盖 covered {fmt_area(land['covered_area'])} m² + 缺口 gaps {fmt_area(land['gap_area'])} m²"
    )


def _type_label(basis: str, individual: bool) -> str:
    """The holder type as the data give it; masking is a separate decision, said as such.

    >>> _type_label("masked: no organisation marker", True)
    '单位 organisation（按个人脱敏 masked to be safe）'
    >>> _type_label("name", True)
    '个人 individual（据名称 by name）'
    """
    if basis == "no holder":
        return "—"
    if str(basis).startswith("masked"):
        return "单位 organisation（按个人脱敏 masked to be safe）"
    kind = "个人 individual" if individual else "单位 organisation"
    return kind if basis == "type" else kind + "（据名称 by name）"


def _clean_frame(frame, clean):
    """``frame`` with ``clean`` applied to every text column (geometry and numbers untouched)."""
    frame = frame.copy()
    for col in frame.columns:
        if col != getattr(frame, "_geometry_column_name", None) and frame[col].dtype == object:
            frame[col] = frame[col].map(clean)
    return frame


def _clean_table(table: Table, clean) -> None:
    """Apply ``clean`` to every printed cell of ``table`` (and to the text behind them)."""
    table.rows = [[clean(c) for c in row] for row in table.rows]
    if table.total is not None:
        table.total = [clean(c) for c in table.total]
    table.values = _clean_frame(table.values, clean)


def _fmt_value(value, unit: str) -> str:
    if value is None or not np.isfinite(value):
        return "—"
    if unit == "flag":
        return "是 yes" if value else "否 no"
    if unit in ("m²", "m2", "yuan", "元", "m"):
        return fmt_area(value)
    if unit in ("ratio", "share", "%"):
        return f"{value:.4g}"
    return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:,.2f}"


def _unverified_note(any_unverified: bool) -> str:
    if not any_unverified:
        return ""
    return (
        f"标注“{UNVERIFIED}”的数值依据未经核实的规则取值，非正式结果，不得作为正式依据。 "
        "Figures marked unverified rest on rule values not read in an official source: they are not official."
    )
