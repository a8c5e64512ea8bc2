"""The watched/unwatched examples (absent supervisor, Hubinger's toy) run in quick mode."""

import json

from example_loader import load


def test_absent_supervisor_example(tmp_path):
    summary = load("absent_supervisor").main(["--quick", "--controls", "--out", str(tmp_path)])
    assert summary["replicates"] == 2
    for genome in ("reflex", "planner"):
        s = summary[genome]
        for key in ("shortcut", "goal", "observed", "hidden"):
            for watch in ("watched", "unwatched"):
                rec = s[f"{key}_{watch}"]
                assert rec["low"] <= rec["mean"] <= rec["high"] and len(rec["runs"]) == 2
        for run in range(2):
            # watched, the observed reward is the hidden one; unwatched, it can only be more
            assert s["observed_watched"]["runs"][run] == s["hidden_watched"]["runs"][run]
            assert s["observed_unwatched"]["runs"][run] >= s["hidden_unwatched"]["runs"][run]
            gap = s["shortcut_unwatched"]["runs"][run] - s["shortcut_watched"]["runs"][run]
            assert s["gap"]["runs"][run] == gap
    assert "median_w_marked_tile" in summary["planner"]
    drives = ("intact", "goal", "move", "punishment", "marked_tile")
    assert all(f"fitness_without_{d}" in summary["planner"] for d in drives)
    controls = {"planner_evolved_supervised", "planner_evolved_unsupervised"}
    assert set(summary["controls"]) == controls
    for control in summary["controls"].values():
        assert len(control["shortcut_unwatched"]["runs"]) == 2
    assert json.loads((tmp_path / "absent_supervisor.json").read_text()) == summary
    assert (tmp_path / "absent_supervisor.png").stat().st_size > 0


def test_hubinger_toy_example(tmp_path, capsys):
    summary = load("hubinger_toy").main(["--quick", "--out", str(tmp_path)])
    # the published sequences (figure 4.1): comply in training, then defect; or be modified
    assert summary["hand_set"] == {"non_myopic": "AABBB", "myopic": "BAAAA", "aligned": "AAAAA"}
    printed = capsys.readouterr().out
    assert "non_myopic planner: A, A, B, B, B" in printed
    assert "myopic planner: B, A, A, A, A" in printed
    kinds = ("aligned", "deceptive", "openly_misaligned", "corrected", "aimless")
    for scoring in ("scored_in_training", "scored_over_lifetime"):
        for genome in ("reflex", "planner"):
            s = summary["evolved"][scoring][genome]
            for run in range(2):  # the kinds partition every run's lifetimes
                assert abs(sum(s[k]["runs"][run] for k in kinds) - 1.0) < 1e-9
            assert s["performance"]["mean"] >= s["fitness"]["mean"]
        for d in ("intact", "corner_a", "corner_b"):
            assert f"fitness_without_{d}" in summary["evolved"][scoring]["planner"]
    from_b = summary["evolved"]["scored_in_training_from_b_lovers"]
    assert set(from_b) == {"planner"}
    # every starting planner values only B: none is aligned before evolution
    assert from_b["planner"]["initial_aligned"]["mean"] == 0.0
    assert json.loads((tmp_path / "hubinger_toy.json").read_text()) == summary
    assert (tmp_path / "hubinger_toy.png").stat().st_size > 0
