"""Turn bytes into text, or say clearly why they are not text.

Order: a byte-order mark, strict UTF-8, then charset detection (charset_normalizer) for legacy
encodings. Binary content (NUL bytes, mostly control characters) is refused rather than mangled.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from pipelines.extract.mojibake import repair_mojibake
from pipelines.models import QuarantineError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SNIFF = 4096


def looks_binary(data: bytes) -> bool:
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(head) and controls / len(head) > 0.05


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode document bytes; `declared` is a charset from HTTP headers or a meta tag, tried first.

    Text that was already mis-decoded once before it was published (mojibake) is repaired.
    """
    return repair_mojibake(_decode(data, declared))


def _decode(data: bytes, declared: str | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if looks_binary(data):
        raise QuarantineError("binary content, not text (NUL or control bytes in the first 4 KiB)")
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is None or best.encoding is None:
        raise QuarantineError("undecodable text: not UTF-8 and no legacy encoding fits")
    # Single-byte code pages often tie (cp1250 and cp1252 differ in a few letters: "naïve" vs "naďve");
    # browsers read undeclared Western text as windows-1252, so it wins a tie.
    tied = [m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    return data.decode("cp1252" if "cp1252" in tied else best.encoding, errors="replace")
