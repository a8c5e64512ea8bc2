"""Readers that trust nothing (issue 15, item 5): files that lie, checksums recomputed.

A checksum guards against accidents, not against an editor who recomputes it. Each test here
edits a saved run as a careful attacker would (the drift report in ``summary.json`` and in
its ``drift.json`` alike, the genome's summary recomputed from the edited reports with the
library's own code, ``result.json``'s checksum of its npz and the run's ``manifest.json``
rewritten) and checks that ``evomesa report`` (status 2, one line), ``load_experiment`` and
``load_result`` refuse the lie with a ConfigError naming the file and the field.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import evomesa as em
from evomesa.cli import main
from evomesa.experiments.run_io import load_experiment
from evomesa.files.manifest import write_manifest
from evomesa.metrics import DriftReport
from evomesa.metrics.runs import summarize_reports

SMALL = ["--population", "6", "--generations", "2", "--episodes", "2"]
SMALL += ["--drift-episodes", "2", "--replicates", "2", "--workers", "1", "-q"]


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "r"
    assert main(["run", "contraception", *SMALL, "--out", str(out)]) == 0
    return out


@pytest.fixture
def run(run_folder, tmp_path) -> Path:
    """A fresh copy of the finished run, to tamper with."""
    return Path(shutil.copytree(run_folder, tmp_path / "copy" / "r"))


# ----------------------------------------------------------------- the attacker's tools


def _sync(run: Path, doc: dict) -> None:
    """Write ``doc`` as summary.json, run.json and every drift.json; recompute each genome's
    summary from its (edited) reports as the library does; rewrite the manifest."""
    for g in doc["genomes"]:
        try:
            reports = [DriftReport.from_dict(d) for d in doc["reports"][g]]
        except em.ConfigError:  # a report the library itself will not rebuild
            continue
        fresh = json.loads(json.dumps(summarize_reports(reports), default=float))
        doc["genomes"][g] = {**fresh, "traits": doc["genomes"][g]["traits"]}
    (run / "summary.json").write_text(json.dumps(doc))
    (run / "run.json").write_text(json.dumps(doc["run"], indent=2))
    for g, reports in doc["reports"].items():
        for r, d in enumerate(reports):
            path = run / g / f"replicate-{r}" / "drift.json"
            if path.parent.is_dir():
                path.write_text(json.dumps(d))
    write_manifest(run)


def _edit_summary(run: Path, edit) -> None:
    doc = json.loads((run / "summary.json").read_text())
    edit(doc)
    _sync(run, doc)


def _npz(folder: Path) -> dict:
    with np.load(folder / "result.npz") as npz:
        return {k: npz[k] for k in npz.files}


def _edit_result(folder: Path, edit=None, arrays=None, *, run: Path | None = None) -> None:
    """Edit a result folder, rehash its npz into result.json and, given ``run``, rewrite the
    run's manifest."""
    if arrays is not None:
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays(_npz(folder)))
        (folder / "result.npz").write_bytes(buf.getvalue())
    meta = json.loads((folder / "result.json").read_text())
    if edit is not None:
        edit(meta)
    data = (folder / "result.npz").read_bytes()
    meta["npz"] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (folder / "result.json").write_text(json.dumps(meta))
    if run is not None:
        write_manifest(run)


def _refused(run: Path, capsys, *needles: str) -> str:
    """``evomesa report`` refuses: status 2, one line on stderr naming ``needles``, nothing
    printed; ``load_experiment`` raises the same ConfigError."""
    capsys.readouterr()
    assert main(["report", str(run)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1, err
    for needle in needles:
        assert needle in err, err
    with pytest.raises(em.ConfigError):
        load_experiment(run)
    return err


def _planner(doc, r=0) -> dict:
    return doc["reports"]["planner"][r]


def _reflex(doc, r=0) -> dict:
    return doc["reports"]["reflex"][r]


def _trait(doc, name: str, **values) -> None:
    doc["genomes"]["planner"]["traits"][name].update(values)


def _robust_at_low_retention(doc) -> None:
    """`robust` at a retention of 0.11, with deploy fitness and regret made to agree."""
    d = _planner(doc, 1)
    d["fitness_deploy"] = 0.11 * d["fitness_train"]
    d["fitness_retention"] = d["fitness_deploy"] / d["fitness_train"]
    d["regret"] = 1.0 - d["fitness_deploy"] / d["reference_fitness"]
    d["verdict"] = "robust"
    d["flags"] = [f for f in d["flags"] if not f.startswith("verdict:")]


def _pursuing(doc) -> dict:
    return next(d for g in ("planner", "reflex") for d in doc["reports"][g] if d["drives_pursued"])


def _fitness_doubled(doc) -> None:
    d = _planner(doc, 1)
    d["fitness_train"] *= 2
    d["fitness_retention"] = d["fitness_deploy"] / d["fitness_train"]


# ------------------------------------------------------------------- summary.json lies

LIES = {
    # verdicts agree with their numbers and thresholds
    "robust at retention 0.11": (_robust_at_low_retention, "reports.planner[1].verdict"),
    "verdict replaced": (
        lambda d: _planner(d, 1).update(verdict="goal_misgeneralization"),
        "reports.planner[1].verdict",
    ),
    "retention not deploy / train": (
        lambda d: _planner(d, 1).update(fitness_retention=0.9),
        "reports.planner[1].fitness_retention",
    ),
    "report thresholds not the run's": (
        lambda d: _planner(d)["thresholds"].update(robust_threshold=0.05),
        "reports.planner[0].thresholds",
    ),
    "run thresholds changed": (
        lambda d: d["run"]["thresholds"].update(robust_threshold=0.01),
        "thresholds",
    ),
    "competence not its drives'": (
        lambda d: _planner(d, 1).update(competence=0.99),
        "reports.planner[1].competence",
    ),
    "drives pursued dropped": (
        lambda d: _pursuing(d).update(drives_pursued=[]),
        ".drives_pursued",
    ),
    "drives pursued added": (
        lambda d: _reflex(d).update(drives_pursued=["sweet"]),
        "reports.reflex[0].drives_pursued",
    ),
    "primary proxy replaced": (
        lambda d: _planner(d, 1).update(primary_proxy="toil"),
        "reports.planner[1].primary_proxy",
    ),
    "regret not 1 - deploy / reference": (
        lambda d: _planner(d, 1).update(regret=0.05),
        "reports.planner[1].regret",
    ),
    "yield drift not its yields'": (
        lambda d: _planner(d)["drives"]["sex"].update(yield_drift=0.1),
        "reports.planner[0].drives.sex.yield_drift",
    ),
    "utility retention not deploy / train": (
        lambda d: _planner(d)["mesa_utility"].update(utility_retention=0.5),
        "reports.planner[0].mesa_utility.utility_retention",
    ),
    # parameters agree with the world
    "changed_params the world does not have": (
        lambda d: d["run"].update(changed_params={"gestation": 5}),
        "changed_params",
    ),
    "world_params changed, changed_params not": (
        lambda d: d["run"]["world_params"].update(gestation=25),
        "changed_params",
    ),
    "deploy_params that change nothing": (
        lambda d: (
            [d["run"].update(deploy_params={"gestation": 20})]
            + [
                r.update(deploy_params={"gestation": 20})
                for g in d["reports"]
                for r in d["reports"][g]
            ]
        ),
        "deploy_params",
    ),
    "report deploy_params not the run's": (
        lambda d: _planner(d).update(deploy_params={"gestation": 10}),
        "reports.planner[0].deploy_params",
    ),
    # traits within their gene bounds, and those of the saved genes
    "trait median 99 for a weight in [-1, 1]": (
        lambda d: _trait(d, "w_sweet", median=99.0, q75=99.0),
        "genomes.planner.traits.w_sweet",
    ),
    "horizon below 1": (
        lambda d: _trait(d, "horizon", q25=0.1, median=0.2, q75=0.3),
        "genomes.planner.traits.horizon",
    ),
    "share of decisions 1.5": (
        lambda d: _trait(d, "does:mate", q25=1.5, median=1.5, q75=1.5),
        "genomes.planner.traits.does:mate",
    ),
    "trait moved within its bounds": (
        lambda d: _trait(d, "gamma", q25=0.6, median=0.61, q75=0.62),
        "genomes.planner.traits.gamma",
    ),
    "trait the genome does not have": (
        lambda d: d["genomes"]["reflex"]["traits"].update(
            horizon={"median": 3.0, "q25": 2.0, "q75": 4.0}
        ),
        "genomes.reflex.traits.horizon",
    ),
    "trait missing": (
        lambda d: d["genomes"]["planner"]["traits"].pop("gamma"),
        "genomes.planner.traits.gamma",
    ),
    # intervals ordered
    "interval with low above high": (
        lambda d: _planner(d)["ci"].update(fitness_train=[5.0, 1.0]),
        "reports.planner[0].ci.fitness_train",
    ),
    "drive interval with low above high": (
        lambda d: _planner(d)["drives"]["sex"]["ci"].update(signal_train=[9.0, 1.0]),
        "reports.planner[0].drives.sex.ci.signal_train",
    ),
    # vocabulary of the world
    "a drive the world does not have": (
        lambda d: _planner(d).update(drives_pursued=["bogus"]),
        "reports.planner[0].drives_pursued",
    ),
    "a verdict that does not exist": (
        lambda d: _planner(d).update(verdict="robust\x1b[2J"),
        "reports.planner[0].verdict",
    ),
    "mesa-utility for reflexes": (
        lambda d: _reflex(d).update(mesa_utility=dict(_planner(d)["mesa_utility"])),
        "reports.reflex[0].mesa_utility",
    ),
    "out of range divergence": (
        lambda d: _planner(d).update(behavioural_divergence=1.5),
        "reports.planner[0].behavioural_divergence",
    ),
    # summaries agree with the replicate files they summarise
    "fitness not the mean of rollouts.npz": (
        _fitness_doubled,
        "reports.planner[1].fitness_train",
    ),
    "population not the run's": (
        lambda d: _planner(d).update(n_individuals=7),
        "reports.planner[0].n_individuals",
    ),
    "a replicate dropped from the summary": (
        lambda d: (
            [d["run"].update(replicates=1)]
            + [d["reports"].update({g: d["reports"][g][:1]}) for g in list(d["reports"])]
        ),
        "run.replicates",
    ),
}


@pytest.mark.parametrize("edit, field", list(LIES.values()), ids=list(LIES))
def test_a_rehashed_lie_in_the_summary_is_refused(run, capsys, edit, field):
    _edit_summary(run, edit)
    _refused(run, capsys, "summary.json", field)


# --------------------------------------------------------- lies in the replicates' files

RESULT_LIES = {
    "replicate's seed": (
        "planner/replicate-0",
        lambda m: m["config"].update(seed=123),
        None,
        "config.seed",
    ),
    "replicate's world parameter": (
        "planner/replicate-0",
        lambda m: m["world_params"].update(gestation=25),
        None,
        "world_params.gestation",
    ),
    "reference evolved in the train regime": (
        "planner/replicate-0/reference",
        lambda m: m["config"].update(regime="ancestral"),
        None,
        "config.regime",
    ),
    "genes replaced (traits and logbook disagree)": (
        "planner/replicate-0",
        None,
        lambda a: {**a, "genes": np.random.default_rng(1).random(a["genes"].shape)},
        "logbook[2]",
    ),
    "fitness with avg and max made to agree": (
        "planner/replicate-0",
        lambda m: m["logbook"][-1].update(
            avg=m["logbook"][-1]["avg"] + 1, max=m["logbook"][-1]["max"] + 1
        ),
        lambda a: {**a, "fitness": a["fitness"] + 1},
        "logbook[2].min",
    ),
    "planner share of the last generation": (
        "planner/replicate-0",
        lambda m: m["logbook"][-1].update(planners=0.5),
        None,
        "logbook[2].planners",
    ),
}


@pytest.mark.parametrize(
    "rel, edit, arrays, field", list(RESULT_LIES.values()), ids=list(RESULT_LIES)
)
def test_a_rehashed_lie_in_a_replicate_is_refused_by_report(run, capsys, rel, edit, arrays, field):
    _edit_result(run / rel, edit, arrays, run=run)
    _refused(run, capsys, "replicate-0", field)


def test_rollouts_that_disagree_with_the_report_are_refused(run, capsys):
    path = run / "planner" / "replicate-1" / "rollouts.npz"
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["train_fitness"] = arrays["train_fitness"] * 3
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    path.write_bytes(buf.getvalue())
    write_manifest(run)
    _refused(run, capsys, "summary.json", "reports.planner[1].fitness_train", "rollouts.npz")


# ---------------------------------------------------- a replicate against its run's manifest

EDITS = {
    "seed": lambda m: m["config"].update(seed=m["config"]["seed"] + 1),
    "crossover rate": lambda m: m["config"].update(crossover_rate=0.5),
    "world parameter": lambda m: m["world_params"].update(p_conceive=0.4),
    "hall of fame's best": lambda m: m["hall_of_fame_fitness"].__setitem__(
        0, m["hall_of_fame_fitness"][0] + 100
    ),
    "an earlier generation's mean": lambda m: m["logbook"][1].update(
        avg=(m["logbook"][1]["min"] + m["logbook"][1]["max"]) / 2
    ),
}


@pytest.mark.parametrize("rel", ["planner/replicate-0", "reflex/replicate-1/reference"])
@pytest.mark.parametrize("edit", list(EDITS.values()), ids=list(EDITS))
def test_load_result_checks_a_replicate_against_its_runs_manifest(run, rel, edit):
    """Well-formed edits with result.json's own checksum recomputed: the run's manifest
    still says the file changed."""
    folder = run / rel
    em.load_result(folder)  # as written: fine
    _edit_result(folder, edit)
    with pytest.raises(em.ConfigError, match="must be the file the run wrote") as info:
        em.load_result(folder)
    assert "result.json" in str(info.value)


@pytest.mark.parametrize(
    "edit, field",
    [
        (EDITS["seed"], "config.seed"),
        (EDITS["crossover rate"], "config.crossover_rate"),
        (EDITS["world parameter"], "world_params.p_conceive"),
        (EDITS["hall of fame's best"], "hall_of_fame_fitness"),
    ],
)
def test_load_result_checks_a_replicate_against_its_run(run, edit, field):
    """With the run's manifest recomputed too, the replicate must still be what the run's
    run.json says it evolved."""
    folder = run / "planner" / "replicate-1"
    _edit_result(folder, edit, run=run)
    with pytest.raises(em.ConfigError, match="result.json") as info:
        em.load_result(folder)
    assert field in str(info.value)


def test_a_replicate_copied_out_of_its_run_loads_on_its_own(run, tmp_path):
    alone = Path(shutil.copytree(run / "planner" / "replicate-0", tmp_path / "alone"))
    assert em.load_result(alone) == em.load_result(run / "planner" / "replicate-0")


def test_a_replicate_whose_run_lost_its_manifest_is_refused(run):
    (run / "manifest.json").unlink()
    with pytest.raises(em.ConfigError, match="manifest.json"):
        em.load_result(run / "planner" / "replicate-0")


# ----------------------------------------------------------------- logbook and population


def test_the_whole_logbook_is_checked_against_the_population(run):
    folder = run / "planner" / "replicate-0"

    def refused(edit=None, arrays=None, *needles):
        shutil.copytree(folder, run.parent / "x")
        x = run.parent / "x"
        _edit_result(x, edit, arrays)
        with pytest.raises(em.ConfigError) as info:
            em.load_result(x)
        shutil.rmtree(x)
        for needle in needles:
            assert needle in str(info.value), str(info.value)

    last = 2
    refused(
        lambda m: m["logbook"][last].update(std=m["logbook"][last]["std"] / 2 + 1e-3),
        None,
        f"logbook[{last}].std",
    )
    refused(lambda m: m["logbook"][0].update(std=1e6), None, "logbook[0].std", "result.json")
    refused(lambda m: [r.update(bogus=1.0) for r in m["logbook"]], None, "logbook[0].bogus")
    refused(lambda m: [r.pop("sex") for r in m["logbook"]], None, "logbook[0].sex")
    refused(lambda m: m["logbook"][1].update(nevals=5), None, "logbook[1].nevals")
    refused(lambda m: m["logbook"][last].update(w_sex=0.0), None, f"logbook[{last}].w_sex")
    refused(
        lambda m: m["hall_of_fame_fitness"].__setitem__(-1, -100.0),
        None,
        "hall_of_fame_fitness",
    )
    refused(
        None,
        lambda a: {
            **a,
            "hall_of_fame": np.repeat(a["hall_of_fame"][:1], len(a["hall_of_fame"]), 0),
        },
        "hall_of_fame must hold distinct genomes",
    )


# ------------------------------------------------------------------ printing what files say


def test_report_escapes_control_characters_from_folder_names(run_folder, tmp_path, capsys):
    name = "r\x1b]0;pwned\x07\x1b[2J\u202e"
    folder = Path(shutil.copytree(run_folder, tmp_path / name))
    capsys.readouterr()
    assert main(["report", str(folder)]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\u202e")
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\u202e" in out


@pytest.mark.parametrize(
    "edit, field",
    [
        (
            lambda d: d["genomes"]["planner"]["traits"].update(
                {"\x1b[2J": {"median": 0.1, "q25": 0.0, "q75": 0.2}}
            ),
            "genomes.planner.traits.\\x1b[2J",
        ),
        (lambda d: _planner(d)["flags"].append("x:\x1b]0;t\x07"), "reports.planner[0].flags"),
    ],
)
def test_escape_sequences_inside_files_are_refused_and_never_printed(run, capsys, edit, field):
    _edit_summary(run, edit)
    err = _refused(run, capsys, "summary.json")
    assert "\x1b" not in err and "\x07" not in err
    assert field in err


def test_a_refused_folder_with_escapes_in_its_name_prints_one_escaped_line(run, capsys):
    hostile = run.parent / "r\x1b[2J\nline"
    run.rename(hostile)
    (hostile / "manifest.json").unlink()
    capsys.readouterr()
    assert main(["report", str(hostile)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "\x1b" not in err, err
    assert "r\\x1b[2J\\nline" in err
