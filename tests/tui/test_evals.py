"""The Evaluations screen: two stored distress-judge runs picked by key, their per-phase curves and
the trajectory row (equal to `onprem eval trajectory` on the same runs), and the dialogue text
statistics of `onprem stats`."""

from __future__ import annotations

from tuihelp import drive, text_of

from onprem.papers.thousand_voices import trajectory as tj
from onprem.store import open_store
from onprem.store.dialogue_stats import dialogue_text

RUN_A = {"P1": [3, 7, 8, 6, 5, 4], "P2": [2, 6, 6, 5, 3, 2]}
RUN_B = {"P1": [4, 8, 8, 7, 4, 3], "P2": [3, 5, 7, 6, 4, 2]}


def judge_runs(path) -> tuple[int, int]:
    """Two judge runs over the same six PE segments of two profiles, through the store's functions."""
    from onprem.store import dialogues as dstore
    from onprem.dialogue.roleplay import DialogueResult, Turn
    from onprem.judges.rubric import Criterion, JudgeOutcome, Mark, Rubric, Scale
    from onprem.model.backends.scripted import ScriptedModel
    from onprem.runs import start_run

    store = open_store(path)
    model = ScriptedModel(name="judge")
    rubric = Rubric("distress", (Criterion("distress", "segment", "1 calm .. 10 extreme"),), Scale(1, 10))
    ids: dict[tuple[str, int], int] = {}
    for profile in RUN_A:
        case = dstore.ensure_case(store, "pe", profile)
        for phase in range(1, 7):
            dstore.save_dialogue(store, case_id=case, segment=phase, generator="pe", run_id=None,
                                 result=DialogueResult([Turn(0, "therapist", "How is it now?"),
                                                        Turn(1, "client", "It is hard to say it out loud.")],
                                                       "ended"),
                                 models={"writer": model}, prompts=[], params={}, seed=1, meta={"group": "exposure"})
            ids[profile, phase] = store.db.execute("select max(id) from dialogues").fetchone()[0]
    runs = []
    for name, scores in (("judge-a", RUN_A), ("judge-b", RUN_B)):
        model = ScriptedModel(name=name)     # one stored judgment per segment, rubric and judge model
        run_id = start_run(store, "judge distress", models={"judge": model})
        for profile, seq in scores.items():
            for phase, score in enumerate(seq, 1):
                dstore.save_judgment(store, target_kind="segment", target_id=ids[profile, phase], run_id=run_id,
                                     rubric=rubric, model=model,
                                     outcome=JudgeOutcome(marks={"distress": Mark(score=score, reason="x")}))
        runs.append(run_id)
    store.close()
    return runs[0], runs[1]


def test_pick_two_runs_and_see_curves_row_and_text_statistics(db_path):
    run_a, run_b = judge_runs(db_path)

    async def scenario(pilot):
        screen = pilot.app.screen
        empty = text_of(screen.query_one("#ev-curves"))
        # newest first: run_b on row 0, run_a on row 1
        await pilot.press("down", "a", "up", "b")
        await pilot.pause()
        return {"empty": empty, "curves": text_of(screen.query_one("#ev-curves")),
                "row": text_of(screen.query_one("#ev-row")), "text": text_of(screen.query_one("#ev-text")),
                "picked": dict(screen.query_one("#ev-trajectory").picked)}

    out = drive(db_path, scenario, start="evals")
    assert "pick a run with a" in out["empty"]
    assert out["picked"] == {"scores": run_a, "baseline": run_b}
    assert f"run:{run_a} (N=2)" in out["curves"] and f"run:{run_b} (N=2)" in out["curves"]
    want = tj.compare({p: dict(enumerate(map(float, s), 1)) for p, s in RUN_A.items()},
                      {p: dict(enumerate(map(float, s), 1)) for p, s in RUN_B.items()})
    assert f"{want.pearson[0]:.2f} ± {want.pearson[1]:.2f}" in out["row"]
    assert f"{want.rmse[0]:.2f} ± {want.rmse[1]:.2f}" in out["row"] and f"{want.s_abs:.2f}" in out["row"]
    stats = dialogue_text(open_store(db_path))["pe"]
    assert stats["speakers"]["client"]["words_per_turn"] == 8.0
    assert "pe" in out["text"] and "exposure 12.0" in out["text"]
