"""The world contract: registry, declarations, the checker, and 'worlds never read genes'."""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import evomesa as em
from evomesa.agents.brains import Brains
from evomesa.worlds import registry
from evomesa.worlds.base import Factor, Param, World

WORLDS_DIR = Path(em.__file__).parent / "worlds"
GENE_FIELDS = {f for f in Brains.__dataclass_fields__}


# ---- "agents decide, worlds describe": no world module reads a decoded gene field


def _gene_reads(source: str) -> list[str]:
    """Every place in ``source`` that names a decoded gene field or opens an agent."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in GENE_FIELDS:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in GENE_FIELDS:
            found.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("evomesa.genomes"):
                found.append(f"line {node.lineno}: imports {node.module}")
            private = [a.name for a in node.names if a.name.startswith("_")]
            if node.module.startswith("evomesa.agents") and private:
                found.append(f"line {node.lineno}: imports agent internals {private}")
    return found


def test_the_gene_read_detector_catches_reads():
    assert _gene_reads("def f(brains, i):\n    return brains.weights[i]")
    assert _gene_reads("horizon = agent_state[1]")
    assert _gene_reads("from evomesa.agents.kernels import _H")
    assert _gene_reads("from evomesa.genomes import make_genome")
    assert not _gene_reads("if d > vision or not can_value(mind, state, d): continue")


def test_no_module_under_worlds_reads_a_decoded_gene_field():
    # the contract checker is not world code: it builds random genomes of every architecture
    # to compare a world's kernel with its reference, so it may open them
    modules = sorted(m for m in WORLDS_DIR.rglob("*.py") if m.name != "checks.py")
    assert len(modules) >= 6  # the registry, the contract, grid helpers, a world package
    reads = {str(m.relative_to(WORLDS_DIR)): _gene_reads(m.read_text()) for m in modules}
    assert {m: r for m, r in reads.items() if r} == {}


def test_the_agents_package_is_what_reads_them():
    source = (Path(em.__file__).parent / "agents" / "kernels.py").read_text()
    assert _gene_reads(source)  # the decision kernels open the decoded genes


# ---- registry and declarations


def test_a_world_module_can_register_itself_without_a_circular_import(tmp_path):
    (tmp_path / "my_world.py").write_text(
        textwrap.dedent(
            """
            from evomesa.worlds.registry import register
            from evomesa.worlds.base import World, Factor

            @register
            class Tiny(World):
                name = "tiny_import_check"
                regimes = ("a", "b")
                default_shift = ("a", "b")
                drives = ("d",)
                factors = (Factor("f", ("x", "y")),)
                actions = ("go",)
                parameters = {}
                max_horizon = property(lambda self: 3)
            """
        )
    )
    code = "import my_world, evomesa as em; print('tiny_import_check' in em.list_worlds())"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"


def _declared(**changes):
    attrs = {
        "name": "declared",
        "regimes": ("a", "b"),
        "default_shift": ("a", "b"),
        "drives": ("d",),
        "factors": (Factor("f", ("x", "y")),),
        "actions": ("go",),
        "parameters": {},
        "max_horizon": property(lambda self: 3),
    }
    attrs.update(changes)
    return type("Declared", (World,), attrs)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"default_shift": ("a", "c")}, "default_shift"),
        ({"aligned_drives": ("nope",)}, "aligned_drives"),
        ({"regimes": ("a", "a")}, "regimes"),
        ({"factors": ()}, "factors"),
        ({"parameters": {"p": 3}}, "parameters"),
        ({"max_horizon": World.max_horizon}, "max_horizon"),
    ],
)
def test_registering_checks_the_declarations(changes, message):
    with pytest.raises(em.ConfigError, match=message):
        em.register(_declared(**changes))


def test_registering_a_non_world_is_a_config_error():
    with pytest.raises(em.ConfigError, match="subclass"):
        em.register(object)


# ---- a second world: the library runs on any world, defaults follow its default_shift


@pytest.fixture
def coin_world():
    """A toy world registered for one test: each step pick heads or tails; heads pays."""
    from evomesa.agents.reference import Agent

    class Coin(World):
        name = "coin_test"
        regimes = ("fair", "rigged")
        default_shift = ("rigged", "fair")  # deliberately not the first regime
        drives = ("shine", "payoff")
        aligned_drives = ("payoff",)
        factors = (Factor("last", ("heads", "tails")),)
        actions = ("heads", "tails")
        events = ("paid",)
        parameters = {"steps": Param(5, 1, 50, "flips per episode; a handful")}

        @property
        def max_horizon(self) -> int:
            return 4

        def _play(self, brains, regimes, seeds, out):
            # Plain Python on both backends: a toy for the library, not a fast world.
            for i in range(len(brains)):
                for e in range(seeds.shape[1]):
                    agent = Agent(brains, i, self.drive_scales, int(seeds[i, e]))
                    visits = [0, 0] if out.observations is not None else None
                    last = 0
                    for _ in range(self.params["steps"]):
                        if agent.wants_menu:
                            agent.start_menu()
                            agent.option(0, (0, 1.0, 0, 1), (1, 1.0, 1, 1))
                            agent.option(1, (0, 2.0, 0, 1))
                            a = agent.choose((0, 1))
                        else:
                            a = agent.react(last, visits)
                        out.actions[i, e, a] += 1
                        out.steps[i, e] += 1
                        paid = a == 0 and (regimes[e] == 0 or int(seeds[i, e]) % 2 == 0)
                        out.signals[i, e, 0] += 1.0 + (a == 1)
                        out.signals[i, e, 1] += paid
                        out.fitness[i, e] += paid
                        out.events[i, e, 0] += paid
                        last = a
                    out.performance[i, e] = out.fitness[i, e]
                    if visits is not None:
                        out.observations[i, e] = visits

        _run_numba = _play
        _run_python = _play

    em.register(Coin)
    try:
        yield em.make_world("coin_test")
    finally:
        registry._REGISTRY.pop("coin_test", None)


def test_a_second_world_passes_the_checker_and_evolves(coin_world):
    assert em.check_world(coin_world)["world"] == "coin_test"
    result = em.evolve(
        coin_world, em.EvolutionConfig(genome="hybrid", population=12, generations=2, seed=1)
    )
    assert result.config.regime == "rigged"  # the world's training regime, recorded
    assert result.genes.shape == (12, em.make_genome("hybrid", coin_world).length)


def test_every_default_that_names_a_regime_comes_from_default_shift(coin_world):
    genes = em.make_genome("planner", coin_world).random(np.random.default_rng(0), 3)
    assert em.evaluate(coin_world, genes, "planner", episodes=2).regime == "rigged"
    report = em.measure_drift(coin_world, genes, genome="planner", episodes=4, n_boot=10)
    assert (report.train, report.deploy) == ("rigged", "fair")
    config = em.EvolutionConfig(population=4, generations=1)
    assert config.regime is None
    assert em.evolve(coin_world, config).config.regime == "rigged"


def test_every_registered_world_passes_the_checker():
    for name in em.list_worlds():
        assert em.check_world(em.make_world(name))["world"] == name


def test_the_checker_rejects_a_world_whose_kernel_and_reference_differ(coin_world):
    def off_by_one(brains, regimes, seeds, out):
        type(coin_world)._play(coin_world, brains, regimes, seeds, out)
        out.fitness[0, 0] += 1.0
        out.performance[0, 0] += 1.0
        out.signals[0, 0, 1] += 1.0

    coin_world._run_numba = off_by_one
    with pytest.raises(em.ConfigError, match="reference"):
        em.check_world(coin_world)


def test_the_checker_rejects_non_worlds():
    with pytest.raises(em.ConfigError, match="World"):
        em.check_world("contraception")
