#!/usr/bin/env python3
"""Writes public/favicon.ico: the favicon.svg's red rounded square with a white tick (signed),
at 16x16 and 32x32, as PNG images inside an ICO. Standard library only; run it again after
changing the drawing:  python3 .ci/favicon.py"""
import math, os, struct, zlib

RED, WHITE = (0xC0, 0x39, 0x2B), (0xFF, 0xFF, 0xFF)
TICK = [(0.25, 0.52), (0.43, 0.70), (0.76, 0.32)]  # in units of the icon's side
SS = 4  # supersampling per axis, for smooth edges


def seg_dist(px, py, a, b):
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def inside_rounded(px, py, r=6 / 32):
    cx, cy = min(max(px, r), 1 - r), min(max(py, r), 1 - r)
    return math.hypot(px - cx, py - cy) <= r


def pixel(n, x, y):
    red = white = 0
    for i in range(SS):
        for j in range(SS):
            px, py = (x + (i + 0.5) / SS) / n, (y + (j + 0.5) / SS) / n
            if not inside_rounded(px, py):
                continue
            on_tick = min(seg_dist(px, py, TICK[k], TICK[k + 1]) for k in range(len(TICK) - 1)) <= 0.075
            if on_tick:
                white += 1
            else:
                red += 1
    cover = red + white
    if cover == 0:
        return (0, 0, 0, 0)
    mix = [round((RED[c] * red + WHITE[c] * white) / cover) for c in range(3)]
    return (*mix, round(255 * cover / (SS * SS)))


def png(n):
    rows = b"".join(b"\0" + bytes(v for x in range(n) for v in pixel(n, x, y)) for y in range(n))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def ico(sizes):
    images = [png(n) for n in sizes]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for n, data in zip(sizes, images):
        out += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(images)


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "public", "favicon.ico"), "wb") as f:
        f.write(ico([16, 32]))
