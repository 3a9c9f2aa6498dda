"""Screenshots of the review window for the docs (``make screenshots``).

Builds a throw-away database with the seed articles, machine-translates them
with the random-weight test model (its output is deliberately gibberish: no
real model is downloaded), edits and approves a few units by hand, then opens
the real main window offscreen at 1400x850 and saves PNGs to docs/screenshots/.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QPoint, QSettings
from PySide6.QtGui import QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

OUT = REPO / "docs" / "screenshots"
SIZE = (1400, 850)

# Hand translations of a few units: what a reviewer would leave behind.
EDITS = {
    "en": [
        "Министр внутренних дел Узбекистана выступает за гибкость в вопросах миграции в странах СНГ",
        "Страны Содружества Независимых Государств (СНГ) эффективно сотрудничают в сфере миграции.",
        "Однако новые вызовы требуют более гибких решений для управления потоками мигрантов.",
        "Об этом заявил первый заместитель министра внутренних дел Узбекистана Шавкат Рахмонов.",
    ],
    "ru": [
        "The IOM praises Uzbekistan's active role in migration",
    ],
}


# A human translation of the English seed article, as a translator would
# hand it in: the first two sentences joined into one (a 2:1 link), the
# paragraph that repeats the one before it left out (a 1:0 link).
TRANSLATION_RU = """МВД Узбекистана выступает за гибкость в вопросах миграции в странах СНГ

28 сентября 2023 года

Страны Содружества Независимых Государств (СНГ) эффективно сотрудничают в сфере миграции, однако новые \
вызовы требуют более гибких решений для управления потоками мигрантов. Об этом заявил первый заместитель \
министра внутренних дел Узбекистана Шавкат Рахмонов.

«В последние годы наши совместные усилия и сотрудничество принесли значительные результаты в сфере \
управления миграцией и защиты прав мигрантов. Тем не менее мы столкнулись со сложным вызовом, а \
происходящие в мире процессы и перемены в обществе требуют от нас более гибких и эффективных решений», — \
заявил Рахмонов на 27-м заседании Совета руководителей миграционных органов государств — участников СНГ \
в Ташкенте.

Он отметил, что в последние годы страны СНГ успешно сотрудничали в разработке соглашений и механизмов \
взаимодействия по защите и поддержке мигрантов, их социальной адаптации и интеграции, а также в борьбе с \
незаконной миграцией и торговлей людьми.

«Новые технологии и меняющиеся международные отношения придают миграции новые измерения, с которыми мы \
должны научиться работать», — подчеркнул Рахмонов. По его словам, мероприятие в узбекской столице дает \
участникам возможность обменяться опытом и выработать новую стратегию управления миграцией с учетом новых \
обстоятельств.

На нынешнем заседании планируется обсудить доклады о миграционной ситуации в странах СНГ и ход выполнения \
программы сотрудничества государств Содружества в противодействии незаконной миграции на 2019–2023 годы. \
Участники совета также обменяются опытом выявления способов подделки документов, проведения операций по \
противодействию незаконной миграции и цифровой трансформации документооборота в миграционных службах. \
Кроме того, будут рассмотрены изменения национального законодательства в этой сфере и \
правоприменительная практика миграционных органов стран Содружества.

ГСВ «Россия — Исламский мир»

Фото: woweezowee/Creative Commons 2.0

По материалам ТАСС
"""


# Targets for the Word report's units (by source): tags kept in the first,
# the link lost in the second (QA flags it).
DOCX_TARGETS = {
    "Council approves the budget": "Совет утвердил бюджет",
    "The city council <b0>approved</b0> the budget on Tuesday.":
        "Городской совет <b0>утвердил</b0> бюджет во вторник.",
    "It includes <i1>new funds</i1> for schools, as the report<x2/> shows.":
        "Он включает <i1>новые средства</i1> для школ, как показывает отчёт<x2/>.",
    "Details are on <a3>the city website</a3>.": "Подробности на сайте города.",
}


def write_gold_pair(name: str, root: Path) -> tuple[Path, Path]:
    """The two sides of a hand-made parallel text of ``tests/data/align`` as
    article files (paragraphs kept): a real pair for the aligner and its map."""
    from workbench.testing.align_scores import read_gold

    links = read_gold(REPO / "tests" / "data" / "align" / f"{name}.tsv")
    paths = []
    for side, suffix in ((0, "en"), (1, "ru")):
        parts, paragraph = [], None
        for link in links:
            sentences = [s.strip() for s in (link.src if side == 0 else link.tgt)]
            if not sentences:
                continue
            if paragraph is not None:
                parts.append("\n\n" if link.paragraph != paragraph else " ")
            parts.append(" ".join(sentences))
            paragraph = link.paragraph
        path = root / f"{name}.{suffix}.txt"
        path.write_text("".join(parts), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def build_database(root: Path) -> tuple[Path, Path, dict[str, int]]:
    from workbench.core.edits import history
    from workbench.core.edits.commands import Approve, SetTarget
    from workbench.core.importing import import_paths
    from workbench.core.mt.packages import install_file
    from workbench.testing.models import build_test_package
    from workbench.core.store.database import Store
    from workbench.core.translating import translate_document

    packages = root / "packages"
    for src, tgt in (("en", "ru"), ("ru", "en")):
        archive = root / f"{src}_{tgt}.argosmodel"
        build_test_package(root / "build", src, tgt, zip_to=archive)
        install_file(archive, packages)
    db = root / "screens.db"
    with Store(db) as store:
        results = import_paths(store, [REPO / "seeds"])
        docs = {store.document(r.document_id).language: r.document_id for r in results}
        for doc in docs.values():
            translate_document(store, doc, packages_dir=packages)
        for lang, texts in EDITS.items():
            ids = [u.id for u in store.units(docs[lang]) if str(u.kind) in ("title", "body")]
            for n, (uid, text) in enumerate(zip(ids, texts)):
                if text is None:
                    continue
                history.apply(store, SetTarget(uid, text))
                if n % 2 == 0:
                    history.apply(store, Approve((uid,)))
        # A real Word file (bold, italic, a footnote reference, a link) imported
        # as a translator receives it; two units translated, one losing its link.
        from tests.core.documents.builders import make_docx

        report = root / "council_report.docx"
        report.write_bytes(make_docx())
        tagged = import_paths(store, [report])[0].document_id
        units = {u.source: u.id for u in store.units(tagged)}
        for source, text in DOCX_TARGETS.items():
            history.apply(store, SetTarget(units[source], text))
        docs["tagged"] = tagged
    return db, packages, docs


def grab(window: QWidget, name: str, *overlays: QWidget) -> Path:
    """Save the window, with any dialogs painted where they would float
    (offscreen there is no window manager to draw their frames: we draw one)."""
    QApplication.processEvents()
    pixmap: QPixmap = window.grab()
    if overlays:
        painter = QPainter(pixmap)
        for widget in overlays:
            offset = widget.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
            shot = widget.grab()
            painter.fillRect(offset.x() - 1, offset.y() - 25, shot.width() + 2, shot.height() + 26,
                             widget.palette().color(QPalette.ColorRole.Dark))
            painter.setPen(widget.palette().color(QPalette.ColorRole.Light))
            painter.drawText(offset.x() + 8, offset.y() - 7, widget.windowTitle())
            painter.drawPixmap(offset, shot)
        painter.end()
    path = OUT / name
    pixmap.save(str(path))
    print(f"wrote {path.relative_to(REPO)} ({pixmap.width()}x{pixmap.height()})")
    return path


def settle(app: QApplication, rounds: int = 20) -> None:
    import time

    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="workbench-screens-") as tmp:
        root = Path(tmp)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(root / "settings"))
        db, packages, docs = build_database(root)

        from workbench.gui.app import application
        from workbench.gui.review.find_dialog import FindDialog
        from workbench.gui.main_window import MainWindow

        app = application()
        window = MainWindow(db, packages_dir=packages)
        window.resize(*SIZE)
        window.show()
        window.doc_list.select_document(docs["en"])
        window.resize_columns_to_width()
        settle(app)
        window.metrics.figures is None and settle(app, 40)
        window.table.go_to_row(3)
        window.table.setFocus()
        settle(app)
        grab(window, "main_window.png")

        # A unit open in the editor, cursor in the target, mid-edit.
        window.table.go_to_row(5)
        window.pane.focus_target()
        window.pane.target.setPlainText("«В последние годы наши совместные усилия и сотрудничество принесли "
                                        "значительные результаты в сфере миграции…")
        window.pane.target.moveCursor(window.pane.target.textCursor().MoveOperation.End)
        window.pane.flush()
        settle(app, 40)
        grab(window, "unit_editor.png")

        find = FindDialog(window.controller, window)
        find.move(window.mapToGlobal(QPoint(480, 180)))
        find.show_with("миграц")
        find.in_source.setChecked(False)
        find.run_find()
        settle(app)
        grab(window, "find_dialog.png", find)
        find.hide()

        # The article and its translation as text: the Preview tab.
        # (the QA and Terms docks closed to give the text the height)
        window.table.go_to_row(3)
        docks = [dock for dock in window.qa.docks.values() if dock.isVisible()]
        for dock in docks:
            dock.hide()
        window.actions["preview"].trigger()
        while not window.preview_pane.complete:
            settle(app, 2)
        settle(app, 20)
        grab(window, "preview.png")
        window.actions["preview"].trigger()
        for dock in docks:
            dock.show()

        # A formatted document under review: its tags as chips, kept whole;
        # QA flags the target that lost a link.
        window.doc_list.select_document(docs["tagged"])
        window.qa.docks["qaDock"].raise_()
        settle(app, 40)
        window.table.go_to_row(3)
        window.pane.focus_target()
        window.pane.target.moveCursor(window.pane.target.textCursor().MoveOperation.End)
        settle(app, 40)
        grab(window, "inline_tags.png")

        window.actions["dark_palette"].setChecked(True)
        window.doc_list.select_document(docs["ru"])
        window.table.go_to_row(1)
        settle(app, 40)
        grab(window, "dark_palette.png")
        window.actions["dark_palette"].setChecked(False)

        # The English article gets its human translation through the real
        # File → Import translation path (aligned in the background job).
        from workbench.gui import dialogs

        dialogs.ask_yes_no = lambda *args: True  # "replace the post-edited units?": yes
        dialogs.ask_choice = lambda parent, title, question, choices: choices[0][0]  # keep the post-edits
        translation = root / "translation_ru.txt"
        translation.write_text(TRANSLATION_RU, encoding="utf-8")
        window.doc_list.select_document(docs["en"])
        window.packages_dir = root / "no-models"  # the test model's gibberish MT would not help
        window.packages_dir.mkdir()
        done = []
        window.pairs.finished.connect(done.append)
        window.pairs.start_translation(docs["en"], str(translation))
        while not done:
            settle(app, 5)
        view = window.alignment_view
        view.table.go_to_row(0)
        for _ in range(3):
            window.alignment.confirm_and_next()
        window.alignment.next_suspicious()
        view.table.setFocus()
        settle(app, 20)
        while view.map.similarity is None or view.map_jobs.busy:
            settle(app, 5)
        grab(window, "alignment_view.png")

        # The alignment map beside the links, on a hand-made news pair aligned
        # by the real aligner (length and anchors only: no model), the view on
        # the first suspicious link.
        from workbench.core.pairing import import_pair
        from workbench.core.store.database import Store

        source, target = write_gold_pair("news_rail", root)
        with Store(db) as store:
            pair = import_pair(store, source, target, use_mt=False, packages_dir=window.packages_dir)
        window.doc_model.reload()
        window.doc_list.select_document(pair.source_document_id)
        window.show_alignment(True)
        settle(app, 10)
        while view.map.similarity is None or view.map_jobs.busy:
            settle(app, 5)
        window.alignment.next_suspicious()
        view.table.setFocus()
        settle(app, 20)
        grab(window, "alignment_map.png")
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
