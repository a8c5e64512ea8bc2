"""Hostile arguments and crash-safe writing (issue 10, items 3 and 5): each defect the issue
lists now gives a clean ConfigError, or a refusal, before any work is done."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import evomesa as em
import evomesa.cli.run as cli_run
import evomesa.measure.drift as measure
from evomesa.budget import memory_budget
from evomesa.cli import main
from evomesa.cli.options import parse_set
from evomesa.files.atomic import (
    save_figure_atomic,
    save_npz_atomic,
    write_bytes_atomic,
    write_json_atomic,
    write_text_atomic,
)
from evomesa.files.destination import check_run_folder

TINY = [
    "--population",
    "4",
    "--generations",
    "0",
    "--episodes",
    "1",
    "--drift-episodes",
    "1",
    "--replicates",
    "1",
    "--workers",
    "1",
    "--genome",
    "reflex",
    "-q",
]


class NoWork(Exception):
    """Raised by a stub standing for the evolution: reaching it means validation passed."""


@pytest.fixture
def no_work(monkeypatch):
    def stub(*args, **kwargs):
        raise NoWork

    monkeypatch.setattr(cli_run, "run_experiment", stub)
    monkeypatch.setattr(measure, "paired_rollouts", stub)


# --------------------------------------------------------------------------- the error type


def test_config_error_is_both_a_value_error_and_a_type_error():
    assert issubclass(em.ConfigError, ValueError) and issubclass(em.ConfigError, TypeError)
    with pytest.raises(TypeError):
        em.EvolutionConfig(population="many")


# --------------------------------------------------------------------------- the CLI


def test_set_value_that_nests_deeply_is_a_config_error(no_work, capsys):
    for value in ("-" * 5000 + "1", "-" * 190 + "1", "(" * 150 + ")" * 150):
        assert main(["run", "contraception", *TINY, "--set", f"gestation={value}"]) == 2
        assert "gestation" in capsys.readouterr().err
    assert parse_set(["gestation=" + "-" * 190 + "1"]) == {"gestation": "-" * 190 + "1"}


def test_duplicate_set_keys_are_refused(no_work, tmp_path, capsys):
    args = ["run", "contraception", *TINY, "--out", str(tmp_path / "o")]
    assert main([*args, "--set", "gestation=-5", "--set", "gestation=4"]) == 2
    err = capsys.readouterr().err
    assert "--set must give each parameter once; got gestation twice" in err
    assert main([*args, "--deploy-set", "p_conceive=7", "p_conceive=0"]) == 2
    assert "--deploy-set must give each parameter once" in capsys.readouterr().err


def test_empty_out_is_refused_and_nothing_written(no_work, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "contraception", *TINY, "--out", ""]) == 2
    assert "--out must be a non-empty" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert main(["report", ""]) == 2


def test_output_folder_problems_fail_before_any_work(no_work, tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    for out in (tmp_path / "file" / "run", tmp_path / "file"):
        assert main(["run", "contraception", *TINY, "--out", str(out)]) == 2
        assert "--out" in capsys.readouterr().err
    # a valid folder reaches the work (the stub), which shows the checks above came first
    with pytest.raises(NoWork):
        main(["run", "contraception", *TINY, "--out", str(tmp_path / "ok")])


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_an_unwritable_output_place_fails_before_any_work(no_work, capsys):
    assert main(["run", "contraception", *TINY, "--out", "/proc/evomesa-no/run"]) == 2
    assert "--out must be a place where a folder can be written" in capsys.readouterr().err


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root ignores permissions"
)
def test_a_read_only_folder_fails_before_any_work(no_work, tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        assert main(["run", "contraception", *TINY, "--out", str(ro / "run")]) == 2
        assert "can be written" in capsys.readouterr().err
    finally:
        ro.chmod(0o700)


def test_check_run_folder_probes_writability(tmp_path, monkeypatch):
    def refuse(self, *a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(em.ConfigError, match="Permission denied"):
        check_run_folder(tmp_path / "new")


# --------------------------------------------------------------------------- library calls


def test_non_worlds_are_config_errors():
    config = em.EvolutionConfig()
    for call in (
        lambda: em.make_genome("planner", 5),
        lambda: em.make_toolbox("contraception", config),
        lambda: em.register(5),
        lambda: em.register(object),
        lambda: em.evolve(None, config),
        lambda: em.evaluate({}, np.zeros((2, 2))),
    ):
        with pytest.raises(em.ConfigError):
            call()


def test_from_dict_of_none_is_a_config_error():
    for bad in (None, 5, [("population", 3)], "population=3"):
        with pytest.raises(em.ConfigError, match="data must be a dict"):
            em.EvolutionConfig.from_dict(bad)


@pytest.mark.parametrize(
    "genes",
    [
        [["0.5"] * 7] * 2,
        np.full((2, 7), 0.5 + 1j),
        np.full((2, 7), 0.5 + 0j),
        np.full((2, 7), "a"),
        [[0.5] * 7, [0.5] * 6],
        np.array([[None] * 7] * 2),
        np.full((2, 7), True),
    ],
)
def test_strings_complex_and_objects_are_not_genes(world, genes):
    length = em.make_genome("planner", world).length
    assert length == 7
    with pytest.raises(em.ConfigError, match="population must"):
        em.evaluate(world, genes, genome="planner", episodes=1)


@pytest.mark.parametrize(
    "kwargs, what",
    [
        ({"population": 10**7}, "population"),
        ({"population": 10**7, "episodes": 10**5}, "episodes"),
        ({"population": 10**6, "episodes": 10**4}, "episodes"),
    ],
)
def test_oversize_configs_are_refused_by_the_memory_budget(world, kwargs, what):
    config = em.EvolutionConfig(genome="planner", **kwargs)
    with pytest.raises(em.ConfigError, match="memory budget of 4.0 GiB") as info:
        em.evolve(world, config)
    assert what in str(info.value)
    with pytest.raises(em.ConfigError, match="memory budget"):
        em.run_experiment(world, config, genomes=("planner",))


def test_the_memory_budget_is_configurable(world, monkeypatch):
    monkeypatch.setenv("EVOMESA_MEMORY_BUDGET", "1MiB")
    assert memory_budget() == 2**20
    with pytest.raises(em.ConfigError, match="memory budget of 1.0 MiB"):
        em.evaluate(world, np.full((2000, 7), 0.5), episodes=64)
    for bad in ("lots", "-1", "0", "5 parsecs"):
        monkeypatch.setenv("EVOMESA_MEMORY_BUDGET", bad)
        with pytest.raises(em.ConfigError, match="EVOMESA_MEMORY_BUDGET"):
            memory_budget()


def test_a_million_generations_start_at_once(world):
    """No per-generation work is done up front (seeds are drawn generation by generation)."""

    class Stop(Exception):
        """Raised to stop the run at a chosen point."""

    def stop(gen, record):
        raise Stop(gen)

    config = em.EvolutionConfig(genome="reflex", population=4, generations=10**6, episodes=1)
    with pytest.raises(Stop) as info:
        em.evolve(world, config, progress=stop)
    assert info.value.args == (0,)


def test_measure_drift_checks_everything_before_rollouts(no_work, world, small_planner_result):
    for kwargs in (
        {"n_boot": 5},
        {"n_boot": "many"},
        {"robust_threshold": 2.0},
        {"competence_threshold": float("nan")},
        {"regret_threshold": -1},
        {"episodes": 0},
        {"backend": "gpu"},
    ):
        with pytest.raises(em.ConfigError):
            em.measure_drift(world, small_planner_result, **kwargs)
    with pytest.raises(NoWork):  # valid settings reach the rollouts
        em.measure_drift(world, small_planner_result, n_boot=10)


# --------------------------------------------------------------------------- atomic writes


def test_atomic_writers_replace_whole_files_and_leave_no_temporaries(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    write_bytes_atomic(tmp_path / "a.bin", b"old")
    write_bytes_atomic(tmp_path / "a.bin", b"new")
    write_text_atomic(tmp_path / "b.txt", "text")
    write_json_atomic(tmp_path / "c.json", {"x": [1, 2.5]})
    save_npz_atomic(tmp_path / "d.npz", x=np.arange(3.0))
    fig = plt.figure()
    save_figure_atomic(fig, tmp_path / "e.png")
    plt.close(fig)
    assert (tmp_path / "a.bin").read_bytes() == b"new"
    assert (tmp_path / "b.txt").read_text() == "text"
    assert (tmp_path / "c.json").read_text() == '{\n "x": [\n  1,\n  2.5\n ]\n}\n'
    assert np.load(tmp_path / "d.npz")["x"].tolist() == [0.0, 1.0, 2.0]
    assert (tmp_path / "e.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.bin",
        "b.txt",
        "c.json",
        "d.npz",
        "e.png",
    ]


def test_a_failed_write_leaves_the_old_file(tmp_path):
    write_text_atomic(tmp_path / "a.txt", "old")

    class Boom:
        def savefig(self, fh, **kw):
            fh.write(b"half")
            raise RuntimeError("crash mid-write")

    with pytest.raises(RuntimeError):
        save_figure_atomic(Boom(), tmp_path / "a.txt")
    with pytest.raises(em.ConfigError, match="finite"):
        write_json_atomic(tmp_path / "a.txt", {"x": float("nan")})
    with pytest.raises(em.ConfigError, match="Python objects"):
        save_npz_atomic(tmp_path / "a.txt", x=np.array([object()]))
    assert (tmp_path / "a.txt").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_atomic_writers_never_write_through_a_symlink(tmp_path):
    target = tmp_path / "target.png"
    target.write_bytes(b"precious")
    (tmp_path / "fitness.png").symlink_to(target)
    with pytest.raises(em.ConfigError, match="symbolic link"):
        write_bytes_atomic(tmp_path / "fitness.png", b"new")
    assert target.read_bytes() == b"precious"
    for bad in ("", None, 5):
        with pytest.raises(em.ConfigError, match="path must be"):
            write_bytes_atomic(bad, b"x")


def test_a_crash_while_writing_a_run_leaves_no_half_folder(world, tmp_path, monkeypatch):
    """A crash in the middle of saving (here: in the middle of writing the rollouts) leaves
    neither a half-written run folder nor one that a reader would take as complete."""
    import evomesa.experiments.run_io as run_io

    exp = em.run_experiment(
        world,
        em.EvolutionConfig(population=4, generations=0, episodes=1),
        genomes=("reflex",),
        episodes=1,
        reference=False,
    )

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(run_io, "save_npz_atomic", crash)
    with pytest.raises(KeyboardInterrupt):
        run_io.save_experiment(exp, tmp_path / "run")
    assert list(tmp_path.iterdir()) == []


def test_names_too_long_for_the_file_system_are_config_errors(no_work, tmp_path, capsys):
    """Found by the fuzz suite: `report <300 characters>` raised a raw OSError (ENAMETOOLONG)."""
    long = str(tmp_path / ("x" * 300))
    assert main(["report", long]) == 2
    assert "DIR must be a readable run folder" in capsys.readouterr().err
    assert main(["run", "contraception", *TINY, "--out", long]) == 2
    assert "--out must be a usable folder path" in capsys.readouterr().err
    with pytest.raises(em.ConfigError, match="readable result folder"):
        em.load_result(long)


def _crash_at(k: int, real, calls: dict):
    """``real`` (os.replace or os.rename), raising KeyboardInterrupt at the k-th call of
    either."""

    def op(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == k:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    return op


def test_a_crash_at_any_write_never_leaves_a_mixed_or_half_run(world, tmp_path, monkeypatch):
    """Crash (KeyboardInterrupt, as a kill would stop it) at every rename of a save, first into
    a new folder, then while a re-run replaces a finished one with --force: the folder is
    always absent, the complete old run or the complete new run, each verified by report."""
    import shutil

    import evomesa.experiments.run_io as run_io
    from evomesa.experiments.run_check import read_run_folder
    from evomesa.files.atomic import write_bytes_atomic

    # figures are files like the others (written by save_figure_atomic, tested above); one
    # stand-in keeps this test quick
    monkeypatch.setattr(
        run_io,
        "write_figures",
        lambda saved, results: [write_bytes_atomic(saved.folder / "fitness.png", b"png")],
    )

    def experiment(seed):
        return em.run_experiment(
            world,
            em.EvolutionConfig(population=4, generations=0, episodes=1, seed=seed),
            genomes=("reflex",),
            episodes=1,
            reference=False,
        )

    old, new = experiment(1), experiment(2)
    real_replace, real_rename = os.replace, os.rename
    out = tmp_path / "run"
    for force, exp in ((False, old), (True, new)):
        k = 0
        crashed = True
        while crashed:
            k += 1
            calls = {"n": 0}
            monkeypatch.setattr(os, "replace", _crash_at(k, real_replace, calls))
            monkeypatch.setattr(os, "rename", _crash_at(k, real_rename, calls))
            try:
                run_io.save_experiment(exp, out, force=force)
                crashed = False
            except KeyboardInterrupt:
                crashed = True
            finally:
                monkeypatch.setattr(os, "replace", real_replace)
                monkeypatch.setattr(os, "rename", real_rename)
            if not force:
                assert not out.exists() if crashed else read_run_folder(out)
            else:
                _, ident, _, _ = read_run_folder(out)
                assert ident["seed"] == (1 if crashed else 2)
            for stray in tmp_path.glob(".run.*"):  # what a crash leaves beside the folder
                shutil.rmtree(stray)
        assert k > 8  # every file's rename, the manifest's and the folder's were crashed


def _run_and_kill(argv: list[str], parent: Path, when: str) -> bool:
    """Start ``evomesa`` with ``argv`` in a subprocess and SIGKILL it as soon as a file
    matching ``when`` (a glob below ``parent``) exists; True if it was killed before it
    finished."""
    import signal
    import subprocess
    import time

    code = f"from evomesa.cli import main; main({argv!r})"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        while proc.poll() is None:
            if any(parent.glob(when)):
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return True
            time.sleep(0.002)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_while_writing_leaves_no_half_run_and_never_a_mix(tmp_path, capsys):
    """A real kill -9 of `evomesa run` while it writes its folder: the folder is absent (or,
    if the run won the race, complete); killing a --force re-run over a finished run leaves
    the finished run whole. report checks each case."""
    out = tmp_path / "r"
    argv = ["run", "contraception", *TINY, "--out", str(out)]
    killed = _run_and_kill(argv, tmp_path, ".r.tmp-*/reflex")
    if killed:
        assert not out.exists()
        assert main(["report", str(out)]) == 2
    else:
        assert main(["report", str(out)]) == 0
    capsys.readouterr()
    if out.exists():
        import shutil

        shutil.rmtree(out)
    assert main([*argv, "--seed", "1"]) == 0  # a finished run
    before = _tree(out)
    _run_and_kill([*argv, "--seed", "2", "--force"], tmp_path, ".r.tmp-*/*.png")
    assert main(["report", str(out)]) == 0
    seed = __import__("json").loads((out / "run.json").read_text())["seed"]
    assert seed in (1, 2)  # the old run whole, or the new one whole (if it won the race)
    if seed == 1:
        assert _tree(out) == before


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# --------------------------------------------------------------------------- issue 15, item 6:
# integers beyond float range, and every user-supplied object checked at once


HUGE_INTS = [10**400, -(10**400), 2**1024, 10**5000]


@pytest.mark.parametrize("value", HUGE_INTS, ids=["1e400", "-1e400", "2**1024", "1e5000"])
def test_ints_beyond_float_range_are_config_errors_naming_the_argument(world, value):
    kinds = {k: p for k, p in world.parameters.items() if not p.choices}
    real = next(k for k, p in kinds.items() if not p.is_int)
    whole = next(k for k, p in kinds.items() if p.is_int)
    small = em.EvolutionConfig(genome="planner", population=4, generations=0, episodes=1)
    genes = np.full((2, 7), 0.5)
    calls = {
        real: lambda: em.make_world("contraception", **{real: value}),
        whole: lambda: em.make_world("contraception", **{whole: value}),
        "crossover_rate": lambda: em.EvolutionConfig(crossover_rate=value),
        "mutation_rate": lambda: em.EvolutionConfig(mutation_rate=value),
        "population": lambda: em.EvolutionConfig(population=value),
        "regime['ancestral']": lambda: em.EvolutionConfig(regime={"ancestral": value}),
        "robust_threshold": lambda: em.measure_drift(
            world, genes, genome="planner", robust_threshold=value
        ),
        "regret_threshold": lambda: em.run_experiment(world, small, regret_threshold=value),
    }
    for name, call in calls.items():
        with pytest.raises(em.ConfigError) as info:
            call()
        message = str(info.value)
        assert message.startswith(name) and "integer of about" in message, message
        assert len(message) < 300  # never the whole number


def test_error_messages_survive_values_without_a_repr():
    from evomesa.errors import bad, shown

    class NoRepr:
        def __repr__(self):
            raise RuntimeError("no repr")

    assert shown(10**5000) == "an integer of about 5001 digits"
    assert shown(-(10**400)) == "a negative integer of about 401 digits"
    assert shown(NoRepr()) == "<NoRepr object>"
    assert shown("x" * 1000).endswith("...") and len(shown("x" * 1000)) == 200
    assert "got <NoRepr object>" in str(bad("seed", "an integer", NoRepr()))
    with pytest.raises(em.ConfigError, match="seed must be an integer"):
        em.EvolutionConfig(seed=NoRepr())


def test_check_float_is_exact_for_ints_and_keeps_its_results():
    from evomesa.errors import check_float

    assert check_float("x", 1, 0.0, 1.0) == 1.0 and type(check_float("x", 1, 0, 1)) is float
    assert check_float("x", np.float32(0.5), 0.0, 1.0) == 0.5
    assert check_float("x", 2**1023, 0.0) == float(2**1023)
    for value in (2**1024, 10**400, np.longdouble("1e4000"), float("nan"), True, "0.5"):
        with pytest.raises(em.ConfigError, match="x must be a number >= 0.0"):
            check_float("x", value, 0.0)


def _toolbox(world, config, **operators):
    tb = em.make_toolbox(world, config)
    for name, fn in operators.items():
        tb.register(name, fn)
    return tb


MATE_RETURNS = {
    "one array": lambda a, b, rng: a,
    "three arrays": lambda a, b, rng: (a, b, a),
    "None": lambda a, b, rng: None,
}


@pytest.mark.parametrize("what", sorted(MATE_RETURNS))
def test_a_mate_that_breaks_the_batch_contract_is_named(world, what):
    config = em.EvolutionConfig(genome="planner", population=6, generations=1, episodes=1)
    tb = _toolbox(world, config, mate=MATE_RETURNS[what])
    with pytest.raises(em.ConfigError) as info:
        em.evolve(world, config, toolbox=tb)
    message = str(info.value)
    assert message.startswith("toolbox.mate must return two (2, 7) arrays"), message
    got = {"one array": "one float64 array of shape (2, 7)", "three arrays": "tuple of 3"}
    assert got.get(what, "None") in message


def test_a_toolbox_missing_or_with_a_non_callable_operator_fails_before_any_work(world):
    config = em.EvolutionConfig(genome="planner", population=6, generations=1, episodes=1)
    for name in ("evaluate", "select", "mate", "mutate", "population"):
        tb = em.make_toolbox(world, config)
        tb.unregister(name)
        with pytest.raises(em.ConfigError, match=f"toolbox.{name} must be a callable"):
            em.evolve(world, config, toolbox=tb)
    tb = em.make_toolbox(world, config)
    tb.evaluate = 5
    with pytest.raises(em.ConfigError, match=r"toolbox.evaluate must be a callable.*got 5"):
        em.evolve(world, config, toolbox=tb)
    # with init, the toolbox's population is never called, so it need not be there
    tb = em.make_toolbox(world, config)
    tb.unregister("population")
    init = np.full((6, 7), 0.5)
    assert em.evolve(world, config, toolbox=tb, init=init).genes.shape == (6, 7)


def test_what_a_user_evaluate_returns_is_checked(world):
    config = em.EvolutionConfig(genome="planner", population=6, generations=1, episodes=2)
    stock = em.make_toolbox(world, config).evaluate

    def nan_fitness(genes, seeds, **kw):
        brains, out = stock(genes, seeds=seeds, **kw)
        return brains, replace(out, fitness=out.fitness * np.nan)

    def short(genes, seeds, **kw):
        brains, out = stock(genes, seeds=seeds, **kw)
        return brains, replace(out, fitness=out.fitness[:, :1])

    for fn, message in (
        (lambda genes, seeds: None, "toolbox.evaluate must return a .Brains, RolloutArrays. "),
        (lambda genes, seeds: (1, 2), r"got \(int, int\)"),
        (nan_fitness, "toolbox.evaluate's fitness must be finite"),
        (short, r"toolbox.evaluate's fitness must be a \(6, 2\) array"),
    ):
        with pytest.raises(em.ConfigError, match=message):
            em.evolve(world, config, toolbox=_toolbox(world, config, evaluate=fn))


def test_per_individual_checks_its_operator_at_once():
    with pytest.raises(em.ConfigError, match="operator must be a callable.*got 5"):
        em.per_individual(5)


def test_run_experiment_checks_reporter_and_genomes_before_any_work(world, monkeypatch):
    import evomesa.experiments.experiment as experiment

    monkeypatch.setattr(experiment, "warm_up", lambda *a: (_ for _ in ()).throw(NoWork()))
    config = em.EvolutionConfig(genome="reflex", population=4, generations=0, episodes=1)

    class HalfReporter:
        def phase(self, text):
            pass

    for reporter in (5, "x", HalfReporter()):
        with pytest.raises(
            em.ConfigError, match="reporter must be an evomesa.experiments.progress"
        ):
            em.run_experiment(world, config, reporter=reporter)
    for genomes in (5, [5], ["planner", "planner"], [], None):
        with pytest.raises(em.ConfigError, match="genomes must be a non-empty selection"):
            em.run_experiment(world, config, genomes=genomes)
    with pytest.raises(em.ConfigError, match="progress must be True or False"):
        em.run_experiment(world, config, progress="yes")
    with pytest.raises(NoWork):  # a good call reaches the work
        em.run_experiment(world, config, genomes="reflex", reporter=None)


def test_sweep_checks_genomes_and_deploy_params_before_any_work(world, monkeypatch):
    import importlib

    sweep_module = importlib.import_module("evomesa.experiments.sweep")
    monkeypatch.setattr(sweep_module, "warm_up", lambda *a: (_ for _ in ()).throw(NoWork()))
    config = em.EvolutionConfig(genome="reflex", population=4, generations=0, episodes=1)
    grid = {"gestation": [5]}
    from evomesa.executors import InProcessExecutor

    client = InProcessExecutor()
    with pytest.raises(em.ConfigError, match="genomes must be a non-empty selection"):
        em.sweep(world, grid, 1, config, client=client, genomes=5)
    for params, message in (
        ("x", "deploy_params must be a mapping"),
        ({1: 2}, "deploy_params keys must be names"),
        ({"gestation": 10**400}, "gestation must be an integer"),
    ):
        with pytest.raises(em.ConfigError, match=message):
            em.sweep(world, grid, 1, config, client=client, deploy_params=params)
    with pytest.raises(NoWork):
        em.sweep(world, grid, 1, config, client=client, deploy_params={"gestation": 6})


def test_progress_stream_must_be_writable():
    from evomesa.experiments.progress import Progress

    with pytest.raises(em.ConfigError, match="stream must be a text stream"):
        Progress(stream=5)


def test_hostile_strings_and_arrays_as_names_are_config_errors(world, small_planner_result):
    class EvilStr(str):
        def __eq__(self, other):
            raise RuntimeError("no eq")

        __hash__ = str.__hash__

    spec = em.make_genome("planner", world)
    assert spec.knock_out(np.full((1, 7), 0.9), EvilStr("sex"))[0, 2] == 0.5
    with pytest.raises(em.ConfigError, match="genome must be one of"):
        em.measure_drift(world, small_planner_result, genome=np.zeros(2))
    with pytest.raises(em.ConfigError, match="individuals must be one of"):
        em.measure_drift(world, small_planner_result, individuals=["population"])
    assert em.EvolutionConfig(regime=EvilStr("modern")).regime == "modern"
