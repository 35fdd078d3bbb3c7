"""``LedgerWriter``: appends hash-chained entries to ``ledger.jsonl`` and seals the published files.

Each entry is one line ``{"seq":N,"prev":P,"kind":K,"data":{...},"hash":H}`` where ``H`` is the SHA-256 of
the line without its hash member and ``P`` is the previous entry's ``H`` (64 zeros for seq 0). See
``docs/ledger.md``. The writer never reads the clock and never reorders: the same appends give a
byte-identical file.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Final, Self

from shafaf.core.ledger._format import GENESIS_PREV, KIND_PATTERN, KIND_RE, SEAL_KIND, seal_name_problem
from shafaf.core.ledger.canonical import canonical_json

__all__ = ["LedgerWriter"]

_CHUNK_LINES: Final = 8192  # lines joined per write() in append_raw (~3.5 MB at 430 bytes a line)
_BUFFER_BYTES: Final = 1 << 20


class LedgerWriter:
    """Append-only writer of one ledger file; seal writes ``ledger.head`` (same folder, suffix ``.head``).

    The ledger file is created exclusively: an existing file is never overwritten unless ``overwrite=True``
    (which also removes a stale ``.head`` file). Use as a context manager or call :meth:`seal` /
    :meth:`close`.
    Entry ``seq`` starts at 0; by convention the pipeline's first entry has kind ``"run"``.
    """

    def __init__(self, path: Path, *, overwrite: bool = False) -> None:
        self._path = Path(path)
        self._head_path = self._path.with_suffix(".head")
        if self._head_path == self._path:
            raise ValueError(
                f"{self._path}: a ledger file may not have the suffix .head (kept for the anchor)"
            )
        if overwrite:
            self._head_path.unlink(missing_ok=True)
        elif self._head_path.exists():
            raise FileExistsError(
                f"{self._head_path} already exists; pass overwrite=True to start a new ledger"
            )
        self._fh: BinaryIO | None = open(self._path, "wb" if overwrite else "xb", buffering=_BUFFER_BYTES)  # noqa: SIM115
        self._overwrite = overwrite
        self._seq = 0
        self._prev = GENESIS_PREV
        self._sealed = False

    # -- state ---------------------------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        """The ledger file."""
        return self._path

    @property
    def head_path(self) -> Path:
        """Where :meth:`seal` writes the head hash (``ledger.head`` beside ``ledger.jsonl``)."""
        return self._head_path

    @property
    def count(self) -> int:
        """Number of entries written so far (= the seq the next entry gets)."""
        return self._seq

    @property
    def head(self) -> str:
        """Hash of the last entry written (64 zeros before the first)."""
        return self._prev

    @property
    def sealed(self) -> bool:
        return self._sealed

    # -- appending -----------------------------------------------------------------------------------------
    def append(self, kind: str, data: Mapping[str, object]) -> str:
        """Append one entry with canonical JSON ``data`` (no floats: TypeError) and return its hash."""
        self._writable(kind)
        return self._append_unchecked(kind, data)

    def append_raw(self, kind: str, data_json: Iterable[str]) -> None:
        """Append one entry per already-serialised JSON object string, without parsing them (the fast path).

        Each string is used byte for byte as ``data`` (e.g. from polars ``struct.json_encode()``), so the
        caller guarantees it is one compact JSON object without floats (:func:`verify_dir` reports a float or
        invalid JSON later). Only cheap checks are made here: it must start with ``{``, end with ``}`` and
        hold no raw newline or carriage return (ValueError). Entries before a refused string stay written
        and chained.
        """
        fh = self._writable(kind)
        seq = self._seq
        prev = self._prev
        mid = f'","kind":"{kind}","data":'
        sha256 = hashlib.sha256
        chunk: list[bytes] = []
        add = chunk.append
        limit = 4 * _CHUNK_LINES  # four pieces a line
        try:
            for text in data_json:
                if text[:1] != "{" or text[-1:] != "}" or "\n" in text or "\r" in text:
                    raise ValueError(
                        f"append_raw({kind!r}): item {seq - self._seq} is not one JSON object on one line "
                        f"(must start with '{{', end with '}}', no newline): {str(text)[:80]!r}"
                    )
                body = f'{{"seq":{seq},"prev":"{prev}{mid}{text}}}'.encode()
                prev = sha256(body).hexdigest()
                add(body[:-1])
                add(b',"hash":"')
                add(prev.encode("ascii"))
                add(b'"}\n')
                seq += 1
                if len(chunk) >= limit:
                    fh.write(b"".join(chunk))
                    chunk.clear()
        finally:
            # Whatever was hashed is written, so the file and (seq, prev) stay consistent after an error.
            fh.write(b"".join(chunk))
            self._seq = seq
            self._prev = prev

    # -- sealing -------------------------------------------------------------------------------------------
    def seal(self, out_dir: Path, files: Sequence[str]) -> str:
        """Append the final ``seal`` entry, close the ledger, write ``ledger.head``; return the head hash.

        ``files`` are names relative to ``out_dir`` (which must be the ledger's folder, where ``verify_dir``
        looks), e.g. ``["merit_list.csv", "report.html"]``. The seal's data is
        ``{"entries": <entries including the seal>, "files": [{"bytes": B, "name": N, "sha256": H}, ...]}``
        with files sorted by name. Raises ValueError for a duplicate or unsafe name or the ledger itself,
        FileNotFoundError for a missing file.
        """
        self._writable(SEAL_KIND, internal=True)
        if isinstance(files, str):
            raise TypeError("seal(files=...) takes a sequence of names, not one string")
        out = Path(out_dir)
        if out.resolve() != self._path.parent.resolve():
            raise ValueError(
                f"seal: files are named relative to the ledger's folder {self._path.parent}, "
                f"but out_dir is {out}"
            )
        names = sorted(files)
        for name in names:
            problem = seal_name_problem(name)
            if problem is not None:
                raise ValueError(f"seal: file name {problem}")
        duplicates = sorted({a for a, b in itertools.pairwise(names) if a == b})
        if duplicates:
            raise ValueError(f"seal: file names listed twice: {', '.join(duplicates)}")
        own = {self._path.resolve(), self._head_path.resolve()}
        for name in names:
            target = out / name
            if target.resolve() in own:
                raise ValueError(f"seal: {name} is the ledger or its head and cannot be sealed inside itself")
            if not target.is_file():
                raise FileNotFoundError(f"seal: {target} does not exist or is not a file")

        def digest(name: str) -> dict[str, object]:
            with (out / name).open("rb") as fh:
                value = hashlib.file_digest(fh, "sha256").hexdigest()
                return {"bytes": fh.tell(), "name": name, "sha256": value}

        # files are hashed two at a time (hashlib releases the GIL); records stay in name order
        with ThreadPoolExecutor(max_workers=2) as pool:
            records: list[dict[str, object]] = list(pool.map(digest, names))
        head = self._append_unchecked(SEAL_KIND, {"entries": self._seq + 1, "files": records})
        self.close()
        self._sealed = True
        with self._head_path.open("w" if self._overwrite else "x", encoding="ascii", newline="\n") as hf:
            hf.write(head + "\n")
        return head

    def close(self) -> None:
        """Flush and close the ledger file (without a seal the verifier reports it as truncated)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- internals -----------------------------------------------------------------------------------------
    def _writable(self, kind: str, *, internal: bool = False) -> BinaryIO:
        if self._fh is None:
            state = "sealed" if self._sealed else "closed"
            raise ValueError(f"{self._path}: the ledger is {state}; no more entries can be appended")
        if not isinstance(kind, str) or KIND_RE.fullmatch(kind) is None:
            raise ValueError(f"ledger kind {kind!r} does not match {KIND_PATTERN}")
        if kind == SEAL_KIND and not internal:
            raise ValueError("ledger kind 'seal' is reserved for LedgerWriter.seal()")
        return self._fh

    def _body(self, kind: str, data_text: str) -> bytes:
        text = f'{{"seq":{self._seq},"prev":"{self._prev}","kind":"{kind}","data":{data_text}}}'
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"ledger data for {kind!r} holds text that is not valid Unicode: {exc}") from exc

    def _append_unchecked(self, kind: str, data: Mapping[str, object]) -> str:
        fh = self._writable(kind, internal=True)
        body = self._body(kind, canonical_json(data))
        digest = hashlib.sha256(body).hexdigest()
        fh.write(body[:-1] + b',"hash":"' + digest.encode("ascii") + b'"}\n')
        self._seq += 1
        self._prev = digest
        return digest
