"""The land premium (地价): the premium rule set's factor of each floor category and the benchmark
land price of a use and zone from its table, each with whether it is verified."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import RuleError
from ..i18n import tr

#: Floor categories the premium is computed on.
CATEGORIES = ("base", "shared", "buyback", "facilities")


@dataclass(frozen=True)
class Premium:
    """Premium factors by category and the benchmark price, with whether each is verified."""

    factors: dict  # category -> float or None (empty)
    factors_ok: dict  # category -> bool
    price: float | None
    price_ok: bool
    source: str

    def rate(self, category: str) -> float | None:
        f = self.factors[category]
        return None if f is None or self.price is None else f * self.price

    def verified(self, category: str) -> bool:
        return bool(self.factors_ok[category] and self.price_ok)


def load_premium_rules(path):
    """Load a premium rule set; it must define a step ``premium_factor_<category>`` per category."""
    from ..rules import load_rules

    rs = load_rules(path)
    miss = [f"premium_factor_{c}" for c in CATEGORIES if f"premium_factor_{c}" not in rs.steps]
    if miss:
        raise RuleError(
            tr(
                "Premium rule set '{path}' has no step {steps}; it must define premium_factor_<category> "
                'for {categories} (write extends = "land_premium" in its [ruleset] and fill in the values).',
                path=path,
                steps=", ".join(miss),
                categories=", ".join(CATEGORIES),
            )
        )
    return rs


def premium_factors(rs) -> tuple[dict, dict]:
    """Each category's premium factor (None when a value it needs is empty) and whether verified."""
    from ..rules.expr import MissingValue

    env = {k: (v.value if isinstance(v.value, float) else None) for k, v in rs.values.items()}
    factors, oks = {}, {}
    for c in CATEGORIES:
        step = rs.steps[f"premium_factor_{c}"]
        used = rs.uses([step.key])
        try:
            factors[c] = float(step.expr.evaluate(env))
        except MissingValue:
            factors[c] = None
        oks[c] = (
            factors[c] is not None
            and step.prov.verified
            and not rs.example
            and all(rs.values[n].verified for n in used if n in rs.values)
        )
    return factors, oks


def benchmark_price(path, use: str, zone: str) -> tuple[float | None, bool, str]:
    """The benchmark land price (yuan/m² of floor area) of ``use`` and ``zone`` from the table.

    The table (CSV, XLSX or a layer) has the columns use, zone, price, source, verified; an empty
    price is returned as None (not verified).
    """
    from ..io.files import read_table

    p = Path(os.fspath(path))
    if not p.exists():
        raise RuleError(tr("Benchmark price table '{path}' does not exist. Check the path.", path=p))
    df = read_table(str(p))
    need = ["use", "zone", "price", "source", "verified"]
    miss = [c for c in need if c not in df.columns]
    if miss:
        raise RuleError(
            tr(
                "Benchmark price table '{path}' lacks the column(s) {columns}; it needs {need}.",
                path=p,
                columns=", ".join(miss),
                need=", ".join(need),
            )
        )
    rows = df[(df["use"].astype(str).str.strip() == use) & (df["zone"].astype(str).str.strip() == zone)]
    if len(rows) != 1:
        have = "; ".join(f"{u}/{z}" for u, z in zip(df["use"], df["zone"]))
        raise RuleError(
            tr(
                "Benchmark price table '{path}' has {count} row(s) for use '{use}' and zone '{zone}' "
                "(one is needed). Rows: {have}.",
                path=p,
                count=len(rows),
                use=use,
                zone=zone,
                have=have,
            )
        )
    r = rows.iloc[0]
    raw = r["price"]
    price = (
        None if raw is None or (isinstance(raw, float) and math.isnan(raw)) or str(raw).strip() == "" else raw
    )
    if price is not None:
        try:
            price = float(price)
        except ValueError:
            price = math.nan
        if not math.isfinite(price) or price < 0:
            raise RuleError(
                tr(
                    "Benchmark price table '{path}', use '{use}' zone '{zone}': price must be a number "
                    "of at least 0 (or empty when unknown), got {value}.",
                    path=p,
                    use=use,
                    zone=zone,
                    value=repr(raw),
                )
            )
    ver = str(r["verified"]).strip().lower() in ("1", "true", "yes")
    doc = str(r.get("document", "") or "").strip()
    src = " ".join(x for x in (doc, str(r["source"] or "").strip()) if x and x != "nan")
    return price, bool(ver and price is not None), f"{src} [{p.name}: {use}/{zone}]"
