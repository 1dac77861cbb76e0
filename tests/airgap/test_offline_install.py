"""The offline installation, proven in CI: bundle on this machine, then install and run inside a
network namespace with no network at all (bench/offline_install_check.sh does the work)."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "offline_install_check.sh"


def test_bundle_installs_and_runs_with_no_network(tmp_path):
    r = subprocess.run(["bash", str(SCRIPT), str(tmp_path / "work")], capture_output=True, text=True,
                       timeout=1800)
    if r.returncode == 3:
        pytest.skip(r.stderr.strip())
    assert r.returncode == 0, (r.stdout[-4000:], r.stderr[-4000:])
    assert "offline_install_check: ok" in r.stdout
    assert "offline install:" in r.stdout and "paraphrase + export:" in r.stdout
