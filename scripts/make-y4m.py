#!/usr/bin/env python3
"""Writes a small Y4M video for Chromium's --use-file-for-fake-video-capture.

A dark ID card with light text lines on a mid-grey desk, filling most of the
camera's guide frame. Variants: `sharp` (auto-capture takes it), `blurred`
(a box blur: too soft to capture) and `dark` (under-exposed). Deterministic,
so tests can rely on its size and content.

usage: make-y4m.py OUT WIDTH HEIGHT [VARIANT] [FRAMES]
"""
import sys


def card(width, height):
    y = bytearray([110]) * (width * height)
    x0, x1, y0, y1 = width // 10, width * 9 // 10, height * 15 // 100, height * 85 // 100
    for row in range(y0, y1):
        y[row * width + x0: row * width + x1] = bytes([40]) * (x1 - x0)
    thick = max(2, height // 90)
    for line in range(6):
        top = y0 + (y1 - y0) * (2 + 2 * line) // 16
        left, right = x0 + (x1 - x0) // 10, x1 - (x1 - x0) // 4
        for row in range(top, top + thick):
            for x in range(left, right):
                if (x // thick) % 2 == 0:
                    y[row * width + x] = 220
    return y


def box_blur(y, width, height, radius):
    """Separable box blur (rows, then columns) with running sums."""
    out = bytearray(y)
    size = 2 * radius + 1
    for row in range(height):
        base = row * width
        acc = sum(y[base + min(max(i, 0), width - 1)] for i in range(-radius, radius + 1))
        for x in range(width):
            out[base + x] = acc // size
            acc += y[base + min(x + radius + 1, width - 1)] - y[base + max(x - radius, 0)]
    res = bytearray(out)
    for x in range(width):
        acc = sum(out[min(max(i, 0), height - 1) * width + x] for i in range(-radius, radius + 1))
        for row in range(height):
            res[row * width + x] = acc // size
            acc += out[min(row + radius + 1, height - 1) * width + x] - out[max(row - radius, 0) * width + x]
    return res


def main():
    out, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    variant = sys.argv[4] if len(sys.argv) > 4 else "sharp"
    frames = int(sys.argv[5]) if len(sys.argv) > 5 else 10
    y = card(width, height)
    if variant == "blurred":
        y = box_blur(y, width, height, max(3, width // 120))
    elif variant == "dark":
        y = bytearray(v // 6 for v in y)
    elif variant != "sharp":
        sys.exit(f"unknown variant {variant}")
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with open(out, "wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n")
            f.write(y)
            f.write(chroma)
            f.write(chroma)


if __name__ == "__main__":
    main()
