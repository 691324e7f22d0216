"""Formatting of the hearing pack: how a figure, a share or an unverified value is printed, and
:class:`Table`, the printed table with the figures behind it.

Imports only numpy/pandas (no other module of :mod:`landcoord.allocation.hearing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "UNVERIFIED",
    "UNVERIFIED_MARK",
    "PARTY_TYPE_LABELS",
    "SEVERITY_LABELS",
    "Table",
    "fmt_area",
    "fmt_money",
    "fmt_share",
    "is_verified",
    "land_line",
]

#: What unverified means, in the notes of the sheets.
UNVERIFIED = "未核实 unverified"
#: The mark printed under every figure that rests on an unverified rule value.
UNVERIFIED_MARK = "未核实"


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


def _text(v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def _code_width(n: int) -> int:
    return max(2, len(str(n)))


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
