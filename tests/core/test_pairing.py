"""Document pairs end to end: import a translation pair, align, review, export."""
import json
from pathlib import Path

from tests.conftest import REPO as REPO_ROOT

from lxml import etree

from workbench.cli import main
from workbench.core.edits import history
from workbench.core.edits.links import ConfirmLinks
from workbench.core.pairing import attach_translation, import_pair

DATA = REPO_ROOT / "tests" / "data" / "align" / "news_rail.tsv"


def write_articles(tmp_path) -> tuple[Path, Path, list[tuple[str, str]]]:
    """The gold file as two articles (paragraphs kept) and its 1:1 links."""
    en_pars, ru_pars, en, ru = [], [], [], []
    ones = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            en_pars.append(" ".join(en)), ru_pars.append(" ".join(ru))
            en, ru = [], []
            continue
        e, r = line.split("\t")
        en += [s for s in e.split(" ‖ ") if s]
        ru += [s for s in r.split(" ‖ ") if s]
        if e and r and "‖" not in line:
            ones.append((e, r))
    en_pars.append(" ".join(en)), ru_pars.append(" ".join(ru))
    src, tgt = tmp_path / "rail.en.txt", tmp_path / "rail.ru.txt"
    src.write_text("\n\n".join(p for p in en_pars if p), encoding="utf-8")
    tgt.write_text("\n\n".join(p for p in ru_pars if p), encoding="utf-8")
    return src, tgt, ones


def test_import_pair_aligns_the_translation(store, tmp_path):
    src, tgt, ones = write_articles(tmp_path)
    result = import_pair(store, src, tgt, use_mt=False)
    assert store.document(result.target_document_id).translation_of == result.source_document_id
    units = list(store.units(result.source_document_id))
    pairs = {(u.source, u.target) for u in units}
    # Gold 1:1 pairs whose sentences the article segmenter also cut as one
    # segment each (it keeps a dateline with the sentence that follows it).
    src_texts = {s.text for s in store.segments(result.source_document_id)}
    tgt_texts = {s.text for s in store.segments(result.target_document_id)}
    checkable = [(e, r) for e, r in ones if e in src_texts and r in tgt_texts]
    assert len(checkable) >= 30
    missed = [pair for pair in checkable if pair not in pairs]
    assert len(missed) <= 2
    # Without MT an insertion next to an omission can fool the aligner
    # (news_rail's last paragraph); such links must come out suspicious,
    # which is what the alignment view flags for review.
    confidence = {u.source: u.confidence for u in units}
    assert all(confidence[e] < 0.5 for e, _ in missed)
    assert all(u.confidence is not None and 0 <= u.confidence <= 1 for u in units)
    covered = sorted(s for u in units for s in u.source_segment_ids)
    assert covered == sorted(s.id for s in store.segments(result.source_document_id))


def test_attach_translation_later_keeps_machine_translations(store, tmp_path):
    from workbench.core.importing import import_paths

    src, tgt, _ = write_articles(tmp_path)
    doc = import_paths(store, [src])[0].document_id
    first = store.unit_ids(doc)[1]
    store.set_machine_translations([(first, "МТ", "argos", "translate-en_ru", "1.9")])
    source_segment = store.unit(first).source_segment_ids[0]
    result = attach_translation(store, doc, tgt, use_mt=False)
    assert result.source_document_id == doc
    unit = store.unit_for_segment(source_segment)
    assert unit.target_segment_ids and (len(unit.source_segment_ids) > 1 or unit.mt == "МТ")


def test_cli_import_pair_confirm_and_export_tmx(db_path, tmp_path, capsys):
    src, tgt, _ = write_articles(tmp_path)
    db = ["--db", str(db_path)]
    assert main([*db, "import-pair", str(src), str(tgt), "--no-mt", "--json"]) == 0
    pair = json.loads(capsys.readouterr().out)
    assert pair["links"] > 20 and not pair["used_mt"]
    assert main([*db, "links", str(pair["source"]), "--json"]) == 0
    links = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    from workbench.core.store.database import Store

    with Store(db_path) as store:
        history.apply(store, ConfirmLinks(tuple(link["unit"] for link in links if link["target"] and link["source"])))
    out = tmp_path / "pair.tmx"
    assert main([*db, "export", "--format", "tmx", "--out", str(out)]) == 0
    tus = etree.parse(str(out)).getroot().findall(".//tu")
    assert len(tus) == sum(1 for link in links if link["target"] and link["source"])
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tus[0].findall("tuv")}
    assert langs == {"en", "ru"}


def test_excluded_source_segments_keep_a_unit_after_alignment(store, tmp_path):
    from workbench.core.edits.commands import SetExcluded
    from workbench.core.importing import import_paths

    src, tgt, _ = write_articles(tmp_path)
    doc = import_paths(store, [src])[0].document_id
    segments = store.segments(doc)
    history.apply(store, SetExcluded.all([segments[3].id]))
    attach_translation(store, doc, tgt, use_mt=False)
    owner = store.unit_for_segment(segments[3].id)
    assert owner.source_segment_ids == (segments[3].id,) and owner.target_segment_ids == ()
    order = [sid for u in store.units(doc) for sid in u.source_segment_ids]
    assert order == [s.id for s in segments]


def test_tmx_and_csv_carry_each_links_type_and_confidence(store, tmp_path):
    """Link evidence: x-link-type / x-alignment-confidence props in TMX, the
    link_type / confidence columns in CSV; the shape is the link's even when
    a person post-edited the target; post-editing units carry none."""
    import csv

    from workbench.core.edits.commands import SetTarget
    from workbench.core.formats.base import EVIDENCE_COLUMNS, ExportOptions
    from workbench.core.importing import import_paths
    from workbench.core.interchange import ExportFilter, export_corpus

    src, tgt, _ = write_articles(tmp_path)
    result = import_pair(store, src, tgt, use_mt=False)
    units = {u.id: u for u in store.units(result.source_document_id)}
    n_to_m = next(u for u in units.values() if len(u.source_segment_ids) + len(u.target_segment_ids) > 2)
    history.apply(store, SetTarget(n_to_m.id, "A person's own translation."))
    (tmp_path / "lone.txt").write_text("A lone article. Nothing aligned here.", encoding="utf-8")
    lone = import_paths(store, [tmp_path / "lone.txt"])[0].document_id
    history.apply(store, SetTarget(store.unit_ids(lone)[0], "Одна статья."))
    flt = ExportFilter(statuses=("any",))
    tmx = tmp_path / "out.tmx"
    export_corpus(store, "tmx", tmx, flt)
    props = {}
    for tu in etree.parse(str(tmx)).getroot().iter("tu"):
        props[int(tu.get("tuid"))] = {p.get("type"): p.text for p in tu.findall("prop")}
    for uid, unit in units.items():
        if not unit.target:
            continue
        shape = f"{len(unit.source_segment_ids)}-{len(unit.target_segment_ids)}"
        assert props[uid]["x-link-type"] == shape
        assert props[uid]["x-alignment-confidence"] == f"{unit.confidence:.2f}"
    assert props[n_to_m.id]["x-link-type"] != "1-1"
    lone_props = props[store.unit_ids(lone)[0]]
    assert "x-link-type" not in lone_props and "x-alignment-confidence" not in lone_props
    out = tmp_path / "out.csv"
    export_corpus(store, "csv", out, flt, ExportOptions(columns=("tuid", *EVIDENCE_COLUMNS)))
    with out.open(encoding="utf-8", newline="") as handle:
        rows = {int(r["tuid"]): r for r in csv.DictReader(handle)}
    assert rows[n_to_m.id]["link_type"] == props[n_to_m.id]["x-link-type"]
    assert rows[n_to_m.id]["confidence"] == props[n_to_m.id]["x-alignment-confidence"]
    assert rows[store.unit_ids(lone)[0]]["link_type"] == rows[store.unit_ids(lone)[0]]["confidence"] == ""
