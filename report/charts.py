"""Charts (matplotlib, PNG): the core returns the figures, this draws them.

:func:`scenario_chart` compares the parties across scenarios, :func:`finance_chart` the finance
tables, :func:`monitor_chart` the monitoring indicators over the days. Rights-holders are summed
into one bar (no personal names in a chart); a chart of unofficial figures says so in its title.
The CJK font comes from the core's font chooser (:func:`landcoord.allocation.scenarios.cjk_font`
over :mod:`landcoord.allocation.fonts`).

Imports matplotlib (when drawing) and :mod:`landcoord.allocation`; no QGIS, so the command line
draws charts without it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from ..allocation.errors import OutputError
from ..allocation.feedback import Feedback
from ..allocation.i18n import tr
from ..allocation.io.files import atomic_output
from ..allocation.scenarios import PARTY_TYPES, ScenarioResult, cjk_font

__all__ = ["finance_chart", "monitor_chart", "scenario_chart"]


def _pyplot():
    """matplotlib's pyplot on the Agg backend (no display), or an OutputError saying how to get it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise OutputError(
            tr(
                "The chart needs matplotlib ({error}); install it "
                "(Debian: apt install python3-matplotlib) or leave the chart out.",
                error=exc,
            )
        ) from exc
    return plt


def _legend_and_title(fig, axes, *, ncol: int, head: str, official: bool, example: str | None) -> None:
    """The one legend under a four-panel figure (from its first panel) and its title, which says
    when the figures are not official: ``example`` (what the example values are) or unverified."""
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=ncol, fontsize=9)
    if not official:
        head += "\n非正式 NOT OFFICIAL: " + (example or "unverified figures")
    fig.suptitle(head, fontsize=12, color="black" if official else "darkred")
    fig.tight_layout(rect=(0, 0.07, 1, 0.95))


def _save(plt, fig, path) -> Path:
    """Writes ``fig`` as a PNG at ``path``, whole or not at all, and closes it."""
    path = Path(path)
    try:
        with atomic_output(path) as tmp:
            fig.savefig(tmp, format="png")
    finally:
        plt.close(fig)
    return path


def scenario_chart(result: ScenarioResult, path, *, title: str | None = None, feedback=None) -> Path:
    """A PNG comparing the parties across scenarios: land, floor area, money, swap floor area.

    Rights-holders are summed into one bar (no personal names in a chart); the government, each
    community and the developer have their own. A chart of unofficial figures says so in its title.
    """
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    fb = feedback or Feedback()
    font = cjk_font(fb)
    df = result.parties.copy()
    labels = {
        "holder": lambda p: "权利人合计 rights-holders",
        "community": lambda p: str(p) if "社区" in str(p) else f"社区 {p}",
    }
    df["group"] = [labels.get(t, str)(p) if t in labels else str(p) for t, p in zip(df.party_type, df.party)]
    g = df.groupby(["scenario", "group"], sort=False)[
        ["land_area", "floor_area", "money", "swap_floor_area"]
    ].sum()
    scen = [s.id for s in result.scenarios.scenarios]
    names = {s.id: f"{s.id}\n" + textwrap.fill(s.name, 24) for s in result.scenarios.scenarios}
    order = list(dict.fromkeys(df.sort_values("party_type", key=lambda s: s.map(PARTY_TYPES.index)).group))
    panels = [
        ("land_area", "用地 land (m²)", 1.0),
        ("floor_area", "建筑面积 floor area (m²)", 1.0),
        ("money", "货币 money (万元 10⁴ yuan)", 1e-4),
        ("swap_floor_area", "置换建筑面积 swap floor area (m²)", 1.0),
    ]
    rc = {"font.family": [font, "DejaVu Sans"]} if font else {}
    with plt.rc_context(rc):
        fig, axes = plt.subplots(2, 2, figsize=(13, 8.5), dpi=110)
        width = 0.8 / max(len(order), 1)
        x = np.arange(len(scen))
        colors = plt.get_cmap("tab10")
        for ax, (col, label, factor) in zip(axes.ravel(), panels):
            for k, grp in enumerate(order):
                vals = [float(g.loc[(s, grp), col]) * factor if (s, grp) in g.index else 0.0 for s in scen]
                ax.bar(x - 0.4 + width * (k + 0.5), vals, width, label=grp, color=colors(k % 10))
            ax.set_title(label)
            ax.set_xticks(x)
            ax.set_xticklabels([names[s] for s in scen], fontsize=8)
            ax.axhline(0, color="black", linewidth=0.6)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
            ax.grid(axis="y", alpha=0.3)
        _legend_and_title(
            fig,
            axes,
            ncol=min(len(order), 5),
            head=title or result.scenarios.title,
            official=result.official,
            example="example rates (示例)" if result.scenarios.example else None,
        )
        return _save(plt, fig, path)


# one figure of four panels, each drawn in turn: long only by its matplotlib calls
def finance_chart(result, path, *, title: str | None = None, feedback=None) -> Path:
    """A PNG of the finance tables side by side for every scenario: each party's net amount now and
    NPV over the years, the implementing entity's margin against the required one (with the
    verdict), and where the planned floor area goes. Rights-holders are summed into one bar (no
    personal names in a chart). A chart of unofficial figures says so in its title.
    """
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    fin = result.finance
    if fin is None:
        raise OutputError(
            tr(
                "No scenario of '{source}' has a [scenario.finance] section: there is no finance chart "
                "to draw.",
                source=result.scenarios.path or result.scenarios.title,
            )
        )
    fb = feedback or Feedback()
    font = cjk_font(fb)
    order_types = (*PARTY_TYPES, "market")
    cf = fin.cashflow[fin.cashflow.party_type != "market"].copy()
    cf["group"] = [
        "权利人合计 rights-holders" if t == "holder" else str(p) for t, p in zip(cf.party_type, cf.party)
    ]
    cf = cf.sort_values("party_type", key=lambda s: s.map(order_types.index), kind="stable")
    groups = list(dict.fromkeys(cf.group))
    scen = list(dict.fromkeys(fin.feasibility.scenario))
    g = cf.groupby(["scenario", "group"])[["net_now", "npv"]].sum()
    years = int(cf.years.max()) if len(cf) else 0
    rc = {"font.family": [font, "DejaVu Sans"]} if font else {}
    with plt.rc_context(rc):
        fig, axes = plt.subplots(2, 2, figsize=(14, 9), dpi=110)
        colors = plt.get_cmap("tab10")
        x = np.arange(len(scen))
        width = 0.8 / max(len(groups), 1)
        for ax, (col, label) in zip(
            axes[0], (("net_now", "当期净额 net now (万元)"), ("npv", f"净现值 NPV, {years} 年 years (万元)"))
        ):
            for k, grp in enumerate(groups):
                vals = [float(g.loc[(s, grp), col]) / 1e4 if (s, grp) in g.index else 0.0 for s in scen]
                ax.bar(x - 0.4 + width * (k + 0.5), vals, width, label=grp, color=colors(k % 10))
            ax.set_title(label)
            ax.set_xticks(x)
            ax.set_xticklabels(scen)
            ax.axhline(0, color="black", linewidth=0.6)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
            ax.grid(axis="y", alpha=0.3)
        ax = axes[1, 0]
        fe = fin.feasibility
        labels = [f"{s}\n{p}" for s, p in zip(fe.scenario, fe.project)]
        margins = [0.0 if m != m else m * 100 for m in fe.margin]
        bars = ax.bar(np.arange(len(fe)), margins, color=["tab:green" if v == "feasible" else "tab:red"
                                                           for v in fe.verdict])  # fmt: skip
        ax.scatter(np.arange(len(fe)), fe.required_margin * 100, marker="_", s=400, color="black", zorder=3,
                   label="要求 required")  # fmt: skip
        for b, v in zip(bars, fe.verdict):
            ax.annotate(
                v, (b.get_x() + b.get_width() / 2, b.get_height()), ha="center", va="bottom", fontsize=8
            )
        ax.set_xticks(np.arange(len(fe)))
        ax.set_xticklabels(labels, fontsize=8)
        ax.set_title("实施主体成本利润率 entity margin (%)")
        ax.axhline(0, color="black", linewidth=0.6)
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        ax = axes[1, 1]
        fl = fin.floors.copy()
        fl["kind"] = [u.split(":")[0] for u in fl.use]
        kinds = list(dict.fromkeys(fl.kind))
        fg = fl.groupby(["scenario", "kind"]).floor_area.sum()
        bottom = np.zeros(len(scen))
        for k, kind in enumerate(kinds):
            vals = np.array([float(fg.get((s, kind), 0.0)) for s in scen])
            ax.bar(x, vals, 0.6, bottom=bottom, label=kind, color=colors((k + 3) % 10))
            bottom += vals
        ax.set_xticks(x)
        ax.set_xticklabels(scen)
        ax.set_title("建筑面积去向 floor area by use (m²)")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
        ax.legend(fontsize=8)
        _legend_and_title(
            fig,
            axes,
            ncol=min(len(groups), 5),
            head=title or result.scenarios.title,
            official=fin.official,
            example="example figures (示例)" if result.scenarios.example else None,
        )
        return _save(plt, fig, path)


def monitor_chart(table: pd.DataFrame, path, *, title: str | None = None, feedback=None):
    """A PNG of the indicators over the days: consent by holders and by area (and signed area) per
    project, and the open objections and requests. One line per project; no personal names."""
    plt = _pyplot()
    font = cjk_font(feedback)
    rc = {"font.family": [font, "DejaVu Sans"]} if font else {}
    panels = [
        ("consent_rate", "同意率（按人数）consent by holders", True),
        ("area_consent_rate", "同意率（按面积）consent by area", True),
        ("area_signed_rate", "签约率（按面积）signed by area", True),
        ("open_objections", "未答复异议 open objections", False),
        ("open_requests", "待答复诉求 open requests", False),
        ("overdue_duties", "逾期职责 overdue duties", False),
    ]
    with plt.rc_context(rc):
        fig, axes = plt.subplots(2, 3, figsize=(14, 8), dpi=100)
        days = sorted(set(table["day"]))
        for ax, (col, label, share) in zip(axes.ravel(), panels):
            for project, g in table.groupby("project", sort=True):
                g = g.set_index("day").reindex(days)
                values = pd.to_numeric(g[col], errors="coerce") * (100.0 if share else 1.0)
                ax.plot(days, values, marker="o", label=str(project))
            ax.set_title(label, fontsize=10)
            if share:
                ax.set_ylim(0, 100)
                ax.set_ylabel("%")
            else:
                from matplotlib.ticker import MaxNLocator

                ax.yaxis.set_major_locator(MaxNLocator(integer=True))
                ax.set_ylim(bottom=0)
            ax.grid(alpha=0.3)
            ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6) or 1, fontsize=9)
        fig.suptitle(title or "动态监测 monitoring", fontsize=12)
        fig.tight_layout(rect=(0, 0.06, 1, 0.95))
        return _save(plt, fig, path)
