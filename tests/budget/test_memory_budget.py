"""Reads allocate what a file needs, the budget applies to every read, and a run under an
address-space limit keeps its results (issue 15, item 2)."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

import evomesa as em
from evomesa import budget
from evomesa.files.safe_read import read_bytes, read_json, read_npz, sha256

ROOT = Path(__file__).resolve().parents[2]
MiB = 2**20


def _peak(fn, *args, **kwargs):
    """(result or raised exception, peak bytes Python allocated while calling fn)."""
    tracemalloc.start()
    try:
        try:
            got = fn(*args, **kwargs)
        except Exception as err:  # returned, so that the caller asserts on it
            got = err
        return got, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def big_budget(monkeypatch):
    """A 1 GiB budget: a reader that allocates the budget instead of the file shows a peak of
    a gibibyte (virtual memory, never touched, so the test is safe on any machine)."""
    monkeypatch.setenv(budget.ENV, "1GiB")
    monkeypatch.setattr(budget, "physical_memory", lambda: 64 * 2**30, raising=False)
    monkeypatch.setattr(budget, "address_space_limit", lambda: None, raising=False)


def test_a_small_file_costs_its_size_not_the_budget(tmp_path, big_budget):
    path = tmp_path / "small.json"
    path.write_text('{"a": [1, 2, 3]}')
    for read in (read_bytes, read_json, sha256):
        got, peak = _peak(read, path, "small.json")
        assert not isinstance(got, Exception), got
        assert peak < MiB, f"{read.__name__} allocated {peak} bytes for a 16-byte file"


def test_hashing_streams_the_file(tmp_path, big_budget):
    path = tmp_path / "eight.bin"
    data = np.random.default_rng(0).bytes(8 * MiB)
    path.write_bytes(data)
    got, peak = _peak(sha256, path, "eight.bin")
    import hashlib

    assert got == hashlib.sha256(data).hexdigest()
    assert peak < 3 * MiB, f"sha256 held {peak} bytes of an 8 MiB file"


@pytest.mark.parametrize("compressed", [False, True])
def test_an_npz_member_costs_about_its_data(tmp_path, big_budget, compressed):
    arr = np.random.default_rng(1).normal(size=(1024, 1024))  # 8 MiB
    path = tmp_path / "a.npz"
    (np.savez_compressed if compressed else np.savez)(path, a=arr)
    got, peak = _peak(read_npz, path, {"a": arr.shape}, "a.npz")
    np.testing.assert_array_equal(got["a"], arr)
    assert got["a"].flags.writeable and got["a"].flags.c_contiguous
    # measured: about 10 MiB stored and 12 MiB compressed (it was 17 and 24: the data was read
    # whole, then copied into the array)
    assert peak < arr.nbytes + 5 * MiB, f"read_npz peaked at {peak} for {arr.nbytes} bytes"


def _npz_bytes(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


@pytest.mark.parametrize("reader", ["read_bytes", "read_json", "sha256", "read_npz"])
def test_every_read_refuses_a_file_over_the_budget_before_reading(tmp_path, monkeypatch, reader):
    """Under a 1 MiB budget a 2 MiB file is refused with a ConfigError naming the file, having
    allocated (almost) nothing: the size is checked before the data is read."""
    monkeypatch.setenv(budget.ENV, "1MiB")
    path = tmp_path / "big.npz"
    path.write_bytes(_npz_bytes(a=np.zeros(2 * MiB // 8)))
    call = {
        "read_bytes": lambda: read_bytes(path, "big.npz"),
        "read_json": lambda: read_json(path, "big.npz"),
        "sha256": lambda: sha256(path, "big.npz"),
        "read_npz": lambda: read_npz(path, {"a": (16,)}, "big.npz"),
    }[reader]
    got, peak = _peak(call)
    assert isinstance(got, em.ConfigError), got
    assert "big.npz" in str(got) and "at most" in str(got)
    assert peak < 256 * 1024, f"{reader} allocated {peak} bytes before refusing"


def test_an_npz_larger_than_its_arrays_is_refused(tmp_path):
    """Junk before a valid archive (zip readers skip it) makes the file far larger than the
    arrays it holds: refused before the archive is parsed."""
    path = tmp_path / "padded.npz"
    path.write_bytes(b"\0" * (4 * MiB) + _npz_bytes(a=np.zeros(4)))
    assert zipfile.is_zipfile(path)
    with pytest.raises(em.ConfigError, match="padded.npz must be at most .* for arrays of 32"):
        read_npz(path, {"a": (4,)}, "padded.npz")


def test_a_file_that_grows_while_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "grows.json"
    path.write_text("[1]")
    real_fstat = os.fstat

    def shrunk(fd):  # the size seen before reading is smaller than what is then read
        info = real_fstat(fd)
        return os.stat_result((*info[:6], 1, *info[7:]))

    monkeypatch.setattr(os, "fstat", shrunk)
    for read in (read_bytes, sha256):
        with pytest.raises(em.ConfigError, match="grows.json must not change while read"):
            read(path, "grows.json")


def _tiny_run(out: Path, limit_bytes: int) -> subprocess.CompletedProcess:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    env = {k: v for k, v in os.environ.items() if k != budget.ENV}
    env["PYTHONPATH"] = str(ROOT)
    code = "import sys; from evomesa.cli import main; sys.exit(main())"
    argv = ["run", "contraception", "--out", str(out), "--population", "6", "--generations"]
    argv += ["2", "--episodes", "2", "--replicates", "1", "--drift-episodes", "2"]
    argv += ["--genome", "planner", "--workers", "1", "-q"]
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        env=env,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS as on Linux")
def test_a_run_under_a_3_gb_address_space_limit_saves_its_results(tmp_path):
    """`ulimit -v 3000000` (common on clusters): the run used to compute everything and then
    fail with MemoryError while hashing its files for the manifest (every read allocated the
    4 GiB budget), losing the results. Measured: the tiny run peaks near 0.7 GB of virtual
    memory, and completes under limits down to 0.8 GB."""
    out = tmp_path / "run"
    done = _tiny_run(out, 3 * 10**9)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (out / "manifest.json").is_file()
    from evomesa.files.manifest import verify_manifest

    assert "run.json" in verify_manifest(out)  # every file listed and intact


def test_the_default_budget_fits_the_address_space_limit(monkeypatch):
    monkeypatch.delenv(budget.ENV, raising=False)
    monkeypatch.setattr(budget, "address_space_limit", lambda: 3 * 10**9)
    monkeypatch.setattr(budget, "physical_memory", lambda: 64 * 2**30)
    assert budget.memory_budget() == 3 * 10**9
    monkeypatch.setattr(budget, "physical_memory", lambda: 2 * 2**30)
    assert budget.memory_budget() == 2 * 2**30
    monkeypatch.setattr(budget, "address_space_limit", lambda: None)
    monkeypatch.setattr(budget, "physical_memory", lambda: None)
    assert budget.memory_budget() == budget.DEFAULT_BUDGET


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("4GiB" + " " * 70 + "junk", "at most 64 characters"),
        ("9" * 400, "at most 64 characters"),
        ("9" * 60, "at most the physical memory"),
        ("100TiB", "at most the physical memory"),
        ("1e3", "positive size"),
        ("-1", "positive size"),
        ("nan", "positive size"),
        ("0.5", "at least 1 byte"),
        ("4GiB\x1b[2J", "positive size"),
        ("4 parsecs", "positive size"),
    ],
    ids=["junk", "400-digits", "60-digits", "100TiB", "1e3", "-1", "nan", "0.5", "escape", "unit"],
)
def test_a_bad_budget_is_a_config_error_naming_the_variable(monkeypatch, value, message):
    monkeypatch.setenv(budget.ENV, value)
    monkeypatch.setattr(budget, "physical_memory", lambda: 16 * 2**30, raising=False)
    monkeypatch.setattr(budget, "address_space_limit", lambda: None, raising=False)
    with pytest.raises(em.ConfigError, match="EVOMESA_MEMORY_BUDGET must be") as info:
        budget.memory_budget()
    text = str(info.value)
    assert message in text
    assert "\x1b" not in text  # the value is printed escaped
    assert value[:8].replace("\x1b", "\\x1b") in text


def test_a_budget_above_the_address_space_limit_is_refused(monkeypatch):
    monkeypatch.setenv(budget.ENV, "4GiB")
    monkeypatch.setattr(budget, "physical_memory", lambda: 64 * 2**30)
    monkeypatch.setattr(budget, "address_space_limit", lambda: 3 * 10**9)
    with pytest.raises(em.ConfigError, match=r"at most the address-space limit \(ulimit -v\)"):
        budget.memory_budget()


@pytest.mark.parametrize(("value", "expected"), [("1.5GiB", 3 * 2**29), (" 2 MiB ", 2 * MiB)])
def test_good_budgets_are_read_exactly(monkeypatch, value, expected):
    monkeypatch.setenv(budget.ENV, value)
    assert budget.memory_budget() == expected
