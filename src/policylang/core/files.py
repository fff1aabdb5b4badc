"""Reading a file the user named, safely: a regular file, never past a limit, UTF-8 text.

A path given on the command line or written in a rule (`facts "…"`) may name anything:
`/dev/zero` (endless), a FIFO (blocks forever), `/dev/stdin`, a folder, a 10 GB file, or a
symlink that leads out of the rule set to `/etc/passwd`. `stat()` alone cannot be trusted
(a device reports size 0, and the file can change between `stat` and `open`), so a file is
checked before it is opened, opened without blocking, checked again on the open descriptor,
and read up to its limit plus one byte. Every refusal is a `FileRefused` whose message never
quotes the file's content; the caller turns it into its diagnostic (`POLICY_CODES` for policy
files, PL101 for facts). This module imports nothing else of policylang, so that
`core/source.py` can use it.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

BOM = codecs.BOM_UTF8
_CHUNK = 1 << 20

# The codes for a policy file; facts files report every refusal as PL101.
POLICY_CODES = {"path": "PL006", "outside": "PL006", "size": "PL004", "encoding": "PL002"}
HINTS = {
    "path": "give a regular file (not a folder, a device or a pipe)",
    "outside": "keep the file inside the folder (a symlink may not lead out of it)",
    "size": "split it into smaller files",
    "encoding": "save it as UTF-8 text (one byte order mark at most)",
}


class FileRefused(ValueError):
    """Why a named file was not read (or not used).

    `reason` is `path` (missing, not a regular file), `outside` (it leads out of the folders
    it may come from), `size` (over the limit) or `encoding` (not UTF-8, or a second byte
    order mark); `position` is the line and column where the text stops being UTF-8, when
    known.
    """

    def __init__(self, reason: str, message: str, position: tuple[int, int] | None = None):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.position = position


def read_bytes(path: Path, limit: int, what: str = "the file") -> bytes:
    """The bytes of a regular file, refused (`FileRefused`) past `limit` bytes.

    >>> read_bytes(Path("/dev/zero"), 10)
    Traceback (most recent call last):
    ...
    policylang.core.files.FileRefused: the file is a device, not a regular file
    """
    _require_regular(_stat(path, what, os.stat), what)
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise FileRefused("path", f"{what} cannot be opened: {error.strerror}") from None
    try:
        _require_regular(os.fstat(descriptor), what)  # it may have changed since the stat
        return _read_capped(descriptor, limit, what)
    finally:
        os.close(descriptor)


def _stat(path: Path, what: str, how) -> os.stat_result:
    try:
        return how(path)
    except FileNotFoundError:
        raise FileRefused("path", f"{what} does not exist") from None
    except OSError as error:
        raise FileRefused("path", f"{what} cannot be read: {error.strerror}") from None


def _require_regular(info: os.stat_result, what: str) -> None:
    if stat.S_ISREG(info.st_mode):
        return
    kind = ("a folder" if stat.S_ISDIR(info.st_mode) else
            "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else
            "a socket" if stat.S_ISSOCK(info.st_mode) else
            "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
            "not a file")
    raise FileRefused("path", f"{what} is {kind}, not a regular file")


def _read_capped(descriptor: int, limit: int, what: str) -> bytes:
    """Read at most `limit + 1` bytes: one byte more than allowed proves the file too large,
    whatever its size said."""
    chunks, size = [], 0
    while size <= limit:
        chunk = os.read(descriptor, min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise FileRefused("size", f"{what} is larger than {limit} bytes")
    return b"".join(chunks)


def decode_text(data: bytes, what: str = "the file") -> str:
    """UTF-8 text, with one leading byte order mark removed; a second one, or bytes that are
    not UTF-8, are refused with the line and column where the text stops being UTF-8.

    >>> decode_text(BOM + "低保".encode())
    '低保'
    >>> decode_text(b"ok\\nx = \\xff")
    Traceback (most recent call last):
    ...
    policylang.core.files.FileRefused: the file is not UTF-8 text: byte 0xff at line 2, column 5 (byte 7)
    """
    start = len(BOM) if data.startswith(BOM) else 0
    if data.startswith(BOM, start):
        raise FileRefused("encoding", f"{what} starts with two byte order marks",
                          (1, 1))
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = start + error.start
        line, column = _position(data, start, offset)
        raise FileRefused("encoding", f"{what} is not UTF-8 text: byte 0x{data[offset]:02x} at "
                          f"line {line}, column {column} (byte {offset})",
                          (line, column)) from None


def _position(data: bytes, start: int, offset: int) -> tuple[int, int]:
    """Line and column (in characters) of byte `offset`, all bytes before it being UTF-8."""
    line_start = data.rfind(b"\n", start, offset) + 1 or start
    line = data.count(b"\n", start, offset) + 1
    return line, len(data[line_start:offset].decode("utf-8")) + 1


def read_text(path: Path, limit: int, what: str = "the file") -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes (see `read_bytes`)."""
    return decode_text(read_bytes(path, limit, what), what)


def is_inside(path: Path, root: Path) -> bool:
    """Whether `path`, once every symlink is followed, lies in the folder `root` (or is it).

    >>> is_inside(Path("rules/../rules/dibao.policy"), Path("rules")), is_inside(Path("/etc/passwd"), Path("rules"))
    (True, False)
    """
    real, base = Path(os.path.realpath(path)), Path(os.path.realpath(root))
    return real == base or base in real.parents


def require_inside(path: Path, roots: list[Path], what: str = "the file") -> None:
    """Refuse (`FileRefused`, reason `outside`) a path that leads outside every one of `roots`;
    the message names the roots, never where the path leads."""
    if not any(is_inside(path, root) for root in roots):
        folders = " or ".join(f"`{root}`" for root in roots)
        raise FileRefused("outside", f"{what} leads outside {folders}")
