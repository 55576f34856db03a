#!/usr/bin/python3
"""Counts the pixels of given colours in a PNG screenshot (python3-pil).

usage: report_screenshot.py PNG '#rrggbb'...

Prints 'size WIDTH HEIGHT', then one line '#rrggbb COUNT' per colour asked for: the pixels whose
red, green and blue each lie within 8 of that colour (anti-aliased edges of a shape are blends
and are not counted). Run by tests/e2e/reports_cli_test.cpp with Debian's /usr/bin/python3,
which has python3-pil (scripts/install-deps.sh installs it).
"""
import sys

from PIL import Image

TOLERANCE = 8


def rgb(text):
    if len(text) != 7 or text[0] != "#":
        raise SystemExit(f"report_screenshot.py: '{text}' is not a colour written #rrggbb")
    return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))


def main(argv):
    if len(argv) < 3:
        raise SystemExit("usage: report_screenshot.py PNG '#rrggbb'...")
    image = Image.open(argv[1]).convert("RGB")
    width, height = image.size
    print(f"size {width} {height}")
    colours = image.getcolors(width * height)  # [(count, (r, g, b))], every distinct colour
    for text in argv[2:]:
        want = rgb(text)
        count = sum(n for n, have in colours if max(abs(a - b) for a, b in zip(have, want)) <= TOLERANCE)
        print(f"{text} {count}")


if __name__ == "__main__":
    main(sys.argv)
