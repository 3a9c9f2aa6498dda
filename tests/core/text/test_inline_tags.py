from workbench.core.text.inline_tags import find_tags, has_tags, strip_tags, tag_differences


def test_finds_paired_and_standalone_tags_in_order():
    tags = find_tags("a <b0>bold</b0> and <x1/> end")
    assert [(t.text, t.kind, t.name) for t in tags] == [
        ("<b0>", "open", "b0"), ("</b0>", "close", "b0"), ("<x1/>", "empty", "x1")]


def test_text_that_only_looks_like_markup_is_not_a_tag():
    assert not has_tags("if a<b and c>d, or <B0> or <b> or </b0/>")


def test_strip_tags_keeps_words():
    assert strip_tags("Press <b0>Save</b0><x1/> now") == "Press Save now"


def test_tag_differences_ignore_order_and_report_missing_and_extra():
    assert tag_differences("<b0>a</b0> <i1>b</i1>", "<i1>b</i1> <b0>a</b0>") == ([], [])
    assert tag_differences("<b0>a</b0>", "<b0>a <x2/>") == (["</b0>"], ["<x2/>"])
