"""The implementing entity's economics of one scenario and project: the floor area by use at a FAR
factor, the premium, cost, profit, margin and break-even sale price, and the annuity factor of the
income over time. Plain arithmetic on :class:`ProjectFloors`; no table, no file, no message."""

from __future__ import annotations

from dataclasses import dataclass

#: Floor categories the premium is computed on.
CATEGORIES = ("base", "shared", "buyback", "facilities")


def annuity_factor(rate: float, years: int) -> float:
    """Present value of 1 a year for ``years`` years at ``rate``: (1 - (1 + i)^-n) / i (n if i = 0)."""
    if years <= 0:
        return 0.0
    if rate == 0:
        return float(years)
    return (1 - (1 + rate) ** -years) / rate


@dataclass
class ProjectFloors:
    """The inputs of :func:`entity_economics` for one scenario and project (figures at FAR factor 1).

    ``floor``: planned floor area taken; ``buyback``: bought back by the government; ``shared``:
    shared floor area (bought-back part included; 0 when the quota trail has none); ``swap``: the
    holders' swap floor area; ``developer_share``: the developer's share of the community's floor
    area (0: no developer); ``facilities``: floor area of the facilities; ``facilities_by_entity``:
    of which the entity builds; ``equity_share``; ``developer_is_entity``; ``community_is_entity``.
    ``comp_paid``: compensation the entity pays; ``premium_factor``: per category (floor × benchmark
    price × factor); ``price``: benchmark land price (``prices``: of the categories whose price
    differs, by category); ``build_cost``; ``community_payment``.
    """

    floor: float
    buyback: float
    shared: float
    swap: float
    developer_share: float
    facilities: float
    facilities_by_entity: float
    equity_share: float
    developer_is_entity: bool
    community_is_entity: bool
    comp_paid: float
    premium_factor: dict
    price: float | None
    build_cost: float
    community_payment: float
    entity_pays_premium: bool = True  # False when the government implements (it pays itself nothing)
    #: benchmark land price of a category whose use (or the scenario's own price) differs from ``price``
    prices: dict | None = None

    def split(self, far: float = 1.0) -> dict:
        """Floor area by use at FAR factor ``far``: the planned floor area scaled, swaps, facilities fixed."""
        floor, buyback = self.floor * far, self.buyback * far
        shared = self.shared * far
        rest = floor - buyback - self.swap
        dev = rest * self.developer_share
        comm = rest - dev
        free = comm - self.facilities
        if free < -1e-6 * max(floor, 1.0):
            return {"infeasible": True, "why": "facilities", "floor": floor, "community": comm}
        free = max(free, 0.0)
        equity = free * self.equity_share
        sold = free - equity
        shared_kept = max(shared - buyback, 0.0)
        base = floor - buyback - shared_kept - self.facilities
        if base < -1e-6 * max(floor, 1.0):
            return {"infeasible": True, "why": "premium floor", "floor": floor, "community": comm}
        base = max(base, 0.0)
        return {
            "infeasible": False,
            "floor": floor,
            "buyback": buyback,
            "swap": self.swap,
            "developer": dev,
            "community": comm,
            "facilities": self.facilities,
            "equity": equity,
            "sold_by_entity": sold,
            "premium_floor": {
                "base": base,
                "shared": shared_kept,
                "buyback": buyback,
                "facilities": self.facilities,
            },
        }

    def premium(self, split: dict) -> float | None:
        total = 0.0
        for c, a in split["premium_floor"].items():
            f = self.premium_factor.get(c)
            price = (self.prices or {}).get(c, self.price)
            if f is None or price is None:
                return None
            total += a * price * f
        return total


def entity_economics(pf: ProjectFloors, sale_price: float, far: float = 1.0) -> dict:
    """The entity's revenue, cost, profit and margin at ``sale_price`` and FAR factor ``far``.

    Cost = compensation paid + premium + construction (all floor area but the developer's own share
    when the developer is not the entity, and facilities others build) + community payment.
    ``profit`` is None when the premium is unknown (an empty rate or price); ``infeasible`` when the
    facilities do not fit in the community's floor area.
    """
    s = pf.split(far)
    if s["infeasible"]:
        return {"infeasible": True, "floor": s["floor"]}
    floor_sold = s["sold_by_entity"] + (s["developer"] if pf.developer_is_entity else 0.0)
    built = (
        s["floor"]
        - (0.0 if pf.developer_is_entity else s["developer"])
        - (pf.facilities - pf.facilities_by_entity)
    )
    premium = pf.premium(s) if pf.entity_pays_premium else 0.0
    pay = 0.0 if pf.community_is_entity else pf.community_payment * s["sold_by_entity"]
    revenue = floor_sold * sale_price
    out = {
        "infeasible": False,
        "floor": s["floor"],
        "floor_sold": floor_sold,
        "revenue": revenue,
        "premium": premium,
        "construction": built * pf.build_cost,
        "payment": pay,
        "split": s,
    }
    if premium is None:
        out.update(cost=None, profit=None, margin=None, break_even=None)
        return out
    cost = pf.comp_paid + premium + built * pf.build_cost + pay
    profit = revenue - cost
    out.update(
        cost=cost,
        profit=profit,
        margin=(profit / cost) if cost > 0 else None,
        break_even=(cost / floor_sold) if floor_sold > 0 else None,
    )
    return out


def break_even_price(pf: ProjectFloors, far: float = 1.0, margin: float = 0.0) -> float | None:
    """The sale price at which the entity's margin is ``margin`` (profit = margin × cost)."""
    e = entity_economics(pf, 0.0, far)
    if e.get("infeasible") or e.get("cost") is None or e["floor_sold"] <= 0:
        return None
    return e["cost"] * (1 + margin) / e["floor_sold"]
