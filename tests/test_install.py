"""What the venv's installation does beyond pip (Makefile, scripts/uncache_libraries.py)."""

from __future__ import annotations

import ctypes
import mmap
import os

from conftest import ROOT
from uncache_libraries import LARGE, uncache

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = [
    ctypes.c_void_p,
    ctypes.c_size_t,
    ctypes.c_int,
    ctypes.c_int,
    ctypes.c_int,
    ctypes.c_long,
]
_libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
_libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]


def cached_pages(path) -> int:
    """How many of the file's pages are in the page cache (mincore over a mapping of it)."""
    size = path.stat().st_size
    pages = (size + mmap.PAGESIZE - 1) // mmap.PAGESIZE
    vector = (ctypes.c_ubyte * pages)()
    descriptor = os.open(path, os.O_RDONLY)
    try:
        address = _libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, descriptor, 0)
        try:
            if _libc.mincore(address, size, vector) != 0:
                raise OSError(ctypes.get_errno(), "mincore")
        finally:
            _libc.munmap(address, size)
    finally:
        os.close(descriptor)
    return sum(byte & 1 for byte in vector)


def test_a_large_library_just_written_leaves_the_page_cache_and_a_small_one_stays():
    folder = ROOT / "build" / "test-uncache"  # on the repository's disk: a tmpfs keeps its pages
    folder.mkdir(parents=True, exist_ok=True)
    large, small = folder / "liblarge.so.2", folder / "small.so"
    for path, size in ((large, 2 * LARGE), (small, LARGE // 4)):
        with path.open("wb") as file:
            for _ in range(size // 2**20 or 1):
                file.write(os.urandom(min(size, 2**20)))
    pages = large.stat().st_size // mmap.PAGESIZE
    assert cached_pages(large) == pages  # just written: all in the cache

    count, size = uncache(folder)

    assert (count, size) == (1, large.stat().st_size)
    assert cached_pages(large) < pages // 10
    assert cached_pages(small) == small.stat().st_size // mmap.PAGESIZE
