"""``workbench align`` end to end: files in, links out (no database, no MT)."""
from __future__ import annotations

import json

from workbench.cli import main
from workbench.testing.align_scores import parse_link

EN = [
    "The railway agreement was signed in Tashkent on 14 March 2024.",
    "It will double freight between the two countries by 2030.",
    "Trains carried 12.4 million tonnes of cargo last year, 8.5% more than in 2022.",
    "The work will cost $1.2 billion and begin in September.",
    "Passenger services will not be affected.",
]
RU = [
    "Соглашение о железных дорогах подписали в Ташкенте 14 марта 2024 года.",
    "Оно удвоит грузоперевозки между двумя странами к 2030 году.",
    "В прошлом году поезда перевезли 12,4 млн тонн грузов.",
    "Это на 8,5% больше, чем в 2022 году.",
    "Работы обойдутся в 1,2 млрд долларов и начнутся в сентябре.",
    "Пассажирское сообщение работы не затронут.",
]
EXPECTED = [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3)), ((3,), (4,)), ((4,), (5,))]


def write(tmp_path, en_text: str, ru_text: str):
    src, tgt = tmp_path / "en.txt", tmp_path / "ru.txt"
    src.write_text(en_text, encoding="utf-8")
    tgt.write_text(ru_text, encoding="utf-8")
    return str(src), str(tgt)


def test_presegmented_files_print_links(tmp_path, capsys):
    src, tgt = write(tmp_path, "\n".join(EN) + "\n", "\n".join(RU) + "\n")
    code = main(["align", src, tgt, "--src-lang", "en", "--tgt-lang", "ru", "--no-mt", "--presegmented"])
    assert code == 0
    assert capsys.readouterr().out == "[0]:[0]\n[1]:[1]\n[2]:[2, 3]\n[3]:[4]\n[4]:[5]\n"


def test_presegmented_links_are_exact(tmp_path, capsys):
    src, tgt = write(tmp_path, "\n".join(EN) + "\n", "\n\n".join(RU) + "\n")  # blank lines are skipped
    assert main(["align", src, tgt, "--src-lang", "en", "--tgt-lang", "ru", "--no-mt",
                 "--presegmented"]) == 0
    links = [parse_link(line) for line in capsys.readouterr().out.splitlines()]
    assert links == EXPECTED


def test_json_lines_carry_confidence(tmp_path, capsys):
    src, tgt = write(tmp_path, "\n".join(EN), "\n".join(RU))
    assert main(["align", src, tgt, "--src-lang", "en", "--tgt-lang", "ru", "--no-mt",
                 "--presegmented", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(tuple(r["src"]), tuple(r["tgt"])) for r in rows] == EXPECTED
    assert all(0.0 <= r["confidence"] <= 1.0 for r in rows)
    assert min(r["confidence"] for r in rows) > 0.5


def test_plain_text_is_segmented_first(tmp_path, capsys):
    """Without --presegmented the articles are split into sentences; every
    sentence of both sides is printed once, in order."""
    src, tgt = write(tmp_path, " ".join(EN[:3]) + "\n\n" + " ".join(EN[3:]) + "\n",
                     " ".join(RU[:4]) + "\n\n" + " ".join(RU[4:]) + "\n")
    assert main(["align", src, tgt, "--src-lang", "en", "--tgt-lang", "ru", "--no-mt"]) == 0
    links = [parse_link(line) for line in capsys.readouterr().out.splitlines()]
    src_ids = [i for s, _ in links for i in s]
    tgt_ids = [j for _, t in links for j in t]
    assert src_ids == list(range(len(src_ids))) and tgt_ids == list(range(len(tgt_ids)))
    assert len(src_ids) == 5 and len(tgt_ids) == 6
    assert ((2,), (2, 3)) in links


def test_missing_file_is_a_user_error(tmp_path, capsys):
    code = main(["align", str(tmp_path / "nope.txt"), str(tmp_path / "nope2.txt"), "--no-mt"])
    assert code != 0
    assert "Traceback" not in capsys.readouterr().err


def test_json_lines_carry_the_sentences_and_the_link_type(tmp_path, capsys):
    src, tgt = write(tmp_path, "\n".join(EN) + "\n", "\n".join(RU) + "\n")
    assert main(["align", src, tgt, "--src-lang", "en", "--tgt-lang", "ru", "--no-mt", "--presegmented",
                 "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["type"] for r in rows] == ["1-1", "1-1", "1-2", "1-1", "1-1"]
    assert rows[2]["source"] == [EN[2]] and rows[2]["target"] == [RU[2], RU[3]]
    assert all(r["source"] == [EN[i] for i in r["src"]] and r["target"] == [RU[j] for j in r["tgt"]]
               for r in rows)


def test_bad_input_to_align_is_one_line(tmp_path, capsys):
    src, tgt = write(tmp_path, "\n".join(EN), "")
    assert main(["align", src, tgt, "--no-mt"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is empty" in err


def test_import_pair_presegmented_keeps_the_lines(tmp_path, capsys):
    src, tgt = write(tmp_path, "\n".join(EN) + "\n", "\n".join(RU) + "\n")
    db = tmp_path / "workbench.db"
    assert main(["--db", str(db), "import-pair", src, tgt, "--presegmented", "--no-mt", "--json",
                 "--src-lang", "en", "--tgt-lang", "ru"]) == 0
    pair = json.loads(capsys.readouterr().out)
    from workbench.core.store.database import Store

    with Store(db) as store:
        assert [s.text for s in store.segments(pair["target"])] == RU  # "12,4 млн тонн грузов." not re-split
        units = list(store.units(pair["source"]))
        assert [(len(u.source_segment_ids), len(u.target_segment_ids)) for u in units] == [
            (1, 1), (1, 1), (1, 2), (1, 1), (1, 1)]


def test_export_evidence_columns_only_when_asked(tmp_path, capsys):
    src, tgt = write(tmp_path, "\n".join(EN) + "\n", "\n".join(RU) + "\n")
    db = ["--db", str(tmp_path / "workbench.db")]
    assert main([*db, "import-pair", src, tgt, "--presegmented", "--no-mt", "--src-lang", "en",
                 "--tgt-lang", "ru"]) == 0
    plain, evidence = tmp_path / "plain.tsv", tmp_path / "evidence.tsv"
    assert main([*db, "export", "--format", "tsv", "--status", "any", "--out", str(plain)]) == 0
    assert main([*db, "export", "--format", "tsv", "--status", "any", "--out", str(evidence),
                 "--evidence"]) == 0
    assert plain.read_text(encoding="utf-8").splitlines()[0] == "en\tru\tx-formula-guard"
    rows = [line.split("\t") for line in evidence.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["en", "ru", "link_type", "confidence", "x-formula-guard"]
    assert [r[2] for r in rows[1:]] == ["1-1", "1-1", "1-2", "1-1", "1-1"]
    assert rows[3][1] == f"{RU[2]} {RU[3]}"
    assert all(0 <= float(r[3]) <= 1 and len(r[3]) == 4 for r in rows[1:])
    capsys.readouterr()
    assert main([*db, "export", "--format", "moses", "--out", str(tmp_path / "m"), "--evidence"]) == 1
    assert "--evidence adds CSV/TSV columns" in capsys.readouterr().err
