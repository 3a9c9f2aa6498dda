"""README's command lines and the command line agree: every command is shown in the "Command
line" section, and every command line in the README names a command that exists and parses.

A line is parsed as click would parse it (types, choices, required arguments and all) without
running it. Placeholders in brackets (`[--out PATH]`, `[BACKUP]`) are read as if given.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from workbench.cli import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def _command_line_section(text: str) -> str:
    match = re.search(r"^## Command line\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, "README.md has no '## Command line' section"
    return match.group(1)


def _code_lines(markdown: str) -> list[str]:
    """The lines of the fenced code blocks."""
    lines, inside = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            inside = not inside
        elif inside:
            lines.append(line.strip())
    return lines


def _documented_lines(text: str) -> list[str]:
    """Every command line in the README, without the program name: `$W ...` and
    `workbench ...` lines of code blocks, and inline `workbench ...` code spans."""
    found = []
    for line in _code_lines(text):
        match = re.match(r"(?:\$W|workbench)\s+(.*)", line)
        if match:
            found.append(match.group(1))
    for span in re.findall(r"(?<!`)`workbench\s+([^`]+)`", text):
        found.append(span)
    return found


def _tokens(line: str) -> list[str]:
    """Shell words of a documented line, its comment dropped and optional placeholders
    (`[--out PATH]`) unbracketed."""
    words = []
    for word in shlex.split(line, comments=True):
        if word.startswith("[") and word != "[":
            word = word[1:]
        if word.endswith("]") and word != "]":
            word = word[:-1]
        words.append(word)
    return words


def _leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    leaves = []
    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        if isinstance(command, click.Group):
            leaves += _leaf_commands(command, (*prefix, name))
        else:
            leaves.append((*prefix, name))
    return leaves


def parse(tokens: list[str]) -> tuple[str, ...]:
    """Parse a command line the way `workbench` would, without invoking anything; return the
    command's path (`("models", "install")`). Raises click.UsageError for what click refuses."""
    ctx = click.Context(cli, info_name="workbench")
    command: click.Command = cli
    path: list[str] = []
    rest = list(tokens)
    while isinstance(command, click.Group):
        if not rest or rest[0].startswith("-"):
            raise click.UsageError(f"no command after {' '.join(['workbench', *path])!r}", ctx)
        name = rest.pop(0)
        sub = command.get_command(ctx, name)
        if sub is None:
            raise click.UsageError(f"no such command {' '.join([*path, name])!r}", ctx)
        path.append(name)
        command = sub
        if isinstance(command, click.Group):
            ctx = click.Context(command, info_name=name, parent=ctx)
        else:
            command.make_context(name, rest, parent=ctx, resilient_parsing=False)
    return tuple(path)


def test_the_readme_has_command_lines():
    section = _command_line_section(README.read_text(encoding="utf-8"))
    assert len(_documented_lines(section)) > 10


@pytest.mark.parametrize("line", _documented_lines(README.read_text(encoding="utf-8")))
def test_every_documented_command_line_parses(line):
    try:
        parse(_tokens(line))
    except click.UsageError as exc:  # BadParameter, NoSuchOption, MissingParameter...
        pytest.fail(f"README line `workbench {line}` does not parse: {exc.format_message()}")


def test_every_command_is_in_the_command_line_section():
    section = _command_line_section(README.read_text(encoding="utf-8"))
    shown = set()
    for line in _documented_lines(section):
        path = parse(_tokens(line))
        shown.update(path[:n] for n in range(1, len(path) + 1))
    missing = [" ".join(path) for path in _leaf_commands(cli) if path not in shown]
    assert not missing, ("commands with no `$W ...` line in README's Command line section: "
                         + ", ".join(missing))


def test_the_parser_refuses_what_click_refuses():
    assert parse(["split", "8", "42"]) == ("split",)
    assert parse(["models", "install", "en", "ru"]) == ("models", "install")
    for bad in (["nosuch"], ["split", "8"], ["split", "x", "1"], ["docs", "--nosuch"],
                ["docs", "extra"], ["export", "--format", "doc", "--out", "x"], ["models"],
                ["models", "nosuch"]):
        with pytest.raises(click.UsageError):
            parse(bad)
    assert _tokens('backup [--out PATH]   # a backup now') == ["backup", "--out", "PATH"]
    assert _tokens('set-target 5 "Новый перевод"  # edits') == ["set-target", "5", "Новый перевод"]
