"""Recognise which field (or layer) plays which role, from the names officers' data really uses.

Cadastres, control-line layers and building surveys in Shenzhen come with Chinese field names
(宗地号, 权利人, 用地状态), their pinyin initials (ZDH, QLR, YDZT) or English names (parcel_id,
holder, owner). The dock pre-fills its field boxes with :func:`recognise_fields` so an officer only
corrects what is unusual; nothing here is ever applied without the officer seeing it.

Matching is by name only, in two rounds:

1. an exact match, ignoring case, spaces, ``_``, ``-`` and ``.``, against the role's known names in
   their order of preference (so ``PARCEL_ID`` matches ``parcel_id``);
2. otherwise the shortest name that *contains* one of the role's keywords and none of its
   exclusions (so ``权利人名称`` is a holder, ``权利人类型`` and ``权利人证件号`` are not).

>>> recognise_field("holder", ["宗地号", "权利人类型", "权利人", "社区"])
'权利人'
>>> recognise_field("parcel_id", ["FID", "PARCEL_ID", "OWNER"])
'PARCEL_ID'
>>> recognise_fields(["parcel_id", "holder", "status"], ["ZDH", "QLRMC", "YDZT", "MJ"])
{'parcel_id': 'ZDH', 'holder': 'QLRMC', 'status': 'YDZT'}
>>> recognise_layer("cadastre", ["landcoord_sample — projects", "landcoord_sample — parcels"])
'landcoord_sample — parcels'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Role",
    "FIELD_ROLES",
    "LAYER_ROLES",
    "normalise",
    "recognise_field",
    "recognise_fields",
    "recognise_layer",
    "recognise_layers",
]


@dataclass(frozen=True)
class Role:
    """How one role is recognised.

    Parameters
    ----------
    names : tuple of str
        Exact names (compared after :func:`normalise`), most preferred first.
    keywords : tuple of str
        Parts of a name that suggest the role when no exact name is present.
    excludes : tuple of str
        Parts of a name that rule the role out in the keyword round.
    """

    names: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()


#: Field roles the dock maps, with the names seen in Chinese, pinyin-initial and English data.
FIELD_ROLES: dict[str, Role] = {
    "project_id": Role(
        (
            "项目编号",
            "项目代码",
            "项目号",
            "project_id",
            "project",
            "project_code",
            "projectno",
            "xmbh",
            "xmdm",
        ),
        ("项目编号", "项目代码", "projectid", "projectcode", "xmbh"),
        ("名称", "name"),
    ),
    "project_name": Role(
        ("项目名称", "project_name", "name", "名称", "xmmc"),
        ("项目名称", "projectname", "xmmc"),
    ),
    "zone_name": Role(
        ("名称", "控制线名称", "zone_name", "name", "mc"),
        ("名称", "name"),
        ("项目", "project", "类型", "type"),
    ),
    "parcel_id": Role(
        (
            "宗地号",
            "宗地编号",
            "宗地代码",
            "parcel_id",
            "parcelid",
            "parcel_no",
            "parcel_code",
            "parcel",
            "zdh",
            "zddm",
            "zdbh",
            "pid",
        ),
        ("宗地号", "宗地编", "宗地代码", "parcelid", "parcelno", "parcelcode", "zdh", "zddm", "zdbh"),
        ("面积", "area"),
    ),
    "holder": Role(
        ("权利人", "权利人名称", "holder", "owner", "rights_holder", "right_holder", "qlr", "qlrmc"),
        ("权利人", "holder", "owner", "qlr"),
        ("类型", "type", "证", "号", "id", "电话", "phone", "地址", "address", "性质", "lx"),
    ),
    "holder_type": Role(
        ("权利人类型", "权利人性质", "holder_type", "owner_type", "holdertype", "qlrlx", "qlrxz"),
        ("权利人类型", "权利人性质", "holdertype", "ownertype", "qlrlx"),
    ),
    "status": Role(
        ("用地状态", "土地状态", "权属状态", "status", "land_status", "legal_status", "ydzt", "tdzt"),
        ("用地状态", "土地状态", "状态", "status", "ydzt"),
        ("建筑", "building", "楼"),
    ),
    "community": Role(
        ("社区", "社区名称", "所属社区", "community", "village", "村", "sq", "sqmc"),
        ("社区", "community", "village"),
        ("公司", "company", "类型", "type", "编号", "code"),
    ),
    "kind": Role(
        ("类型", "控制线类型", "管控类型", "kind", "type", "category", "class", "lx", "kzxlx"),
        ("类型", "kind", "type", "category", "lx"),
        ("名称", "name", "编号", "code"),
    ),
    "floor_area": Role(
        ("建筑面积", "总建筑面积", "floor_area", "gfa", "building_area", "jzmj"),
        ("建筑面积", "floorarea", "gfa", "jzmj"),
        ("基底", "占地", "footprint"),
    ),
    "building_status": Role(
        ("合法状态", "合法性", "legal_status", "status", "hfzt"),
        ("合法", "legal", "status", "状态"),
    ),
    "land_use": Role(
        ("用地性质", "用地性质代码", "用地代码", "用地类型", "land_use", "landuse", "use", "ydxz", "yddm"),
        ("用地性质", "用地代码", "landuse", "ydxz"),
    ),
    "far": Role(
        ("容积率", "far", "plot_ratio", "rjl"),
        ("容积率", "plotratio", "rjl"),
    ),
}

#: Layer roles the dock fills, recognised from layer names.
LAYER_ROLES: dict[str, Role] = {
    "boundary": Role(
        ("projects", "project", "boundary", "项目范围", "项目", "整备范围", "xmfw"),
        ("项目范围", "整备范围", "项目", "project", "boundar", "xmfw"),
        ("控制", "control", "规划", "zoning"),
    ),
    "cadastre": Role(
        ("parcels", "parcel", "cadastre", "宗地", "地籍", "zd", "zdjbxx"),
        ("宗地", "地籍", "parcel", "cadast"),
        ("留用", "retained"),
    ),
    "buildings": Role(
        ("buildings", "building", "楼栋", "建筑物", "房屋", "ld", "jzw", "fw"),
        ("楼栋", "建筑物", "房屋", "building"),
    ),
    "controls": Role(
        ("controls", "control_lines", "控制线", "管控线", "一张图", "kzx"),
        ("控制线", "管控", "control", "redline", "红线"),
        ("道路名称",),
    ),
    "zoning": Role(
        ("zoning", "规划", "控规", "法定图则", "用地规划", "kg", "landuse"),
        ("规划", "控规", "图则", "zoning", "landuse"),
        ("道路", "road", "控制线", "control"),
    ),
    "holdings": Role(
        ("holdings", "现状用地", "社区用地", "留用地现状", "existing_holdings"),
        ("holding", "社区用地", "现状用地"),
    ),
    "roads": Role(
        ("roads", "road", "道路", "道路中线", "streets", "dl"),
        ("道路", "road", "street"),
        ("红线", "控制"),
    ),
}

_STRIP = re.compile(r"[\s_\-.·]+")


def normalise(name: object) -> str:
    """A name for comparison: case-folded, without spaces, ``_``, ``-``, ``.`` or ``·``.

    >>> normalise(" Parcel_ID ")
    'parcelid'
    """
    return _STRIP.sub("", str(name)).casefold()


def _recognise(role: Role, names: Sequence[str], taken: Iterable[str] = ()) -> str | None:
    taken = set(taken)
    pool = [n for n in names if n not in taken]
    by_norm: dict[str, str] = {}
    for n in pool:
        by_norm.setdefault(normalise(n), n)
    for candidate in role.names:
        hit = by_norm.get(normalise(candidate))
        if hit is not None:
            return hit
    keywords = [normalise(k) for k in role.keywords]
    excludes = [normalise(e) for e in role.excludes]
    hits = [
        n
        for n in pool
        if any(k in normalise(n) for k in keywords) and not any(e in normalise(n) for e in excludes)
    ]
    if not hits:
        return None
    return min(hits, key=lambda n: (len(normalise(n)), pool.index(n)))


def recognise_field(role: str, names: Sequence[str], taken: Iterable[str] = ()) -> str | None:
    """The field among ``names`` that most likely plays ``role``, or None.

    Parameters
    ----------
    role : str
        A key of :data:`FIELD_ROLES` (``parcel_id``, ``holder``, ``holder_type``, ``status``,
        ``community``, ``kind``, ``zone_name``, ``project_id``, ``project_name``, ``floor_area``,
        ``building_status``, ``land_use``, ``far``).
    names : sequence of str
        The layer's field names, in the layer's order.
    taken : iterable of str, optional
        Names already given to another role; they are not considered.

    >>> recognise_field("kind", ["名称", "类型"])
    '类型'
    >>> recognise_field("holder", ["权利人类型", "身份证号"]) is None
    True
    """
    try:
        spec = FIELD_ROLES[role]
    except KeyError:
        raise KeyError(f"Unknown field role '{role}'. Known roles: {', '.join(FIELD_ROLES)}.") from None
    return _recognise(spec, list(names), taken)


def recognise_fields(roles: Sequence[str], names: Sequence[str]) -> dict[str, str]:
    """Fields for several roles of one layer; no field is given to two roles.

    Roles are served in the order given, each by exact names first: a role whose exact name is
    present is never robbed of it by an earlier role's keyword match.

    >>> recognise_fields(["holder", "community"], ["社区股份合作公司", "社区", "owner_name"])
    {'holder': 'owner_name', 'community': '社区'}
    """
    names = list(names)
    out: dict[str, str] = {}
    norm = {normalise(n): n for n in reversed(names)}
    # Round 1: exact names, so keyword matches never take a field another role names exactly.
    for role in roles:
        spec = FIELD_ROLES[role] if role in FIELD_ROLES else None
        if spec is None:
            raise KeyError(f"Unknown field role '{role}'. Known roles: {', '.join(FIELD_ROLES)}.")
        for candidate in spec.names:
            hit = norm.get(normalise(candidate))
            if hit is not None and hit not in out.values():
                out[role] = hit
                break
    for role in roles:
        if role in out:
            continue
        hit = recognise_field(role, names, taken=out.values())
        if hit is not None:
            out[role] = hit
    return {r: out[r] for r in roles if r in out}


def recognise_layer(role: str, names: Sequence[str], taken: Iterable[str] = ()) -> str | None:
    """The layer name among ``names`` that most likely plays ``role`` (a key of :data:`LAYER_ROLES`).

    >>> recognise_layer("roads", ["道路中线", "规划道路红线"])
    '道路中线'
    """
    try:
        spec = LAYER_ROLES[role]
    except KeyError:
        raise KeyError(f"Unknown layer role '{role}'. Known roles: {', '.join(LAYER_ROLES)}.") from None
    return _recognise(spec, list(names), taken)


def recognise_layers(candidates: dict[str, Sequence[str]]) -> dict[str, str]:
    """Layer names per role, each name used once.

    Parameters
    ----------
    candidates : dict
        Role -> the layer names that may play it (e.g. only polygon layers for ``cadastre``).

    >>> recognise_layers({"boundary": ["projects", "parcels"], "cadastre": ["projects", "parcels"]})
    {'boundary': 'projects', 'cadastre': 'parcels'}
    """
    out: dict[str, str] = {}
    for role, names in candidates.items():
        spec = LAYER_ROLES[role]
        norm = {normalise(n): n for n in reversed(list(names))}
        for candidate in spec.names:
            hit = norm.get(normalise(candidate))
            if hit is not None and hit not in out.values():
                out[role] = hit
                break
    for role, names in candidates.items():
        if role not in out:
            hit = recognise_layer(role, names, taken=out.values())
            if hit is not None:
                out[role] = hit
    return {r: out[r] for r in candidates if r in out}
