"""The world contract: registry, declarations, the checker, and 'worlds never read genes'."""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from coin import Coin, make_coin

import evomesa as em
from evomesa.agents.brains import Brains
from evomesa.worlds import registry
from evomesa.worlds.base import Factor, World

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
    # the contract checker (the package worlds/checks/) is not world code: it builds random
    # genomes of every architecture to compare a world's kernel with its reference, so it
    # may open them
    modules = sorted(
        m for m in WORLDS_DIR.rglob("*.py") if "checks" not in m.relative_to(WORLDS_DIR).parts
    )
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
    """The toy coin world (tests/worlds/coin.py), registered for one test."""
    em.register(Coin)
    try:
        yield make_coin()
    finally:
        registry._REGISTRY.pop("coin", None)


def test_a_second_world_passes_the_checker_and_evolves(coin_world):
    assert em.check_world(coin_world)["world"] == "coin"
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


def test_the_checker_rejects_a_world_whose_kernel_and_reference_differ():
    with pytest.raises(em.ConfigError, match="reference"):
        em.check_world(make_coin(bug="kernel_matches_reference"))


def test_the_checker_rejects_non_worlds():
    with pytest.raises(em.ConfigError, match="World"):
        em.check_world("contraception")
