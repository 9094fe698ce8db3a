"""Every option of a command line built with argparse, which has no public way to list them.

The command line refuses an option given twice and reads ``--from -0.1`` as a value: both need
each subcommand's options, which only argparse's private attributes hold. They are read here
only; tests/test_openfisca_adapter_contract.py fails if argparse stops answering them.
"""

from __future__ import annotations

import argparse


def subcommands(root: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each subcommand of ``root`` by name ("compare": its parser), in the order added."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in root._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def options_of_subcommands(root: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """Each option string of each subcommand of ``root`` ("--year": its action)."""
    options: dict[str, argparse.Action] = {}
    for command in subcommands(root).values():
        options.update(command._option_string_actions)
    return options


def may_repeat(action: argparse.Action) -> bool:
    """Whether an option adds to a list each time it is given (``action="append"``)."""
    return isinstance(action, argparse._AppendAction)
