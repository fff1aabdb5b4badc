"""The checker on small snippets, each checked together with the bundled schema, places
and sources: types and units of arithmetic, period conversion, enum members, decision
references; and the errors it reports for the wrong ones."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from fractions import Fraction

import pytest

import policylang
from policylang import ir
from policylang.check import check
from policylang.core.diagnostics import PolicyError
from policylang.syntax.parse import parse_text
from policylang.core.typesystem import BOOL, DATE, DECIMAL, INT, Type

from conftest import RULES, example_household

SHARED = ("schema.policy", "places.policy", "sources.policy")
MONEY = Type("money")
MONTHLY = Type("money", per="month")
YEARLY = Type("money", per="year")
CARE = Type("enum", name="care_dependency")


@pytest.fixture(scope="module")
def shared_modules():
    return [parse_text((RULES / name).read_text(encoding="utf-8"), f"rules/{name}") for name in SHARED]


@pytest.fixture
def checked(shared_modules):
    def run(text: str) -> ir.CheckedRules:
        return check(shared_modules + [parse_text(text, "snippet.policy")])
    return run


@pytest.fixture
def errors(shared_modules):
    def run(text: str) -> list:
        with pytest.raises(PolicyError) as caught:
            check(shared_modules + [parse_text(text, "snippet.policy")])
        return list(caught.value.diagnostics)
    return run


def definition(rules: ir.CheckedRules, name: str, entity: str = "member") -> ir.Definition:
    return rules.definitions[(entity, name)]


# ---------------------------------------------------------------- arithmetic types
@pytest.mark.parametrize("expression, entity, expected", [
    ("3 months * monthly_income", "member", MONEY),          # a duration times a rate: a sum
    ("monthly_income * 3 months", "member", MONEY),
    ("2 years * monthly_income", "member", MONEY),
    ("monthly_income * 2", "member", MONTHLY),               # a rate times a number: a rate
    ("monthly_income / 2", "member", MONTHLY),
    ("monthly_income / monthly_income", "member", DECIMAL),  # a ratio
    ("monthly_income + 1", "member", MONTHLY),               # a bare number adapts
    ("monthly_income - monthly_income", "member", MONTHLY),
    ("-monthly_income", "member", MONTHLY),
    ("assets + 1000 yuan", "household", MONEY),
    ("per_year(monthly_income)", "member", YEARLY),
    ("per_month(medical_self_pay_in_catalogue)", "household", MONTHLY),
    ("per_quarter(monthly_income)", "member", Type("money", per="quarter")),
    ("sum(members, monthly_income)", "household", MONTHLY),
    ("count(members)", "household", INT),
    ("1 + 2", "member", Type("number")),
    ("disability_grade + 1", "member", INT),
    ("disability_grade / 2", "member", DECIMAL),
    ("evaluation_date - 3 months", "member", DATE),
    ("birth_date + 18 years", "member", DATE),
    ("years_since(birth_date)", "member", INT),
    ("max(0, monthly_income)", "member", MONTHLY),
    ("if serious_illness then monthly_income else 0", "member", MONTHLY),
    ("65 kWh", "member", Type("kwh")),
    ("deceased_on is absent", "member", BOOL),
])
def test_arithmetic_types(checked, expression, entity, expected):
    rules = checked(f"definition x of {entity} = {expression}")
    assert definition(rules, "x", entity).type == expected


def test_months_times_a_monthly_rate_is_a_sum_of_money(checked):
    body = definition(checked("definition x of member = 24 months * monthly_income"), "x").body
    assert isinstance(body, ir.Binary) and body.op == "*" and body.type == MONEY
    assert isinstance(body.left, ir.Scale) and body.left.factor == 1


def test_years_times_a_monthly_rate_counts_twelve_months_a_year(checked):
    body = definition(checked("definition x of member = 2 years * monthly_income"), "x").body
    assert isinstance(body.left, ir.Scale) and body.left.factor == 12


def test_per_year_scales_by_the_months_in_the_period(checked):
    rules = checked("definition y of member = per_year(monthly_income)\n"
                    "definition m of household = per_month(medical_self_pay_in_catalogue)")
    yearly, monthly = definition(rules, "y").body, definition(rules, "m", "household").body
    assert isinstance(yearly, ir.Scale) and yearly.factor == 12
    assert isinstance(monthly, ir.Scale) and monthly.factor == Fraction(1, 12)


def test_a_converted_rate_compares_with_a_rate_of_the_same_period(checked):
    rules = checked("definition c of member = medical_self_pay_in_catalogue > per_year(monthly_income)")
    assert definition(rules, "c").type == BOOL


def test_declared_definition_type_must_match(errors):
    (diagnostic,) = errors("definition x of member : money per month = 3 months * monthly_income")
    assert diagnostic.code == "PL020"
    assert "declared as money per month but computes money" in diagnostic.message


@pytest.mark.parametrize("expression, entity, code, words", [
    ("monthly_income < medical_self_pay_in_catalogue", "member", "PL021",
     "cannot compare money per month with money per year"),
    ("assets < monthly_rigid_expenses", "household", "PL021",
     "cannot compare money with money per month"),
    ("monthly_income + assets", "member", "PL021", "cannot add money per month with money"),
    ("monthly_income * monthly_income", "member", "PL020", "cannot multiply"),
    ("per_year(assets)", "household", "PL020", "`per_year` converts money or kWh per period"),
    ("birth_date + 1", "member", "PL020", "cannot add date with number"),
    ("monthly_income < 65 kWh", "member", "PL020", "cannot compare"),
    ("care_dependency == 2", "member", "PL020", "cannot compare"),
    ("if serious_illness then 1 yuan else birth_date", "member", "PL020", "`then` gives"),
    ("disability_grade in 2", "member", "PL020", "`in` needs a set"),
    ("count(monthly_income)", "member", "PL020", "needs a list"),
    ("years_since(monthly_income)", "member", "PL020", "needs a date"),
    ("years_since()", "member", "PL023", "takes 1 argument"),
    ("avg(members, monthly_income)", "household", "PL010", "unknown function `avg`"),
    ("members where monthly_income", "household", "PL022", "must be yes or no"),
])
def test_type_errors(errors, expression, entity, code, words):
    diagnostics = errors(f"definition x of {entity} = {expression}")
    assert [d.code for d in diagnostics] == [code], [d.message for d in diagnostics]
    assert words in diagnostics[0].message
    assert diagnostics[0].span.file == "snippet.policy" and diagnostics[0].span.line == 1


def test_mixing_periods_hints_at_a_conversion(errors):
    (diagnostic,) = errors("definition x of member = monthly_income < medical_self_pay_in_catalogue")
    assert diagnostic.hint == "convert one side first, e.g. `per_year(…)`"


def test_every_error_of_a_pass_is_reported_at_once(errors):
    diagnostics = errors("definition x of member = montly_income < 1\n"
                         "definition y of member = monthly_income * monthly_income\n"
                         "definition z of member = serous_illness\n")
    assert [(d.code, d.span.line) for d in diagnostics] == [("PL010", 1), ("PL020", 2), ("PL010", 3)]


# ---------------------------------------------------------------- enum members
def test_enum_members_resolve_from_the_other_side_of_in(checked):
    rules = checked("definition c of member = care_dependency in {moderate, severe}")
    body = definition(rules, "c").body
    assert body.type == BOOL
    assert [(item.value, item.type) for item in body.right.items] == [
        ("moderate", CARE), ("severe", CARE)]


@pytest.mark.parametrize("expression", [
    "care_dependency == severe",
    "severe == care_dependency",
    "care_dependency != none",
    "care_dependency == care_dependency.severe",
    "relation in {head, spouse}",
])
def test_enum_member_comparisons(checked, expression):
    assert definition(checked(f"definition c of member = {expression}"), "c").type == BOOL


def test_enum_members_inside_where(checked):
    rules = checked("definition n of household = count(members where care_dependency == severe)")
    assert definition(rules, "n", "household").type == INT


def test_a_misspelt_enum_member_gets_a_suggestion(errors):
    (diagnostic,) = errors("definition c of member = care_dependency in {moderate, sever}")
    assert diagnostic.code == "PL010" and diagnostic.message == "unknown name `sever`"
    assert diagnostic.hint == "did you mean `severe`?"


def test_a_qualified_member_that_does_not_exist(errors):
    (diagnostic,) = errors("definition c of member = care_dependency == care_dependency.sever")
    assert diagnostic.message == "`sever` is not a value of `care_dependency`"
    assert diagnostic.hint == "did you mean `severe`?"


def test_a_member_of_another_enum_is_not_suggested_as_itself(errors):
    (diagnostic,) = errors("definition c of member = relation == severe")
    assert diagnostic.hint != "did you mean `severe`?"
    assert "care_dependency" in (diagnostic.message + (diagnostic.hint or ""))


# ---------------------------------------------------------------- names
def test_a_misspelt_fact_gets_a_suggestion(errors):
    (diagnostic,) = errors("definition x of member = montly_income < 1")
    assert diagnostic.code == "PL010" and diagnostic.hint == "did you mean `monthly_income`?"
    assert (diagnostic.span.line, diagnostic.span.column, diagnostic.span.end_column) == (1, 26, 39)


def test_names_resolve_from_the_member_outwards(checked):
    rules = checked("definition x of member = assets\ndefinition y of member = household.assets\n"
                    "definition z of member = monthly_income")
    x, y, z = (definition(rules, name).body for name in "xyz")
    assert isinstance(x, ir.FactRef) and isinstance(y, ir.FactRef)
    assert (x.entity, x.name, x.up, x.type) == ("household", "assets", 1, MONEY)
    assert (y.entity, y.name, y.up) == (x.entity, x.name, x.up)
    assert (z.entity, z.up) == ("member", 0)


def test_a_household_does_not_see_member_facts(errors):
    (diagnostic,) = errors("definition x of household = monthly_income")
    assert diagnostic.code == "PL010"


def test_a_definition_may_use_a_later_definition(checked):
    rules = checked("definition a of member = b + 1\ndefinition b of member = disability_grade")
    assert definition(rules, "a").type == INT


def test_duplicate_condition_names(errors):
    diagnostics = errors('program p "测试"\n cite illustrative "x"\n condition c: true\n'
                         ' condition c: false\nend')
    assert [(d.code, d.span.line) for d in diagnostics] == [("PL011", 4)]


# ---------------------------------------------------------------- decision references
PROGRAMS = '''
program member_aid "成员补贴"
  subject member
  cite illustrative "x"
  condition poor: monthly_income < 100
end

program household_aid "家庭补贴"
  subject household
  cite illustrative "x"
  condition poor: assets < 100
end
'''


def test_household_eligible_for_resolves_one_level_up(checked):
    rules = checked(PROGRAMS + '''
program uses_it "测试"
  subject member
  cite illustrative "x"
  condition a: household eligible for household_aid
  condition b: eligible for member_aid
  condition c: eligible for household_aid
end''')
    a, b, c = (cond.test for cond in rules.programs["uses_it"].conditions)
    assert (a.program, a.entity, a.up, a.type) == ("household_aid", "household", 1, BOOL)
    assert (b.program, b.entity, b.up) == ("member_aid", "member", 0)
    assert (c.program, c.entity, c.up) == ("household_aid", "household", 1)


def test_an_exception_for_each_member_sees_the_household_decision(checked):
    rules = checked(PROGRAMS + '''
program top "测试"
  subject household
  cite illustrative "x"
  condition poor: assets < 10
  exception single "单人" for each member
    cite illustrative "y"
    condition edge: household eligible for household_aid
    condition own: eligible for member_aid
  end
end''')
    exception = rules.programs["top"].exceptions[0]
    assert exception.scope == "member"
    edge, own = (cond.test for cond in exception.conditions)
    assert (edge.entity, edge.up) == ("household", 1)
    assert (own.entity, own.up) == ("member", 0)
    assert rules.programs["top"].subject_entities() == ("household", "member")


@pytest.mark.parametrize("test, code, words", [
    ("eligible for member_aid", "PL016", "`member_aid` decides for member, not for household"),
    ("member eligible for member_aid", "PL012", "`member` is not reachable from a household"),
    ("eligible for houshold_aid", "PL016", "unknown program `houshold_aid`"),
])
def test_decision_reference_errors(errors, test, code, words):
    diagnostics = errors(PROGRAMS + f'program p "测试"\n cite illustrative "x"\n condition c: {test}\nend')
    assert [d.code for d in diagnostics] == [code]
    assert words in diagnostics[0].message


def test_unknown_program_suggests_the_closest(errors):
    (diagnostic,) = errors(PROGRAMS + 'program p "测试"\n cite illustrative "x"\n'
                           ' condition c: eligible for houshold_aid\nend')
    assert diagnostic.hint == "did you mean `household_aid`?"


def test_yields_to_a_program_of_another_subject(errors):
    (diagnostic,) = errors(PROGRAMS + 'program p "测试"\n subject household\n yields to member_aid\n'
                           ' cite illustrative "x"\nend')
    assert diagnostic.code == "PL016" and "does not" in diagnostic.message


def test_a_program_may_not_use_its_own_decision(errors):
    (diagnostic,) = errors('program p "测试"\n cite illustrative "x"\n condition c: not eligible for p\nend')
    assert diagnostic.code == "PL040" and "p (household) → p (household)" in diagnostic.message


# ---------------------------------------------------------------- parameters and programs
def test_parameter_unit_must_fit_its_type(errors):
    (diagnostic,) = errors('parameter p : money per month\n national = 3 months cite illustrative "x"\nend')
    assert diagnostic.code == "PL021"


def test_int_parameter_must_be_whole(errors):
    (diagnostic,) = errors('parameter p : int\n national = 1.5 cite illustrative "x"\nend')
    assert diagnostic.code == "PL020" and "not a whole number" in diagnostic.message


def test_a_period_must_not_end_before_it_starts(errors):
    (diagnostic,) = errors('parameter p : int\n national from 2023-01-01 until 2022-01-01 = 1 '
                           'cite illustrative "x"\nend')
    assert diagnostic.code == "PL005"


def test_adjacent_periods_do_not_overlap(checked):
    rules = checked('parameter p : int\n national until 2022-12-31 = 1 cite illustrative "x"\n'
                    ' national from 2023-01-01 = 2 cite illustrative "x"\nend')
    assert [v.value for v in rules.parameters["p"].values] == [1, 2]


def test_an_empty_quote_is_refused(errors):
    (diagnostic,) = errors('program p "测试"\n cite illustrative "  "\nend')
    assert diagnostic.code == "PL042"


def test_an_amount_must_be_money_or_kwh(errors):
    (diagnostic,) = errors('program p "测试"\n cite illustrative "x"\n amount 3 rounded to 1\nend')
    assert diagnostic.code == "PL020" and "not money or kWh" in diagnostic.message


def test_exceptions_with_distinct_priorities_are_accepted(checked):
    rules = checked('''
program p "测试"
  cite illustrative "x"
  exception a for each member priority 1
    cite illustrative "y"
    condition c: serious_illness
  end
  exception b for each member priority 2
    cite illustrative "y"
    condition c: disability_grade > 0
  end
end''')
    assert [e.priority for e in rules.programs["p"].exceptions] == [1, 2]


def test_the_bundled_rules_check(ruleset):
    assert {"dibao", "dibao_edge", "tekun", "child_basic_living"} <= set(ruleset.programs)


# ---------------------------------------------------------------- the types at run time
def test_conversions_and_durations_evaluate_as_typed(tmp_path):
    """per_year(x) is 12 x, 2 years * x is 24 x, and the amount's `per` follows the type."""
    for name in SHARED:
        shutil.copyfile(RULES / name, tmp_path / name)
    (tmp_path / "p.policy").write_text('''
program yearly "年度" / "yearly"
  subject member
  cite illustrative "x"
  condition some: monthly_income > 0
  amount per_year(monthly_income) rounded half_up to 0.01
end

program lump "一次性" / "lump"
  subject member
  cite illustrative "x"
  condition some: monthly_income > 0
  amount 2 years * monthly_income rounded half_up to 0.01
end

program quarterly "季度" / "quarterly"
  subject member
  cite illustrative "x"
  condition some: monthly_income > 0
  amount per_quarter(monthly_income) / 2 rounded down to 1
end
''', encoding="utf-8")
    rules = policylang.load(tmp_path)
    household = example_household("changzhou-dibao")
    household["members"][0]["monthly_income"] = "1000.005"
    (result,) = rules.evaluate(household, dt.date(2023, 8, 1))
    assert result.errors == ()
    yearly, lump, quarterly = (result.find(p, "a") for p in ("yearly", "lump", "quarterly"))
    assert (yearly.amount.value, yearly.amount.per) == (Decimal("12000.06"), "year")
    assert (lump.amount.value, lump.amount.per) == (Decimal("24000.12"), "once")
    assert (quarterly.amount.value, quarterly.amount.per) == (Decimal("1500"), "quarter")
    assert result.find("yearly", "b").outcome == "not_eligible"


# ---------------------------------------------------------------- crashes found by fuzzing
def test_a_filter_over_a_relation_to_an_unknown_entity_is_a_diagnostic():
    module = parse_text("entity household\n  key id : text\n  has members : list of person\nend\n"
                        "definition n of household = count(members where true)\n", "r.policy")
    with pytest.raises(PolicyError) as caught:
        check([module])
    assert [d.code for d in caught.value.diagnostics] == ["PL012"]


def test_a_misspelt_path_in_an_example_is_found_by_check(tmp_path):
    """`with persons[1].earning = …` was reported only when the example ran, with no line."""
    from pathlib import Path
    family = Path(__file__).resolve().parents[1] / "rulebooks" / "family"
    shutil.copytree(family, tmp_path / "family")
    book = tmp_path / "family" / "persons.policy"
    book.write_text(book.read_text(encoding="utf-8").replace(
        "with persons[1].earnings =", "with persons[1].earning ="), encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        policylang.load(tmp_path / "family")
    [found] = raised.value.diagnostics
    assert (found.code, found.span.file.endswith("persons.policy")) == ("PL010", True)
    assert found.message == ("the example changes `persons[1].earning`, but a person has no "
                             "fact or list `earning`")
    assert found.hint == "did you mean `earnings`?"


@pytest.mark.parametrize("call, hint", [
    ("month(evaluation_date)", "`month_of(date)`"),
    ("today()", "`evaluation_date`"),
    ("len(members)", "`count(members)`"),
    ("coutn(members)", "did you mean `count`?"),
])
def test_an_unknown_function_says_what_policylang_writes_instead(call, hint):
    with pytest.raises(PolicyError) as raised:
        check([parse_text(f'''entity household "家庭" / "household"
  key id : text
  has members "成员" / "members" : list of member
end
entity member "成员" / "member"
  key id : text
end
definition d "d" / "d" of household = {call}
''', "f.policy")])
    [found] = raised.value.diagnostics
    assert found.code == "PL010" and hint in found.hint
