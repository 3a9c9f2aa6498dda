"""The preview's paragraphs: built from units in reading order, tags as
formatting, the translated side from targets, MT or nothing."""
from workbench.core.edits import history
from workbench.core.edits.commands import Approve, SetTarget
from workbench.core.model import SegmentKind
from workbench.core.preview import Piece, document_preview, styled_pieces


def test_styled_pieces():
    assert styled_pieces("") == ()
    assert styled_pieces("plain") == (Piece("plain"),)
    assert styled_pieces("a <b0>bold <i1>both</i1></b0> end") == (
        Piece("a "), Piece("bold ", frozenset({"bold"})), Piece("both", frozenset({"bold", "italic"})),
        Piece(" end"))
    assert styled_pieces("see <a0>this</a0><x1/>.") == (Piece("see "), Piece("this", frozenset({"link"})),
                                                        Piece("."))
    assert styled_pieces("<s0>span</s0> and <g1>group</g1>") == (Piece("span and group"),)
    # a pair cut by the segmentation: the open one lasts to the end, a lone close ends nothing
    assert styled_pieces("<b0>open") == (Piece("open", frozenset({"bold"})),)
    assert styled_pieces("closed</b0> here") == (Piece("closed here"),)


def test_document_preview(store, small_doc):
    doc, ids = small_doc
    units = store.unit_ids(doc)
    store.set_machine_translations([(units[1], "Первое. Второе.", "argos", "m", "1")])
    history.apply(store, SetTarget(units[0], "Заголовок"))
    history.apply(store, Approve((units[0],)))
    preview = document_preview(store, doc)
    assert [p.kind for p in preview.source] == [SegmentKind.TITLE, SegmentKind.BODY, SegmentKind.BOILERPLATE]
    assert [[u.text for u in p.units] for p in preview.source] == [
        ["A headline"], ["First sentence. Second sentence.", "Third sentence."], ["Subscribe to our channel"]]
    assert [[(u.state, u.text) for u in p.units] for p in preview.target] == [
        [("target", "Заголовок")], [("mt", "Первое. Второе."), ("empty", "")], [("empty", "")]]
    assert preview.unit_ids == units
    assert [p.skipped for p in preview.source] == [False, False, True]
    # once a person edits the MT it is the target
    history.apply(store, SetTarget(units[1], "Первое предложение. Второе."))
    assert document_preview(store, doc).target[1].units[0].state == "target"


def test_preview_rows_read_what_units_have(store, small_doc):
    from workbench.core.edits.commands import MergeSegments, SetExcluded
    from workbench.core.store.preview_queries import preview_rows

    doc, seg_ids = small_doc
    history.apply(store, MergeSegments(seg_ids[1], seg_ids[2]))
    history.apply(store, SetExcluded.all([seg_ids[3]], True))
    ids = store.unit_ids(doc)
    rows = preview_rows(store, list(reversed(ids)) + [999999])
    assert [r.id for r in rows] == list(reversed(ids))  # the order given; a missing id left out
    for row, unit in zip(reversed(rows), store.units(doc)):
        assert (row.source, row.target, row.mt, row.status, row.paragraph, row.kind, row.excluded) == (
            unit.source, unit.target, unit.mt, unit.status, unit.paragraph, unit.kind, unit.excluded)
