"""Registered servers are the site's own (issue 23, item 7): a public host, a key sent in clear to
another machine and a key file others can read are refused before any connection is made."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from onprem.cli import cli
from onprem.errors import UserError
from onprem.model import site_hosts


def names(table: dict):
    return lambda host: table[host]


@pytest.mark.parametrize("url,reach", [
    ("http://127.0.0.1:8080", "loopback"), ("http://[::1]:8080", "loopback"),
    ("http://10.2.3.4:8080", "private"), ("https://172.20.0.9", "private"), ("http://192.168.1.20:8000", "private"),
    ("http://[fd12::1]:8080", "private"), ("http://100.64.1.1", "private"),
    ("http://8.8.8.8", "public"), ("http://192.0.2.1", "public"), ("http://172.32.0.1", "public"),
    ("http://gpu1:8080", "private"), ("http://mixed.example:8080", "public"), ("http://localhost:8080", "loopback"),
])
def test_reach_of_addresses_and_names(url, reach):
    resolve = names({"gpu1": ["10.0.0.7"], "mixed.example": ["10.0.0.8", "93.184.216.34"], "localhost": ["127.0.0.1"]})
    assert site_hosts.classify(url, resolve).reach == reach


def test_the_policy(tmp_path):
    key = tmp_path / "key"
    key.write_text("k")
    key.chmod(0o600)
    resolve = names({"gpu1": ["10.0.0.7"]})
    ok = dict(api_key_file=key, allow_public=False, insecure_http=False, resolve=resolve)
    assert [h.reach for h in site_hosts.check(["http://127.0.0.1:1"], **ok)] == ["loopback"]   # key over loopback
    with pytest.raises(UserError, match=r"http://gpu1:8080: plain http:// would send the API key in clear"):
        site_hosts.check(["http://gpu1:8080"], **ok)
    assert site_hosts.check(["https://gpu1:8080"], **ok)[0].reach == "private"
    assert site_hosts.check(["http://gpu1:8080"], **{**ok, "insecure_http": True})
    assert site_hosts.check(["http://gpu1:8080"], **{**ok, "api_key_file": None})            # no key: no secret
    with pytest.raises(UserError, match=r"8\.8\.8\.8 is a public address"):
        site_hosts.check(["https://8.8.8.8"], **ok)
    assert site_hosts.check(["https://8.8.8.8"], **{**ok, "allow_public": True})
    key.chmod(0o644)
    with pytest.raises(UserError, match=r"readable by others \(mode 644\); run `chmod 600"):
        site_hosts.check(["https://gpu1:8080"], **ok)


@pytest.fixture
def no_connection(monkeypatch, tmp_path):
    """The CLI with its own registry, and a backend opener that fails the test if reached."""
    import onprem.plugins

    def opener(*a, **k):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(onprem.plugins, "get", lambda kind, name: opener)
    models = tmp_path / "models"
    models.mkdir()
    return {"ONPREM_MODELS_DIR": str(models)}


def test_add_remote_refuses_before_connecting(tmp_path, no_connection):
    key = tmp_path / "key"
    key.write_text("secret")
    key.chmod(0o644)

    def add(*args):
        return CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "models", "add-remote", "m", *args],
                                  env=no_connection)

    res = add("--url", "https://203.0.113.5:8080")
    assert res.exit_code == 2 and "203.0.113.5 is a public address" in res.stderr and "--allow-public" in res.stderr
    res = add("--url", "http://10.9.8.7:8080", "--api-key-file", str(key))
    assert res.exit_code == 2 and "plain http:// would send the API key in clear to 10.9.8.7" in res.stderr
    res = add("--url", "https://10.9.8.7:8080", "--api-key-file", str(key))
    assert res.exit_code == 2 and f"{key}: the API key file is readable by others (mode 644)" in res.stderr
    assert not (tmp_path / "models" / "registry.json").exists()


def test_a_key_file_opened_up_after_registration_is_refused_at_use(tmp_path, monkeypatch):
    from onprem.model.base import Load
    from onprem.model.backends.openai import RemoteModel
    from onprem.model.registry import ModelEntry

    key = tmp_path / "key"
    key.write_text("secret")
    key.chmod(0o640)
    entry = ModelEntry(name="m", urls=["http://127.0.0.1:9"], api_key_file=str(key), backend="openai", added_at="")
    with pytest.raises(UserError, match="readable by others"):
        RemoteModel(entry, Load())


def test_doctor_lists_each_registered_host_with_its_policy(tmp_path, monkeypatch):
    from onprem import offline

    monkeypatch.setattr(offline, "_allowed", set())      # this test's hosts stay out of later tests
    models = tmp_path / "models"
    models.mkdir(mode=0o700)
    key = tmp_path / "key"
    key.write_text("k")
    key.chmod(0o600)
    remote = {"name": "pool", "urls": ["https://10.1.1.1:8443", "http://127.0.0.1:8080"], "api_key_file": str(key),
              "backend": "openai", "kind": "instruct", "added_at": "2026-01-01T00:00:00+00:00", "allow_public": False}
    (models / "registry.json").write_text(json.dumps({"models": {"pool": remote}}))
    (models / "registry.json").chmod(0o600)
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "d.db"), "doctor"], env={"ONPREM_MODELS_DIR": str(models)})
    assert "pool: https://10.1.1.1:8443 (private; API key file; site network only)" in res.output
    assert "pool: http://127.0.0.1:8080 (loopback; API key file; site network only)" in res.output
