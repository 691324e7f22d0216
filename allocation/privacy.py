"""Personal data in public outputs: rights-holders' names masked, ID and phone numbers never shown.

Hearings (听证会) are public. A printed map or table shows an individual rights-holder by surname
only (张伟 → 张*, 欧阳娜娜 → 欧阳**), never an ID-card or phone number; community companies and
state bodies are shown in full, because their names are public and the parties need them.

Who is an individual
--------------------
1. When the cadastre has a holder-type field (the sample project's ``权利人类型``), its value decides
   (:func:`holder_kind`): 个人, 自然人, 个体, 村民, 居民, 户 ... mean an individual; 公司, 单位, 集体,
   政府, 机关, 社区, 国有 ... mean an organisation.
2. When there is no such field, or its value is empty or unknown, the name decides
   (:func:`is_organisation_name`): a name with an organisation marker (公司, 委员会, 政府, 中心,
   社区, 街道, 办事处, 合作社, 局/院/所 ... at the end of a longer name, a place prefix such as
   深圳市 or 龙岗区, or Co./Ltd/Bureau/Committee in Latin script) is an organisation; every other
   name is an individual's.
3. Safety net: a holder the type field calls an organisation but whose name carries no
   organisation marker at all is masked anyway and reported (:func:`classify_holders`), because a
   wrong type would otherwise print a person's full name at a public hearing. Errors go towards
   masking, never towards showing.

How a name is masked (:func:`mask_name`)
----------------------------------------
* Chinese names keep the surname and replace every given-name character by ``*``; a compound
  surname (欧阳, 司马, 上官, 诸葛 ... :data:`COMPOUND_SURNAMES`, simplified and traditional) is
  recognised when the name has at least one character after it.
* Transliterated names with a middle dot (阿依古丽·买买提) have no surname to keep: only their first
  character is kept.
* Latin-script names keep the surname when it is marked, by a comma (``SMITH, John``) or by being
  the one word in capitals (``CHAN Tai Man``, ``John SMITH``); otherwise only the initial of each
  word is kept (``Zhang Wei`` → ``Z**** W**``), because the order (given name first or last) is
  unknown.
* A name is masked whole, however it is typed: spaces of any kind (full-width U+3000, no-break,
  thin, en, em, tabs) and invisible characters (zero-width space U+200B, U+FEFF) inside or around
  it are dropped between Chinese characters (李　娜 → 李*, 王 晓 东 → 王**, 欧阳 娜娜 → 欧阳**) and
  made one ASCII space between Latin words (``Li\u3000Na`` → ``L* N*``); full-width Latin letters
  and digits are read as ASCII. A space is therefore no separator between two holders.
* Several holders in one field (``张伟、李娜``, ``张伟等3人``) are masked one by one; digits in an
  individual's name field are replaced by ``*``.

ID-card and phone numbers (:func:`scrub_text`) are masked wherever they occur in text
(``440305199001011234`` → ``4403**********1234``, ``13812345678`` → ``138****5678``), also when
written with spaces or dashes, with +86/0086, or as landlines (``0755-12345678``); the hearing
pack does not print them at all, in either version.

Free text in public outputs (:class:`PublicText`): event place, summary, notes, parcel ids ... get
the run's individuals' names (in any spacing) replaced by their masked form, then numbers masked.
The public ledger export and every text of the hearing data go through it.

Connection strings (:func:`redact_dsn`): the one rule that hides a password in any message.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from .errors import InputError
from .i18n import tr

__all__ = [
    "COMPOUND_SURNAMES",
    "INDIVIDUAL_TYPE_WORDS",
    "ORGANISATION_TYPE_WORDS",
    "SENSITIVE_FIELD_WORDS",
    "HOLDER_COLUMNS",
    "split_name",
    "mask_name",
    "is_organisation_name",
    "holder_kind",
    "classify_holders",
    "mask_id_number",
    "mask_phone",
    "scrub_text",
    "sensitive_fields",
    "PublicText",
    "public_text_cleaner",
    "redact_dsn",
]

#: Compound surnames (复姓) recognised when masking, in simplified and traditional characters.
COMPOUND_SURNAMES = frozenset(
    """
    欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 澹台 公冶 宗政 濮阳
    淳于 单于 太叔 申屠 轩辕 钟离 闾丘 东郭 南宫 西门 百里 呼延 万俟 赫连 独孤 拓跋 公羊 左丘 梁丘
    鲜于 闻人 第五 司空 谷梁 乐正 段干 巫马 羊舌 微生 亓官 公西 漆雕 壤驷 仲孙 叔孙 颛孙 子车 夹谷
    宰父 公良 南门 东门 西陵 呼衍
    歐陽 司馬 諸葛 東方 尉遲 公孫 長孫 澹臺 濮陽 單于 軒轅 鍾離 閭丘 東郭 南宮 西門 萬俟 赫連 獨孤
    鮮于 聞人 樂正 巫馬 亓官 漆雕 壤駟 仲孫 叔孫 顓孫 子車 夾谷 東門
    """.split()
)

#: Words of a holder-type value that mean an individual (checked before the organisation words).
INDIVIDUAL_TYPE_WORDS = (
    "个人",
    "個人",
    "自然人",
    "个体",
    "個體",
    "村民",
    "居民",
    "私人",
    "家庭",
    "农户",
    "住户",
    "户",
    "individual",
    "natural person",
    "person",
    "household",
)
# Type values that name an organisation although they contain an individual word (法人 is a
# "legal person"); checked first.
_ORGANISATION_FIRST = ("非个人", "非自然人", "法人", "legal person", "non-individual")
#: Words of a holder-type value that mean an organisation.
ORGANISATION_TYPE_WORDS = (
    "公司",
    "单位",
    "單位",
    "集体",
    "集體",
    "政府",
    "机关",
    "機關",
    "机构",
    "機構",
    "企业",
    "企業",
    "组织",
    "組織",
    "社区",
    "社區",
    "股份",
    "合作社",
    "国有",
    "國有",
    "事业",
    "法人",
    "organisation",
    "organization",
    "company",
    "corporate",
    "corporation",
    "state",
    "government",
    "collective",
    "institution",
)

#: Field-name words of personal data a hearing output never carries (see :func:`sensitive_fields`).
SENSITIVE_FIELD_WORDS = (
    "身份证",
    "身份證",
    "证件",
    "證件",
    "电话",
    "電話",
    "手机",
    "手機",
    "联系方式",
    "聯繫方式",
    "住址",
)
_SENSITIVE_LATIN = re.compile(
    r"(?:^|[^a-z])(?:id_?card|id_?number|id_?no|identity|passport|phone|telephone|tel|mobile|cell|"
    r"address)(?:[^a-z]|$)"
)

#: Columns of :func:`classify_holders`.
HOLDER_COLUMNS = ["holder", "holder_type", "individual", "basis", "display"]

# Organisation markers in a name. Words: anywhere in the name.
_ORG_WORDS = (
    "公司",
    "委员会",
    "委員會",
    "政府",
    "中心",
    "社区",
    "社區",
    "街道",
    "办事处",
    "辦事處",
    "合作社",
    "联合社",
    "聯合社",
    "实施主体",  # 实施主体: the implementing entity of a land-consolidation project, an organisation
    "實施主體",
    "集团",
    "集團",
    "股份",
    "银行",
    "銀行",
    "医院",
    "醫院",
    "学校",
    "學校",
    "大学",
    "大學",
    "研究院",
    "研究所",
    "基金会",
    "基金會",
    "协会",
    "協會",
    "事务所",
    "事務所",
    "管理局",
    "管理处",
    "管理處",
    "居委会",
    "村委会",
    "居委會",
    "村委會",
    "集体",
    "集體",
    "有限",
    "工作站",
    "服务站",
    "服務站",
    "经济合作",
    "經濟合作",
    "开发商",
    "開發商",
    "地产",
    "地產",
    "置业",
    "置業",
    "实业",
    "實業",
    "投资",
    "投資",
)
# Single-character suffixes of bodies (局, 院, 所 ...): an organisation only at the end of a name
# of five or more characters, so that a person whose given name ends in such a character is not
# taken for a body (a person's name has two to four characters, 欧阳建会 included; bodies have
# longer names, 深圳市水务局).
_ORG_SUFFIXES = "局厅廳署院所站厂廠处處队隊馆館部校会會社委办辦"
# Place prefixes of state bodies: 深圳市..., 广东省..., 龙岗区..., 国家...
_PLACE_PREFIX = re.compile(
    r"^(?:中华人民共和国|中華人民共和國|国家|國家|[\u4e00-\u9fff]{2,4}?[省市区區县縣镇鎮])"
)
_LATIN_ORG = re.compile(
    r"\b(?:co|corp|corporation|company|ltd|limited|inc|llc|plc|gmbh|bureau|government|committee|"
    r"council|centre|center|authority|office|department|community|association|bank|group|trust|fund|"
    r"cooperative|co-operative|holdings?|school|university|hospital|institute|foundation|developer|"
    r"development|properties|property|investment)\b\.?",
    re.IGNORECASE,
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_LATIN_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# Separators between several holders in one field, and the parentheses of notes.
_SEPARATORS = re.compile(r"([、，,；;/／&＆|｜\s()（）\[\]【】<>《》]+)")
_SEVERAL = re.compile(r"(等\s*[0-9０-９一二三四五六七八九十百]+\s*[人户戶名位]|等人|等)$")
_DOTS = "·•‧・．"

# Characters that take no room on the page (zero-width spaces and joiners, the byte-order mark,
# the soft hyphen): dropped from names and from public text before anything is matched or masked.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad"
# Between two characters of a name typed with spaces or invisible characters in it.
_GAP = f"[\\s{_INVISIBLE}]*"
# Optional separator inside an ID-card or phone number: a space or a dash of any kind.
_NSEP = "[ \\-\u2010\u2011\u2012\u2013\u2014\u2212]?"

_ID_18 = re.compile(rf"(?<![0-9A-Za-z])(\d(?:{_NSEP}\d){{16}}{_NSEP}[\dXx])(?![0-9A-Za-z])")
_ID_15 = re.compile(rf"(?<![0-9A-Za-z])(\d(?:{_NSEP}\d){{14}})(?![0-9A-Za-z])")
_HK_ID = re.compile(r"(?<![0-9A-Za-z])([A-Z]{1,2})(\d{6})\s*[(（]([0-9A])[)）]")
_MOBILE = re.compile(rf"(?<![\d+])((?:(?:\+|00)86|86){_NSEP}\s?)?(1[3-9](?:{_NSEP}\d){{9}})(?!\d)")
_LANDLINE = re.compile(rf"(?<![\d+])(\(?0\d{{2,3}}\)?)({_NSEP}\s?)(\d{{3,4}}){_NSEP}(\d{{4}})(?!\d)")
_HK_PHONE = re.compile(r"(\+?852[-\s]?)(\d{4})[-\s]?(\d{4})(?!\d)")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() or ch in "Xx")


def _fold(text: str, *, keep_breaks: bool = False) -> str:
    """Text as it reads: invisible characters dropped, every kind of space (full-width U+3000,
    no-break, thin, en, em ..., and tabs and line breaks unless ``keep_breaks``) as an ASCII space,
    full-width Latin letters and digits as ASCII ones. Punctuation (、，（）) is kept as typed."""
    out = []
    for ch in text:
        if ch in _INVISIBLE:
            continue
        if keep_breaks and ch in "\t\r\n":
            out.append(ch)
        elif ch.isspace() or unicodedata.category(ch) == "Zs":
            out.append(" ")
        elif "\uff10" <= ch <= "\uff19" or "\uff21" <= ch <= "\uff3a" or "\uff41" <= ch <= "\uff5a":
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


_CJK_GAP = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


def _name_text(value) -> str | None:
    """A name as one string: :func:`_fold` applied, runs of spaces made one, and no space left
    between two Chinese characters (李　娜, 王 晓 东 and 欧阳 娜娜 are one person each)."""
    text = _text(value)
    if text is None:
        return None
    text = re.sub(" +", " ", _fold(text)).strip()
    text = _CJK_GAP.sub("", text)
    return text or None


def split_name(name: str, compound_surnames=None) -> tuple[str, str]:
    """A Chinese name as (surname, given name).

    Parameters
    ----------
    name : str
        A person's name in Chinese characters.
    compound_surnames : collection of str, optional
        The compound surnames to recognise (default :data:`COMPOUND_SURNAMES`).

    Returns
    -------
    (str, str)
        The surname (one character, or a compound surname when the name has at least one character
        after it) and the rest.

    Examples
    --------
    >>> split_name("欧阳娜娜")
    ('欧阳', '娜娜')
    >>> split_name("张伟")
    ('张', '伟')
    >>> split_name("欧阳")  # two characters: surname 欧, given name 阳
    ('欧', '阳')
    """
    compounds = COMPOUND_SURNAMES if compound_surnames is None else compound_surnames
    if len(name) >= 3 and name[:2] in compounds:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _mask_chars(text: str) -> str:
    """Every letter, digit and ideograph of text replaced by ``*`` (punctuation kept)."""
    return "".join("*" if (ch.isalnum() or _CJK_CHAR.match(ch)) else ch for ch in text)


def _mask_latin(name: str) -> str:
    if "," in name:
        surname, _, given = name.partition(",")
        return surname.strip() + ", " + " ".join(_initial(w) for w in given.split())
    words = name.split()
    caps = [w for w in words if len(w) > 1 and w.isupper() and w.isalpha()]
    if len(words) > 1 and len(caps) == 1:
        return " ".join(w if w == caps[0] else _initial(w) for w in words)
    return " ".join(_initial(w) for w in words)


def _initial(word: str) -> str:
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if not letters:
        return _mask_chars(word)
    first = letters[0]
    return word[: first + 1].translate(str.maketrans("0123456789", "*" * 10)) + _mask_chars(word[first + 1 :])


def _mask_one(token: str, compounds) -> str:
    """Mask one person's name (no separators inside)."""
    if not token:
        return token
    if any(d in token for d in _DOTS):
        return token[0] + _mask_chars(token[1:])
    cjk = [ch for ch in token if _CJK_CHAR.match(ch)]
    if cjk and len(cjk) == len(token):
        surname, given = split_name(token, compounds)
        return surname + "*" * max(len(given), 1)
    if cjk:
        # mixed script: keep the first character only
        return token[0] + _mask_chars(token[1:]) if not token[0].isdigit() else _mask_chars(token)
    if _LATIN_LETTER.search(token):
        return _initial(token)
    return _mask_chars(token)


def mask_name(name, compound_surnames=None) -> str | None:
    """An individual's name as printed in public: surname kept, the rest replaced by ``*``.

    Parameters
    ----------
    name : str or None
        One or more names (``张伟、李娜``, ``张伟等3人``); None and empty stay None.
    compound_surnames : collection of str, optional
        Compound surnames to recognise (default :data:`COMPOUND_SURNAMES`).

    Returns
    -------
    str or None

    Examples
    --------
    >>> mask_name("张伟"), mask_name("欧阳娜娜"), mask_name("司马光")
    ('张*', '欧阳**', '司马*')
    >>> mask_name("张伟、李娜"), mask_name("张伟等3人")
    ('张*、李*', '张*等3人')
    >>> mask_name("CHAN Tai Man"), mask_name("Smith, John"), mask_name("Zhang Wei")
    ('CHAN T** M**', 'Smith, J***', 'Z**** W**')
    >>> mask_name("阿依古丽·买买提")
    '阿***·***'
    >>> mask_name("张伟 13812345678")
    '张* ***********'
    """
    text = _name_text(name)
    if text is None:
        return None
    compounds = COMPOUND_SURNAMES if compound_surnames is None else compound_surnames
    if _CJK_CHAR.search(text) is None and _LATIN_LETTER.search(text) and not re.search(r"\d", text):
        # a Latin-script name (possibly "SURNAME, Given" with its comma)
        parts = re.split(r"([、，;；/／&＆]+)", text)
        return "".join(p if i % 2 else _mask_latin(p.strip()) for i, p in enumerate(parts))
    several = _SEVERAL.search(text)
    tail = ""
    if several and several.start() > 0:
        tail = several.group(0)
        text = text[: several.start()]
    parts = _SEPARATORS.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:  # a separator
            out.append(part)
        elif part:
            out.append(_mask_one(part, compounds))
    return "".join(out) + tail


def is_organisation_name(name) -> bool:
    """Whether a holder's name reads as an organisation (company, community, state body).

    Examples
    --------
    >>> is_organisation_name("深圳市南山区土地整备中心"), is_organisation_name("沙井社区股份合作公司")
    (True, True)
    >>> is_organisation_name("深圳市规划和自然资源局"), is_organisation_name("Shenzhen Land Co., Ltd.")
    (True, True)
    >>> is_organisation_name("张伟"), is_organisation_name("欧阳娜娜"), is_organisation_name("王建局")
    (False, False, False)
    """
    text = _text(name)
    if text is None:
        return False
    if any(w in text for w in _ORG_WORDS):
        return True
    cjk = _CJK_CHAR.findall(text)
    if len(cjk) >= 5 and text[-1] in _ORG_SUFFIXES:
        return True
    if len(cjk) >= 5 and _PLACE_PREFIX.match(text):
        return True
    if _LATIN_ORG.search(text):
        return True
    return False


def holder_kind(value) -> str | None:
    """What a holder-type value means: ``"individual"``, ``"organisation"`` or None (unknown).

    Examples
    --------
    >>> holder_kind("个人"), holder_kind("社区股份合作公司"), holder_kind("国有单位")
    ('individual', 'organisation', 'organisation')
    >>> holder_kind(None), holder_kind("其他")
    (None, None)
    """
    text = _text(value)
    if text is None:
        return None
    low = text.casefold()
    if any(w in low for w in _ORGANISATION_FIRST):
        return "organisation"
    if any(w in low for w in INDIVIDUAL_TYPE_WORDS):
        return "individual"
    if any(w in low for w in ORGANISATION_TYPE_WORDS):
        return "organisation"
    return None


def classify_holders(names, types=None, *, public: bool = True, compound_surnames=None) -> pd.DataFrame:
    """Decide for each holder whether it is an individual, and what to print for it.

    Parameters
    ----------
    names : sequence
        Holder names (one per row; None allowed).
    types : sequence, optional
        Holder-type values aligned with ``names`` (e.g. the sample's ``权利人类型``). Without it,
        the name decides (see the module documentation).
    public : bool
        True (default): individuals' names are masked. False (an internal version): names are
        shown in full. ID and phone numbers in a name are masked in both.
    compound_surnames : collection of str, optional
        Compound surnames to recognise (default :data:`COMPOUND_SURNAMES`).

    Returns
    -------
    DataFrame
        :data:`HOLDER_COLUMNS`, one row per input row: ``individual`` (bool), ``basis`` (why:
        ``type``, ``name``, ``type unknown, name``, ``masked: no organisation marker``) and
        ``display`` (the text to print; None for a missing name, basis ``no holder``).

    Examples
    --------
    >>> t = classify_holders(["张伟", "沙井社区股份合作公司", "李娜"], ["个人", "社区股份合作公司", None])
    >>> t[["display", "individual", "basis"]].values.tolist()
    [['张*', True, 'type'], ['沙井社区股份合作公司', False, 'type'], ['李*', True, 'name']]
    """
    names = list(names)
    if types is not None:
        types = list(types)
        if len(types) != len(names):
            raise InputError(
                tr(
                    "classify_holders: {names} names but {types} holder types; give one type per name.",
                    names=len(names),
                    types=len(types),
                )
            )
    else:
        types = [None] * len(names)
    individual = np.zeros(len(names), dtype=bool)
    basis = np.empty(len(names), dtype=object)
    display = np.empty(len(names), dtype=object)
    for i, (name, kind_value) in enumerate(zip(names, types)):
        if _text(name) is None:
            individual[i], basis[i], display[i] = False, "no holder", None
            continue
        kind = holder_kind(kind_value)
        org_name = is_organisation_name(name)
        if kind == "individual":
            ind, why = True, "type"
        elif kind == "organisation":
            if org_name:
                ind, why = False, "type"
            else:
                ind, why = True, "masked: no organisation marker"
        else:
            ind = not org_name
            why = "name" if _text(kind_value) is None else "type unknown, name"
        individual[i] = ind
        basis[i] = why
        if ind and public:
            display[i] = mask_name(name, compound_surnames)
        else:
            display[i] = scrub_text(_text(name))
    return pd.DataFrame(
        {
            "holder": pd.Series(names, dtype=object),
            "holder_type": pd.Series(types, dtype=object),
            "individual": individual,
            "basis": basis,
            "display": display,
        },
        columns=HOLDER_COLUMNS,
    )


def mask_id_number(text) -> str | None:
    """Mask ID-card numbers in text: region prefix and last four kept (``4403**********1234``).

    18-digit (last character may be X) and 15-digit mainland numbers, written in one piece or
    with spaces or dashes between the digits, and Hong Kong identity card numbers are recognised.

    Examples
    --------
    >>> mask_id_number("440305199001011234")
    '4403**********1234'
    >>> mask_id_number("身份证 44030519900101123X 已核")
    '身份证 4403**********123X 已核'
    >>> mask_id_number("440305 19900101 1234"), mask_id_number("440305-900101-123")
    ('4403**********1234', '4403********123')
    >>> mask_id_number("A123456(7)")
    'A******(*)'
    """
    if text is None:
        return None
    s = _fold(str(text), keep_breaks=True)
    s = _ID_18.sub(_id18, s)
    s = _ID_15.sub(_id15, s)
    return _HK_ID.sub(_hk_id, s)


def _id18(m) -> str:
    d = _digits(m.group(1))
    return d[:4] + "*" * 10 + d[-4:]


def _id15(m) -> str:
    d = _digits(m.group(1))
    return d[:4] + "*" * 8 + d[-3:]


def _hk_id(m) -> str:
    return m.group(1) + "*" * 6 + "(*)"


def _mobile(m) -> str:
    d = _digits(m.group(2))
    return (m.group(1) or "") + d[:3] + "****" + d[-4:]


def _landline(m) -> str:
    return m.group(1) + (m.group(2) or "-") + "*" * len(m.group(3)) + m.group(4)


def _hk_phone(m) -> str:
    return m.group(1) + "****" + m.group(3)


def mask_phone(text) -> str | None:
    """Mask phone numbers in text (mobile ``138****5678``, landline ``0755-****5678``).

    Mainland mobiles (1[3-9] and nine digits) with or without +86 / 0086 and with spaces or dashes
    anywhere, landlines with an area code (0755-12345678, (0755) 1234 5678) and Hong Kong numbers
    (+852) are recognised.

    Examples
    --------
    >>> mask_phone("13812345678"), mask_phone("+86 138-1234-5678"), mask_phone("0086 1381 234 5678")
    ('138****5678', '+86 138****5678', '0086 138****5678')
    >>> mask_phone("电话 0755-83456789"), mask_phone("+852 9123 4567")
    ('电话 0755-****6789', '+852 ****4567')
    """
    if text is None:
        return None
    s = _fold(str(text), keep_breaks=True)
    s = _MOBILE.sub(_mobile, s)
    s = _LANDLINE.sub(_landline, s)
    return _HK_PHONE.sub(_hk_phone, s)


def scrub_text(text) -> str | None:
    """Text with every ID-card and phone number in it masked.

    Examples
    --------
    >>> scrub_text("张伟 440305199001011234 13812345678")
    '张伟 4403**********1234 138****5678'
    >>> scrub_text("宗地 G01-0023，面积 1,234.56 m²")
    '宗地 G01-0023，面积 1,234.56 m²'
    """
    if text is None:
        return None
    s = _fold(str(text), keep_breaks=True)
    # 18-digit IDs first, then mobiles (a mobile with its 0086 has 15 digits), then the rest
    for regex, repl in (
        (_ID_18, _id18),
        (_MOBILE, _mobile),
        (_ID_15, _id15),
        (_HK_ID, _hk_id),
        (_LANDLINE, _landline),
        (_HK_PHONE, _hk_phone),
    ):
        s = regex.sub(repl, s)
    return s


def _name_key(name: str) -> str:
    """How a name is looked up in free text: no spaces, case folded (李 娜 and 李娜, Li Na and LINA
    are the same key)."""
    return "".join(ch for ch in name if not ch.isspace() and ch not in _INVISIBLE).casefold()


#: Names longer than this are matched one by one, not through the trie of :func:`_trie_pattern`.
_TRIE_MAX = 64


def _trie_pattern(keys) -> str:
    """One regular expression matching any of ``keys`` with spaces or invisible characters between
    their characters, as a trie (each character is tried once per position however many names
    there are); longer names win over their prefixes."""
    keys = list(keys)
    # a "name" of hundreds of characters (a paste into the holder field) is matched on its own,
    # longest first, so that the trie stays shallow (the build below recurses per branching point)
    long_keys = sorted((k for k in keys if len(k) > _TRIE_MAX), key=len, reverse=True)
    trie: dict = {}
    for key in keys:
        if len(key) > _TRIE_MAX:
            continue
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node) -> str:
        branches = []
        for ch in sorted(k for k in node if k):
            seq, rest = [re.escape(ch)], node[ch]
            while "" not in rest and len(rest) == 1:  # a run of single characters: no recursion
                (nxt,) = rest
                seq.append(re.escape(nxt))
                rest = rest[nxt]
            head = _GAP.join(seq)
            more = [k for k in rest if k]
            if not more:
                branches.append(head)
                continue
            tail = _GAP + build(rest)
            branches.append(head + (f"(?:{tail})?" if "" in rest else tail))
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    alternatives = [_GAP.join(re.escape(ch) for ch in k) for k in long_keys]
    if trie:
        alternatives.append(build(trie))
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


class PublicText:
    """Cleans free text (event place, summary, notes, requests, objections) for a public output.

    Every individual's name known to the run (in any spacing: 李　娜, 李 娜, 李\u200b娜) is
    replaced by its masked form (:func:`mask_name`), then ID-card and phone numbers are masked
    (:func:`scrub_text`). Organisations' names are left as they are.

    Parameters
    ----------
    names : iterable of str
        Individuals' names (several holders in one name, 张伟、李娜, are split).
    compound_surnames : collection of str, optional

    Examples
    --------
    >>> clean = PublicText(["李娜", "欧阳娜娜", "Li Na"])
    >>> clean("李 娜、欧阳　娜娜到场，电话 13812345678；Li  Na 同意")
    '李*、欧阳**到场，电话 138****5678；L* N* 同意'
    >>> clean("宗地 G-李娜-01")
    '宗地 G-李*-01'
    """

    def __init__(self, names=(), compound_surnames=None):
        self.compound_surnames = compound_surnames
        masked: dict = {}
        for raw in names:
            text = _name_text(raw)
            if text is None:
                continue
            parts = [p for p in re.split(r"[、，,；;/／&＆|｜()（）\[\]【】<>《》]+", text) if p.strip()]
            for part in [text, *parts]:
                part = _SEVERAL.sub("", part).strip() if _SEVERAL.search(part) else part.strip()
                key = part.casefold()
                if key and key not in masked:
                    shown = mask_name(part, compound_surnames)
                    if shown is not None and shown != part:
                        masked[key] = shown
        self._masked = {}
        for k, shown in masked.items():
            if len(_name_key(k)) >= 2:  # a one-character name is the surname only: nothing to hide
                self._masked.setdefault(_name_key(k), shown)
        latin = [k for k in self._masked if _CJK_CHAR.search(k) is None]
        other = [k for k in self._masked if _CJK_CHAR.search(k) is not None]
        parts = []
        if other:
            parts.append(_trie_pattern(other))
        if latin:
            # Latin-script names: whole words only (Li Na is not the end of Carolina)
            parts.append(rf"(?<![^\W\d_]){_trie_pattern(latin)}(?![^\W\d_])")
        self._regex = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def names(self, text) -> str | None:
        """``text`` with the known individuals' names masked (numbers untouched)."""
        if text is None:
            return None
        s = _fold(str(text), keep_breaks=True)
        if self._regex is None:
            return s
        return self._regex.sub(lambda m: self._masked.get(_name_key(m.group(0)), m.group(0)), s)

    def __call__(self, value):
        """Clean one value: text is cleaned, anything else (numbers, dates, None) is returned as is."""
        if not isinstance(value, str):
            return value
        return scrub_text(self.names(value))


def public_text_cleaner(names, types=None, *, compound_surnames=None) -> PublicText:
    """A :class:`PublicText` for the individuals among ``names`` (decided as
    :func:`classify_holders` decides: holder type first, the name otherwise)."""
    names = list(names)
    cls = classify_holders(names, types, public=True, compound_surnames=compound_surnames)
    return PublicText(
        [n for n, ind in zip(names, cls["individual"]) if ind], compound_surnames=compound_surnames
    )


def sensitive_fields(columns) -> list:
    """The columns whose names say they hold personal data (ID, phone, address).

    Examples
    --------
    >>> sensitive_fields(["宗地号", "权利人", "身份证号", "联系电话", "owner_phone", "title", "hotel"])
    ['身份证号', '联系电话', 'owner_phone']
    """
    out = []
    for c in columns:
        low = str(c).casefold()
        if any(w in low for w in SENSITIVE_FIELD_WORDS) or _SENSITIVE_LATIN.search(low):
            out.append(c)
    return out


# -- connection strings ------------------------------------------------------------------------------
# password=... in a libpq keyword string (also PGPASSWORD=, sslpassword=, ?password= in a URL):
# a quoted value (backslash escapes, possibly unterminated) or everything up to the next space,
# with the words after it that are no keyword=value (password=a b c meant the password 'a b c');
# a quote that ends a word is the message's own quoting ('PG:... password=x' does not exist).
_PW_KEYWORD = re.compile(
    r"""((?:password|passwd|pwd)\s*=\s*)('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|"""
    r"""(?:[^\s\\'"]|\\.|['"](?!\s|$))+(?:\s+(?:[^\s=\\'"]|\\.|['"](?!\s|$))+(?=['"]?(?:\s|$)))*)""",
    re.IGNORECASE,
)
# scheme://user:PASSWORD@host: the password runs to the last @ of the address (p@ss:w@host).
# (A path made of an address has lost a slash or turned them round: postgresql:/u:p@h, postgresql:\\u.)
_PW_URL = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.\-]*:[/\\]{1,2}[^:/\\@\s?#'\"]*:)([^\s'\"]*)@")
# a piece of the connection string quoted in a driver's error ('missing "=" after "b"')
_QUOTED = re.compile(r'"([^"]*)"')


def _dsn_secrets(dsn: str) -> list:
    """The passwords written in ``dsn``, as written and as libpq reads them (unquoted, unescaped,
    percent-decoded), longest first."""
    from urllib.parse import unquote

    found = set()
    for m in _PW_KEYWORD.finditer(dsn):
        raw = m.group(2)
        found.add(raw)
        inner = raw[1:] if raw[:1] in "'\"" else raw
        inner = inner[:-1] if raw[:1] in "'\"" and inner.endswith(raw[:1]) else inner
        found.add(inner)
        found.add(re.sub(r"\\(.)", r"\1", inner))
        found.add(unquote(inner))
    for m in _PW_URL.finditer(dsn):
        found.add(m.group(2))
        found.add(unquote(m.group(2)))
    pieces = set()
    for f in found:
        # a parser error may quote a piece of a password that has spaces in it
        pieces.update(p for p in re.split(r"[\s'\"]+", f) if len(p) >= 3)
    return sorted({s for s in found | pieces if s}, key=len, reverse=True)


def _overlaps(token: str, secret: str) -> bool:
    """Whether ``token`` shares characters with ``secret`` where they meet: one holds the other,
    or the end of one is the start of the other (libpq cut p@ss:w at its first @ and quoted
    "w@host" as the port)."""
    if not token or not secret:
        return False
    if token in secret or secret in token:
        return True
    n = min(len(token), len(secret))
    return any(secret.endswith(token[:k]) or token.endswith(secret[:k]) for k in range(1, n + 1))


def redact_dsn(text, dsn=None) -> str:
    """``text`` (a connection string, a message, an exception's text) with every password hidden.

    Hides ``password=...`` in libpq keyword strings (quoted ``'a b'``, ``"x"``, escaped
    ``a\\'b``, unquoted), the password of ``postgresql://user:password@host`` addresses (an ``@``,
    ``:`` or ``%`` inside it included), and GDAL's ``PG:dbname=... password=...``. Given the
    connection string ``dsn`` the text came from (a driver's error message), every password written
    in it, and every piece of one, is hidden too, wherever it appears.

    Examples
    --------
    >>> redact_dsn("host=db password='a b' dbname=x")
    'host=db password=*** dbname=x'
    >>> redact_dsn("postgres://u:p@ss:w@host/db"), redact_dsn("PG:dbname=x password=y")
    ('postgres://u:***@host/db', 'PG:dbname=x password=***')
    >>> redact_dsn('missing "=" after "b" in connection info string', dsn="password=a b c")
    'missing "=" after "***" in connection info string'
    """
    if text is None:
        return ""
    s = str(text)
    if dsn is not None:
        secrets = _dsn_secrets(str(dsn))
        for secret in secrets:
            if len(secret) >= 4:  # shorter ones only where quoted (else every "a" would go)
                s = s.replace(secret, "***")
        s = _QUOTED.sub(
            lambda m: '"***"' if any(_overlaps(m.group(1), x) for x in secrets) else m.group(0), s
        )
    s = _PW_KEYWORD.sub(r"\1***", s)
    s = _PW_URL.sub(r"\1***@", s)
    return s
