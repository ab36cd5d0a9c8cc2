"""Every kind of mistake in data/ gets one error naming the file, the line and the fix."""

from __future__ import annotations

import subprocess
import sys

import pytest

from graph.vocabulary.yamlfile import DataErrors


def _single_error(data_copy):
    with pytest.raises(DataErrors) as caught:
        data_copy.load()
    return caught.value.errors


def _assert_reported(errors, path, line, message, fix):
    matching = [e for e in errors if e.path.name == path.name and message in e.message]
    assert matching, f"no error about {message!r} in {path.name}: {[str(e) for e in errors]}"
    error = matching[0]
    assert error.line == line, str(error)
    assert fix in error.fix, str(error)


def test_the_real_data_loads(vocabulary):
    assert len(vocabulary.concepts) > 100
    assert vocabulary.collections and vocabulary.sources


def test_yaml_syntax_error_names_line_and_fix(data_copy):
    path = data_copy.term("mql")
    line = data_copy.replace(path, "prefLabel:\n  fr: lead qualifié marketing",
                             "prefLabel:\n  fr: lead: qualifié marketing")
    errors = _single_error(data_copy)
    _assert_reported(errors, path, line + 1, "YAML syntax error", "must be quoted")


def test_unclosed_bracket(data_copy):
    path = data_copy.term("sql")
    line = data_copy.line_of(path, "broader: [")
    data_copy.replace(path, "broader: [prospect]", "broader: [prospect\nrelated2: x")
    errors = _single_error(data_copy)
    assert errors[0].path.name == "sql.yaml"
    assert errors[0].line in (line, line + 1)
    assert "list in brackets" in errors[0].fix


def test_unknown_key_suggests_the_right_one(data_copy):
    path = data_copy.term("dsp")
    line = data_copy.replace(path, "broader:", "brodaer:")
    errors = _single_error(data_copy)
    _assert_reported(errors, path, line, "unknown key 'brodaer'", "did you mean 'broader'")


def test_unknown_concept_reference_suggests_close_ids(data_copy):
    path = data_copy.term("dsp")
    text = path.read_text(encoding="utf-8")
    old = "counterpart: [ssp]"
    assert old in text
    line = data_copy.replace(path, old, "counterpart: [sssp]")
    errors = _single_error(data_copy)
    _assert_reported(errors, path, line, "'sssp' in 'counterpart' is not a known concept",
                     "did you mean 'ssp'")


def test_unknown_source(data_copy):
    path = data_copy.term("ssp")
    line = data_copy.replace(path, "sources: [custup]", "sources: [custupp]")
    errors = _single_error(data_copy)
    _assert_reported(errors, path, line, "'custupp' in 'sources' is not a known source",
                     "did you mean 'custup'")


def test_missing_language(data_copy):
    path = data_copy.term("nps")
    text = path.read_text(encoding="utf-8")
    start = text.index("definition:")
    en = text.index("  en:", start)
    end = text.index("\n", en)
    # drop the English definition line (and its folded continuation lines)
    rest = text[end + 1:]
    while rest.startswith("    "):
        rest = rest.split("\n", 1)[1]
    path.write_text(text[:en] + rest, encoding="utf-8")
    line = data_copy.line_of(path, "definition:")
    errors = _single_error(data_copy)
    _assert_reported(errors, path, line, "'definition' has no 'en' text", "add a line '  en:")


def test_duplicate_preferred_label(data_copy):
    path = data_copy.term("sql")
    line = data_copy.replace(path, "  en: sales qualified lead", "  en: marketing qualified lead")
    errors = _single_error(data_copy)
    _assert_reported(errors, path, line, "already the preferred label of 'mql'",
                     "another preferred label")


def test_duplicate_key(data_copy):
    path = data_copy.term("cookie")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "related: [rgpd]\n", encoding="utf-8")
    line = text.count("\n") + 1
    errors = _single_error(data_copy)
    _assert_reported(errors, path, line, "the key 'related' appears twice", "merge")


def test_invalid_file_name_is_a_bad_id(data_copy):
    bad = data_copy.root / "terms" / "Cold Calling 3.yaml"
    bad.write_text(data_copy.term("cold-calling").read_text(encoding="utf-8"), encoding="utf-8")
    errors = _single_error(data_copy)
    _assert_reported(errors, bad, 1, "is not a valid concept id", "cold-calling-3.yaml")


def test_unquoted_boolean_label(data_copy):
    path = data_copy.term("bant")
    line = data_copy.replace(path, "altLabel:\n  fr: [", "altLabel:\n  fr: [no, ") + 1
    errors = _single_error(data_copy)
    _assert_reported(errors, path, line, "holds False, not a text", "quote")


def test_self_link(data_copy):
    path = data_copy.term("mql")
    data_copy.replace(path, "broader: [prospect]", "broader: [mql]")
    errors = _single_error(data_copy)
    assert any("links to itself" in e.message for e in errors)


def test_a_concept_cites_its_glossaries_or_says_it_is_in_none(data_copy):
    path = data_copy.term("mql")
    data_copy.replace(path, "sources: [salesforce, salesforce-blog, hubyup, datananas]",
                      "sources: []")
    errors = _single_error(data_copy)
    first_key = data_copy.line_of(path, "prefLabel:")
    _assert_reported(errors, path, first_key, "concept 'mql' cites no glossary",
                     "notInGlossaries")
    line = data_copy.replace(path, "sources: []", "sources: [hubyup]\nnotInGlossaries: true")
    errors = _single_error(data_copy)
    _assert_reported(errors, path, line + 1, "cites glossaries and says it is in none",
                     "remove 'notInGlossaries: true' or the 'sources' list")


def test_a_concept_in_no_group_is_reported(data_copy):
    path = data_copy.root / "collections.yaml"
    data_copy.replace(path, "members: [abm, content-marketing, cta,",
                      "members: [content-marketing, cta,")
    errors = _single_error(data_copy)
    abm = data_copy.term("abm")
    _assert_reported(errors, abm, data_copy.line_of(abm, "prefLabel:"),
                     "concept 'abm' is in no group",
                     "add 'abm' to the members of a group in data/collections.yaml")


def test_collection_member_unknown(data_copy):
    path = data_copy.root / "collections.yaml"
    line = data_copy.replace(path, "members: [detracteur, passif, promoteur]",
                             "members: [detracteur, pasif, promoteur]")
    errors = _single_error(data_copy)
    _assert_reported(errors, path, line, "'pasif' in 'members' is not a known concept",
                     "did you mean 'passif'")


def test_all_errors_reported_at_once(data_copy):
    data_copy.replace(data_copy.term("dsp"), "broader:", "brodaer:")
    data_copy.replace(data_copy.term("ssp"), "sources: [custup]", "sources: [nobody]")
    errors = _single_error(data_copy)
    assert {e.path.name for e in errors} >= {"dsp.yaml", "ssp.yaml"}


def test_cli_reports_data_errors_and_exits_1(data_copy):
    data_copy.replace(data_copy.term("dsp"), "broader:", "brodaer:")
    result = subprocess.run(
        [sys.executable, "-m", "graph", "--data-dir", str(data_copy.root), "validate"],
        capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "dsp.yaml:" in result.stderr and "did you mean 'broader'" in result.stderr
    assert "Traceback" not in result.stderr
