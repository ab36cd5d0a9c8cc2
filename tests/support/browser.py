"""What the browser tests share beside their fixtures: waits, the map's readiness, PNGs."""

from __future__ import annotations

import struct
import zlib

import pytest

#: Playwright's assertions, or a skip of the module when the package is missing
expect = pytest.importorskip("playwright.sync_api", reason="the playwright package is not "
                             "installed (pip install -e '.[test]')").expect
# (a loaded two-core machine runs the suite: 10 s rather than Playwright's 5 s)
expect.set_options(timeout=10_000)

#: the map sets data-ready="true" once its layout has settled
MAP_READY = '#concept-map[data-ready="true"]'
MAP_TIMEOUT_MS = 20_000
MAP_VIEWPORT = {"width": 1400, "height": 900}


def open_map(page, path: str = "/map"):
    """Go to a map page and wait until its layout has settled."""
    page.goto(path)
    page.wait_for_selector(MAP_READY, timeout=MAP_TIMEOUT_MS)
    return page


def png_pixels(data: bytes) -> tuple[int, int, int, bytes]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG: (width, height, channels, pixels)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    assert header, "PNG without IHDR"
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and not interlace, f"unexpected PNG kind {header}"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    out = bytearray(height * stride)
    previous = bytearray(stride)
    at = 0
    for y in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        if kind == 1:  # Sub
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:  # Up
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + predictor) & 0xFF
        out[y * stride:(y + 1) * stride] = line
        previous = line
    return width, height, channels, bytes(out)


def distinct_colours(data: bytes, box: dict[str, float] | None = None) -> int:
    """How many different RGB colours a PNG holds, in ``box`` (x, y, width, height) if given."""
    width, height, channels, pixels = png_pixels(data)
    left, top, right, bottom = 0, 0, width, height
    if box:
        left, top = max(0, int(box["x"])), max(0, int(box["y"]))
        right = min(width, int(box["x"] + box["width"]))
        bottom = min(height, int(box["y"] + box["height"]))
    stride = width * channels
    return len({pixels[i:i + 3] for y in range(top, bottom)
                for i in range(y * stride + left * channels, y * stride + right * channels,
                               channels)})
