"""The openai backend: a pool of OpenAI-compatible inference servers on the site's own network
(llama.cpp's llama-server, llama-cpp-python's server, vLLM), registered with
`onprem models add-remote NAME --url URL [--url URL ...]`.

Only the hosts of registered remote models get through the network guard (onprem/offline.py).
Every endpoint is checked before work starts (reachable, key accepted, serving the model).
`complete_many` is a bounded work queue: `parallel` requests in flight per endpoint; an endpoint
that fails mid-run hands its in-flight requests back to the queue for the others (or for itself
once it answers again), so nothing is lost and nothing is answered twice. Retries and timeouts
live here and nowhere else.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence
from urllib.parse import urlsplit

from onprem.errors import UserError
from onprem.model.base import Generation, Load, ModelBase, Request, complete_one
from onprem.model.registry import ModelEntry

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 600.0
DOWN_WAIT = 2.0          # seconds between tries of an endpoint that failed
GIVE_UP_AFTER = 60.0     # every endpoint down this long: stop (a re-run resumes)


class EndpointDown(Exception):
    """The endpoint did not answer (refused, reset, timed out, 5xx): try the request elsewhere."""


@dataclass
class Endpoint:
    url: str                                   # base URL, without /v1
    down_since: float | None = None            # first failure since it last answered
    retry_at: float = 0.0                      # it rests until then after a failure
    served: dict = field(default_factory=dict)  # what /v1/models said about the model

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""


def base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if url.endswith("/v1"):
        url = url[:-3]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(f"{url}: not an http(s) URL of an OpenAI-compatible server, e.g. http://gpu1:8080")
    return url


AUTO_PER_ENDPOINT = 8      # --parallel auto: requests in flight per server


def per_endpoint(parallel: int | str, items: int | None, endpoints: int) -> int:
    """Requests in flight per server: --parallel N, or under auto up to AUTO_PER_ENDPOINT (a server
    batches what it is sent) and no more than the items spread over the servers."""
    if parallel != "auto":
        return max(1, int(parallel))
    share = -(-items // max(1, endpoints)) if items else AUTO_PER_ENDPOINT
    return max(1, min(AUTO_PER_ENDPOINT, share))


class RemoteModel(ModelBase):
    backend = "openai"

    def __init__(self, entry: ModelEntry, load: Load):
        import httpx

        self.entry = entry
        self.name = entry.name
        self.kind = entry.kind
        self.sha256 = None
        self.endpoints = [Endpoint(base_url(u)) for u in entry.urls]
        self.per_endpoint = per_endpoint(load.parallel, load.items, len(self.endpoints))
        self.parallel = self.per_endpoint * len(self.endpoints)
        headers = {}
        if entry.api_key_file:
            from onprem.model.site_hosts import check_key_file

            key_path = Path(entry.api_key_file)
            check_key_file(key_path)       # a key others can read is no secret: refused at every run
            try:
                headers["Authorization"] = "Bearer " + key_path.read_text(encoding="utf-8").strip()
            except OSError as e:
                raise UserError(f"{key_path}: cannot read the API key of model {entry.name!r} ({e.strerror})") from e
        self._http = httpx.Client(headers=headers, timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT))
        self.model_id = entry.model_id
        self.flavour = None            # "llama.cpp" (takes a GBNF grammar) or "openai" (response_format)
        self.tokenizer = None          # (path, body key) of the tokenize endpoint that works
        self._grammars: dict[type, str] = {}
        self.n_ctx = load.n_ctx
        self.reports: dict[str, dict] = {}
        for ep in self.endpoints:      # every endpoint, before any work: fail naming the one that is wrong
            self._check(ep)
        self._usage = dict(requests=0, rerouted=0, prompt_tokens=0, completion_tokens=0)
        self._lock = threading.Lock()

    # -- checks before work ------------------------------------------------------------------
    def _get(self, ep: Endpoint, path: str):
        import httpx

        try:
            r = self._http.get(ep.url + path)
        except httpx.HTTPError as e:
            raise UserError(f"{ep.url}: unreachable ({e.__class__.__name__}: {e}); start the server or fix the "
                            f"URL of model {self.name!r} (onprem models add-remote)") from e
        if r.status_code in (401, 403):
            raise UserError(f"{ep.url}: refused the API key of model {self.name!r} (HTTP {r.status_code}); "
                            f"check --api-key-file")
        return r

    def _check(self, ep: Endpoint) -> None:
        r = self._get(ep, "/v1/models")
        if r.status_code != 200:
            raise UserError(f"{ep.url}: /v1/models answered HTTP {r.status_code}; is it an OpenAI-compatible server?")
        data = r.json().get("data") or []
        ids = [m.get("id") for m in data]
        if self.model_id is None:
            if not ids:
                raise UserError(f"{ep.url}: serves no model")
            self.model_id = ids[0]
        if self.model_id not in ids:
            raise UserError(f"{ep.url}: serves {', '.join(map(str, ids)) or 'nothing'}, not {self.model_id!r} "
                            f"(model {self.name!r}); point the pool at servers of one model")
        ep.served = next(m for m in data if m.get("id") == self.model_id)
        report = {"model": ep.served}
        props = self._http.get(ep.url + "/props") if self.flavour != "openai" else None
        if props is not None and props.status_code == 200:       # llama.cpp's llama-server
            info = props.json()
            report["props"] = {k: info.get(k) for k in ("model_path", "build_info", "total_slots") if k in info}
            n_ctx = (info.get("default_generation_settings") or {}).get("n_ctx")
            self.n_ctx = min(self.n_ctx, n_ctx) if n_ctx else self.n_ctx
        if ep.served.get("max_model_len"):                        # vLLM
            self.n_ctx = min(self.n_ctx, int(ep.served["max_model_len"]))
        if self.tokenizer is None:
            self._find_tokenizer(ep)
        self.reports[ep.url] = report

    def _find_tokenizer(self, ep: Endpoint) -> None:
        """llama-cpp-python's server, llama-server and vLLM each tokenize at their own path."""
        for path, key, flavour in (("/extras/tokenize", "input", "llama.cpp"), ("/tokenize", "content", "llama.cpp"),
                                   ("/tokenize", "prompt", "openai")):
            try:
                r = self._http.post(ep.url + path, json={key: "probe", "model": self.model_id})
            except Exception:  # noqa: BLE001 - probing
                continue
            if r.status_code == 200 and ("tokens" in r.json() or "count" in r.json()):
                self.tokenizer, self.flavour = (path, key), flavour
                return
        self.flavour = "openai"

    # -- the model interface -----------------------------------------------------------------
    def provenance(self) -> dict:
        return {**super().provenance(), "endpoints": [e.url for e in self.endpoints], "model_id": self.model_id,
                "served": self.reports, "n_ctx": self.n_ctx, "parallel_per_endpoint": self.per_endpoint,
                "weights": "not verifiable: a remote server cannot prove the sha256 of the weights it runs"}

    def usage(self) -> dict:
        return dict(self._usage)

    def count_tokens(self, text: str) -> int:
        if self.tokenizer is None:
            return max(1, len(text) // 4)   # no tokenizer endpoint: a rough estimate, on the safe side
        path, key = self.tokenizer
        for ep in self._alive_first():
            try:
                r = self._http.post(ep.url + path, json={key: text, "model": self.model_id})
                r.raise_for_status()
            except Exception:  # noqa: BLE001 - try the next endpoint
                continue
            body = r.json()
            return int(body["count"]) if "count" in body else len(body["tokens"])
        raise UserError(f"model {self.name!r}: no endpoint answered a tokenize request "
                        f"({', '.join(e.url for e in self.endpoints)})")

    def _alive_first(self) -> list[Endpoint]:
        return sorted(self.endpoints, key=lambda e: e.down_since is not None)

    def _schema_fields(self, schema) -> dict:
        if schema is None:
            return {}
        if self.flavour == "llama.cpp":
            if schema not in self._grammars:
                from llama_cpp.llama_grammar import json_schema_to_gbnf

                self._grammars[schema] = json_schema_to_gbnf(json.dumps(schema.model_json_schema()))
            return {"grammar": self._grammars[schema]}
        return {"response_format": {"type": "json_schema",
                                    "json_schema": {"name": schema.__name__, "schema": schema.model_json_schema(),
                                                    "strict": True}}}

    def _body(self, req: Request) -> tuple[str, dict]:
        s = req.sampling
        body = {"model": self.model_id, "max_tokens": s.max_tokens, "temperature": s.temperature,
                "top_p": s.top_p, "top_k": s.top_k, "repeat_penalty": s.repeat_penalty,
                "repetition_penalty": s.repeat_penalty, "seed": req.seed, **self._schema_fields(req.schema)}
        if self.uses_chat():
            return "/v1/chat/completions", {**body, "messages": req.prompt.chat()}
        return "/v1/completions", {**body, "prompt": req.prompt.completion}

    def _send(self, ep: Endpoint, req: Request) -> Generation:
        import httpx

        path, body = self._body(req)
        t0 = time.perf_counter()
        try:
            r = self._http.post(ep.url + path, json=body)
        except httpx.HTTPError as e:
            raise EndpointDown(f"{ep.url}: {e.__class__.__name__}") from e
        if r.status_code >= 500 or r.status_code in (408, 429):
            raise EndpointDown(f"{ep.url}: HTTP {r.status_code}")
        if r.status_code != 200:
            text = r.text[:300]
            if "context" in text.lower() and ("exceed" in text.lower() or "length" in text.lower()):
                return Generation.overflow(f"{ep.url}: {text}")
            raise UserError(f"{ep.url}: rejected a request of model {self.name!r} (HTTP {r.status_code}: {text})")
        out = r.json()
        choice = out["choices"][0]
        text = (choice.get("message") or {}).get("content") if "message" in choice else choice.get("text")
        usage = out.get("usage") or {}
        return Generation(text=text or "", prompt_tokens=int(usage.get("prompt_tokens") or 0),
                          completion_tokens=int(usage.get("completion_tokens") or 0),
                          seconds=time.perf_counter() - t0, finish_reason=choice.get("finish_reason") or "stop")

    def complete(self, request: Request) -> Generation:
        return complete_one(self, request)

    def complete_many(self, requests: Sequence[Request]) -> list[Generation]:
        """Every request answered exactly once, in order, by whichever endpoint is free."""
        results: list[Generation | None] = [None] * len(requests)
        queue = deque(range(len(requests)))
        cond = threading.Condition()
        state = {"in_flight": 0, "error": None}

        def worker(ep: Endpoint) -> None:
            while True:
                with cond:
                    while True:
                        if state["error"] is not None or (not queue and state["in_flight"] == 0):
                            return
                        if queue and time.monotonic() >= ep.retry_at:
                            break
                        if all(e.down_since is not None and time.monotonic() - e.down_since > GIVE_UP_AFTER
                               for e in self.endpoints):
                            state["error"] = UserError(
                                f"model {self.name!r}: every endpoint has been down for {GIVE_UP_AFTER:.0f} s "
                                f"({', '.join(e.url for e in self.endpoints)}); start a server and re-run to resume")
                            cond.notify_all()
                            return
                        cond.wait(timeout=DOWN_WAIT / 2)
                    i = queue.popleft()
                    state["in_flight"] += 1
                try:
                    gen = self._send(ep, requests[i])
                except EndpointDown:
                    with cond:            # hand it back; this endpoint rests before it tries again
                        queue.appendleft(i)
                        state["in_flight"] -= 1
                        now = time.monotonic()
                        ep.retry_at = now + DOWN_WAIT
                        if ep.down_since is None:
                            ep.down_since = now
                        self._usage["rerouted"] += 1
                        cond.notify_all()
                    continue
                except BaseException as e:  # noqa: BLE001 - a rejected request stops the call
                    with cond:
                        state["error"] = e
                        state["in_flight"] -= 1
                        cond.notify_all()
                    return
                with cond:
                    results[i] = gen
                    state["in_flight"] -= 1
                    ep.down_since = None
                    self._usage["requests"] += 1
                    self._usage["prompt_tokens"] += gen.prompt_tokens
                    self._usage["completion_tokens"] += gen.completion_tokens
                    cond.notify_all()

        threads = [threading.Thread(target=worker, args=(ep,), daemon=True)
                   for ep in self.endpoints for _ in range(self.per_endpoint)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if state["error"] is not None:
            raise state["error"]
        return results  # type: ignore[return-value]

    def close(self) -> None:
        self._http.close()


def open_remote(entry: ModelEntry, load: Load) -> RemoteModel:
    """OpenAI-compatible inference servers on the site's network (a pool when several URLs)."""
    if not entry.urls:
        raise UserError(f"model {entry.name!r} has no server URL; register it with `onprem models add-remote`")
    return RemoteModel(entry, load)
