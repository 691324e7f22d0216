"""The land premium (地价): the premium rule set's factor of each floor category and the benchmark
land price of each category, each with whether it is verified.

A category's benchmark price is that of its use (``category_uses``, else the scenario's
``land_use``) in the scenario's zone: the scenario's own price for that use
(``[scenario.finance.land_prices]``) when it gives one, else the row of the project's benchmark price
table (:func:`benchmark_price`). :func:`scenario_premium` puts them together for one scenario."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RuleError
from ..i18n import tr, trn
from .model import CATEGORIES


@dataclass(frozen=True)
class Premium:
    """Premium factors by category and the benchmark price, with whether each is verified.

    ``price``, ``price_ok`` and ``source`` are those of every category but the ones in
    ``by_category`` (category -> (price, verified, source)): a category of another use, or priced by
    the scenario itself."""

    factors: dict  # category -> float or None (empty)
    factors_ok: dict  # category -> bool
    price: float | None
    price_ok: bool
    source: str
    by_category: dict = field(default_factory=dict)

    def price_of(self, category: str) -> tuple:
        """(price, verified, source) of the category's benchmark land price."""
        return self.by_category.get(category, (self.price, self.price_ok, self.source))

    def rate(self, category: str) -> float | None:
        f, price = self.factors[category], self.price_of(category)[0]
        return None if f is None or price is None else f * price

    def verified(self, category: str) -> bool:
        return bool(self.factors_ok[category] and self.price_of(category)[1])

    def source_of(self, category: str) -> str:
        return self.price_of(category)[2]


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
            trn(
                "Benchmark price table '{path}' lacks the column {columns}; it needs {need}.",
                "Benchmark price table '{path}' lacks the {n} columns {columns}; it needs {need}.",
                len(miss),
                path=p,
                columns=", ".join(miss),
                need=", ".join(need),
            )
        )
    rows = df[(df["use"].astype(str).str.strip() == use) & (df["zone"].astype(str).str.strip() == zone)]
    if len(rows) != 1:
        have = "; ".join(f"{u}/{z}" for u, z in zip(df["use"], df["zone"]))
        raise RuleError(
            trn(
                "Benchmark price table '{path}' has {n} row for use '{use}' and zone '{zone}' "
                "(one is needed). Rows: {have}.",
                "Benchmark price table '{path}' has {n} rows for use '{use}' and zone '{zone}' "
                "(one is needed). Rows: {have}.",
                len(rows),
                path=p,
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


def scenario_premium(sc, rules_cache: dict, price_cache: dict) -> Premium:
    """The premium of scenario ``sc``: the factors of its premium rule set (loaded once per file,
    ``rules_cache``) and the benchmark price of each floor category: the scenario's own price of the
    category's use, else the row of the benchmark price table (read once per row, ``price_cache``;
    :func:`.terms.parse_terms` has made sure there is a table when a use has no price of its own)."""
    t = sc.finance
    key = str(t.premium_rules)
    if key not in rules_cache:
        rs = load_premium_rules(t.premium_rules)
        rules_cache[key] = (rs, *premium_factors(rs))
    rs, factors, f_ok = rules_cache[key]
    head = f"{rs.title} <{Path(rs.path).name}>; "
    prices = {}
    for c in CATEGORIES:
        use = t.category_uses.get(c, t.land_use)
        own = t.land_prices.get(use)
        if own is not None:
            where = f"[scenario {sc.id}: land_prices.{use}, {t.zone}]"
            prices[c] = (own.value, bool(own.verified), head + f"{own.text()} [{own.where}] {where}")
            continue
        pkey = (str(t.benchmark_prices), use, t.zone)
        if pkey not in price_cache:
            price_cache[pkey] = benchmark_price(t.benchmark_prices, use, t.zone)
        price, ok, src = price_cache[pkey]
        prices[c] = (price, ok, head + src)
    base = prices["base"]
    return Premium(factors, f_ok, base[0], base[1], base[2], {c: v for c, v in prices.items() if v != base})
