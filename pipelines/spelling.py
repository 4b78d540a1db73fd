"""Option spelling: newsbeam's own flags take `--some-option` as well as Beam's `--some_option`.

Kept apart from the parsers that use it (commands.common for every command, options for the pipeline
options), so neither imports the other and `newsbeam query` imports no Beam.
"""

import argparse


def flag_spelling(argv: list[str], names: set[str]) -> list[str]:
    """argv with `--some-option` written `--some_option` wherever that is one of `names`, so that
    newsbeam's own options take either spelling; everything else stays as given."""
    spelled = []
    for index, arg in enumerate(argv):
        if arg == "--":
            return spelled + argv[index:]
        flag, eq, value = arg.partition("=")
        if flag.startswith("--") and "-" in flag[2:]:
            underscored = "--" + flag[2:].replace("-", "_")
            if underscored in names:
                arg = underscored + eq + value
        spelled.append(arg)
    return spelled


def option_names(parser: argparse.ArgumentParser) -> set[str]:
    return {name for action in parser._actions for name in action.option_strings}
