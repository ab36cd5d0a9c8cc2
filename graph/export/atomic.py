"""Write a file so that readers see the old content or the new, never half of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename it.

    A process killed before the rename leaves ``path`` as it was, and its temporary
    file (``.<name>.<pid>.*.tmp``) behind: the next write to ``path`` removes those of
    processes that no longer run.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                                    dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
        with contextlib.suppress(OSError):  # make the rename itself durable
            directory = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) and flush it to disk; no temporary file.

    For the files of a staging folder that nobody reads before it is renamed into
    place whole (``crmkg import``): atomic by the folder's rename, and without a
    temporary file and a look for stale ones per file, which made writing 35,000
    files quadratic (each look lists the whole folder).
    """
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files of writes to ``path`` whose process was killed."""
    removed = []
    for candidate in Path(path).parent.glob(f".{Path(path).name}.*.tmp"):
        pid = candidate.name[len(Path(path).name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(FileNotFoundError):
                candidate.unlink()
                removed.append(candidate)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows: os.kill would stop the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or we cannot tell: keep its file
    return True
