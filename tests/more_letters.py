"""Letters and drafts for the years the suite once took as governed by nothing, added to a copy.

Tests must not assume which years or determinations are encoded. To check that they do not, make
a copy of the repository with its own environment, add these to it, and run the whole suite there:

    git archive HEAD | tar -x -C /tmp/copy && cd /tmp/copy
    python3.11 -m venv .venv && .venv/bin/pip install -q -e '.[dev]'
    .venv/bin/python /path/to/tests/more_letters.py . && .venv/bin/python -m pytest -n auto

It adds five published letters (paying five authorities that exist in every year the register
covers): one sharing 2024-25 with 31/7421, and 2009-10, 2015-16, 2023-24 and 2031-32; and three
drafts: 31/7421 rolled forward to 2025-26, 31/3010 to 2017-18 and to 2030-31.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

TEMPLATE = """\
To all local authorities in England

3 March {end}

Re: S31 Grant Determination Letter for the Example Practice Grant.

Example Practice GRANT DETERMINATION [{year}]: No {number}.

The Secretary of State for Education (“the Secretary of State”), in exercise of the powers conferred by section 31 of the Local Government Act 2003, makes the following determination:

Citation

1) This determination may be cited as the Example Practice Grant Determination [{year}] [No. {number}].

Determination

3) The Secretary of State determines the authorities to which grant is to be paid and the amount of grant to be paid; these are set out in Annex A.

Payment arrangements

5) The grant will be paid in one instalment in March {end}.

Signed by authority of the Secretary of State

A. Person
Director
Department for Education

Annex A

Local Authority\tFunding Amount
Telford & Wrekin Council\t£100,000.00
Kingston upon Hull City Council\t£200,000.01
City of London Corporation\t£50,000.50
Council of the Isles of Scilly\t£10,000.00
Royal Borough of Windsor and Maidenhead\t£75,000.49
\tTotal: £435,001.00
"""
LETTERS = [(2024, "31/9024"), (2023, "31/9023"), (2009, "31/9009"), (2015, "31/9015"), (2031, "31/9031")]
DRAFTS = [("31/7421", "2025-26"), ("31/3010", "2017-18"), ("31/3010", "2030-31")]


def add(root: pathlib.Path) -> None:
    command = [str(root / ".venv" / "bin" / "openfisca-grants")]

    def run(*argv: str) -> None:
        done = subprocess.run([*command, *argv, "--root", str(root)], capture_output=True, text=True)
        print(" ".join(argv), "->", done.returncode)
        if done.returncode != 0:
            raise SystemExit(done.stderr)

    for start, number in LETTERS:
        year = f"{start}-{(start + 1) % 100:02d}"
        letter = root.parent / f"letter_{number.replace('/', '_')}.txt"
        letter.write_text(TEMPLATE.format(year=year, end=start + 1, number=number), encoding="utf-8")
        run("new-determination", str(letter))
    for number, year in DRAFTS:
        run("roll-forward", number, "--to", year)


if __name__ == "__main__":
    add(pathlib.Path(sys.argv[1]).resolve())
