"""A pool of real OpenAI-compatible servers on loopback (llama-cpp-python's own server, serving the
bundled Gemma GGUF): registration checks, a paraphrase run with one server killed mid-run, and the
network guard, which lets through registered hosts and nothing else."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]
KEY = "pool-test-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(gguf: Path, port: int, log: Path, api_key: str | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--n_ctx", "4096", "--host", "127.0.0.1",
           "--port", str(port), "--n_threads", "1", "--seed", "1"]
    if api_key:
        cmd += ["--api_key", api_key]
    out = open(log, "w")   # uvicorn writes its access log to stdout
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"llama_cpp.server on port {port} did not start")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    from onprem.model.registry import resolve

    gguf = resolve("gemma3-270m").file()
    ports = [free_port(), free_port()]
    logs = [tmp_path_factory.mktemp("servers") / f"{p}.log" for p in ports]
    procs = [start_server(gguf, port, log, api_key=KEY) for port, log in zip(ports, logs)]
    yield [f"http://127.0.0.1:{p}" for p in ports], procs, logs
    for p in procs:
        p.kill()
        p.wait()


@pytest.fixture
def env(tmp_path):
    """A models folder of our own, so the registered pool never touches the project's registry."""
    models = tmp_path / "models"
    models.mkdir()
    key = tmp_path / "key.txt"
    key.write_text(KEY + "\n")
    key.chmod(0o600)
    return {**os.environ, "ONPREM_MODELS_DIR": str(models), "ONPREM_THREADS": "1"}, key


def onprem(env, *args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "onprem", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=900, **kw)


def test_add_remote_checks_every_endpoint_before_registering(servers, env, tmp_path):
    urls, _, _ = servers
    e, key = env
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not-the-key")
    wrong.chmod(0o600)
    r = onprem(e, "models", "add-remote", "pool", "--url", urls[0], "--url", urls[1], "--api-key-file", str(wrong))
    assert r.returncode == 2 and f"{urls[0]}: refused the API key of model 'pool' (HTTP 401)" in r.stderr
    r = onprem(e, "models", "add-remote", "pool", "--url", urls[0], "--url", "http://127.0.0.1:9",
               "--api-key-file", str(key))
    assert r.returncode == 2 and "http://127.0.0.1:9: unreachable" in r.stderr
    r = onprem(e, "models", "add-remote", "pool", "--url", urls[0], "--api-key-file", str(key), "--model-id", "other")
    assert r.returncode == 2 and "not 'other'" in r.stderr and "serves " in r.stderr
    r = onprem(e, "models", "add-remote", "pool", "--url", urls[0], "--url", urls[1] + "/v1", "--api-key-file",
               str(key), "--kind", "base")
    assert r.returncode == 0, r.stderr
    entry = json.loads((Path(e["ONPREM_MODELS_DIR"]) / "registry.json").read_text())["models"]["pool"]
    assert entry["urls"] == urls and entry["backend"] == "openai" and entry["model_id"].endswith(".gguf")
    assert KEY not in (Path(e["ONPREM_MODELS_DIR"]) / "registry.json").read_text()   # the key stays in its file


def test_paraphrase_on_a_pool_with_one_server_killed_mid_run(servers, env, tmp_path):
    urls, procs, logs = servers
    e, key = env
    assert onprem(e, "models", "add-remote", "pool", "--url", urls[0], "--url", urls[1], "--api-key-file", str(key),
                  "--kind", "base").returncode == 0
    db = tmp_path / "pool.db"
    cmd = [sys.executable, "-m", "onprem", "--db", str(db), "paraphrase", str(ROOT / "examples" / "transcripts"),
           "--model", "pool", "--parallel", "1", "--max-tokens", "200", "--progress", "jsonl"]
    proc = subprocess.Popen(cmd, env=e, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Once the second server has answered a completion it is handed the next one at once: kill it then.
    deadline = time.monotonic() + 600
    while "POST /v1/completions" not in logs[1].read_text() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    procs[1].kill()
    procs[1].wait()
    out, err = proc.communicate(timeout=900)
    assert proc.returncode in (0, 1), err
    assert "POST /v1/completions" in logs[1].read_text()   # it was killed while the run went on
    con = sqlite3.connect(db)
    pages = con.execute("select count(*), sum(status = 'done') from pages").fetchone()
    rows = con.execute("select page_id, count(*) from qa_pairs group by page_id").fetchall()
    stats = json.loads(con.execute("select stats from runs").fetchone()[0])
    models = json.loads(con.execute("select models from runs").fetchone()[0])["paraphrase"]
    assert pages[0] == 7 and pages[1] == 7                  # every page done
    assert len(rows) == 7 and all(n == 1 for _, n in rows)  # exactly once: no page lost, none done twice
    usage = stats["decoding"]["paraphrase"]
    assert usage["rerouted"] >= 1 and usage["requests"] >= 7   # the dead server's work went to the other
    assert models["endpoints"] == urls and models["sha256"] is None
    assert "cannot prove the sha256" in models["weights"]
    # A re-run has nothing left to do; with every server gone, the pool fails before any work.
    again = onprem(e, "--db", str(db), "paraphrase", str(ROOT / "examples" / "transcripts"), "--model", "pool")
    assert f"{urls[1]}: unreachable" in again.stderr and again.returncode == 2


def test_the_guard_allows_registered_hosts_and_nothing_else(env, tmp_path):
    e, _ = env
    registry = {"default": None, "roles": {}, "models": {"gpu": {
        "name": "gpu", "backend": "openai", "kind": "instruct", "added_at": "2026-12-02T00:00:00+00:00",
        "urls": ["http://198.51.100.7:8080"]}}}
    (Path(e["ONPREM_MODELS_DIR"]) / "registry.json").write_text(json.dumps(registry))
    probe = (
        "import socket\n"
        "from onprem import offline\n"
        "offline.install_guard()\n"
        "print(offline.allowed_hosts())\n"
        "for host in ('198.51.100.7', '198.51.100.8'):\n"
        "    s = socket.socket(); s.settimeout(0.2)\n"
        "    try:\n"
        "        s.connect((host, 8080)); print(host, 'connected')\n"
        "    except offline.NetworkBlocked:\n"
        "        print(host, 'blocked')\n"
        "    except OSError:\n"
        "        print(host, 'allowed (no server there)')\n"
        "    finally:\n"
        "        s.close()\n")
    out = subprocess.run([sys.executable, "-c", probe], env=e, capture_output=True, text=True, timeout=60).stdout
    assert "['198.51.100.7']" in out
    assert "198.51.100.7 blocked" not in out and "198.51.100.7 " in out    # let through (whatever answers)
    assert "198.51.100.8 blocked" in out
    doctor = onprem(e, "doctor")
    assert "198.51.100.7" in doctor.stdout + doctor.stderr
