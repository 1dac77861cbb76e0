"""Zero egress, proven: the flows make no network attempt at all, run with no network at all, and the
guard refuses a deliberate connection naming the code that tried."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from onprem import offline

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _netns_ok() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(["unshare", "-n", "true"]).returncode == 0


NETNS = _netns_ok()
needs_netns = pytest.mark.skipif(not NETNS, reason="unshare -n is not permitted here")


@pytest.mark.model
def test_flows_make_no_network_attempt_and_run_without_network(tmp_path):
    """paraphrase (real default model), redact, export, stats, generate sqpsych, doctor and the TUI
    start-up with an independent audit-hook recorder; inside `unshare -n` (no interface but a downed
    loopback) when permitted, so native code cannot reach anything either."""
    cmd = [sys.executable, str(HERE / "egress_flows.py"), str(tmp_path / "work")]
    if NETNS:
        cmd = ["unshare", "-n", *cmd]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    flows = result["flows"]
    failed = {k: v for k, v in flows.items() if not k.endswith((".output", ".screen")) and v not in (0, "absent")}
    assert not failed, json.dumps(flows, indent=1)
    assert flows["tui.screen"] == "OverviewScreen"
    assert result["attempts"] == [], result["attempts"]


PROBE = textwrap.dedent("""
    import http.client, json, socket, urllib.request
    from onprem.offline import NetworkBlocked, install_guard
    install_guard()
    tries = {
        "tcp": lambda: socket.create_connection(("192.0.2.1", 80), timeout=2),
        "dns": lambda: socket.getaddrinfo("example.org", 443),
        "udp": lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.0.2.1", 53)),
        "urllib": lambda: urllib.request.urlopen("http://192.0.2.1/", timeout=2),
        "http.client": lambda: http.client.HTTPConnection("192.0.2.1", 80, timeout=2).connect(),
    }
    out = {}
    for name, attempt in tries.items():
        try:
            attempt()
            out[name] = "CONNECTED"
        except NetworkBlocked as e:
            out[name] = str(e)
        except OSError as e:
            out[name] = f"not blocked, failed: {e}"
    print(json.dumps(out))
""")


@needs_netns
def test_guard_refuses_real_attempts_naming_the_caller(tmp_path):
    """Real socket/DNS/UDP/urllib/http.client calls to a public address (TEST-NET-1, inside a network
    namespace with no network, so nothing could leave even if the guard failed)."""
    probe = tmp_path / "phone_home.py"
    probe.write_text(PROBE)
    proc = subprocess.run(["unshare", "-n", sys.executable, str(probe)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for name, message in out.items():
        assert message.startswith("onprem is offline: blocked "), (name, message)
        assert f"from {probe}:" in message, (name, message)      # the code that tried, by file and line
    assert "to 192.0.2.1:80" in out["tcp"] and "example.org:443" in out["dns"]
    assert out["urllib"].startswith("onprem is offline: blocked urllib.Request to http://192.0.2.1/")
    assert out["http.client"].startswith("onprem is offline: blocked http.client.connect to 192.0.2.1:80")


def test_guard_refuses_each_event_in_process():
    """The hook itself, through sys.audit (no socket is made, nothing is sent)."""
    offline.install_guard()
    cases = [
        ("socket.connect", (object(), ("8.8.8.8", 53))),
        ("socket.connect", (object(), ("2001:4860:4860::8888", 443, 0, 0))),
        ("socket.sendto", (object(), ("192.0.2.7", 123))),
        ("socket.getaddrinfo", ("pypi.org", 443, 0, 0, 0, 0)),
        ("urllib.Request", ("https://huggingface.co/x", None, {}, "GET")),
        ("http.client.connect", (object(), "example.com", 80)),
    ]
    for event, args in cases:
        with pytest.raises(offline.NetworkBlocked) as e:
            sys.audit(event, *args)
        assert f"blocked {event}" in str(e.value)
        assert f"from {__file__}:" in str(e.value)
    assert [a.event for a in offline.attempts()[-len(cases):]] == [c[0] for c in cases]
    assert all(a.blocked for a in offline.attempts()[-len(cases):])


def test_loopback_and_local_files_are_allowed():
    offline.install_guard()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        client = socket.create_connection(server.getsockname(), timeout=5)
        client.close()
    finally:
        server.close()
    sys.audit("socket.getaddrinfo", "localhost", 80, 0, 0, 0, 0)
    sys.audit("urllib.Request", "file:///etc/hostname", None, {}, "GET")
    sys.audit("socket.connect", object(), "/run/some.sock")                # AF_UNIX path
    assert offline.is_local("::1") and offline.is_local("127.8.9.10") and not offline.is_local("10.0.0.1")
    assert offline.guard_active()


def test_environment_hardening_is_forced_and_files_are_private(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    offline.install_guard()
    for key, value in offline.OFFLINE_ENV.items():
        assert os.environ[key] == value
    assert offline.overridden["HF_HUB_OFFLINE"] == "0"
    f = tmp_path / "made.txt"
    f.write_text("x")
    d = tmp_path / "made_dir"
    d.mkdir()
    assert (f.stat().st_mode & 0o777, d.stat().st_mode & 0o777) == (0o600, 0o700)
