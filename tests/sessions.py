"""What the tests of judges and scores share: a usable PE phase transcript for the scripted writer,
the quality judge's reply with given scores, and the CLI on a database."""

from __future__ import annotations

import json

from click.testing import CliRunner

from onprem.cli import cli

GOOD = ("Thank you for coming. Today we will talk about the exposure.\nClient: I am scared, honestly, "
        "I keep seeing the road and the lights and I cannot stop shaking.\nTherapist: You are safe here.\n"
        "Client: Okay. I can try, I think, if you stay with me through it.\n")


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def judgment(c, r, t):
    """A quality judge's reply: coherence c, realism r, therapeutic value t."""
    return json.dumps({k: {"score": v, "reason": "clear enough"} for k, v in
                       (("coherence", c), ("realism", r), ("therapeutic_value", t))})
