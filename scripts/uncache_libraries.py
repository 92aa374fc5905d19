"""Drop from the page cache the large shared libraries pip has just written in the venv.

pip writes a wheel's files in large chunks, and the kernel keeps a freshly written file in
the page cache as large folios; a process that maps the library then gets a whole folio
resident at each page fault. From a fresh clone, TensorFlow's libtensorflow_cc.so.2 (1 GB)
held 282 MB of the Rasa server's memory instead of 132 MB, for the same file and the same
code touched. Once the pages are dropped, they are read back as any library is, a few pages
around each fault. Run once after `pip install` (Makefile); harmless to run again.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

LARGE = 4 * 1024 * 1024  # smaller libraries make no measurable difference


def uncache(root: Path) -> tuple[int, int]:
    """fsync then POSIX_FADV_DONTNEED each shared library of `root` over LARGE bytes."""
    count = size = 0
    for path in root.rglob("*.so*"):
        if not path.is_file() or path.is_symlink():
            continue
        length = path.stat().st_size
        if length < LARGE:
            continue
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)  # dirty pages are not dropped: write them first
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(descriptor)
        count, size = count + 1, size + length
    return count, size


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else sysconfig.get_paths()["purelib"])
    count, size = uncache(root)
    print(f"{count} bibliothèques de {root} retirées du cache de pages ({size // 2**20} Mo).")
