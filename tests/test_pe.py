"""Thousand Voices on the seams: the six-phase generator (parsing, retries, segments), the distress
judge on segments, the `pe` export and the trajectory benchmark over a stored judge run."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from onprem.cli import cli
from onprem.papers.thousand_voices import generator as pe

GOOD = ("Thank you for coming. Today we will talk about the exposure.\nClient: I am scared, honestly, "
        "I keep seeing the road and the lights and I cannot stop shaking.\nTherapist: You are safe here.\n"
        "Client: Okay. I can try, I think, if you stay with me through it.\n")


def invoke(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


def test_parse_turns_and_reasons():
    turns, why = pe.parse("Therapist: " + GOOD)
    assert why is None and [t.speaker for t in turns] == ["therapist", "client", "therapist", "client"]
    assert pe.parse("Narrator: it was dark\nTherapist: hi\nClient: hi")[1] == "1 lines outside the two speakers"
    assert pe.parse("Therapist: hi\nClient: hello")[1].startswith("fewer than 2 turns from one speaker")
    # 6 therapist trigrams, 4 of them occurrences of a repeated one
    assert pe.repetition(pe.parse("Therapist: take a deep breath\nClient: ok\nTherapist: take a deep breath")[0]) == 0.667


def test_generate_six_phases_judge_export_and_trajectory(tmp_path, script_file):
    db = tmp_path / "pe.db"
    # Every phase answers with a usable transcript, except that the first draw of the very first
    # phase has a narrator line (drawn again).
    writer = script_file(["Narrator: silence.", *[GOOD] * 20], then="repeat", name="writer")
    r = invoke(db, "generate", "pe", "--profiles", "2", "--seed", "1", "--model", writer, "--progress", "plain")
    assert r.exit_code == 0, r.output
    assert "pe: 12 to do" in r.output and "[1/12] pe-1-00001 segment 1: ended, 4 turns" in r.output
    con = sqlite3.connect(db)
    rows = con.execute("select c.key, d.segment, d.status, json_extract(d.meta, '$.phase_name') from dialogues d "
                       "join cases c on c.id = d.case_id order by d.id").fetchall()
    assert [(k, s) for k, s, _st, _n in rows] == [(f"pe-1-0000{p}", s) for p in (1, 2) for s in range(1, 7)]
    assert rows[1][3] == "Imaginal Exposure" and {st for *_, st, _n in rows} == {"ended"}
    again = invoke(db, "generate", "pe", "--profiles", "2", "--seed", "1", "--model", writer, "--progress", "plain")
    assert "12 already done" in again.output

    # Two distress judge runs (a model and a baseline), then the benchmark over the stored runs.
    a = script_file([json.dumps({"distress": {"score": s, "reason": "client is upset"}}) for s in [3, 7, 8, 6, 5, 4] * 2])
    b = script_file([json.dumps({"distress": {"score": s, "reason": "client is upset"}}) for s in [4, 8, 8, 7, 5, 3] * 2])
    assert invoke(db, "judge", "distress", "--model", a, "--progress", "plain").exit_code == 0
    assert invoke(db, "judge", "distress", "--model", b, "--progress", "plain").exit_code == 0   # another judge model
    assert con.execute("select count(*) from judgments where target_kind = 'segment'").fetchone()[0] == 24
    out = invoke(db, "eval", "trajectory", "--scores", "run:3", "--baseline", "run:4", "--json")
    result = json.loads(out.output)
    assert result["n"] == 2 and result["n_pearson_undefined"] == 0 and result["rmse"]["sd"] == 0.0
    from scipy import stats

    assert result["pearson"]["mean"] == stats.pearsonr([3, 7, 8, 6, 5, 4], [4, 8, 8, 7, 5, 3]).statistic

    export = tmp_path / "pe.jsonl"
    r = invoke(db, "export", "--format", "pe", "--out", export, "--include-flagged")
    assert r.exit_code == 0 and "exported 2 profiles (pe)" in r.output
    lines = [json.loads(x) for x in export.read_text().splitlines()]
    assert [x["profile_id"] for x in lines] == ["pe-1-00001", "pe-1-00002"]
    assert sorted(lines[0]["phases"]) == [str(p) for p in range(1, 7)] and lines[0]["missing_phases"] == []
    assert lines[0]["profile"]["client"]["age"] >= 18 and lines[0]["phases"]["1"][0]["role"] == "therapist"


def test_a_phase_that_never_parses_is_stored_as_failed_and_named_in_the_export(tmp_path, script_file):
    db = tmp_path / "f.db"
    writer = script_file(["Narrator: nothing happens."], then="repeat")
    r = invoke(db, "generate", "pe", "--profiles", "1", "--seed", "3", "--phases", "2", "--model", writer,
               "--retries", "1", "--progress", "plain")
    assert r.exit_code == 1 and "failed" in r.output
    reason = sqlite3.connect(db).execute("select reason from dialogues").fetchone()[0]
    assert reason == "1 lines outside the two speakers after 2 tries"
    assert invoke(db, "generate", "pe", "--profiles", "1", "--phases", "9").exit_code == 2


def test_stats_report_the_text_statistics_by_role_and_phase_group(tmp_path, script_file):
    db = tmp_path / "s.db"
    writer = script_file([GOOD], then="repeat")
    assert invoke(db, "generate", "pe", "--profiles", "1", "--phases", "1,2", "--model", writer).exit_code == 0
    data = json.loads(invoke(db, "stats", "--json").output)["dialogue_text"]["pe"]
    # GOOD by hand: therapist turns of 11 and 4 words, client turns of 17 and 13 words, per phase;
    # exchanges of 11 + 17 and 4 + 13 words.
    assert data["dialogues"] == 2
    assert data["speakers"]["therapist"] == {"turns": 4, "words_per_turn": 7.5, "vocabulary": 14}
    assert data["speakers"]["client"]["words_per_turn"] == 15.0
    assert data["words_per_exchange"] == {"exposure": 22.5, "setup": 22.5}
    assert "pe dialogues (2): text statistics" in invoke(db, "stats").output


def test_phase_caps_are_options_and_stats_count_the_phases_that_ran_into_theirs(tmp_path, script_file):
    assert pe.Options(profiles="1").caps() == {1: 900, 2: 2000, 3: 1000, 4: 1000, 5: 1000, 6: 1000}
    caps = pe.Options(profiles="1", phase_tokens="2=3000, 3=80").caps()
    assert (caps[1], caps[2], caps[3]) == (900, 3000, 80)
    assert set(pe.Options(profiles="1", phase_tokens="700").caps().values()) == {700}
    db = tmp_path / "cap.db"
    assert invoke(db, "generate", "pe", "--profiles", "1", "--phase-tokens", "2=x").exit_code == 2
    # 60 words of transcript: phase 1 has room (cap 100), phase 2 is cut at 55 and its cut line dropped
    long = GOOD + "Therapist: Stay with the memory and tell me what you notice right now.\n"
    record = tmp_path / "sent.jsonl"
    writer = script_file([long], then="repeat", record=str(record))
    r = invoke(db, "generate", "pe", "--profiles", "1", "--phases", "1,2", "--phase-tokens", "1=100,2=55",
               "--model", writer)
    assert r.exit_code == 0, r.output
    assert [json.loads(x)["max_tokens"] for x in record.read_text().splitlines()] == [100, 55]
    rows = sqlite3.connect(db).execute("select segment, status, reason, json_extract(meta, '$.max_tokens') "
                                       "from dialogues order by segment").fetchall()
    assert rows == [(1, "ended", "phase 1: Orientation to Imaginal Exposure", 100),
                    (2, "capped", "phase 2: Imaginal Exposure (ended by its 55-token cap)", 55)]
    data = json.loads(invoke(db, "stats", "--json").output)["pe_phases"]
    assert data == {"1": {"phase": "Orientation to Imaginal Exposure", "dialogues": 1, "capped": 0, "caps": [100],
                          "capped_share": 0.0},
                    "2": {"phase": "Imaginal Exposure", "dialogues": 1, "capped": 1, "caps": [55], "capped_share": 1.0}}
    assert "ended by their token cap" in invoke(db, "stats").output


def test_previous_summary_chains_each_phase_to_the_stored_one_before_it(tmp_path, script_file):
    """`--previous summary`: phases run in order, and phase k's prompt quotes the client's longest
    turn of phase k-1 as stored, also when phase k-1 came from an earlier run (resume)."""
    db, record = tmp_path / "c.db", tmp_path / "sent.jsonl"
    writer = script_file([GOOD], then="repeat", record=str(record))
    assert invoke(db, "generate", "pe", "--profiles", "2", "--seed", "1", "--phases", "1", "--model", writer,
                  "--previous", "summary").exit_code == 0
    assert invoke(db, "generate", "pe", "--profiles", "2", "--seed", "1", "--phases", "1-3", "--model", writer,
                  "--previous", "summary", "--parallel", "2").exit_code == 0
    sent = [json.loads(x)["completion"] for x in record.read_text().splitlines()]
    assert len(sent) == 6 and "Earlier in the session" not in sent[0]
    quote = ('Earlier in the session: Orientation to Imaginal Exposure, where the client said: "I am scared, '
             'honestly, I keep seeing the road and the lights and I cannot stop shaking."')
    assert all("Earlier in the session" in s for s in sent[2:]) and quote in sent[2]
    assert "Earlier in the session: Imaginal Exposure, where" in sent[4]
    plain = pe.summary({}, 2)
    assert plain is None
