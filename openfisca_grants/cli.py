"""The command line: its parser, and the one place its answers and refusals are printed.

reconcile, register, resolve, parameters, compare, sweep, grid, explain and statement; for
maintainers, new-determination, roll-forward and remove-determination (``scaffold``): their work
in ``commands``. ``web`` and ``--version`` here.

Questions the rules cannot answer (a year with no determination, an unknown name) print the
error's message, without a traceback, and exit with status 2.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys

from openfisca_grants import boundary
from openfisca_grants.commands import (
    cmd_compare,
    cmd_explain,
    cmd_grid,
    cmd_new_determination,
    cmd_parameters,
    cmd_reconcile,
    cmd_register,
    cmd_remove_determination,
    cmd_resolve,
    cmd_roll_forward,
    cmd_statement,
    cmd_sweep,
)
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.openfisca_adapter import argparse_options

# Each command imports what it needs when it runs: a cold ``reconcile`` should not pay for
# reforms, sweeps or charts.

EXIT_CANNOT_ANSWER = 2
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE: a fault of this program, never of the input


def _add_output_argument(command) -> None:
    command.add_argument("--output", metavar="FILE.xlsx", help="also write the tables to an Excel workbook")


def _add_answer_arguments(command, chart: str, scaled: str, replaced: str = "the chart or workbook") -> None:
    """What compare, sweep and grid take alike: the format, a chart, --force, budget neutral."""
    command.add_argument("--format", choices=["table", "csv", "json"], default="table")
    command.add_argument("--chart", metavar="FILE", help=f"also draw {chart} (.png or .svg)")
    command.add_argument("--force", action="store_true", help=f"replace {replaced} if it exists")
    command.add_argument(
        "--budget-neutral", action="store_true", help=f"scale {scaled} to add up to the baseline total"
    )


def _add_root_argument(command) -> None:
    command.add_argument("--root", default=".", help="the repository's root (default: here)")


def _add_reform_arguments(command, positional: bool) -> None:
    if positional:
        command.add_argument("reform", nargs="?", help="a reform file: .yaml (parameter changes) or .py")
    else:
        command.add_argument("--reform", help="apply a reform file first: .yaml or .py")
    command.add_argument(
        "--set",
        action="append",
        metavar="PATH=VALUE",
        help="change a parameter (repeatable); see 'openfisca-grants parameters'",
    )


@functools.cache
def parser() -> argparse.ArgumentParser:
    """The command line's parser, built once: argparse keeps no state between parses."""
    root = argparse.ArgumentParser(
        prog="openfisca-grants",
        description="DfE Section 31 children's social care grant determinations, as rules.",
    )
    commands = root.add_subparsers(dest="command", required=True)

    rec = commands.add_parser("reconcile", help="Annex A figures against the encoded rules")
    rec.add_argument("--year", help='one financial year, e.g. "2024-25" (default: every encoded year)')
    rec.add_argument("--determination", help="only this determination (its number)")
    rec.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _add_output_argument(rec)
    rec.add_argument("--force", action="store_true", help="replace the workbook if it exists")
    rec.set_defaults(run=cmd_reconcile)

    reg = commands.add_parser("register", help="authorities by region on a date")
    when = reg.add_mutually_exclusive_group()
    when.add_argument("--year", default="2024-25", help="on 1 April of this financial year")
    when.add_argument("--on", help="on this date (YYYY-MM-DD)")
    reg.add_argument("--region", help="one region, by name or ONS code")
    reg.add_argument("--list", action="store_true", help="list the authorities too")
    reg.add_argument("--format", choices=["table", "json"], default="table")
    reg.set_defaults(run=cmd_register)

    res = commands.add_parser("resolve", help="what a name in a letter means on a date")
    res.add_argument("name")
    when = res.add_mutually_exclusive_group()
    when.add_argument("--year", default="2024-25", help="on 1 April of this financial year")
    when.add_argument("--on", help="on this date (YYYY-MM-DD)")
    res.set_defaults(run=cmd_resolve)

    par = commands.add_parser("parameters", help="the parameters a reform can change")
    par.add_argument("--year", help='one financial year, e.g. "2024-25" (default: all)')
    par.add_argument("--format", choices=["table", "csv", "json"], default="table")
    par.set_defaults(run=cmd_parameters)

    com = commands.add_parser("compare", help="baseline against a reform, per region or authority")
    _add_reform_arguments(com, positional=True)
    com.add_argument("--year", required=True, help='the financial year, e.g. "2024-25"')
    com.add_argument(
        "--determination", help="only this determination (its number), where several govern the year"
    )
    _add_answer_arguments(com, "a bar chart", "the reformed amounts")
    _add_output_argument(com)
    com.set_defaults(run=cmd_compare)

    swe = commands.add_parser("sweep", help="each body's grant across a range of one parameter")
    swe.add_argument("parameter", help="a parameter path, as 'openfisca-grants parameters' lists them")
    swe.add_argument("--from", dest="start", required=True, help="first value")
    swe.add_argument("--to", dest="stop", required=True, help="last value")
    swe.add_argument(
        "--steps",
        required=True,
        help=f"number of values, ends included (1 to {boundary.MAX_SWEEP_VALUES:,})",
    )
    swe.add_argument("--year", required=True, help='the financial year, e.g. "2024-25"')
    _add_reform_arguments(swe, positional=False)
    _add_answer_arguments(swe, "a line chart", "each value's amounts")
    _add_output_argument(swe)
    swe.set_defaults(run=cmd_sweep)

    gri = commands.add_parser("grid", help="each body's grant across a grid of values of two parameters")
    for option, which in (("--first", "first"), ("--second", "second")):
        gri.add_argument(
            option,
            nargs=4,
            required=True,
            metavar=("PATH", "FROM", "TO", "STEPS"),
            help=f"the {which} parameter and its values (ends included)",
        )
    gri.add_argument("--year", required=True, help='the financial year, e.g. "2024-25"')
    _add_reform_arguments(gri, positional=False)
    _add_answer_arguments(gri, "a heatmap", "each pair's amounts", replaced="the chart file")
    gri.add_argument("--body", help="the heatmap of this region or authority (default: the total)")
    gri.set_defaults(run=cmd_grid)

    exp = commands.add_parser("explain", help="why a body's grant is what it is, with sources")
    exp.add_argument("--year", required=True, help='the financial year, e.g. "2024-25"')
    body = exp.add_mutually_exclusive_group(required=True)
    body.add_argument("--region", help="a region, by name or ONS code")
    body.add_argument("--authority", help="an authority, by name or GSS code")
    _add_reform_arguments(exp, positional=False)
    exp.add_argument(
        "--budget-neutral", action="store_true", help="under a what-if scaled to the baseline total"
    )
    exp.add_argument("--format", choices=["text", "json"], default="text")
    exp.add_argument("--determination", help="its number, where several determinations govern the year")
    exp.set_defaults(run=cmd_explain)
    sta = commands.add_parser(
        "statement", help="every payment to one body in a year, from every determination, with sources"
    )
    sta.add_argument("--year", required=True, help='the financial year, e.g. "2024-25"')
    sta.add_argument("--body", required=True, help="an authority or other body, by name or code")
    sta.add_argument("--determination", help="only this determination (its number)")
    _add_reform_arguments(sta, positional=False)
    sta.add_argument(
        "--budget-neutral", action="store_true", help="under a what-if scaled to the baseline total"
    )
    sta.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _add_output_argument(sta)
    sta.add_argument("--force", action="store_true", help="replace the workbook if it exists")
    sta.set_defaults(run=cmd_statement)
    _add_maintainer_commands(root, commands)
    _add_web_command(commands)
    return root


def _values_beginning_with_a_dash(root: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``--from -0.1`` as ``--from=-0.1``: argparse reads a value such as "-2024-25" as an option.

    Only for options that take a value, and only when the next word is not itself an option.
    """
    options = argparse_options.options_of_subcommands(root)
    takes_value = {option for option, action in options.items() if action.nargs != 0}
    joined: list[str] = []
    words = iter(argv)
    for word in words:
        if word in takes_value:
            following = next(words, None)
            if following is None:
                joined.append(word)
            elif following.startswith("-") and following not in options:
                joined.append(f"{word}={following}")
            else:
                joined += [word, following]
        else:
            joined.append(word)
    return joined


def _one_line(message: str) -> str:
    """A message on one line, whatever was typed: control characters shown as escapes."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], message)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _refuse_options_given_twice(root: argparse.ArgumentParser, argv: list[str]) -> None:
    """``--year 2024-25 --year 2016-17``: refused, as a reform file's key given twice is."""
    options = argparse_options.options_of_subcommands(root)
    seen: dict[str, str] = {}
    for word in argv:
        option, _, value = word.partition("=")
        action = options.get(option)
        if action is None or argparse_options.may_repeat(action) or not option.startswith("--"):
            continue
        key = action.dest
        if key in seen:
            raise RulesCannotAnswer(f"{option} is given twice ({seen[key]} and {word}): say which you mean.")
        seen[key] = word


def main(argv: list[str] | None = None) -> int:
    root = parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    argv = _values_beginning_with_a_dash(root, argv)
    try:
        _refuse_options_given_twice(root, argv)
    except RulesCannotAnswer as error:
        print(f"openfisca-grants: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_CANNOT_ANSWER
    args = root.parse_args(argv)
    try:
        return args.run(args)
    except RulesCannotAnswer as error:
        print(f"openfisca-grants: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_CANNOT_ANSWER
    except BrokenPipeError:
        # The reader (| head, say) stopped reading: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:  # writing the output failed: a full disk, say
        print(f"openfisca-grants: cannot write the output: {error.strerror or error}.", file=sys.stderr)
        return EXIT_CANNOT_ANSWER
    except KeyboardInterrupt:
        return 130
    except (Exception, SystemExit) as error:
        from openfisca_grants import reforms

        if reforms.raised_by_reform_code(error):
            failed = reforms.reform_code_failed(error, "computing")
            print(f"openfisca-grants: {_one_line(str(failed))}", file=sys.stderr)
            return EXIT_CANNOT_ANSWER
        if isinstance(error, SystemExit):
            raise
        if os.environ.get("OPENFISCA_GRANTS_DEBUG"):
            raise
        # Not a question the rules refuse but a fault of this program: say so in one line.
        print(
            f"openfisca-grants: internal error, not a problem with your input: "
            f"{type(error).__name__}: {str(error)[:300]}. Please report it with the command you ran "
            "(OPENFISCA_GRANTS_DEBUG=1 shows the traceback).",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR


# ---- for maintainers: a new letter's home, next year's draft, the version ---------------------


class _Version(argparse.Action):
    """--version, reading the package's version only when asked (not on every command)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        from openfisca_grants import __version__

        print(f"openfisca-grants {__version__}")
        parser.exit()


def _add_maintainer_commands(root: argparse.ArgumentParser, commands) -> None:
    root.add_argument("--version", action=_Version)
    new = commands.add_parser(
        "new-determination",
        help="write a new letter's determination: letter, parameters, variables, cases",
        description="Read a determination letter (text, a gov.uk page saved as HTML, a PDF, or the text "
        "of any of them; Annex A in it or in a spreadsheet beside it), classify every line of Annex A, "
        "resolve every row on 1 April of its year, and write its home. Nothing is written if any line "
        "or row fails or the rows do not add up to the stated total, and an existing determination is "
        "never overwritten.",
    )
    new.add_argument("letter", help="the letter: UTF-8 text, a gov.uk page saved as .html, or a .pdf")
    _add_root_argument(new)
    new.add_argument("--annex", help="Annex A in a spreadsheet beside the letter (.xlsx, .ods or .csv)")
    new.add_argument("--sheet", help="the sheet of --annex that holds Annex A")
    new.add_argument(
        "--dry-run",
        action="store_true",
        help="print every line of Annex A with what it was read as, and each row's body; write nothing",
    )
    new.add_argument(
        "--adjustment",
        action="append",
        default=[],
        metavar="NAME=£AMOUNT:reason",
        help="record a difference between Annex A's rows and its stated total by name, with its reason",
    )
    new.set_defaults(run=cmd_new_determination)
    roll = commands.add_parser(
        "roll-forward",
        help="write a draft determination for a later year from an encoded one",
        description="Write a draft, not a published determination: the rules of an encoded "
        "determination dated from 1 April of a later year, authorities counted from the register "
        "then, a draft number; named adjustments are not carried.",
    )
    roll.add_argument(
        "number", help="the encoded determination's number, as 'openfisca-grants reconcile' shows it"
    )
    roll.add_argument("--to", dest="to_year", required=True, help='the later financial year, e.g. "2025-26"')
    _add_root_argument(roll)
    roll.set_defaults(run=cmd_roll_forward)
    remove = commands.add_parser(
        "remove-determination",
        help="undo an import or a draft: every file and line written for it",
        description="Remove a determination new-determination imported or roll-forward drafted: its "
        "parameters folder, variables module, YAML cases, letter and its row in the sources table, "
        "and its names in the register, whole or nothing. A determination encoded by hand is refused "
        "unless --force.",
    )
    remove.add_argument("number", help="the determination's number, as 'openfisca-grants reconcile' shows it")
    _add_root_argument(remove)
    remove.add_argument("--force", action="store_true", help="remove a determination encoded by hand too")
    remove.set_defaults(run=cmd_remove_determination)


# ---- the what-if web page, its JSON API and OpenFisca's Web API, in one server ----------------


def _add_web_command(commands) -> None:
    web = commands.add_parser(
        "web",
        help="serve the what-if page, its JSON API and OpenFisca's Web API",
        description="Serve the what-if web page (/), its JSON API (/api/...) and OpenFisca's Web API "
        "(/calculate, /trace, /variables...) in one process, under gunicorn. Loopback only by default.",
    )
    web.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    web.add_argument("--port", default="8000", help="port (default: 8000)")
    web.add_argument("--workers", default="2", help="worker processes (default: 2)")
    web.set_defaults(run=cmd_web)


def cmd_web(args) -> int:
    from openfisca_grants.web.serve import serve

    port = boundary.whole_number(args.port, "--port", 1, 65535, "a port")
    workers = boundary.whole_number(args.workers, "--workers", 1, 64, "a number of workers")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"openfisca-grants: warning: listening on {args.host}: anyone who can reach this machine "
            "can use the page.",
            file=sys.stderr,
        )
    return serve(args.host, port, workers)


if __name__ == "__main__":
    sys.exit(main())
