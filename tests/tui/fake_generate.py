"""`python fake_generate.py ARGS` = `python -m onprem ARGS` with a scripted model instead of a GGUF:
the real `onprem generate sqpsych` (its plain progress lines, run record and Ctrl-C handling), for
the Jobs tests. FAKE_DELAY (seconds per reply) slows it down enough to cancel."""

from __future__ import annotations

import json
import os
import sys
import time

import onprem.cli.generate as generate_cli
from onprem.model.runtime import Generation

# Each reply takes six words of this list, seven further on each time: no two turns of a dialogue alike
# (the role-play refuses repeats).
WORDS = ("morning evening walking sleeping worry family work friends music garden coffee letters train "
         "weekend sister doctor kitchen window dinner running reading autumn winter summer spring river "
         "market office laughter silence weather habits plans tired calm busy hopeful restless quiet bright").split()


class Scripted:
    kind, name, sha256, n_ctx = "base", "scripted", "sha-scripted", 4096

    def __init__(self) -> None:
        self.n = 0

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def _reply(self) -> Generation:
        time.sleep(float(os.environ.get("FAKE_DELAY", "0")))
        self.n += 1
        words = " ".join(WORDS[(self.n * 7 + k) % len(WORDS)] for k in range(6))  # period: 40 replies
        text = "Last week I visited my friend John Smith in Boston" if self.n == 2 else f"Well {words}"
        return Generation(text=json.dumps({"utterance": text, "end": False}), prompt_tokens=1,
                          completion_tokens=8, seconds=0.01, finish_reason="stop")

    def generate(self, prompt, schema=None, *, sampling, seed):
        return self._reply()

    def chat(self, messages, schema=None, *, sampling, seed):
        return self._reply()


def main() -> None:
    model = Scripted()
    generate_cli.load_models = lambda therapist, client, n_ctx: (model, model)
    from onprem.cli import main as onprem_main

    sys.argv = ["onprem", *sys.argv[1:]]
    onprem_main()


if __name__ == "__main__":
    main()
