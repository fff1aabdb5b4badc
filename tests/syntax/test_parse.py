"""The parser: `.policy` text → frozen AST nodes, each with a span; lark never leaks out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest

from policylang.syntax import nodes
from policylang.core.diagnostics import PolicyError
from policylang.syntax.parse import parse_text
from policylang.core.source import Span

from conftest import RULES

PROGRAM = '''\
program dibao "最低生活保障" / "Minimum living guarantee"
  subject household
  applies in national, kunming from 2022-01-01 until 2023-12-31
  yields to tekun
  cite national_2024 "將“日常剛性支出”等因素"
  condition income_test "人均可计收入低于低保标准": countable_income < dibao_standard
  condition mixed: not a and b or c
  amount (dibao_standard - countable_income) * unit_size rounded half_up to 0.01
  paid to institution when institutional_care
end
'''

EXCEPTION = '''\
program dibao "最低生活保障"
  cite illustrative "x"
  exception single_person "参照单人户纳入低保" for each member priority 2
    applies in kunming from 2022-01-01
    cite kunming_2022 "参照“单人户”纳入低保"
    condition edge_household: household eligible for dibao_edge
    condition special_hardship: disability_grade in {1, 2} or serious_illness
    amount dibao_standard - monthly_income rounded down to 1
  end
end
'''

PARAMETER = '''\
parameter dibao_standard "低保标准(每人每月)" : money per month
  national = 700 cite illustrative "national fallback"
  kunming from 2022-01-01 = 800.50 yuan cite kunming_2022 "昆明"
  changzhou until 2022-12-31 = 950 cite illustrative "before 2023"
  donghai from 2022-01-01 until 2022-12-31 = -1 cite illustrative "negative on purpose"
end
'''

EXAMPLE = '''\
example "Kunming: the disabled spouse is covered alone" on 2023-08-01
  facts {"id": "h1", "jurisdiction": "kunming", "assets": "100.00",
         "members": [{"id": "p1", "monthly_income": "0.00", "can_work": false,
                      "disability_grade": 1, "deceased_on": null}],
         "events": []}
  with members[0].monthly_income = "300.00"
  with jurisdiction = "kunming.guandu"
  with members[0].can_work = true
  expect dibao for household not_eligible
  expect dibao for p1 eligible 800.00 by single_person
  expect tekun for "成员 一" unknown
end
'''


def only(text: str, path: str = "t.policy"):
    module = parse_text(text, path)
    assert len(module.declarations) == 1
    return module.declarations[0]


def ref(*path: str) -> nodes.Ref:
    return nodes.Ref(path, span=None)


def spans(node) -> list[Span]:
    """Every span in an AST node, depth first."""
    found = []
    if isinstance(node, (tuple, list)):
        for item in node:
            found += spans(item)
    elif attrs.has(type(node)):
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            if field.name == "span":
                found.append(value)
            else:
                found += spans(value)
    return found


# ---------------------------------------------------------------- shapes
def test_program_shape():
    program = only(PROGRAM)
    assert isinstance(program, nodes.Program)
    assert (program.name, program.label_zh, program.label_en) == (
        "dibao", "最低生活保障", "Minimum living guarantee")
    assert program.subject == "household"
    assert program.applies.places == ("national", "kunming")
    assert program.applies.period.start == dt.date(2022, 1, 1)
    assert program.applies.period.end == dt.date(2023, 12, 31)
    assert program.yields_to == ("tekun",)
    assert program.citations == (nodes.Citation("national_2024", "將“日常剛性支出”等因素", None),)
    income, mixed = program.conditions
    assert income.name == "income_test" and income.label == "人均可计收入低于低保标准"
    assert income.test == nodes.Binary("<", ref("countable_income"), ref("dibao_standard"), None)
    # precedence: not > and > or
    assert mixed.label is None
    assert mixed.test == nodes.Binary(
        "or", nodes.Binary("and", nodes.Unary("not", ref("a"), None), ref("b"), None), ref("c"), None)
    assert program.amount.value == nodes.Binary(
        "*", nodes.Binary("-", ref("dibao_standard"), ref("countable_income"), None),
        ref("unit_size"), None)
    assert program.amount.rounding == nodes.Rounding("half_up", Decimal("0.01"), None)
    assert program.paid_to == nodes.PaidTo("institution", ref("institutional_care"), None)
    assert program.exceptions == ()


def test_program_defaults_when_optional_parts_are_left_out():
    program = only('program p "测试"\n  cite illustrative "x"\nend')
    assert program.label_en is None
    assert program.subject is None and program.applies is None and program.amount is None
    assert program.yields_to == () and program.conditions == () and program.exceptions == ()


def test_exception_shape():
    exception = only(EXCEPTION).exceptions[0]
    assert isinstance(exception, nodes.Exception_)
    assert (exception.name, exception.label) == ("single_person", "参照单人户纳入低保")
    assert exception.scope == "member" and exception.priority == 2
    assert exception.applies == nodes.Applies(("kunming",), nodes.Period(dt.date(2022, 1, 1), None, None), None)
    assert [c.source for c in exception.citations] == ["kunming_2022"]
    edge, hardship = exception.conditions
    assert edge.test == nodes.DecisionRef("dibao_edge", "household", None)
    assert hardship.test == nodes.Binary(
        "or",
        nodes.Binary("in", ref("disability_grade"),
                   nodes.SetLiteral((nodes.Number(Decimal(1), None, None),
                                   nodes.Number(Decimal(2), None, None)), None), None),
        ref("serious_illness"), None)
    # `rounded down to 1`; a missing mode means half_up
    assert exception.amount.rounding == nodes.Rounding("down", Decimal(1), None)


def test_exception_without_scope_or_priority():
    source = 'program p "测试"\n cite illustrative "x"\n exception e\n  condition c: true\n end\nend'
    exception = only(source).exceptions[0]
    assert exception.scope is None and exception.priority is None and exception.label is None
    assert exception.conditions[0].test == nodes.Boolean(True, None)


def test_rounding_mode_defaults_to_half_up():
    program = only('program p "测试"\n cite illustrative "x"\n amount 10 yuan rounded to 0.01\nend')
    assert program.amount.value == nodes.Number(Decimal(10), "yuan", None)
    assert program.amount.rounding == nodes.Rounding("half_up", Decimal("0.01"), None)


def test_parameter_shape():
    parameter = only(PARAMETER)
    assert isinstance(parameter, nodes.Parameter)
    assert parameter.name == "dibao_standard" and parameter.label == "低保标准(每人每月)"
    assert parameter.type == nodes.TypeExpr("money", "month", False, None)
    national, kunming, changzhou, donghai = parameter.values
    assert national == nodes.ParameterValue(
        "national", None, Decimal(700), None, nodes.Citation("illustrative", "national fallback", None), None)
    assert national.citation.illustrative
    assert kunming.period == nodes.Period(dt.date(2022, 1, 1), None, None)
    assert kunming.value == Decimal("800.50") and kunming.unit == "yuan"
    assert not kunming.citation.illustrative
    assert changzhou.period == nodes.Period(None, dt.date(2022, 12, 31), None)
    assert donghai.period == nodes.Period(dt.date(2022, 1, 1), dt.date(2022, 12, 31), None)
    assert donghai.value == Decimal(-1)


def test_types_and_declarations():
    module = parse_text('''
        enum care_dependency "失能等级" = none | mild | moderate | severe
        jurisdiction kunming.guandu "昆明市官渡区" within kunming
        source kunming_2022 "问答" by "昆明市民政局" 2022-10-18 file "000.txt"
        source guandu "六甲街道" file "002.txt"
        entity member "成员"
          key id : text
          fact deceased_on "死亡日期" : date optional
          fact disability_grade : int between 0 and 4
          fact kinds : set of care_dependency
          has events : list of event
        end
        definition age "周岁年龄" of member : int = years_since(birth_date)
    ''', "decl.policy")
    enum, place, source, undated, entity, definition = module.declarations
    assert enum == nodes.Enum("care_dependency", "失能等级", ("none", "mild", "moderate", "severe"), None)
    assert place == nodes.Jurisdiction("kunming.guandu", "昆明市官渡区", "kunming", None)
    assert (source.name, source.title, source.publisher, source.published, source.file) == (
        "kunming_2022", "问答", "昆明市民政局", dt.date(2022, 10, 18), "000.txt")
    assert (undated.publisher, undated.published, undated.file) == (None, None, "002.txt")
    key, deceased, grade, kinds = entity.facts
    assert key.is_key and key.type == nodes.TypeExpr("text", None, False, None)
    assert deceased.optional and not deceased.is_key
    assert grade.bounds == (Decimal(0), Decimal(4)) and not grade.optional
    assert kinds.type == nodes.TypeExpr("care_dependency", None, True, None)
    assert entity.relations == (nodes.Relation("events", None, "event", None),)
    assert definition.entity == "member" and definition.type.name == "int"
    assert definition.body == nodes.Call("years_since", (ref("birth_date"),), None)


def test_example_with_inline_facts_and_overrides():
    example = only(EXAMPLE)
    assert isinstance(example, nodes.Example)
    assert example.title == "Kunming: the disabled spouse is covered alone"
    assert example.date == dt.date(2023, 8, 1)
    assert example.facts_file is None
    assert example.facts_inline == {
        "id": "h1", "jurisdiction": "kunming", "assets": "100.00",
        "members": [{"id": "p1", "monthly_income": "0.00", "can_work": False,
                     "disability_grade": 1, "deceased_on": None}],
        "events": []}
    assert [(o.path, o.value) for o in example.overrides] == [
        (("members", 0, "monthly_income"), "300.00"),
        (("jurisdiction",), "kunming.guandu"),
        (("members", 0, "can_work"), True),
    ]
    household, member, quoted = example.expectations
    assert household == nodes.Expectation("dibao", "household", "not_eligible", None, None, None)
    assert member == nodes.Expectation("dibao", "p1", "eligible", Decimal("800.00"), "single_person", None)
    assert quoted.subject == "成员 一" and quoted.outcome == "unknown"


def test_example_with_a_facts_file():
    example = only('example "t" on 2023-08-01\n facts "../examples/a.json"\n expect dibao eligible\nend')
    assert example.facts_file == "../examples/a.json" and example.facts_inline is None
    assert example.expectations[0].subject is None


def test_inline_json_keeps_null_in_arrays():
    example = only('example "t" on 2023-08-01\n facts {"a": [1, null, 2], "b": [null]}\n'
                   ' expect dibao eligible\nend')
    assert example.facts_inline == {"a": [1, None, 2], "b": [None]}


def test_inline_json_empty_containers():
    example = only('example "t" on 2023-08-01\n facts {"a": [], "b": {}, "c": [[]]}\n'
                   ' expect dibao eligible\nend')
    assert example.facts_inline == {"a": [], "b": {}, "c": [[]]}


# ---------------------------------------------------------------- expressions
@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", nodes.Binary("+", nodes.Number(Decimal(1), None, None),
                             nodes.Binary("*", nodes.Number(Decimal(2), None, None),
                                        nodes.Number(Decimal(3), None, None), None), None)),
    ("a - b - c", nodes.Binary("-", nodes.Binary("-", ref("a"), ref("b"), None), ref("c"), None)),
    ("-x", nodes.Unary("-", ref("x"), None)),
    ("24 months", nodes.Number(Decimal(24), "months", None)),
    ("household.assets", ref("household", "assets")),
    ("care_dependency in {moderate, severe}",
     nodes.Binary("in", ref("care_dependency"), nodes.SetLiteral((ref("moderate"), ref("severe")), None), None)),
    ("eligible for tekun", nodes.DecisionRef("tekun", None, None)),
    ("deceased_on is absent", nodes.Presence(ref("deceased_on"), True, None)),
    ("deceased_on is known", nodes.Presence(ref("deceased_on"), False, None)),
    ("members where alive", nodes.Filter(ref("members"), ref("alive"), None)),
    ("if a then 1 else 2", nodes.IfThenElse(ref("a"), nodes.Number(Decimal(1), None, None),
                                          nodes.Number(Decimal(2), None, None), None)),
    ("sum(unit, monthly_income)", nodes.Call("sum", (ref("unit"), ref("monthly_income")), None)),
    ('"文本"', nodes.Text("文本", None)),
    ("2023-08-01", nodes.DateLiteral(dt.date(2023, 8, 1), None)),
    ("false", nodes.Boolean(False, None)),
    ("{}", nodes.SetLiteral((), None)),
])
def test_expression_shapes(text, expected):
    definition = only(f"definition d of member = {text}")
    assert definition.body == expected


# ---------------------------------------------------------------- spans
def test_every_node_has_a_span():
    for text in (PROGRAM, EXCEPTION, PARAMETER, EXAMPLE):
        found = spans(only(text, "s.policy"))
        assert found, text
        for span in found:
            assert isinstance(span, Span)
            assert span.file == "s.policy"
            assert span.line >= 1 and span.column >= 1
            assert (span.end_line, span.end_column) >= (span.line, span.column)


def test_spans_point_at_the_source():
    program = only(PROGRAM, "dibao.policy")
    assert program.span.location() == "dibao.policy:1:1"
    condition = program.conditions[0]
    assert condition.span.line == 6 and condition.span.column == 3
    left = condition.test.left
    line = PROGRAM.splitlines()[left.span.line - 1]
    assert line[left.span.column - 1:left.span.end_column - 1] == "countable_income"
    parameter = only(PARAMETER)
    assert [v.span.line for v in parameter.values] == [2, 3, 4, 5]


def test_spans_do_not_affect_equality():
    relaid = "\n\n" + "\n".join("    " + line for line in PROGRAM.splitlines()).replace(" : ", ":")
    first, second = only(PROGRAM, "a.policy"), only(relaid, "b.policy")
    assert first.span != second.span
    assert first == second
    assert hash(first) == hash(second)
    spaced = only("definition d of member = (1+2)*x", "c.policy")
    tight = only("definition  d  of  member  =\n 1 + 2) * x".replace("1 + 2)", "(1 + 2)"), "d.policy")
    assert spaced == tight


def test_comments_are_ignored():
    with_comments = "# 说明\n" + PROGRAM.replace("subject household", "subject household # 户")
    assert only(with_comments) == only(PROGRAM)


def test_unicode_identifiers():
    definition = only("definition 人均收入 \"人均收入\" of 家庭 : money per month = 总收入 / 人数")
    assert definition.name == "人均收入" and definition.entity == "家庭"
    assert definition.body == nodes.Binary("/", ref("总收入"), ref("人数"), None)
    jurisdiction = only('jurisdiction 昆明.官渡 "昆明市官渡区" within 昆明')
    assert jurisdiction.name == "昆明.官渡" and jurisdiction.parent == "昆明"
    accented = only("definition café_naïve of member = élan")
    assert accented.name == "café_naïve" and accented.body == ref("élan")


def test_a_name_cannot_start_with_a_digit():
    with pytest.raises(PolicyError) as caught:
        parse_text("definition 1abc of member = x", "t.policy")
    assert caught.value.diagnostics[0].code == "PL001"


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("text, code", [
    ("program p", "PL001"),
    ('program p "x"\n cite illustrative "y"\n', "PL003"),
    ("definition d of member = 1 +", "PL001"),
    ("definition d of member = x $ y", "PL002"),
    ('source s "t" 2023-02-29', "PL005"),
    ("definition d of member = 2023-13-01", "PL005"),
    ("parameter p : int\n national from 2021-04-31 = 1 cite illustrative \"x\"\nend", "PL005"),
    ("definition d of member = " + "-" * 200 + "1", "PL004"),
])
def test_syntax_errors_become_diagnostics(text, code):
    with pytest.raises(PolicyError) as caught:
        parse_text(text, "t.policy")
    diagnostics = caught.value.diagnostics
    assert [d.code for d in diagnostics] == [code]
    assert diagnostics[0].span.file == "t.policy" and diagnostics[0].span.line >= 1


def test_unclosed_block_names_the_innermost_open_block():
    text = 'program p "x"\n cite illustrative "y"\n exception e\n  condition c: true\n'
    with pytest.raises(PolicyError) as caught:
        parse_text(text, "t.policy")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "PL003"
    assert "`exception` block opened at line 3" in diagnostic.message
    assert "t.policy:3:2" in diagnostic.hint


def test_unexpected_token_says_what_was_expected():
    with pytest.raises(PolicyError) as caught:
        parse_text('program p "x"\n subject 42\nend', "t.policy")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "PL001"
    assert diagnostic.message == "unexpected `42`; expected a name"
    assert (diagnostic.span.line, diagnostic.span.column) == (2, 10)
    assert diagnostic.hint == "inside the `program` block that starts at line 1"


def test_a_line_cut_short_at_the_end_of_the_file_is_not_an_unclosed_block():
    with pytest.raises(PolicyError) as caught:
        parse_text('program p "x"\n subject', "t.policy")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "PL001"
    assert diagnostic.message.startswith("the file ends too early; expected a name")
    assert "not closed" in diagnostic.hint


@pytest.mark.parametrize("text", ['program p "x"\n subject\nend\n', 'program p "x"\n cite\nend\n'])
def test_a_missing_name_before_end_is_not_reported_as_an_unclosed_block(text):
    with pytest.raises(PolicyError) as caught:
        parse_text(text, "t.policy")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "PL001", diagnostic.message
    assert diagnostic.message.startswith("unexpected `end`")
    assert "not closed" not in diagnostic.message


@pytest.mark.parametrize("word", ["end", "condition", "where", "eligible"])
def test_reserved_words_are_not_names(word):
    with pytest.raises(PolicyError):
        parse_text(f"definition {word} of member = 1", "t.policy")


def test_names_may_start_with_a_reserved_word():
    assert only("definition ending of member = for_each").body == ref("for_each")


def test_huge_nesting_is_refused_without_recursion_error():
    deep = "definition d of member = " + "(" * 5000 + "x" + ")" * 5000
    assert only(deep).body == ref("x")
    with pytest.raises(PolicyError) as caught:
        parse_text("definition d of member = " + "not " * 5000 + "x", "t.policy")
    assert caught.value.diagnostics[0].code == "PL004"


def test_the_bundled_rules_parse():
    for path in sorted(RULES.glob("*.policy")):
        module = parse_text(path.read_text(encoding="utf-8"), str(path))
        assert module.path == str(path) and module.declarations


@pytest.mark.parametrize("text,hint", [
    ('program q "x"\n  subject household\n  condition a: assets = 0\nend\n', "compare with `==`"),
    ('program q "x"\n  subject household\n  cite illustrative "c"\n  condition a "低" assets > 0\nend\n',
     "needs `:` between its name"),
    ('program q "x"\n  amount 3 yuan rounded 0.01\nend\n', "rounded half_up to 0.01"),
    ('program q "x"\n  cite kunming_2022\n  condition a: assets > 0\nend\n', "quotes the clause"),
    ('program q 最低生活保障\nend\n', "double quotes"),
])
def test_common_mistakes_are_explained_in_plain_words(text, hint):
    with pytest.raises(PolicyError) as caught:
        parse_text(text, "mistake.policy")
    assert hint in caught.value.diagnostics[0].hint
