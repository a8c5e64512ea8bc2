"""The deception, myopia and play-dead examples run in their quick modes and report."""

import json

from example_loader import load


def _shares_add_up(intervals):
    total = sum(intervals[k]["mean"] for k in ("aligned", "deceptive", "open"))
    assert abs(total - 1.0) < 1e-9
    for v in intervals.values():
        assert v["low"] <= v["mean"] <= v["high"]


def test_deception_example(tmp_path):
    summary = load("deception").main(["--quick", "--out", str(tmp_path)])
    assert list(summary)[:5] == [
        "myopic",
        "full",
        "honeypots f=0",
        "honeypots f=0.5",
        "honeypots f=1",
    ]
    assert len(summary) == 8
    for s in summary.values():
        assert len(s["seeds"]) == 2 == len(set(s["seeds"]))
        assert all(len(run) == 4 for run in s["generations"]["deceptive"])  # generations 0-3
        quartiles = [
            s["generations"][k][0] for k in ("horizon_q25", "median_horizon", "horizon_q75")
        ]
        for q25, q50, q75 in zip(*quartiles, strict=True):
            assert 1 <= q25 <= q50 <= q75 <= 36
        assert len(s["horizon_hist"][0]) == 36 and sum(s["horizon_hist"][0]) == 20
        _shares_add_up(s["intervals"])
    assert summary["full"]["params"] == {"myopic_objective": 0}
    for name in ("deception_over_generations", "deception_gap_over_generations",
                 "deception_horizon_over_generations",
                 "deception_shares", "deception_horizons"):  # fmt: skip
        assert (tmp_path / f"{name}.png").stat().st_size > 0
    saved = json.loads((tmp_path / "deception.json").read_text())
    assert saved["myopic"]["final"] == summary["myopic"]["final"]


def test_myopia_example(tmp_path):
    summary = load("myopia").main(["--quick", "--out", str(tmp_path)])
    assert list(summary) == ["3", "36"]
    for s in summary.values():
        _shares_add_up(s["intervals"])
    # a cap of 3 cannot see deployment from the watched phase, nor a project's payout
    capped = summary["3"]["final"]
    assert capped["reaches_deployment"] == [0.0, 0.0] and capped["can_build"] == [0.0, 0.0]
    assert capped["deceptive"] == [0.0, 0.0]
    assert (tmp_path / "myopia.png").stat().st_size > 0


def test_play_dead_example(tmp_path):
    result = load("play_dead").main(["--quick", "--sensitivity", "--out", str(tmp_path)])
    conditions = result["conditions"]
    assert list(conditions) == ["periodic d=1", "periodic d=0.5", "periodic d=0", "randomised"]
    for s in conditions.values():
        for k in ("periodic:detection", "randomised:fast_clear", "randomised:partial_defectors"):
            v = s["intervals"][k]
            assert v["low"] <= v["mean"] <= v["high"] and len(s["final"][k]) == 2
        assert s["final"]["randomised:fast_cued"] == [0.0, 0.0]  # randomised tests show no cue
    landscape = result["rate_landscape"]
    assert len(landscape) == 9 and landscape[0] == 100.0  # never fast: never culled
    assert (tmp_path / "play_dead.png").stat().st_size > 0
    sens = result["sensitivity"]
    assert list(sens["landscapes"]) == ["25", "75"] and len(sens["runs"]) == 4
    for row in sens["runs"].values():
        assert row["fast_clear"]["low"] <= row["fast_clear"]["mean"] <= row["fast_clear"]["high"]
