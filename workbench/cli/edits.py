"""Edits from the terminal: the same command objects and history the window uses."""
from __future__ import annotations

import json

import click

from workbench.cli.app import emit_json, Context, pass_ctx, cli


def _unit_ids_for(store, segment_ids) -> tuple[int, ...]:
    return tuple(dict.fromkeys(store.unit_for_segment(sid).id for sid in segment_ids))


def _apply(ctx: Context, command) -> None:
    from workbench.core.edits import history

    history.apply(ctx.store, command)
    click.echo(command.describe())


@cli.command("set-target")
@click.argument("segment_id", type=int)
@click.argument("text")
@pass_ctx
def set_target_cmd(ctx: Context, segment_id: int, text: str) -> None:
    """Set the translation of the unit that holds SEGMENT_ID."""
    from workbench.core.edits.commands import SetTarget

    _apply(ctx, SetTarget(ctx.store.unit_for_segment(segment_id).id, text))


@cli.command("edit-segment")
@click.argument("segment_id", type=int)
@click.argument("text")
@pass_ctx
def edit_segment_cmd(ctx: Context, segment_id: int, text: str) -> None:
    """Correct the text of sentence SEGMENT_ID (either side of a pair): one undoable edit."""
    from workbench.core.edits.commands import EditSegmentText

    _apply(ctx, EditSegmentText(segment_id, text))


@cli.command("approve")
@click.argument("segment_ids", type=int, nargs=-1, required=True)
@pass_ctx
def approve_cmd(ctx: Context, segment_ids) -> None:
    """Approve the units that hold these segments (an empty target approves the MT)."""
    from workbench.core.memory.filling import approval

    _apply(ctx, approval(ctx.store, _unit_ids_for(ctx.store, segment_ids)))


@cli.command("split")
@click.argument("segment_id", type=int)
@click.argument("offset", type=int)
@click.option("--target-offset", type=int, help="Also split the unit's target at this offset.")
@pass_ctx
def split_cmd(ctx: Context, segment_id: int, offset: int, target_offset) -> None:
    """Split a segment in two at character OFFSET."""
    from workbench.core.edits.commands import SplitSegment

    _apply(ctx, SplitSegment(segment_id, offset, target_offset))


@cli.command("merge")
@click.argument("first_id", type=int)
@click.argument("second_id", type=int)
@pass_ctx
def merge_cmd(ctx: Context, first_id: int, second_id: int) -> None:
    """Merge two adjacent segments (and their units)."""
    from workbench.core.edits.commands import MergeSegments

    _apply(ctx, MergeSegments(first_id, second_id))


@cli.command("exclude")
@click.argument("segment_ids", type=int, nargs=-1, required=True)
@click.option("--include", is_flag=True, help="Include the segments again instead.")
@pass_ctx
def exclude_cmd(ctx: Context, segment_ids, include: bool) -> None:
    """Exclude segments from translation and export."""
    from workbench.core.edits.commands import SetExcluded

    _apply(ctx, SetExcluded.all(segment_ids, not include))


@cli.command("undo")
@click.option("--doc", "doc_id", type=int, help="Walk this document's history (default: the newest edit anywhere).")
@pass_ctx
def undo_cmd(ctx: Context, doc_id: int | None) -> None:
    """Undo the newest edit (the window's Ctrl+Z walks the same history)."""
    from workbench.core.edits import history

    step = history.undo(ctx.store, doc_id)
    click.echo(f"undone: {step.edit.summary}" if step else "nothing to undo")


@cli.command("redo")
@click.option("--doc", "doc_id", type=int, help="Walk this document's history (default: any document).")
@pass_ctx
def redo_cmd(ctx: Context, doc_id: int | None) -> None:
    """Redo the most recently undone edit (the window's Ctrl+Shift+Z walks the same history)."""
    from workbench.core.edits import history

    step = history.redo(ctx.store, doc_id)
    click.echo(f"redone: {step.edit.summary}" if step else "nothing to redo")


@cli.command("history")
@click.argument("doc_id", type=int, required=False)
@click.option("--limit", default=20, show_default=True, help="How many edits to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@pass_ctx
def history_cmd(ctx: Context, doc_id, limit: int, as_json: bool) -> None:
    """Show the newest edits (of one document, or all)."""
    for edit in ctx.store.history(doc_id, limit):
        if as_json:
            emit_json({"id": edit.id, "at": edit.at, "command": edit.command,
                       "summary": edit.summary, "undone": edit.undone, "state": edit.state,
                       "before": json.loads(edit.before) if edit.before else None,
                       "after": json.loads(edit.after) if edit.after else None})
        else:
            mark = {"undone": "(undone) ", "dropped": "(dropped) "}.get(edit.state, "")
            click.echo(f"{edit.id}\t{edit.at}\t{mark}{edit.summary}")
