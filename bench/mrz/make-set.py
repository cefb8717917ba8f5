#!/usr/bin/env python3
"""Writes bench/mrz/synthetic.txt: 540 machine-readable zones (180 each of TD1, TD2
and TD3), one zone per block, blocks separated by a blank line. The fields are
drawn at random (seed 2026); the zones, with every check digit, are made by
PyPI's `mrz` generator (0.6.2), which is independent of the component's own
reader, so the bench's ground truth does not come from the code it measures.

Run once by hand; the file is committed:
    python3 -m venv target/mrz-venv && target/mrz-venv/bin/pip install mrz==0.6.2
    target/mrz-venv/bin/python bench/mrz/make-set.py
"""
import datetime
import pathlib
import random

from mrz.generator.td1 import TD1CodeGenerator
from mrz.generator.td2 import TD2CodeGenerator
from mrz.generator.td3 import TD3CodeGenerator

STATES = ["UTO", "D", "NLD", "NOR", "SWE", "FRA", "ITA", "ESP", "GBR", "USA", "CAN", "POL", "FIN", "DNK", "BEL", "AUT", "CHE", "PRT", "IRL", "GRC"]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = LETTERS + "0123456789"

rng = random.Random(2026)


def word(lo, hi):
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(lo, hi)))


def day(start_year, end_year):
    start = datetime.date(start_year, 1, 1).toordinal()
    end = datetime.date(end_year, 12, 31).toordinal()
    return datetime.date.fromordinal(rng.randint(start, end)).strftime("%y%m%d")


def fields(name_room):
    while True:
        surname, given = word(3, 12), " ".join(word(2, 8) for _ in range(rng.randint(1, 2)))
        if len(surname) + 2 + len(given) <= name_room:
            break
    return dict(
        state=rng.choice(STATES),
        nationality=rng.choice(STATES),
        surname=surname,
        given=given,
        number="".join(rng.choice(ALNUM) for _ in range(9)),
        birth=day(1940, 2010),
        sex=rng.choice("MF"),
        expiry=day(2015, 2036),
    )


zones = []
for i in range(540):
    kind = i % 3
    f = fields([39, 31, 30][kind])
    if kind == 0:
        optional = "".join(rng.choice(ALNUM) for _ in range(rng.randint(0, 14)))
        zone = TD3CodeGenerator("P", f["state"], f["surname"], f["given"], f["number"], f["nationality"],
                                f["birth"], f["sex"], f["expiry"], optional)
    elif kind == 1:
        optional = "".join(rng.choice(ALNUM) for _ in range(rng.randint(0, 7)))
        zone = TD2CodeGenerator("I", f["state"], f["surname"], f["given"], f["number"], f["nationality"],
                                f["birth"], f["sex"], f["expiry"], optional)
    else:
        optional = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 15)))
        zone = TD1CodeGenerator("ID", f["state"], f["number"], f["birth"], f["sex"], f["expiry"],
                                f["nationality"], f["surname"], f["given"], optional)
    zones.append(str(zone).strip())

out = pathlib.Path(__file__).with_name("synthetic.txt")
out.write_text("\n\n".join(zones) + "\n")
print(f"{out}: {len(zones)} zones")
