"""The help pages shipped with the plugin: ``help/<algorithm>.html`` (English) and
``help/zh_CN/<algorithm>.html`` (Simplified Chinese), one per Processing algorithm.

Each page is written from the algorithm itself: its name, group, help text, and every parameter
and output with its label and help, so the page the toolbox's Help button opens
(:func:`processing.base.help_url`) says what the dialog says. Run
``python -m landcoord.processing.help_pages`` after changing an algorithm's help or parameters;
``tests/test_processing_conventions.py`` checks that the shipped pages are current.
"""

from __future__ import annotations

import html
from pathlib import Path

from ..qgis_compat import PARAMETER_OPTIONAL

__all__ = ["HELP_DIR", "LANGUAGES", "page", "write_pages"]

HELP_DIR = Path(__file__).resolve().parent.parent / "help"
QM_DIR = Path(__file__).resolve().parent.parent / "i18n"
#: language -> (folder under help/, html lang, labels)
LANGUAGES = {
    "en": (
        "",
        "en",
        {
            "group": "Group:",
            "parameters": "Parameters",
            "outputs": "Outputs",
            "optional": "optional",
            "key": "Name",
            "label": "Label",
            "help": "Help",
            "readme": "The whole workflow: README.md in the plugin folder.",
        },
    ),
    "zh_CN": (
        "zh_CN",
        "zh-CN",
        {
            "group": "分组：",
            "parameters": "参数",
            "outputs": "输出",
            "optional": "可选",
            "key": "名称",
            "label": "说明",
            "help": "帮助",
            "readme": "完整流程见插件文件夹中的 README.zh-CN.md。",
        },
    ),
}

_STYLE = (
    "body{font-family:sans-serif;max-width:52em;margin:1em auto;line-height:1.45}"
    "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.25em .5em;vertical-align:top}"
    "th{background:#eee;text-align:left}code{white-space:nowrap}"
)


def _paragraphs(text: str) -> str:
    return "\n".join(
        f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n") if p.strip()
    )


def page(alg, language: str) -> str:
    """The help page of ``alg`` (an initialised algorithm, its strings already in ``language``)."""
    _folder, lang, labels = LANGUAGES[language]
    rows = []
    outputs = []
    for definition in alg.parameterDefinitions():
        label = html.escape(definition.description())
        if definition.isDestination():
            outputs.append(f"<tr><td><code>{definition.name()}</code></td><td>{label}</td></tr>")
            continue
        optional = f" <i>({labels['optional']})</i>" if definition.flags() & PARAMETER_OPTIONAL else ""
        rows.append(
            f"<tr><td><code>{definition.name()}</code></td><td>{label}{optional}</td>"
            f"<td>{html.escape(definition.help() or '')}</td></tr>"
        )
    group = f"<p><b>{labels['group']}</b> {html.escape(alg.group())}</p>" if alg.group() else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(alg.displayName())}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(alg.displayName())}</h1>\n"
        f"<p><code>landcoord:{html.escape(alg.name())}</code></p>\n{group}\n"
        f"{_paragraphs(alg.shortHelpString() or '')}\n"
        f"<h2>{labels['parameters']}</h2>\n<table>\n"
        f"<tr><th>{labels['key']}</th><th>{labels['label']}</th><th>{labels['help']}</th></tr>\n"
        + "\n".join(rows)
        + f"\n</table>\n<h2>{labels['outputs']}</h2>\n<table>\n"
        f"<tr><th>{labels['key']}</th><th>{labels['label']}</th></tr>\n"
        + "\n".join(outputs)
        + f"\n</table>\n<p>{html.escape(labels['readme'])}</p>\n</body>\n</html>\n"
    )


def pages(language: str) -> dict[str, str]:
    """algorithm name -> page, every algorithm of :func:`processing.provider.algorithms`, in ``language``.

    The Qt translator for ``language`` must be installed before (see :func:`write_pages`).
    """
    from .provider import algorithms

    out = {}
    for alg in algorithms():
        alg.initAlgorithm()
        out[alg.name()] = page(alg, language)
    return out


def write_pages(target: Path = HELP_DIR) -> list[Path]:
    """Write every page in every language under ``target``; returns the files written."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    written = []
    for language, (folder, _lang, _labels) in LANGUAGES.items():
        translator = None
        if language != "en":
            translator = QTranslator()
            if not translator.load(str(QM_DIR / f"landcoord_{language}.qm")):
                raise OSError(f"no compiled translation i18n/landcoord_{language}.qm")
            QCoreApplication.installTranslator(translator)
        try:
            out_dir = target / folder if folder else target
            out_dir.mkdir(parents=True, exist_ok=True)
            for name, text in pages(language).items():
                path = out_dir / f"{name}.html"
                path.write_text(text, encoding="utf-8")
                written.append(path)
        finally:
            if translator is not None:
                QCoreApplication.removeTranslator(translator)
    return written


if __name__ == "__main__":  # python -m landcoord.processing.help_pages
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    for written_path in write_pages():
        print(written_path)
