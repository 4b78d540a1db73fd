"""Every command README.md and `make demo` print works when pasted into a new shell after `make demo`.

Each fenced block of README.md is a command block (``` or ```bash/sh/shell: bash; ```python) or says
by its tag that it is not one (```text: output, a directory layout). A command block is run here,
as written, in README order, in a directory where `make demo` ran (the README's working directory:
`.venv/` and `./newsbeam-demo`), unless the line right before it says why it can't be:
`<!-- not run in tests: needs the internet -->`. A block that is neither run nor marked fails.
"""

import os
import re
import shlex
import subprocess
from dataclasses import dataclass

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, "README.md")
# How each fence tag is run; NOT_COMMANDS are the tags that say a block is not a command.
RUN_WITH = {"": ["bash", "-e", "-c"], "bash": ["bash", "-e", "-c"], "sh": ["bash", "-e", "-c"],
            "shell": ["bash", "-e", "-c"], "python": [".venv/bin/python", "-c"]}
NOT_COMMANDS = {"text"}
NOT_RUN = re.compile(r"<!-- not run in tests: (.+?) -->")


@dataclass
class Block:
    line: int          # of the opening fence, 1-based
    tag: str
    text: str
    not_run: str | None   # the reason the README gives, or None: the block is run


def readme_blocks(markdown: str) -> list[Block]:
    """The fenced blocks of `markdown`, each with the not-run reason on the line before its fence."""
    lines = markdown.splitlines()
    blocks, i = [], 0
    while i < len(lines):
        if lines[i].startswith("```"):
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            reason = NOT_RUN.fullmatch(lines[i - 1].strip()) if i else None
            blocks.append(Block(i + 1, lines[i][3:].strip(), "\n".join(lines[i + 1:end]) + "\n",
                                reason.group(1) if reason else None))
            i = end
        i += 1
    return blocks


def new_shell_env() -> dict[str, str]:
    """The environment of a new shell: no venv activated (the README runs .venv/bin/newsbeam), no
    PYTHONPATH from the test run."""
    venv_bin = os.path.join(ROOT, ".venv", "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and os.path.realpath(p) != os.path.realpath(venv_bin))
    return env


BLOCKS = readme_blocks(open(README, encoding="utf-8").read())
RUN = [b for b in BLOCKS if b.tag in RUN_WITH and not b.not_run]


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory):
    """A directory laid out as the README assumes after `make demo`: the repository's .venv and
    Makefile, and ./newsbeam-demo written by the Makefile's demo recipe (-o: never reinstall the
    shared venv from here; -s: only the demo's own output). Returns it and what the demo printed."""
    where = tmp_path_factory.mktemp("readme")
    for name in (".venv", "Makefile"):
        os.symlink(os.path.join(ROOT, name), where / name)
    done = subprocess.run(["make", "-s", "-o", ".venv/.installed", "demo"], cwd=where, env=new_shell_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return where, done.stdout


def shows_it_worked(block: Block, output: str, cwd) -> None:
    """Something to see: a line printed, no empty query result, every file a command's --output names written."""
    assert output.strip(), f"nothing printed by README.md:{block.line}:\n{block.text}"
    assert not re.search(r"^\(0 rows\)$", output, re.M), f"an empty result from README.md:{block.line}:\n{output}"
    words = shlex.split(block.text, comments=True) if RUN_WITH[block.tag][0] == "bash" else []
    for flag, path in zip(words, words[1:]):
        if flag == "--output":
            assert os.path.getsize(cwd / path) > 0, f"{path} is empty after README.md:{block.line}"


def test_every_fenced_block_is_run_or_says_why_not():
    text = open(README, encoding="utf-8").read()
    unknown = [f"README.md:{b.line} ```{b.tag}" for b in BLOCKS if b.tag not in RUN_WITH.keys() | NOT_COMMANDS]
    assert not unknown, f"blocks neither run nor declared not commands (tag them ```text or add the tag here): {unknown}"
    # A marker belongs right before a command block; anywhere else it hides nothing and is stale.
    marked = {b.line - 1 for b in BLOCKS if b.not_run and b.tag in RUN_WITH}
    stray = [n for n, line in enumerate(text.splitlines(), 1) if NOT_RUN.search(line) and n not in marked]
    assert not stray, f"'not run in tests' markers not right before a command block, README.md lines {stray}"
    assert len(RUN) >= 10, [b.line for b in RUN]


@pytest.mark.parametrize("block", RUN, ids=[f"README.md:{b.line}" for b in RUN])
def test_readme_block_runs_as_written(block, demo_dir):
    where, _ = demo_dir
    done = subprocess.run([*RUN_WITH[block.tag], block.text], cwd=where, env=new_shell_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"README.md:{block.line} failed (exit {done.returncode}):\n{block.text}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    shows_it_worked(block, done.stdout + done.stderr, where)


def test_the_commands_the_demo_prints_run_as_printed(demo_dir):
    where, printed = demo_dir
    commands = [line.strip() for line in printed.splitlines()
                if line.strip() and os.path.basename(line.split()[0]) == "newsbeam"]
    assert commands, f"the demo printed no command to try:\n{printed}"
    for command in commands:
        done = subprocess.run(["bash", "-e", "-c", command], cwd=where, env=new_shell_env(),
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{command}\n{done.stderr}"
        assert re.search(r"^\(\d+ rows?\)$", done.stdout, re.M) and "(0 rows)" not in done.stdout, done.stdout
