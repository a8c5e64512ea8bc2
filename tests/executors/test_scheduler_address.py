"""Scheduler addresses and client objects: evomesa's own clear errors, never Dask's raw ones,
and never Dask's 30-second retries against a port where nobody listens."""

from __future__ import annotations

import socket
from concurrent.futures import ProcessPoolExecutor

import pytest

import evomesa as em
from evomesa.cli import main
from evomesa.executors import InProcessExecutor, connect
from evomesa.executors.addresses import check_scheduler_address, probe_scheduler, split_address

LEGITIMATE = [
    ("tcp://10.0.0.5:8786", ("tcp", "10.0.0.5", 8786)),
    ("127.0.0.1:8786", ("tcp", "127.0.0.1", 8786)),
    ("127.0.0.1", ("tcp", "127.0.0.1", 8786)),
    ("scheduler", ("tcp", "scheduler", 8786)),
    ("tls://sched.example.org:443", ("tls", "sched.example.org", 443)),
    ("tcp://[::1]:8786", ("tcp", "::1", 8786)),
    ("[::1]", ("tcp", "::1", 8786)),
    ("ws://my_host-1:1", ("ws", "my_host-1", 1)),
    ("wss://h:65535", ("wss", "h", 65535)),
    ("ucx://10.0.0.5:13337", ("ucx", "10.0.0.5", 13337)),
    ("inproc://10.0.0.5/123/1", ("inproc", "10.0.0.5/123/1", None)),
]

MALFORMED = [
    "",
    " ",
    "tcp://",
    "tcp://:8786",
    "tcp://127.0.0.1:",
    "tcp://127.0.0.1:abc",
    "tcp://127.0.0.1:0",
    "tcp://127.0.0.1:65536",
    "tcp://127.0.0.1:-1",
    "tcp://127.0.0.1:99999999999999999999",
    "tcp://127.0.0.1:８７８６",  # full-width digits: str.isdigit says yes
    "foo://127.0.0.1:8786",
    "http://127.0.0.1:8786",
    "tcp://127.0.0.1 :8786",
    "tcp://127.0.0.1:8786 ",
    "tcp:/127.0.0.1:8786",
    "tcp://tcp://127.0.0.1:1",
    "tcp://[::1:8786",
    "tcp://::1:8786",
    "tcp://[zz]:1",
    "tcp://[::1]x",
    "tcp://host\x1b[2J:1",
    "tcp://é.com:1",
    "tcp://-bad-.com:1",
    "tcp://a..b:1",
    "tcp://" + "a" * 300 + ":1",
    "tcp://127.0.0.1:8786/path",
    "127.0.0.1:1:2",
    "inproc://",
]


def closed_port() -> int:
    """A port on 127.0.0.1 where nobody listens (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(("address", "parts"), LEGITIMATE)
def test_addresses_dask_accepts_pass(address, parts):
    assert split_address(address) == parts
    assert check_scheduler_address(address) == address


@pytest.mark.parametrize("address", MALFORMED)
def test_malformed_address_is_a_config_error_naming_the_option(address):
    with pytest.raises(em.ConfigError, match=r"^--scheduler must be a Dask scheduler address"):
        check_scheduler_address(address, "--scheduler")


def test_malformed_address_is_printed_escaped():
    with pytest.raises(em.ConfigError) as err:
        check_scheduler_address("tcp://host\x1b[2J:1", "client")
    assert "\x1b" not in str(err.value) and "\\x1b" in str(err.value)


@pytest.mark.parametrize("value", [None, 8786, b"tcp://127.0.0.1:1", ["tcp://x:1"]])
def test_an_address_that_is_not_text_is_refused(value):
    with pytest.raises(em.ConfigError, match="client must be a Dask scheduler address"):
        check_scheduler_address(value, "client")


def test_nobody_listening_is_a_config_error_not_dasks_retries():
    address = f"tcp://127.0.0.1:{closed_port()}"
    with pytest.raises(em.ConfigError, match="nobody accepts connections"):
        probe_scheduler(address)
    with pytest.raises(em.ConfigError, match=r"^client must be the address of a running"):
        connect(address, "client")


def test_cli_scheduler_errors_are_one_line_and_status_2(tmp_path, capsys):
    tiny = ["--population", "4", "--generations", "1", "--episodes", "1", "-q"]
    for address in ("tcp://127.0.0.1:abc", f"127.0.0.1:{closed_port()}"):
        run = ["run", "contraception", "--scheduler", address, "--out", str(tmp_path / "r")]
        sweep = ["sweep", "contraception", "--scheduler", address, "--grid", "gestation=5"]
        sweep += ["--seeds", "1", "--out", str(tmp_path / "s")]
        for argv in (run + tiny, sweep + tiny):
            assert main(argv) == 2
            err = capsys.readouterr().err
            assert err.startswith("evomesa: error: --scheduler must be") and err.count("\n") == 1
    assert not (tmp_path / "r").exists() and not (tmp_path / "s").exists()


BAD_CLIENTS = [5, 3.5, True, object(), [], {}, b"tcp://x:1", ProcessPoolExecutor, len]


@pytest.mark.parametrize("client", BAD_CLIENTS, ids=lambda c: type(c).__name__)
def test_a_client_that_is_no_executor_is_refused_at_once(world, client):
    cfg = em.EvolutionConfig(genome="planner", population=4, generations=1, episodes=1, islands=2)
    with pytest.raises(em.ConfigError, match="^executor must have a submit"):
        em.run_experiment(world, cfg, genomes=["planner"], episodes=1, executor=client)
    with pytest.raises(em.ConfigError, match="^client must have a submit"):
        em.sweep(world, {"gestation": [5]}, 1, cfg, client=client)
    with pytest.raises(em.ConfigError, match="^client must have a submit"):
        em.evolve(world, cfg, client=client)


def test_sweep_refuses_workers_beside_a_client(world):
    with pytest.raises(em.ConfigError, match="^workers must be None when a client is given"):
        em.sweep(world, {"gestation": [5]}, 1, client=InProcessExecutor(), workers=2)
