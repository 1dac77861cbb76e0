"""`onprem doctor`: plain words for what is wrong, exit 1; --fix makes files owner-only."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from onprem.cli import cli


def doctor(tmp_path, *args, env=None):
    return CliRunner().invoke(cli, ["--db", str(tmp_path / "d.db"), "doctor", *args], env=env)


def test_a_whole_private_installation_passes(tmp_path):
    from onprem.store import open_store

    open_store(tmp_path / "d.db").close()
    res = doctor(tmp_path)
    assert res.exit_code == 0, res.output
    for name in ("installation", "models", "spaCy model", "file permissions", "offline guard"):
        assert f"ok    {name}: " in res.output
    assert "all 7 checks passed" in res.output


def test_problems_are_named_and_fixable(tmp_path):
    models = tmp_path / "models"
    models.mkdir(mode=0o755)
    os.chmod(models, 0o755)
    fake = models / "fake.gguf"
    fake.write_bytes(b"GGUF" + b"\0" * 60)
    registry = {"default": "fake", "models": {"fake": {
        "name": "fake", "path": "fake.gguf", "sha256": "0" * 64, "size": 64,
        "added_at": "2026-01-01T00:00:00+00:00"}}}
    (models / "registry.json").write_text(json.dumps(registry))
    os.chmod(models / "registry.json", 0o644)
    db = tmp_path / "d.db"
    db.write_bytes(b"")
    os.chmod(db, 0o644)
    env = {"ONPREM_MODELS_DIR": str(models)}
    res = doctor(tmp_path, env=env)
    assert res.exit_code == 1
    out = res.output
    assert f"FAIL  models: fake: {fake}: sha256 " in out and "differs from registered" in out
    assert "FAIL  models: bundled model smollm2-135m is not registered; run `onprem models install-default`" in out
    assert f"FAIL  file permissions: {db} is readable by others (mode 644); run `chmod 600 {db}`" in out
    assert f"FAIL  file permissions: {models} is readable by others (mode 755)" in out
    assert "2 of 7 checks failed" in out
    res = doctor(tmp_path, "--fix", env=env)
    assert f"fixed: {db} is now mode 600" in res.output
    assert "ok    file permissions" in res.output
    assert (db.stat().st_mode & 0o777, models.stat().st_mode & 0o777) == (0o600, 0o700)
    assert res.exit_code == 1          # the checksum is still wrong: --fix only fixes permissions


def test_missing_registry_and_overridden_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    res = doctor(tmp_path, env={"ONPREM_MODELS_DIR": str(tmp_path / "nothing"), "HF_HUB_OFFLINE": "0"})
    assert res.exit_code == 1
    assert "FAIL  models: no models registered in" in res.output
    assert "run `onprem models install-default`" in res.output
