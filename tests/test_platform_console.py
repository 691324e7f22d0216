"""The command line prints "m²" and Chinese on any console or redirected output without failing.

A Windows console with code page 936 (GBK: no "²") or 1252 (no Chinese), or output redirected with
a legacy encoding, is simulated with ``PYTHONIOENCODING``, which sets the encoding Python starts
with; the real ``landcoord`` runs in a subprocess with its standard output redirected to a file.
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANDCOORD = ROOT / ".venv" / "bin" / "landcoord"
SAMPLE = ROOT / "sample" / "landcoord_sample.gpkg"


def _affected(tmp_path, encoding: str, lang: str):
    """``landcoord affected`` on the sample, stdout and stderr redirected to files; (rc, out, err)."""
    out_txt, err_txt = tmp_path / "out.txt", tmp_path / "err.txt"
    env = dict(os.environ, PYTHONIOENCODING=encoding, LANDCOORD_LANG=lang)
    with open(out_txt, "wb") as out, open(err_txt, "wb") as err:
        rc = subprocess.run(
            [
                str(LANDCOORD),
                "affected",
                "--boundary",
                f"{SAMPLE}|layername=projects",
                "--cadastre",
                f"{SAMPLE}|layername=parcels",
                "--parcel-field",
                "宗地号",
                "--holder-field",
                "权利人",
                "--status-field",
                "用地状态",
                "--project-field",
                "项目编号",
                "--out",
                str(tmp_path / "affected.gpkg"),
            ],
            stdout=out,
            stderr=err,
            env=env,
        ).returncode
    return rc, out_txt.read_bytes(), err_txt.read_bytes()


@pytest.mark.parametrize("encoding", ["gbk", "ascii", "cp1252"])
def test_redirected_output_with_a_legacy_encoding_is_utf8_and_complete(tmp_path, encoding):
    rc, out, err = _affected(tmp_path, encoding, "en")
    assert rc == 0, err.decode("utf-8", "replace")
    text = out.decode("utf-8")  # readable: UTF-8, not mojibake or '?'
    assert "boundary 480,437.81 m²" in text
    assert "龙园社区股份合作公司" in text  # a rights-holder's name in the table
    assert "UnicodeEncodeError" not in err.decode("utf-8", "replace")
    assert (tmp_path / "affected.gpkg").is_file()


@pytest.mark.parametrize("encoding", ["cp1252", "gbk"])
def test_chinese_messages_and_warnings_survive_a_legacy_encoding(tmp_path, encoding):
    rc, out, err = _affected(tmp_path, encoding, "zh_CN")
    assert rc == 0, err.decode("utf-8", "replace")
    assert "范围 480,437.81 平方米" in out.decode("utf-8")
    assert "警告：图层“parcels”" in err.decode("utf-8")


def test_an_error_in_chinese_reaches_a_legacy_stderr(tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="ascii", LANDCOORD_LANG="zh_CN")
    gpkg, pdf = tmp_path / "无此文件.gpkg", tmp_path / "听证.pdf"
    proc = subprocess.run(
        [str(LANDCOORD), "hearing", "--gpkg", str(gpkg), "--out", str(pdf)],
        capture_output=True,
        env=env,
    )
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.decode("utf-8")
    assert "无此文件.gpkg" in err and "错误" in err and "Traceback" not in err


def test_configure_stream_rules():
    from landcoord.cli._console import configure_stream

    # a file opened with a legacy encoding becomes UTF-8
    gbk = io.TextIOWrapper(io.BytesIO(), encoding="gbk")
    assert configure_stream(gbk) == "utf-8"
    gbk.write("m² 中")
    gbk.flush()
    assert gbk.buffer.getvalue().decode("utf-8") == "m² 中"
    # UTF-8 streams are left exactly as they are
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    assert configure_stream(utf8) == "utf-8" and utf8.errors == "strict"
    # a stream without reconfigure (e.g. a replaced sys.stdout) is left alone, nothing raises
    assert configure_stream(io.StringIO()) is None
    assert configure_stream(None) is None
