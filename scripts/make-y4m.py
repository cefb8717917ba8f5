#!/usr/bin/env python3
"""Writes a small Y4M video for Chromium's --use-file-for-fake-video-capture.

A dark card with light "text" bars on a mid-grey desk: a stand-in for an ID
document. Deterministic, so tests can rely on its size and content.
usage: make-y4m.py OUT WIDTH HEIGHT [FRAMES]
"""
import sys

def main():
    out, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    frames = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    y = bytearray([110]) * (width * height)
    x0, x1, y0, y1 = width // 6, width * 5 // 6, height // 5, height * 4 // 5
    for row in range(y0, y1):
        y[row * width + x0: row * width + x1] = bytes([40]) * (x1 - x0)
    for line in range(5):
        top = y0 + (y1 - y0) * (2 + 2 * line) // 14
        for row in range(top, top + max(2, height // 60)):
            left = x0 + (x1 - x0) // 10
            y[row * width + left: row * width + x1 - (x1 - x0) // 4] = bytes([220]) * (x1 - (x1 - x0) // 4 - left)
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
