"""Hash-chained decision ledger (fairness.md §4): append-only ``ledger.jsonl``, its seal, and the verifier.

Format (details and a worked example in ``docs/ledger.md``): UTF-8 JSON lines ending in ``\\n``; line
``n`` (1-based) holds entry ``seq = n - 1``::

    {"seq":N,"prev":"<previous entry's hash; 64 zeros at seq 0>","kind":"<kind>","data":{...},"hash":"<hex>"}

``hash`` = SHA-256 of the line's *body*, i.e. the same bytes without ``,"hash":"..."``:
``{"seq":N,"prev":"...","kind":"...","data":{...}}``. The hash member is always last and of fixed length, so
a verifier recovers the body from the stored bytes by slicing and never re-serialises ``data``. ``data``
written by :meth:`LedgerWriter.append` is canonical JSON (sorted keys, no spaces, UTF-8 kept, no floats);
``append_raw`` takes pre-serialised JSON objects as they are. Kinds match ``[a-z][a-z0-9_.-]{0,63}``; seq 0
is the pipeline's ``run`` entry; the last entry has kind ``seal`` and lists every published file with its
size and SHA-256. ``ledger.head`` beside the ledger holds the last hash, to be published elsewhere as an
anchor.
"""

from shafaf.core.ledger._format import GENESIS_PREV
from shafaf.core.ledger.canonical import canonical_json
from shafaf.core.ledger.reader import find_entries, read_entries
from shafaf.core.ledger.verify import Problem, ProblemCode, VerifyResult, verify_dir
from shafaf.core.ledger.writer import LedgerWriter

__all__ = [
    "GENESIS_PREV",
    "LedgerWriter",
    "Problem",
    "ProblemCode",
    "VerifyResult",
    "canonical_json",
    "find_entries",
    "read_entries",
    "verify_dir",
]
