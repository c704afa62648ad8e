"""A freshly started render process reads the fonts another decompressed, never a planted one."""

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings

import pytest
from fontTools.ttLib import woff2

from proposals.pdf import fetcher, static_root

FONT = static_root() / "fonts" / "inter" / "inter-latin-400-normal.woff2"
ROOT = Path(django_settings.BASE_DIR)
# fontTools itself, taken before a test counts or refuses its calls.
DECOMPRESS = woff2.decompress


def decompressed_in_memory(path: Path) -> bytes:
    """The font as fontTools decompresses it, without any cache."""
    out = io.BytesIO()
    with path.open("rb") as handle:
        DECOMPRESS(handle, out)
    return out.getvalue()


@pytest.fixture
def cache(settings, tmp_path):
    """A render cache folder of the test's own, and no font kept in this process's memory."""
    settings.RENDER_CACHE_DIR = str(tmp_path / "render")
    fetcher.woff2_as_sfnt.cache_clear()
    yield Path(settings.RENDER_CACHE_DIR)
    fetcher.woff2_as_sfnt.cache_clear()  # the next test's fonts come from its own folder


@pytest.fixture
def decompressions(monkeypatch):
    """Count fontTools' decompressions."""
    calls = []

    def counting(*args, **kwargs):
        calls.append(args)
        return DECOMPRESS(*args, **kwargs)

    monkeypatch.setattr(woff2, "decompress", counting)
    return calls


def kept(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.ttf"))


def test_the_font_kept_on_disk_is_the_one_decompressed_in_memory(cache, decompressions):
    sfnt = fetcher.woff2_as_sfnt(FONT)
    assert sfnt == decompressed_in_memory(FONT)
    assert len(decompressions) == 1
    assert os.stat(cache).st_mode & 0o777 == 0o700  # the folder is this user's alone
    [file] = kept(cache)
    assert file.read_bytes() == sfnt
    # Named by what it came from and by its own checksum.
    key = hashlib.sha256(FONT.read_bytes()).hexdigest()
    assert file.name == f"{key}-{hashlib.sha256(sfnt).hexdigest()}.ttf"
    assert not list(cache.glob(".*"))  # no temporary file left behind


def test_a_second_process_reads_the_font_from_disk_without_fonttools(cache):
    expected = fetcher.woff2_as_sfnt(FONT)
    # A fresh interpreter, as a worker after a deploy: decompressing would fail loudly.
    script = (
        "import django, hashlib, sys\n"
        "django.setup()\n"
        "from pathlib import Path\n"
        "from fontTools.ttLib import woff2\n"
        "def refuse(*a, **k): raise AssertionError('decompressed again')\n"
        "woff2.decompress = refuse\n"
        "from proposals.pdf.fetcher import woff2_as_sfnt\n"
        "print(hashlib.sha256(woff2_as_sfnt(Path(sys.argv[1]))).hexdigest())\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
        "RENDER_CACHE_DIR": str(cache),
    }
    out = subprocess.run(
        [sys.executable, "-c", script, str(FONT)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == hashlib.sha256(expected).hexdigest()


@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
def test_a_damaged_copy_is_ignored_and_written_again(cache, decompressions, damage):
    good = fetcher.woff2_as_sfnt(FONT)
    [file] = kept(cache)
    data = file.read_bytes()
    # Cut short (a full disk, a crash) or changed in place (a bad block).
    file.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"\0" * len(data))
    fetcher.woff2_as_sfnt.cache_clear()  # a new process

    assert fetcher.woff2_as_sfnt(FONT) == good
    assert len(decompressions) == 2  # decompressed again, not read damaged
    [rewritten] = kept(cache)
    assert rewritten.read_bytes() == good

    fetcher.woff2_as_sfnt.cache_clear()
    assert fetcher.woff2_as_sfnt(FONT) == good
    assert len(decompressions) == 2  # the good copy is read from now on


def test_a_folder_others_may_write_to_is_not_used(cache, decompressions):
    cache.mkdir(mode=0o700)
    cache.chmod(0o777)  # e.g. made by hand, world-writable
    assert fetcher.render_cache_dir() is None
    assert fetcher.woff2_as_sfnt(FONT) == decompressed_in_memory(FONT)
    assert kept(cache) == []
    cache.chmod(0o770)  # group-writable is no better
    assert fetcher.render_cache_dir() is None


def test_a_font_planted_in_a_writable_folder_is_not_read(cache, decompressions):
    cache.mkdir(mode=0o700)
    key = hashlib.sha256(FONT.read_bytes()).hexdigest()
    planted = b"not the font we ship"
    (cache / f"{key}-{hashlib.sha256(planted).hexdigest()}.ttf").write_bytes(planted)
    cache.chmod(0o733)
    assert fetcher.woff2_as_sfnt(FONT) == decompressed_in_memory(FONT)
    assert len(decompressions) == 1


def test_a_folder_of_another_user_is_not_used(cache, decompressions, monkeypatch):
    cache.mkdir(mode=0o700)
    monkeypatch.setattr(fetcher.os, "getuid", lambda: os.stat(cache).st_uid + 1)
    assert fetcher.render_cache_dir() is None
    assert fetcher.woff2_as_sfnt(FONT) == decompressed_in_memory(FONT)
    assert kept(cache) == []


def test_a_link_in_place_of_the_folder_is_not_followed(cache, tmp_path, decompressions):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache.symlink_to(elsewhere)
    assert fetcher.render_cache_dir() is None
    assert fetcher.woff2_as_sfnt(FONT) == decompressed_in_memory(FONT)
    assert kept(elsewhere) == []
