"""Interrupted writes leave the previous file, folder or store intact: tested by SIGKILL.

The real command line runs in a subprocess on a vocabulary big enough for its write
to take a while (our own, with long random notes: about 30 MB of Turtle), and is
killed with SIGKILL at a random moment while its temporary file (or folder) exists,
found by polling; no hook inside the code under test. After each kill, what was
there before must be there byte for byte (or, if the kill came just after the
rename, the complete new result: never a mixture); then a full run must succeed and
leave no temporary file behind.
"""

from __future__ import annotations

import random
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from graph.config import PROJECT_ROOT

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

#: kills that must land while the write is under way (each test tries up to MAX_TRIES)
KILLS_WANTED = 2
MAX_TRIES = 12


def crmkg(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "graph", *args], cwd=PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "graph", *args], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return result


def kill_while(args: list[str], under_way: Callable[[], bool], rng: random.Random,
               max_delay: float, timeout: float = 120) -> bool:
    """Run the CLI and SIGKILL it at a random moment once ``under_way()`` is true.

    True when the process was killed (False: it finished before the window was seen).
    """
    process = crmkg(*args)
    deadline = time.monotonic() + timeout
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if under_way():
                time.sleep(rng.uniform(0, max_delay))
                if process.poll() is not None:
                    return False
                process.send_signal(signal.SIGKILL)
                process.wait(10)
                return process.returncode == -signal.SIGKILL
            time.sleep(0.0005)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every visible file under ``folder`` (hidden leftovers aside), by relative path."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".")
                                       for part in p.relative_to(folder).parts)}


# --- a big vocabulary ---------------------------------------------------------------------------

def grown_data(root: Path, words_per_note: int) -> Path:
    """Our vocabulary with ``words_per_note`` random words in each note of each concept."""
    shutil.copytree(PROJECT_ROOT / "data", root)
    rng = random.Random(6)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))
             for _ in range(5000)]
    for path in sorted((root / "terms").glob("*.yaml")):
        term = yaml.safe_load(path.read_text(encoding="utf-8"))
        term["scopeNote"] = {lang: " ".join(rng.choice(words) for _ in range(words_per_note))
                             for lang in ("fr", "en")}
        term["definition"] = {lang: text + " " + " ".join(
            rng.choice(words) for _ in range(words_per_note // 7))
            for lang, text in term["definition"].items()}
        path.write_text(yaml.safe_dump(term, allow_unicode=True, width=10**9), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def big_data(tmp_path_factory) -> Path:
    """About 200 KB of notes a concept, 30 MB in all: a write that takes a while."""
    return grown_data(tmp_path_factory.mktemp("big") / "data", 15000)


def temporaries(target: Path) -> list[Path]:
    return list(target.parent.glob(f".{target.name}.*.tmp"))


def same_deck(a: bytes, b: bytes) -> bool:
    """Two .pptx files with the same parts, whole (zip times differ from run to run)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(a)) as x, zipfile.ZipFile(io.BytesIO(b)) as y:
            return x.testzip() is None and y.testzip() is None and \
                [(i.filename, i.CRC) for i in x.infolist()] == \
                [(i.filename, i.CRC) for i in y.infolist()]
    except zipfile.BadZipFile:
        return False


def check_interrupted_file_writes(tmp_path: Path, args: list[str], name: str,
                                  previous: bytes,
                                  same: Callable[[bytes, bytes], bool] = bytes.__eq__) -> None:
    """Kill ``crmkg <args> -o FILE`` mid-write until it happened KILLS_WANTED times."""
    complete = tmp_path / ("complete-" + name)
    run(*args, "-o", str(complete))
    new = complete.read_bytes()
    assert not same(new, previous) and len(new) > 100_000
    target = tmp_path / name
    target.write_bytes(previous)
    rng = random.Random(name)
    mid_write = 0
    for _ in range(MAX_TRIES):
        killed = kill_while([*args, "-o", str(target)], lambda: bool(temporaries(target)), rng,
                            max_delay=0.02)
        content = target.read_bytes()
        assert content == previous or same(content, new), \
            f"{name}: neither the previous nor the new file"
        if content != previous:  # the kill came after the rename: start again from the old one
            target.write_bytes(previous)
        elif killed:
            mid_write += 1
            if mid_write >= KILLS_WANTED:
                break
    assert mid_write >= KILLS_WANTED, f"{name}: the write was never caught under way"
    assert temporaries(target), "a killed writer leaves its temporary file"
    run(*args, "-o", str(target))
    assert same(target.read_bytes(), new)
    assert temporaries(target) == [], "the next write removes the dead writers' files"


@pytest.mark.parametrize("fmt", ["turtle", "csv"])
def test_export_killed_mid_write_leaves_the_previous_file(big_data, tmp_path, fmt):
    previous = run("export", "--format", fmt).stdout.encode("utf-8")  # our own vocabulary
    check_interrupted_file_writes(tmp_path, ["--data-dir", str(big_data), "export", "--format",
                                             fmt], f"vocab.{fmt}", previous)


def test_slides_killed_mid_write_leave_the_previous_deck(big_data, tmp_path):
    run("slides", "-o", str(tmp_path / "previous.pptx"))
    previous = (tmp_path / "previous.pptx").read_bytes()
    check_interrupted_file_writes(tmp_path, ["--data-dir", str(big_data), "slides"],
                                  "deck.pptx", previous, same_deck)


# --- crmkg import --to DIR --------------------------------------------------------------------

def staged(target: Path) -> bool:
    return any(target.parent.glob(f".{target.name}.importing-*"))


@pytest.fixture(scope="module")
def big_turtle(tmp_path_factory) -> Path:
    """A smaller one (3 MB) for the import: its folder is staged for most of its run."""
    data = grown_data(tmp_path_factory.mktemp("medium") / "data", 1500)
    path = tmp_path_factory.mktemp("big-ttl") / "big.ttl"
    run("--data-dir", str(data), "export", "--format", "turtle", "-o", str(path))
    return path


@pytest.fixture(scope="module")
def small_turtle(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("small-ttl") / "own.ttl"
    run("export", "--format", "turtle", "-o", str(path))
    return path


def test_import_killed_midway_leaves_the_folder_as_it_was(big_turtle, small_turtle, tmp_path):
    complete = tmp_path / "complete"
    run("import", str(big_turtle), "--to", str(complete))
    new = snapshot(complete)
    assert len(new) > 100
    rng = random.Random("import")

    # a new folder: absent (or empty) after a kill, whole after a full run
    fresh = tmp_path / "fresh"
    for _ in range(2):
        assert kill_while(["import", str(big_turtle), "--to", str(fresh)],
                          lambda: staged(fresh), rng, max_delay=0.3)
        assert snapshot(fresh) in ({}, new)
        if snapshot(fresh) == new:
            shutil.rmtree(fresh)

    # --force over a previous import: that import, byte for byte, until the new one is whole
    target = tmp_path / "vocab"
    run("import", str(small_turtle), "--to", str(target))
    (target / "NOTES.md").write_text("the user's own file", encoding="utf-8")
    previous = snapshot(target)
    mid_write = 0
    for _ in range(MAX_TRIES):
        killed = kill_while(["import", str(big_turtle), "--to", str(target), "--force"],
                            lambda: staged(target), rng, max_delay=0.5)
        now = snapshot(target)
        if now != previous:
            assert now == {**new, "NOTES.md": b"the user's own file"}, \
                "a mixture of the previous import and the new one"
            shutil.rmtree(target)
            run("import", str(small_turtle), "--to", str(target))
            (target / "NOTES.md").write_text("the user's own file", encoding="utf-8")
            assert snapshot(target) == previous
        elif killed:
            mid_write += 1
            if mid_write >= KILLS_WANTED:
                break
    assert mid_write >= KILLS_WANTED
    assert staged(target), "a killed import leaves its hidden folder"
    result = run("import", str(big_turtle), "--to", str(target), "--force")
    assert result.returncode == 0, result.stderr
    assert snapshot(target) == {**new, "NOTES.md": b"the user's own file"}
    assert not staged(target), "the next import removes what a killed one left"
    assert not list(target.glob(".terms.old-*"))


# --- crmkg serve --store DIR ------------------------------------------------------------------

def n_triples(path: Path, n: int, name: str) -> Path:
    base = f"http://example.org/{name}/"
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(f"<{base}c{i}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                      f"<http://www.w3.org/2004/02/skos/core#Concept> .\n"
                      f'<{base}c{i}> <http://www.w3.org/2004/02/skos/core#prefLabel> '
                      f'"{name} {i} {"x" * 40}"@en .\n')
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_store(directory: Path, path: Path):
    from graph.query.store import EmbeddedStore, Source

    return EmbeddedStore.open_or_build(directory, [Source.file(path)])


def building(directory: Path) -> bool:
    return any(directory.glob(".oxigraph.building-*"))


def test_store_load_killed_midway_keeps_the_previous_store(tmp_path):
    import gc

    small = n_triples(tmp_path / "small.nt", 1000, "small")
    big = n_triples(tmp_path / "big.nt", 400_000, "big")
    directory = tmp_path / "store"
    store = open_store(directory, small)
    assert len(store) == 2000 and not store.info.reused
    del store
    gc.collect()
    manifest = (directory / "manifest.json").read_bytes()
    rng = random.Random("store")
    mid_load = 0
    for _ in range(MAX_TRIES):
        killed = kill_while(["serve", "--port", str(free_port()), "--store", str(directory),
                             "--data", str(big)], lambda: building(directory), rng,
                            max_delay=0.8)
        if (directory / "manifest.json").exists() and \
                (directory / "manifest.json").read_bytes() != manifest:
            # the kill came after the new store was in place: it is whole, and reused
            store = open_store(directory, big)
            assert store.info.reused and len(store) == 800_000
            del store
            gc.collect()
            shutil.rmtree(directory)
            store = open_store(directory, small)
            del store
            gc.collect()
            manifest = (directory / "manifest.json").read_bytes()
            continue
        if not killed:
            continue
        # the previous store is still there, whole, with its manifest: reused as it is
        if (directory / "manifest.json").exists():
            mid_load += 1
            store = open_store(directory, small)
            assert store.info.reused, "the previous store was not kept"
            assert len(store) == 2000
            del store
            gc.collect()
        else:  # killed between the two renames: no manifest, so a new load, never a half store
            store = open_store(directory, small)
            assert not store.info.reused and len(store) == 2000
            del store
            gc.collect()
            manifest = (directory / "manifest.json").read_bytes()
        if mid_load >= KILLS_WANTED:
            break
    assert mid_load >= KILLS_WANTED, "the load was never caught under way"
    # a killed load leaves its hidden folder; the next start removes it and loads whole
    store = open_store(directory, big)
    assert not store.info.reused and len(store) == 800_000
    assert not building(directory) and not list(directory.glob(".oxigraph.old-*"))
    del store
    gc.collect()
    assert open_store(directory, big).info.reused


def test_first_store_load_killed_midway_is_loaded_again(tmp_path):
    import gc

    big = n_triples(tmp_path / "big.nt", 400_000, "big")
    directory = tmp_path / "store"
    rng = random.Random("first")
    for _ in range(3):
        assert kill_while(["serve", "--port", str(free_port()), "--store", str(directory),
                           "--data", str(big)], lambda: building(directory), rng,
                          max_delay=0.5)
        assert not (directory / "manifest.json").exists() or \
            open_store(directory, big).info.reused
        gc.collect()
    store = open_store(directory, big)
    assert len(store) == 800_000
    assert sorted(p.name for p in directory.iterdir()) == [".lock", "manifest.json", "oxigraph"]
    del store
    gc.collect()


def test_every_file_the_commands_write_goes_through_write_atomically():
    """No other way to write a file in graph/ than graph/files.py's (PNG and .pptx
    are built in memory)."""
    import re

    pattern = re.compile(r"write_text\(|write_bytes\(|open\([^)]*[\"'][wax]b?[\"']|"
                         r"\.save\((?!buffer|out\b)")
    found = [f"{p.relative_to(PROJECT_ROOT)}:{n}" for p in (PROJECT_ROOT / "graph").rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
             if pattern.search(line) and p.relative_to(PROJECT_ROOT).as_posix() != "graph/files.py"]
    assert found == [], found
