"""The diagnostics catalogue: every code policylang reports, in a policy officer's words.

Each `Code` says what went wrong, shows a small example that produces exactly that code, and
the corrected text. Rule examples (PL0xx) are checked in a folder together with copies of
`rules/schema.policy`, `rules/places.policy` and `rules/sources.policy`, beside a copy of
`examples/` (the `example` blocks read `../examples/…`); facts examples (PL1xx) are
households derived from `examples/changzhou-dibao.json`; run-time examples (PL2xx) are rules
with the household they are evaluated for. `tests/tools/test_codes.py` checks every example.

`explain_code` gives the plain text of one entry (for `policylang explain-code PL012`);
`write_code_pages` writes one Markdown page per code and an index (`docs/codes/`).

>>> print(explain_code("PL043").splitlines()[0])
PL043: A money amount that does not say how it is rounded (error)
>>> explain_code("PL433")
Traceback (most recent call last):
...
KeyError: 'unknown diagnostic code `PL433`; did you mean `PL043`?'
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import attrs

from ..core.diagnostics import did_you_mean

ERROR, WARNING, NOTE = "error", "warning", "note"
SHARED_FILES = ("rules/schema.policy", "rules/places.policy", "rules/sources.policy")


@attrs.frozen
class Code:
    """One diagnostic code: what it means, an example that produces it, and the fix.

    `bad_example` and `fixed_example` are `.policy` text for rule and run-time codes, a
    household (JSON) for facts codes, and shell commands for PL006. Run-time codes also give
    the household the rules are evaluated for (`facts`, and `previous` for a monitoring rule)
    and the date; the rules' `example` blocks read them as `household.json` and `before.json`
    saved beside the rules.
    """

    code: str
    title: str
    severity: str
    meaning: str
    bad_example: str
    fix: str
    fixed_example: str
    facts: str = ""
    previous: str = ""
    date: str = ""
    note: str = ""
    language: str = ""

    @property
    def group(self) -> str:
        """`rules` (PL0xx), `facts` (PL1xx) or `run-time` (PL2xx)."""
        return {"0": "rules", "1": "facts", "2": "run-time"}[self.code[2]]

    @property
    def fence(self) -> str:
        """The language of the examples' code fences: policy, json or console."""
        return self.language or ("json" if self.group == "facts" else "policy")

    @property
    def reported_by(self) -> str:
        if self.code == "PL050":
            return "`policylang test` (an error with `policylang test --strict`)"
        if self.code == "PL070":
            return "`policylang check`, and `policylang screen` before it reads a table"
        if self.group == "facts":
            return "`policylang eval`, `explain` and `test`, when they read household facts"
        if self.group == "run-time":
            return "`policylang eval` and `explain` (and `test` for examples), for one household"
        return "`policylang check`, and every command that reads the rules"


# ---------------------------------------------------------------- shared pieces of examples
PENSION = '''program pension_top_up "养老补贴(示例)" / "Pension top-up (example)"
  subject member
  applies in national
  cite illustrative "an example rule: members earning under 500 a month are topped up to 500"
  condition low_income "月收入低于500元" / "monthly income below 500": monthly_income < 500
  amount 500 - monthly_income rounded half_up to 0.01
end
'''

COMPANY = '''{older}

program elder_company "陪伴补贴(示例)" / "Company allowance (example)"
  subject member
  applies in national
  cite illustrative "an example rule: a member living with two members born before 1970"
  condition two_older "与两名年长成员同住" / "lives with two older members": {test}
  amount 50 yuan rounded half_up to 0.01
end

example "Changzhou: a and b were both born before 1970" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  expect elder_company for a eligible 50.00
end
'''
COMPANY_PER_MEMBER = '''definition older_members "年长的家庭成员数" / "older members of the household" of member =
  count(household.members where birth_date < 1970-01-01)'''
COMPANY_PER_HOUSEHOLD = '''definition older_members "年长的成员数" / "older members" of household =
  count(members where birth_date < 1970-01-01)'''

PENSION_EXAMPLE = '''example "Changzhou: b has no income, a earns 1800" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  expect pension_top_up for b eligible 500.00
  expect pension_top_up for a not_eligible
end
'''

HOME_CARE_AMOUNT = '''parameter home_care_amount "居家上门服务(每人每月)" / "home care, per month" : money per month
  donghai = 30 cite donghai_2022 "每月標(biāo)準(zhǔn)不低于30元"
end
'''

HOME_CARE = '''program home_care "居家上门服务(示例)" / "Home-care services (example)"
  subject member
  applies in donghai
  cite donghai_2022 "對全縣80周歲以上的老年人上門為其提供助餐、助浴、助潔、助醫(yī)、助購等貼近居家老年人生活照料需求的服務(wù)事項"
  condition aged_80 "80周岁以上" / "aged 80 or over": age >= 80
  amount home_care_amount rounded half_up to 0.01
end
'''

HOME_CARE_EXAMPLE = '''example "Donghai: the grandmother (85) is served, the child is not" on 2023-08-01
  facts "../examples/donghai-orphan.json"
  expect home_care for grandma eligible 30.00
  expect home_care for child not_eligible
end
'''

ORPHAN_KUNMING = '''program orphan_allowance "孤儿基本生活费(示例)" / "Orphan allowance (example)"
  subject member
  applies in kunming
  cite kunming_2022 "将孤儿、艾滋病病毒感染儿童和事实无人抚养儿童纳入基本生活费保障"
  condition orphan "孤儿" / "orphan": orphan
  amount orphan_standard rounded half_up to 0.01
end

example "Kunming: p3, as an orphan, gets 1374 a month" on 2023-08-01
  facts "../examples/kunming-edge-family.json"
  with members[2].orphan = true
  expect orphan_allowance for p3 eligible 1374.00
  expect orphan_allowance for p1 not_eligible
end
'''

ORPHAN_DONGHAI = '''program orphan_allowance "孤儿基本生活费(示例)" / "Orphan allowance (example)"
  subject member
  applies in donghai
  cite donghai_2022 "2022年全縣散居孤兒供養(yǎng)由1500元/人月提高到1646元/人月"
  condition orphan "孤儿" / "orphan": orphan
  amount orphan_standard rounded half_up to 0.01
end

example "Donghai: the orphan gets 1646 a month in 2023" on 2023-08-01
  facts "../examples/donghai-orphan.json"
  expect orphan_allowance for child eligible 1646.00
  expect orphan_allowance for grandma not_eligible
end
'''

DONGHAI_ORPHAN_QUOTE = '"2022年全縣散居孤兒供養(yǎng)由1500元/人月提高到1646元/人月"'

CARE_AID_HEAD = '''program care_aid "护理补贴(示例)" / "Care aid (example)"
  subject household
  applies in national
  cite illustrative "an example rule"
  condition poor "家庭金融资产少于1万元" / "financial assets under 10000": assets < 10000
  amount 100 yuan rounded half_up to 0.01
'''

RESPECT_HEAD = '''program respect_allowance "尊老金(示例)" / "Allowance for the very old (example)"
  subject member
  applies in national
  cite illustrative "an example rule: 50 yuan from 80, more in some bands"
  condition aged_80 "80周岁以上" / "aged 80 or over": age >= 80
  amount 50 yuan rounded half_up to 0.01
'''

RESPECT_EXAMPLE = '''example "Donghai: the grandmother (85) gets 50, the child nothing" on 2023-08-01
  facts "../examples/donghai-orphan.json"
  expect respect_allowance for grandma eligible 50.00
  expect respect_allowance for child not_eligible
end
'''

CYCLE = '''program housing_aid "住房救助(示例)" / "Housing aid (example)"
  subject household
  applies in national
  cite illustrative "an example rule"
  condition few_assets "家庭金融资产少于1万元" / "financial assets under 10000": assets < 10000
{housing_extra}end

program heating_aid "取暖补贴(示例)" / "Heating aid (example)"
  subject household
  applies in national
  cite illustrative "an example rule"
  condition few_assets "家庭金融资产少于1万元" / "financial assets under 10000": assets < 10000
  condition no_housing "不享受住房救助" / "not already getting housing aid": not eligible for housing_aid
end

example "Changzhou: housing aid, and so no heating aid" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  expect housing_aid eligible
  expect heating_aid not_eligible
end
'''
CYCLE_EXTRA = ('  condition no_heating "不享受取暖补贴" / "not already getting heating aid": '
               'not eligible for heating_aid\n')

INCOME_DROP = '''program income_drop "收入骤降(示例)" / "Income drop (example)"
  subject member
  applies in national
{needs}  cite illustrative "an example monitoring rule"
  condition halved "月收入减少一半以上" / "monthly income more than halved": monthly_income * 2 < previous(monthly_income)
end

example "a earned 4000 before and 1800 now" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  with previous members[0].monthly_income = "4000.00"
  expect income_drop for a eligible
  expect income_drop for b not_eligible
end
'''

COVERAGE_HOME_CARE = HOME_CARE.replace(
    '  amount home_care_amount', '  condition local "东海户籍" / "Donghai hukou": hukou within "donghai"\n'
    '  amount home_care_amount')

COVERAGE_EXAMPLE_2 = '''
example "Donghai: a grandmother whose hukou is in Changzhou is not served" on 2023-08-01
  facts "../examples/donghai-orphan.json"
  with members[1].hukou = "changzhou"
  expect home_care for grandma not_eligible
end
'''

GAP_PARAMETER = '''parameter orphan_standard "散居孤儿基本生活费(每人每月)" / "orphan allowance, per month" : money per month
  national = 1000 cite illustrative "an example national fallback"
  donghai until 2021-12-31 = 1500 cite donghai_2022 {quote}
  donghai from {start} = 1646 cite donghai_2022 {quote}
end

'''

OVERLAP_PARAMETER = '''parameter orphan_standard "散居孤儿基本生活费(每人每月)" / "orphan allowance, per month" : money per month
  donghai until {end} = 1500 cite donghai_2022 {quote}
  donghai from 2022-01-01 = 1646 cite donghai_2022 {quote}
end

'''

EXCEPTIONS_UNPROVABLE = CARE_AID_HEAD + '''
  exception disabled "重度残疾或重度失能" / "severe disability or dependency" for each member{p1}
    cite illustrative "an example clause"
    condition severe "一、二级残疾或重度失能" / "grade 1 or 2, or severely dependent": disability_grade in {{1, 2}} or care_dependency == severe
    amount 300 yuan rounded half_up to 0.01
  end

  exception ill "重病" / "serious illness" for each member{p2}
    cite illustrative "an example clause"
    condition ill "患重特大疾病" / "serious illness": serious_illness
    amount 200 yuan rounded half_up to 0.01
  end
end
'''

# ---------------------------------------------------------------- run-time pieces
WORK_SUPPORT = '''definition income_per_worker "劳动力人均月收入" / "income per member able to work" of household : money per month =
  sum(members, monthly_income) / count(members where can_work)

program work_support "就业帮扶(示例)" / "Work support (example)"
  subject household
  applies in national
  cite illustrative "an example rule"
{guard}  condition low_pay "劳动力人均月收入低于1500元" / "income per worker below 1500": income_per_worker < 1500
end

example "Nobody in the household can work" on 2023-08-01
  facts "household.json"
  expect work_support not_eligible
end
'''
WORK_GUARD = ('  condition has_worker "有劳动能力的成员" / "someone can work": '
              'count(members where can_work) > 0\n')

NOBODY_WORKS = '''{
  "id": "changzhou-dibao",
  "jurisdiction": "changzhou",
  "members": [
    {"id": "a", "monthly_income": "1800.00", "can_work": false},
    {"id": "b", "monthly_income": "0.00", "can_work": false}
  ]
}
'''

BANDED = '''parameter income_bands "收入分档补贴(示例)" / "allowance by income band (example)" : money per month
  national = bands {{{low}: 300, 1000: 200, 2000: 100}} cite illustrative "an example scale"
end

program banded_allowance "分档补贴(示例)" / "Banded allowance (example)"
  subject member
  applies in national
  cite illustrative "an example rule"
  amount income_bands(monthly_income) rounded half_up to 0.01
end

example "a earns 1800, b nothing" on 2023-08-01
  facts "household.json"
  expect banded_allowance for a eligible 200.00
end
'''

LATEST_EVENT = '''definition latest_event "最近事件日期" / "date of the latest event" of household : date = max(events, date)

program emergency_check "急难核查(示例)" / "Emergency check (example)"
  subject household
  applies in national
  cite illustrative "an example rule"
{guard}  condition recent "最近事件在3个月内" / "the latest event in the last 3 months": latest_event > evaluation_date - 3 months
end

example "A household without events" on 2023-08-01
  facts "household.json"
  expect emergency_check not_eligible
end
'''
EVENT_GUARD = '  condition has_event "有事件记录" / "an event is recorded": count(events) > 0\n'

NO_EVENTS = '''{
  "id": "changzhou-dibao",
  "jurisdiction": "changzhou",
  "events": [],
  "members": [
    {"id": "a", "monthly_income": "1800.00"}
  ]
}
'''

FAR_EVENT = '''definition latest_event "最近事件日期" / "date of the latest event" of household : date = max(events, date)

program emergency_check "急难核查(示例)" / "Emergency check (example)"
  subject household
  applies in national
  cite illustrative "an example rule"
  condition recent "最近事件在3个月内" / "the latest event in the last 3 months": {test}
end

example "An event dated 9999-12-01, written for 'no end date'" on 2023-08-01
  facts "household.json"
  expect emergency_check eligible
end
'''

EVENT_AT_THE_END_OF_TIME = '''{
  "id": "changzhou-dibao",
  "jurisdiction": "changzhou",
  "events": [{"kind": "accident", "date": "9999-12-01", "jurisdiction": "changzhou"}],
  "members": [
    {"id": "a", "monthly_income": "1800.00"}
  ]
}
'''

INCOME_SCORE = '''program income_score "收入评分(示例)" / "Income score (example)"
  subject household
  applies in national
  cite illustrative "an example rule"
  condition some_income "有收入" / "some income": sum(members, monthly_income) * {factor} > 0
end

example "One member earning 1800" on 2023-08-01
  facts "household.json"
  expect income_score eligible
end
'''

INCOME_WATCH = '''program income_watch "收入变化监测(示例)" / "Income watch (example)"
  subject member
  applies in national
  needs previous
  cite illustrative "an example monitoring rule"
{guard}  condition income_fell "月收入减少1000元以上" / "monthly income fell by more than 1000":
    previous(monthly_income) - monthly_income > 1000
end

example "b was not in the previous snapshot" on 2023-08-01
  facts "household.json"
  previous facts "before.json"
  expect income_watch for a eligible
  expect income_watch for b not_eligible
end
'''
WATCH_GUARD = ('  condition known_before "上次快照中已有此人" / "in the previous snapshot": '
               'not (previous(monthly_income) is absent)\n')

TWO_MEMBERS = '''{
  "id": "changzhou-dibao",
  "jurisdiction": "changzhou",
  "members": [
    {"id": "a", "monthly_income": "1800.00"},
    {"id": "b", "monthly_income": "0.00"}
  ]
}
'''

ONLY_A_BEFORE = '''{
  "id": "changzhou-dibao",
  "jurisdiction": "changzhou",
  "members": [
    {"id": "a", "monthly_income": "4000.00"}
  ]
}
'''

BOTH_EXCEPTIONS = '''{
  "id": "changzhou-dibao",
  "jurisdiction": "changzhou",
  "assets": "5000.00",
  "members": [
    {"id": "a", "disability_grade": 1, "care_dependency": "none", "serious_illness": true}
  ]
}
'''

BOTH_EXCEPTIONS_EXAMPLE = '''
example "a is disabled (grade 1) and seriously ill" on 2023-08-01
  facts "household.json"
  expect care_aid for a eligible {amount} by {by}
end
'''

LEFT_DIBAO = '''parameter dibao_standard "低保标准(每人每月)" / "dibao standard per person per month" : money per month
  changzhou from 2023-01-01 = 1000 cite changzhou_2023 "市民政局将最低生活保障标准提高到每人每月1000元"
end

program left_dibao "收入超过低保标准(示例)" / "Income now above the dibao standard (example)"
  subject household
  applies in changzhou from 2023-01-01
  needs previous
  cite illustrative "an example monitoring rule"
{guard}  condition was_below "上次收入低于低保标准" / "income below the standard last time":
    previous(sum(members, monthly_income) < dibao_standard)
  condition now_above "现在收入不低于低保标准" / "income at or above the standard now":
    sum(members, monthly_income) >= dibao_standard
end

example "The household lived in Kunming last time" on 2023-08-01
  facts "household.json"
  previous facts "before.json"
  expect left_dibao {outcome}
end
'''
PLACE_GUARD = ('  condition same_place "上次也在本地" / "lived here last time too": '
               'previous(jurisdiction) == jurisdiction\n')

CHANGZHOU_NOW = '''{
  "id": "changzhou-dibao",
  "jurisdiction": "changzhou",
  "members": [
    {"id": "a", "monthly_income": "1800.00"}
  ]
}
'''

KUNMING_BEFORE = '''{
  "id": "changzhou-dibao",
  "jurisdiction": "kunming",
  "members": [
    {"id": "a", "monthly_income": "500.00"}
  ]
}
'''


# ---------------------------------------------------------------- facts pieces
def _household(members: str) -> str:
    """A small household derived from examples/changzhou-dibao.json, with these members."""
    return ('{\n  "id": "changzhou-dibao",\n  "jurisdiction": "changzhou",\n'
            f'  "assets": "5000.00",\n  "members": [\n{members}\n  ]\n}}\n')


MEMBER_A = ('    {"id": "a", "birth_date": "1960-01-15", "relation": "head", '
            '"monthly_income": "1800.00",\n     "can_work": true, "disability_grade": 0}')
MEMBER_B = ('    {"id": "b", "birth_date": "1962-07-30", "relation": "spouse", '
            '"monthly_income": "0.00",\n     "can_work": false, "disability_grade": 3}')


def _member_a(**changes: str) -> str:
    text = MEMBER_A
    for key, value in changes.items():
        text = re.sub(rf'"{key}": [^,}}]+', f'"{key}": {value}', text)
    return text


def _many_members(count: int) -> str:
    ids = [f'{{"id": "m{i:03d}"}}' for i in range(1, count + 1)]
    lines = [", ".join(ids[i:i + 8]) for i in range(0, count, 8)]
    return ",\n".join("    " + line for line in lines)


# ---------------------------------------------------------------- the catalogue
_ENTRIES = [
    # ------------------------------------------------------------ reading and parsing
    Code(
        "PL001", "A word or symbol is missing or out of place", ERROR,
        "The rules cannot be read at this point: a word or symbol is missing (often the `:` "
        "after a condition's label, or an `end`), or something is written where it cannot go. "
        "The message says what was found and what could come next there, and which block it "
        "is in; a misspelt keyword (`condtion`) gets a did-you-mean. Reading stops at the "
        "first such mistake of each file.",
        PENSION.replace('below 500": monthly_income', 'below 500" monthly_income')
        + "\n" + PENSION_EXAMPLE,
        "Write what the message says is expected: here the `:` between the condition's label "
        "and its test.",
        PENSION + "\n" + PENSION_EXAMPLE),
    Code(
        "PL002", "A character policylang does not accept", ERROR,
        "A character outside a quoted text that is not part of the language, such as a "
        "full-width `＜` or `：` typed with a Chinese input method, `≥` from a formula editor, "
        "or curly quotes `“…”` from a word processor (the hint names the character to type "
        "instead); a quoted text with an escape policylang does not know (`\\q`); or a "
        "rules file that is not saved as UTF-8 text.",
        PENSION.replace("monthly_income < 500", "monthly_income ＜ 500") + "\n" + PENSION_EXAMPLE,
        "Type the operator with plain (half-width) characters: `<`, `<=`, `>`, `>=`, `==`, "
        "`!=`. Chinese text is welcome inside quotes and in names. Save files as UTF-8.",
        PENSION + "\n" + PENSION_EXAMPLE),
    Code(
        "PL003", "A block is not closed with `end`", ERROR,
        "A `program`, `exception`, `entity`, `parameter` or `example` block runs to the end "
        "of the file: its `end` is missing. The message names the block and the line where it "
        "starts.",
        PENSION_EXAMPLE + "\n" + PENSION.replace("\nend\n", "\n"),
        "Add `end` where the block finishes.",
        PENSION_EXAMPLE + "\n" + PENSION),
    Code(
        "PL004", "A file or an expression is too large", ERROR,
        "policylang stops cleanly at its limits: a policy file larger than 2,000,000 bytes, or "
        "an expression nested more than 120 levels deep (usually rules written by a program, "
        "or a copy-and-paste gone wrong).",
        PENSION.replace(
            "monthly_income < 500",
            "\n" + "\n".join("    " + " ".join(["not"] * 10) for _ in range(13))
            + "\n    monthly_income < 500") + "\n" + PENSION_EXAMPLE,
        "Split the file, or write the expression more simply; put long parts in "
        "`definition`s. (Here the 130 `not`s cancel out.)",
        PENSION + "\n" + PENSION_EXAMPLE),
    Code(
        "PL005", "A date that does not exist, or a period that ends before it starts", ERROR,
        "Dates are written YYYY-MM-DD and must exist on the calendar (there is no 30 "
        "February). A period `from A until B` must not end before it starts.",
        PENSION.replace("applies in national", "applies in national from 2023-02-30")
        + "\n" + PENSION_EXAMPLE,
        "Write a date that exists, and check that `until` is not before `from`.",
        PENSION.replace("applies in national", "applies in national from 2023-03-01")
        + "\n" + PENSION_EXAMPLE),
    Code(
        "PL006", "The rules path does not exist or holds no rules", ERROR,
        "The rules were looked for in a folder that holds no `.policy` files (here the folder "
        "of household facts), or, from Python (`policylang.load`), in a file or folder that "
        "does not exist. (On the command line a path that does not exist is refused before "
        "anything is read.)",
        "$ policylang check examples\nexamples:1:1: error[PL006]: no .policy files under examples\n",
        "Give the path of the rules folder (or file); `.policy` files are found in it and in "
        "every folder under it.",
        "$ policylang check rules\n", language="console"),
    # ------------------------------------------------------------ names and declarations
    Code(
        "PL010", "An unknown name", ERROR,
        "A name that is not a fact, relation, definition or parameter visible here; an unknown "
        "function; or a value that is not one of its list's values (enum). Usually a typing "
        "mistake: the hint suggests the closest known name.",
        PENSION.replace("monthly_income < 500", "montly_income < 500") + "\n" + PENSION_EXAMPLE,
        "Correct the spelling (the hint says `did you mean …`), or declare the name.",
        PENSION + "\n" + PENSION_EXAMPLE),
    Code(
        "PL011", "A name or item given twice", ERROR,
        "Two declarations of one kind share a name (two parameters, two conditions of one "
        "program), a block states twice an item it may state once (`subject`, `applies`, "
        "`amount`, `paid to`), or a `report` takes the name of a field every decision has.",
        PENSION.replace(
            "  amount", '  condition low_income "不能劳动" / "cannot work": not can_work\n  amount')
        + "\n" + PENSION_EXAMPLE,
        "Give each one its own name, or remove the repeated item.",
        PENSION.replace(
            "  amount", '  condition cannot_work "不能劳动" / "cannot work": not can_work\n  amount')
        + "\n" + PENSION_EXAMPLE),
    Code(
        "PL012", "A problem with an entity (household, member, event)", ERROR,
        "An unknown entity (in `subject`, `for each` or `of`); rules that do not have exactly "
        "one top entity (the one no `has … : list of …` holds: the household); an entity held "
        "by two relations; an exception `for each` an entity that is not under the program's "
        "subject; a decision used from where it cannot be reached; or rules that look up "
        "parameters or test `applies in` while the top entity has no fact of type `place`, "
        "or several.",
        '''program asset_check "资产核查(示例)" / "Asset check (example)"
  subject househld
  applies in national
  cite illustrative "an example rule"
  condition few_assets "家庭金融资产少于1万元" / "financial assets under 10000": assets < 10000
end

example "Changzhou: 5000 in assets" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  expect asset_check eligible
end
''',
        "Name one of the entities of the schema: `household`, `member` or `event`.",
        '''program asset_check "资产核查(示例)" / "Asset check (example)"
  subject household
  applies in national
  cite illustrative "an example rule"
  condition few_assets "家庭金融资产少于1万元" / "financial assets under 10000": assets < 10000
end

example "Changzhou: 5000 in assets" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  expect asset_check eligible
end
'''),
    Code(
        "PL013", "An unknown type or period", ERROR,
        "A type that does not exist, a period on something other than money or kWh, or a "
        "period other than month, quarter or year.",
        HOME_CARE_AMOUNT.replace(": money per month", ": money per week") + "\n" + HOME_CARE
        + "\n" + HOME_CARE_EXAMPLE,
        "Use one of the types of the language reference; money and kWh may be `per month`, "
        "`per quarter` or `per year`.",
        HOME_CARE_AMOUNT + "\n" + HOME_CARE + "\n" + HOME_CARE_EXAMPLE),
    Code(
        "PL014", "An unknown place", ERROR,
        "A jurisdiction that is not declared, in `applies in`, a parameter value, `within`, "
        "or a place written in an expression. Usually a typing mistake: the hint suggests the "
        "closest declared place.",
        HOME_CARE_AMOUNT + "\n" + HOME_CARE.replace("applies in donghai", "applies in donghia")
        + "\n" + HOME_CARE_EXAMPLE,
        "Correct the name, or declare the place with `jurisdiction NAME \"label\" within "
        "PARENT` (the bundled places are in `rules/places.policy`).",
        HOME_CARE_AMOUNT + "\n" + HOME_CARE + "\n" + HOME_CARE_EXAMPLE),
    Code(
        "PL015", "An unknown source", ERROR,
        "A `cite` names a source that is not declared.",
        HOME_CARE_AMOUNT + "\n" + HOME_CARE.replace("cite donghai_2022", "cite donghai_2020")
        + "\n" + HOME_CARE_EXAMPLE,
        "Cite a declared source (the bundled ones are in `rules/sources.policy`), declare the "
        "new one with `source`, or write `cite illustrative \"…\"` for a value no article gives.",
        HOME_CARE_AMOUNT + "\n" + HOME_CARE + "\n" + HOME_CARE_EXAMPLE),
    Code(
        "PL016", "An unknown program or exception", ERROR,
        "A program named in `eligible for`, `yields to` or an example's `expect` does not "
        "exist (or does not decide for the level asked); or an example's `by` names an "
        "exception the program does not have.",
        HOME_CARE_AMOUNT + "\n" + HOME_CARE + "\n"
        + HOME_CARE_EXAMPLE.replace("expect home_care for grandma", "expect home_care_service for grandma"),
        "Use the program's name as declared after `program` (and an exception's after "
        "`exception`).",
        HOME_CARE_AMOUNT + "\n" + HOME_CARE + "\n" + HOME_CARE_EXAMPLE),
    # ------------------------------------------------------------ types and units
    Code(
        "PL020", "Values of kinds that do not go together", ERROR,
        "Two values that cannot be compared, added or multiplied (a date with a number, a "
        "place with money); `in` without a set; an amount that is not money or kWh; a "
        "definition or report that does not compute the type it declares; a parameter value "
        "that does not fit its type.",
        HOME_CARE_AMOUNT + "\n" + HOME_CARE.replace("age >= 80", "birth_date >= 80")
        + "\n" + HOME_CARE_EXAMPLE,
        "Compare like with like: here the age in full years (`age`, computed from the birth "
        "date) with 80.",
        HOME_CARE_AMOUNT + "\n" + HOME_CARE + "\n" + HOME_CARE_EXAMPLE),
    Code(
        "PL021", "Amounts in different units or periods", ERROR,
        "Money per month mixed with money per year, a stock of money (assets) with money per "
        "period, or a parameter value written in another unit than its parameter's. The "
        "checker never converts silently.",
        '''program medical_relief "医疗救助(示例)" / "Medical relief (example)"
  subject member
  applies in national
  cite illustrative "an example rule"
  condition heavy_bills "自付医疗费超过年收入" / "self-paid medical costs above the yearly income": medical_self_pay_in_catalogue > monthly_income
end

example "Changzhou: 8000 a year, a earns 21600 a year, b nothing" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  expect medical_relief for b eligible
  expect medical_relief for a not_eligible
end
''',
        "Convert one side first: `per_year(…)`, `per_month(…)`, `per_quarter(…)`; for a stock "
        "against money per period, multiply by a duration (`24 months * …`).",
        '''program medical_relief "医疗救助(示例)" / "Medical relief (example)"
  subject member
  applies in national
  cite illustrative "an example rule"
  condition heavy_bills "自付医疗费超过年收入" / "self-paid medical costs above the yearly income": medical_self_pay_in_catalogue > per_year(monthly_income)
end

example "Changzhou: 8000 a year, a earns 21600 a year, b nothing" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  expect medical_relief for b eligible
  expect medical_relief for a not_eligible
end
'''),
    Code(
        "PL022", "A condition that is not a yes-or-no question", ERROR,
        "A condition, trigger, `when`, or a part of `and`, `or`, `not`, `if`, `where`, `any` "
        "or `all` gives a number, an amount or a text, where yes or no is needed.",
        PENSION.replace("monthly_income < 500", "monthly_income") + "\n" + PENSION_EXAMPLE,
        "Write the test in full: `monthly_income < 500`.",
        PENSION + "\n" + PENSION_EXAMPLE),
    Code(
        "PL023", "A function given the wrong number of values", ERROR,
        "A function is called with more or fewer values than it takes: `years_since` and "
        "`previous` take one, `min` and `max` two (or a list and a value).",
        HOME_CARE_AMOUNT + "\n"
        + HOME_CARE.replace("age >= 80", "years_since(birth_date, evaluation_date) >= 80")
        + "\n" + HOME_CARE_EXAMPLE,
        "Give the function what it takes: `years_since(birth_date)` counts full years to the "
        "evaluation date already.",
        HOME_CARE_AMOUNT + "\n"
        + HOME_CARE.replace("age >= 80", "years_since(birth_date) >= 80")
        + "\n" + HOME_CARE_EXAMPLE),
    # ------------------------------------------------------------ parameters
    Code(
        "PL030", "A parameter with no value where and when a program needs it", ERROR,
        "A program applies in a place on some date where a parameter it uses has no value in "
        "force, neither for that place nor for any place above it. Checked only when the rules "
        "have no other error.",
        '''parameter orphan_standard "散居孤儿基本生活费(每人每月)" / "orphan allowance, per month" : money per month
  kunming from 2022-01-01 = 1374 cite kunming_2022 "社会散居孤儿和艾滋病病毒感染儿童每人每月1374元"
end

''' + ORPHAN_KUNMING,
        "Add a value for the place (or a place above it) for the missing dates, or make the "
        "program apply only where and when there are values: here from 2022-01-01.",
        '''parameter orphan_standard "散居孤儿基本生活费(每人每月)" / "orphan allowance, per month" : money per month
  kunming from 2022-01-01 = 1374 cite kunming_2022 "社会散居孤儿和艾滋病病毒感染儿童每人每月1374元"
end

''' + ORPHAN_KUNMING.replace("applies in kunming", "applies in kunming from 2022-01-01")),
    Code(
        "PL031", "Two values of a parameter in force on the same day", ERROR,
        "Two values of one parameter for the same place overlap in time, so policylang would "
        "have to pick one silently. Typical when a new standard is added and the old one is "
        "not closed.",
        OVERLAP_PARAMETER.format(end="2022-06-30", quote=DONGHAI_ORPHAN_QUOTE) + ORPHAN_DONGHAI,
        "End the earlier value the day before the new one starts (`until 2021-12-31`).",
        OVERLAP_PARAMETER.format(end="2021-12-31", quote=DONGHAI_ORPHAN_QUOTE) + ORPHAN_DONGHAI),
    # ------------------------------------------------------------ programs and exceptions
    Code(
        "PL040", "Rules that depend on each other in a circle", ERROR,
        "Programs (or definitions) use each other's decisions in a circle: to decide A you "
        "need B, and to decide B you need A. Checked only when the rules have no other error.",
        CYCLE.format(housing_extra=CYCLE_EXTRA),
        "Decide which program comes first: only the second may use the first's decision "
        "(`yields to` says the same for programs that exclude each other).",
        CYCLE.format(housing_extra="")),
    Code(
        "PL041", "Two exceptions can both apply, with no priority", ERROR,
        "Two exceptions of one program, for the same people, can both hold for someone, and "
        "neither has a `priority` (or both have the same one): which amount is paid would be a "
        "silent pick. policylang proves the overlap from the conditions; where it cannot tell, "
        "it warns instead (PL061).",
        CARE_AID_HEAD + '''
  exception disabled "重度残疾" / "severe disability" for each member
    cite illustrative "an example clause"
    condition severe "一、二级残疾" / "grade 1 or 2": disability_grade in {1, 2}
    amount 300 yuan rounded half_up to 0.01
  end

  exception ill "重病" / "serious illness" for each member
    cite illustrative "an example clause"
    condition ill "患重特大疾病" / "serious illness": serious_illness
    amount 200 yuan rounded half_up to 0.01
  end
end

example "Changzhou: a is seriously ill" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  expect care_aid eligible 100.00
  expect care_aid for a eligible 200.00 by ill
end
''',
        "Give each exception a distinct `priority N`; the higher number wins when both hold.",
        CARE_AID_HEAD + '''
  exception disabled "重度残疾" / "severe disability" for each member priority 2
    cite illustrative "an example clause"
    condition severe "一、二级残疾" / "grade 1 or 2": disability_grade in {1, 2}
    amount 300 yuan rounded half_up to 0.01
  end

  exception ill "重病" / "serious illness" for each member priority 1
    cite illustrative "an example clause"
    condition ill "患重特大疾病" / "serious illness": serious_illness
    amount 200 yuan rounded half_up to 0.01
  end
end

example "Changzhou: a is seriously ill" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  expect care_aid eligible 100.00
  expect care_aid for a eligible 200.00 by ill
end
'''),
    Code(
        "PL042", "A rule without a citation, or a citation that quotes nothing", ERROR,
        "Every program and every exception cites at least one source with the clause it comes "
        "from, so each decision can show its legal basis; a citation must quote something.",
        PENSION.replace('  cite illustrative "an example rule: members earning under 500 a month '
                        'are topped up to 500"\n', "") + "\n" + PENSION_EXAMPLE,
        "Add `cite SOURCE \"the clause\"`, or `cite illustrative \"…\"` while the real clause "
        "is not known.",
        PENSION + "\n" + PENSION_EXAMPLE),
    Code(
        "PL043", "A money amount that does not say how it is rounded", ERROR,
        "An amount of money must say how it is rounded, to a step above 0, so that every "
        "payment is an exact number of fen (or yuan).",
        PENSION.replace(" rounded half_up to 0.01", "") + "\n" + PENSION_EXAMPLE,
        "Add `rounded half_up to 0.01` (or `down`, `up`, `half_even`, and another step).",
        PENSION + "\n" + PENSION_EXAMPLE),
    Code(
        "PL044", "An exception for each member that does not say how much", ERROR,
        "An exception that decides `for each` member (or another entity under the program's "
        "subject) cannot take the program's amount, which is for the whole subject: it must "
        "state its own.",
        CARE_AID_HEAD + '''
  exception disabled "重度残疾" / "severe disability" for each member
    cite illustrative "an example clause"
    condition severe "一、二级残疾" / "grade 1 or 2": disability_grade in {1, 2}
  end
end

example "Changzhou: b's disability is grade 1" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  with members[1].disability_grade = 1
  expect care_aid eligible 100.00
  expect care_aid for b eligible 300.00 by disabled
end
''',
        "Add an `amount` line to the exception.",
        CARE_AID_HEAD + '''
  exception disabled "重度残疾" / "severe disability" for each member
    cite illustrative "an example clause"
    condition severe "一、二级残疾" / "grade 1 or 2": disability_grade in {1, 2}
    amount 300 yuan rounded half_up to 0.01
  end
end

example "Changzhou: b's disability is grade 1" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  with members[1].disability_grade = 1
  expect care_aid eligible 100.00
  expect care_aid for b eligible 300.00 by disabled
end
'''),
    Code(
        "PL045", "A rule compares with the previous snapshot without saying it needs one", ERROR,
        "A program uses `previous(…)` (the household's earlier record), directly or through a "
        "definition, but does not say `needs previous`. That line is what makes its decisions "
        "`not_applicable`, with the reason, for a household evaluated without a snapshot.",
        INCOME_DROP.format(needs=""),
        "Add `needs previous` to the program: without a snapshot its decisions are then "
        "`not_applicable`, with the reason.",
        INCOME_DROP.format(needs="  needs previous\n")),
    # ------------------------------------------------------------ examples
    Code(
        "PL050", "A clause no example tests", WARNING,
        "After running the examples, `policylang test` lists every clause they did not "
        "exercise: a condition or trigger never seen both holding and failing, an exception "
        "that never applied, or a parameter value no example used. The examples pass, but "
        "part of the rule is untested. With `policylang test --strict` it fails the run.",
        HOME_CARE_AMOUNT + "\n" + COVERAGE_HOME_CARE + "\n" + HOME_CARE_EXAMPLE,
        "Add an example that exercises the clause: here someone whose hukou is not in Donghai.",
        HOME_CARE_AMOUNT + "\n" + COVERAGE_HOME_CARE + "\n" + HOME_CARE_EXAMPLE
        + COVERAGE_EXAMPLE_2,
        note="Reported by `policylang test`, not `policylang check`: the bad example checks "
             "clean, and running its example shows the warning."),
    # ------------------------------------------------------------ lints
    Code(
        "PL060", "Days without a value between two periods", WARNING,
        "A parameter's values for one place leave days uncovered between two periods. On those "
        "days the value of the place above is used, which is rarely what the circular meant: "
        "usually a new value starts a day (or a month) late.",
        GAP_PARAMETER.format(start="2022-02-01", quote=DONGHAI_ORPHAN_QUOTE) + ORPHAN_DONGHAI,
        "Start the new value the day after the old one ends (`from 2022-01-01`), or add a value "
        "for the days between.",
        GAP_PARAMETER.format(start="2022-01-01", quote=DONGHAI_ORPHAN_QUOTE) + ORPHAN_DONGHAI,
        note="The `national` value is marked illustrative, so both versions also list it as "
             "a note (PL068)."),
    Code(
        "PL061", "Two exceptions may both apply, with no priority", WARNING,
        "Two exceptions of one program, for the same people, have no `priority` between them, "
        "and their conditions are too complex for policylang to prove whether they can both "
        "hold (where it can prove it, that is error PL041). Should both hold for someone, that "
        "household gets error PL204 instead of a decision.",
        EXCEPTIONS_UNPROVABLE.format(p1="", p2="") + '''
example "Changzhou: a is seriously ill" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  expect care_aid for a eligible 200.00 by ill
end
''',
        "Give each exception a distinct `priority N` (the higher number wins), or make their "
        "conditions exclude each other.",
        EXCEPTIONS_UNPROVABLE.format(p1=" priority 2", p2=" priority 1") + '''
example "Changzhou: a is seriously ill" on 2023-08-01
  facts "../examples/changzhou-dibao.json"
  expect care_aid for a eligible 200.00 by ill
end
'''),
    Code(
        "PL062", "An exception that can never apply", WARNING,
        "An exception's own conditions contradict each other (at least 90 and at most 89 years "
        "old), so it can never apply: usually a number typed wrong.",
        RESPECT_HEAD + '''
  exception aged_90s "90至99周岁" / "aged 90 to 99"
    cite illustrative "an example clause: 100 yuan from 90 to 99"
    condition from_90 "90周岁以上" / "aged 90 or over": age >= 90
    condition to_99 "不满100周岁" / "under 100": age <= 89
    amount 100 yuan rounded half_up to 0.01
  end
end

''' + RESPECT_EXAMPLE,
        "Check the numbers and values the conditions compare with: here `age <= 99`.",
        RESPECT_HEAD + '''
  exception aged_90s "90至99周岁" / "aged 90 to 99"
    cite illustrative "an example clause: 100 yuan from 90 to 99"
    condition from_90 "90周岁以上" / "aged 90 or over": age >= 90
    condition to_99 "不满100周岁" / "under 100": age <= 99
    amount 100 yuan rounded half_up to 0.01
  end
end

''' + RESPECT_EXAMPLE),
    Code(
        "PL063", "A base rule that its exceptions always override", WARNING,
        "An exception in force wherever its program is, for the same people, applies whenever "
        "the program's own conditions hold: the base rule's amount is never paid. Usually a "
        "condition copied from the base rule and not changed.",
        RESPECT_HEAD + '''
  exception centenarian "百岁老人" / "aged 100 or over"
    cite illustrative "an example clause: 300 yuan from 100"
    condition aged_100 "100周岁以上" / "aged 100 or over": age >= 80
    amount 300 yuan rounded half_up to 0.01
  end
end

''' + RESPECT_EXAMPLE,
        "Give the exception a condition of its own (here `age >= 100`), or fold it into the "
        "base rule.",
        RESPECT_HEAD + '''
  exception centenarian "百岁老人" / "aged 100 or over"
    cite illustrative "an example clause: 300 yuan from 100"
    condition aged_100 "100周岁以上" / "aged 100 or over": age >= 100
    amount 300 yuan rounded half_up to 0.01
  end
end

''' + RESPECT_EXAMPLE),
    Code(
        "PL064", "A parameter nothing uses", WARNING,
        "A parameter that no program or definition uses: its values and citations change no "
        "decision. Often a number was typed into a rule instead of the parameter.",
        HOME_CARE_AMOUNT + "\n"
        + HOME_CARE.replace("amount home_care_amount", "amount 30 yuan")
        + "\n" + HOME_CARE_EXAMPLE,
        "Use the parameter where its number is meant (here the amount, which also makes it "
        "30 a month rather than 30 once), or remove it.",
        HOME_CARE_AMOUNT + "\n" + HOME_CARE + "\n" + HOME_CARE_EXAMPLE),
    Code(
        "PL065", "A definition nothing uses", WARNING,
        "A definition that no program, definition or other rule uses: it computes nothing any "
        "decision needs. Often the rule repeats its formula instead of using it.",
        'definition very_old "80周岁以上" / "aged 80 or over" of member = age >= 80\n\n'
        + HOME_CARE_AMOUNT + "\n" + HOME_CARE + "\n" + HOME_CARE_EXAMPLE,
        "Use the definition where its formula is meant, or remove it.",
        'definition very_old "80周岁以上" / "aged 80 or over" of member = age >= 80\n\n'
        + HOME_CARE_AMOUNT + "\n" + HOME_CARE.replace(": age >= 80", ": very_old")
        + "\n" + HOME_CARE_EXAMPLE),
    Code(
        "PL066", "A fact no rule reads", WARNING,
        "A fact the schema declares that no rule reads: every household file must carry it, "
        "yet it changes no decision.",
        '''parameter orphan_standard "散居孤儿基本生活费(每人每月)" / "orphan allowance, per month" : money per month
  kunming = 1374 cite kunming_2022 "社会散居孤儿和艾滋病病毒感染儿童每人每月1374元"
end

''' + ORPHAN_KUNMING,
        "Remove the fact from the schema, or write the rule that needs it: here "
        "`paid to institution when institutional_care`, so a child in institutional care is "
        "paid through the institution.",
        '''parameter orphan_standard "散居孤儿基本生活费(每人每月)" / "orphan allowance, per month" : money per month
  kunming = 1374 cite kunming_2022 "社会散居孤儿和艾滋病病毒感染儿童每人每月1374元"
end

''' + ORPHAN_KUNMING.replace(
            "rounded half_up to 0.01\n",
            "rounded half_up to 0.01\n  paid to institution when institutional_care\n"),
        note="Checked with the bundled schema, most of whose facts only the bundled programs "
             "read: the example is about `institutional_care`, which the fix reads."),
    Code(
        "PL067", "A program without examples", WARNING,
        "No example names the program, so nothing shows it decides as the circular says.",
        PENSION,
        "Add an `example` beside it: someone eligible, someone not, and each exception.",
        PENSION + "\n" + PENSION_EXAMPLE),
    Code(
        "PL068", "An illustrative value to replace", NOTE,
        "A parameter value marked `cite illustrative`: no source gives it. policylang lists "
        "each one so a policy officer can replace it with the value of the real circular. A "
        "note never fails a check.",
        HOME_CARE_AMOUNT.replace('cite donghai_2022 "每月標(biāo)準(zhǔn)不低于30元"',
                                 'cite illustrative "home-care amount of the domain brief"')
        + "\n" + HOME_CARE + "\n" + HOME_CARE_EXAMPLE,
        "Replace the value with the one the circular gives, and cite the circular.",
        HOME_CARE_AMOUNT + "\n" + HOME_CARE + "\n" + HOME_CARE_EXAMPLE),
    Code(
        "PL069", "An example's facts file cannot be found", WARNING,
        "An `example` names a facts file (`facts \"…\"` or `previous \"…\"`) that does not "
        "exist, or that may not be read: an absolute path, or one that leads out of the rules "
        "folder and the folder holding it. The path is relative to the policy file. `check` "
        "warns, and names the closest file beside it; `policylang test` fails the example.",
        PENSION + "\n" + PENSION_EXAMPLE.replace("changzhou-dibao.json", "changzhou-dibo.json"),
        "Correct the file name, or move the facts file beside the rules.",
        PENSION + "\n" + PENSION_EXAMPLE),
    Code(
        "PL070", "The batch engine cannot screen this program", WARNING,
        "The rules are valid and `policylang eval` decides them, but `policylang screen` with "
        "its default, columnar engine cannot compile this construct — here, a member's "
        "definition that reads a list of the household again for each member. Others: a date "
        "shifted by a duration read from a fact or a parameter, `in` a set that is not written "
        "out in the rule, a list of a list. It is found when the rules are loaded, from the "
        "checked rules, and the message names the programs it stops; `policylang screen` "
        "stops on it as an error before it reads any table, instead of failing part-way.",
        COMPANY.format(older=COMPANY_PER_MEMBER, test="older_members >= 2"),
        "Write the list at the household level and read it from the member "
        "(`household.older_members`), or screen with `--engine interpreter`.",
        COMPANY.format(older=COMPANY_PER_HOUSEHOLD, test="household.older_members >= 2")),
    # ------------------------------------------------------------ facts
    Code(
        "PL101", "The facts file cannot be read as JSON", ERROR,
        "The household facts file cannot be read, is not valid JSON (a comma too many or too "
        "few, a missing quote or bracket), is larger than 50,000,000 bytes, or nests deeper "
        "than 20 levels.",
        _household(MEMBER_A + ","),
        "Correct the JSON at the line and column the message gives: here remove the comma "
        "after the last member.",
        _household(MEMBER_A)),
    Code(
        "PL102", "A field the schema does not have", ERROR,
        "A household, member or event carries a field the rules' schema does not declare, "
        "usually a misspelt one; the hint suggests the closest field. Also a field written "
        "twice in one object (`\"assets\": \"5000.00\", \"assets\": \"999999999\"`): JSON "
        "readers would silently keep one of the two, so neither is used.",
        _household(MEMBER_A.replace('"monthly_income"', '"monthly_incom"')),
        "Spell the field as the schema does (`docs/facts.md`, or `policylang schema rules`).",
        _household(MEMBER_A)),
    Code(
        "PL103", "A value of the wrong kind", ERROR,
        "A value that does not fit its fact: a text where true or false is expected, a number "
        "where a date is, a value that is not one of its list's values, a place that is not "
        "declared, an amount not written as the schema's decimal string (`\"5_000\"`, "
        "`\"+5000\"`, `\" 5000 \"`, `\".5\"`, full-width digits: write `\"5000.00\"`), or a "
        "text holding a lone surrogate (`\"\\ud800\"`), which no output could carry.",
        _household(_member_a(can_work='"yes"')),
        "Write the value as its type requires: `true` or `false` here.",
        _household(MEMBER_A)),
    Code(
        "PL104", "An amount written as a floating-point number", ERROR,
        "Money (and decimals) must be exact: a JSON number with a fraction, such as 1800.50, "
        "could be rounded by the programs that write and read the file.",
        _household(_member_a(monthly_income="1800.50")),
        "Write the amount as a decimal string: `\"1800.50\"`.",
        _household(_member_a(monthly_income='"1800.50"'))),
    Code(
        "PL105", "A date that does not exist or is not written YYYY-MM-DD", ERROR,
        "A date fact must be a date on the calendar, written YYYY-MM-DD.",
        _household(_member_a(birth_date='"1960-02-30"')),
        "Correct the date (here the birth date on the household's papers).",
        _household(_member_a(birth_date='"1960-02-29"'))),
    Code(
        "PL106", "A negative amount", ERROR,
        "Money and kWh facts cannot be negative.",
        _household(_member_a(monthly_income='"-1800.00"')),
        "Write the amount without the minus sign; record a loss or a debt another way.",
        _household(MEMBER_A)),
    Code(
        "PL107", "The same id used twice", ERROR,
        "Two members (or two events) of one household have the same id, so decisions about "
        "them could not be told apart; or two households of one facts file do (both are "
        "refused: decisions and previous snapshots are matched by id).",
        _household(MEMBER_A + ",\n" + MEMBER_B.replace('"id": "b"', '"id": "a"')),
        "Give each member its own id.",
        _household(MEMBER_A + ",\n" + MEMBER_B)),
    Code(
        "PL108", "A value outside its allowed range", ERROR,
        "A number outside the range its fact declares with `between` (a disability grade is "
        "0 to 4), or beyond the limits every fact has: an amount with more than 15 digits "
        "before the decimal point or more than 6 after it (within them both engines compute "
        "exactly), a whole number of more than 15 digits, an id longer than 200 characters, "
        "a text longer than 2,000.",
        _household(_member_a(disability_grade="5")),
        "Write a value within the range; 0 means no disability.",
        _household(_member_a(disability_grade="1"))),
    Code(
        "PL109", "A record without its id", ERROR,
        "Every household and member needs its `id`: decisions name their subject by it.",
        _household(MEMBER_A.replace('{"id": "a", ', '{')),
        "Add the `id`.",
        _household(MEMBER_A)),
    Code(
        "PL110", "Too many entries in one list", ERROR,
        "A list of a record (the members or the events of a household, or any list the rules "
        "declare with `has … : list of …`) holds more records than the limit: 200 records with a "
        "key (people), 1,000 without (events). More than any real household: usually several "
        "households merged into one record.",
        _household(_many_members(201)),
        "Split the records into their households: a facts file may hold a list of households.",
        _household(MEMBER_A + ",\n" + MEMBER_B)),
    # ------------------------------------------------------------ run-time
    Code(
        "PL201", "Division by zero", ERROR,
        "A division whose divisor is zero for this household, such as an income per head when "
        "nobody is counted. The household gets this error instead of the decision.",
        WORK_SUPPORT.format(guard=""),
        "Test first that the divisor is above zero, with a condition before the one that "
        "divides: a condition after one that failed is shown as not evaluated.",
        WORK_SUPPORT.format(guard=WORK_GUARD),
        facts=NOBODY_WORKS, date="2023-08-01"),
    Code(
        "PL202", "The smallest or largest of an empty list", ERROR,
        "`min` or `max` of a list that is empty for this household (no events, nobody who "
        "matches the `where`).",
        LATEST_EVENT.format(guard=""),
        "Test first that the list is not empty, with a condition before the one that uses it.",
        LATEST_EVENT.format(guard=EVENT_GUARD),
        facts=NO_EVENTS, date="2023-08-01"),
    Code(
        "PL203", "An absent value used in a calculation", ERROR,
        "A calculation uses a value that is known to be absent: an optional fact with no value "
        "(the date of death of someone living), or `previous(…)` of a member who was not in "
        "the previous snapshot.",
        INCOME_WATCH.format(guard=""),
        "Test first that the value is there, with `is absent`, in a condition before the "
        "calculation.",
        INCOME_WATCH.format(guard=WATCH_GUARD),
        facts=TWO_MEMBERS, previous=ONLY_A_BEFORE, date="2023-08-01"),
    Code(
        "PL204", "Two exceptions applied at once, with no priority", ERROR,
        "Two exceptions with no priority between them both applied to one person, so "
        "policylang will not pick one. It can happen only where `policylang check` warned "
        "that it could not tell whether they overlap (PL061).",
        EXCEPTIONS_UNPROVABLE.format(p1="", p2="")
        + BOTH_EXCEPTIONS_EXAMPLE.format(amount="300.00", by="disabled"),
        "Give each exception a distinct `priority N` (the higher number wins).",
        EXCEPTIONS_UNPROVABLE.format(p1=" priority 2", p2=" priority 1")
        + BOTH_EXCEPTIONS_EXAMPLE.format(amount="300.00", by="disabled"),
        facts=BOTH_EXCEPTIONS, date="2023-08-01"),
    Code(
        "PL205", "A program depends on its own decision", ERROR,
        "Deciding a program for a household needed that same decision. `policylang check` "
        "already rejects such rules (PL040), so no household can reach this: it guards the "
        "engine, for rules that were not checked.",
        CYCLE.format(housing_extra=CYCLE_EXTRA),
        "Decide which program comes first: only the second may use the first's decision.",
        CYCLE.format(housing_extra=""),
        note="The checker rejects this case first: checking the example gives PL040, so no "
             "household can be evaluated with these rules and reach PL205."),
    Code(
        "PL206", "A parameter has no value for the household's place on the date", ERROR,
        "A parameter has no value for the household's place (or any place above it) on the "
        "evaluation date. The checker makes sure a program's parameters have values wherever "
        "the program applies (PL030); a previous snapshot can still place the household "
        "elsewhere, for instance a family that moved.",
        LEFT_DIBAO.format(guard="", outcome="eligible"),
        "Give the parameter a value for every place it may be asked for (or a place above it, "
        "such as `national`), or test first that the household was in the same place.",
        LEFT_DIBAO.format(guard=PLACE_GUARD, outcome="not_eligible"),
        facts=CHANGZHOU_NOW, previous=KUNMING_BEFORE, date="2023-08-01"),
    Code(
        "PL207", "A date outside the calendar", ERROR,
        "Date arithmetic went before 0001-01-01 or after 9999-12-31, the dates policylang "
        "counts, for this household: most often a fact written 9999-12-31 to mean 'no end', "
        "then moved later by a rule. The household gets this error instead of the decision.",
        FAR_EVENT.format(test="latest_event + 3 months > evaluation_date"),
        "Move the evaluation date instead of the fact's date: `latest_event > evaluation_date "
        "- 3 months` asks the same question and stays on the calendar.",
        FAR_EVENT.format(test="latest_event > evaluation_date - 3 months"),
        facts=EVENT_AT_THE_END_OF_TIME, date="2023-08-01"),
    Code(
        "PL208", "A value too large to compute exactly", ERROR,
        "A calculation gave a value of 10^20 or more. Facts and the numbers in rules are "
        "bounded (15 digits before the point), and every result is exact below 10^20 in both "
        "engines; beyond it an amount would be rounded without anyone noticing, so the "
        "household gets this error instead. It comes from a rule that multiplies by numbers "
        "far larger than any rate, or multiplies amounts together.",
        INCOME_SCORE.format(factor="1000000000000 * 1000000000"),
        "Multiply by the rate or the count the rule means, so that the result is an amount.",
        INCOME_SCORE.format(factor="12"),
        facts=NO_EVENTS, date="2023-08-01"),
    Code(
        "PL209", "A value below the first band of a scale", ERROR,
        "A `bands` scale gives the value of the highest band a value reaches; this value is "
        "below the first band, where the rule does not say what applies. The household gets "
        "this error instead of the decision.",
        BANDED.format(low=500),
        "Start the first band at the lowest value the rule allows (often 0), or test first, "
        "with a condition, that the value reaches the first band.",
        BANDED.format(low=0),
        facts=NOBODY_WORKS, date="2023-08-01"),
    Code(
        "PL210", "An amount below zero", ERROR,
        "A program pays its amount; for this household the amount came to less than zero. "
        "A negative amount is never paid silently: the household gets this error instead of "
        "the decision. A charge, such as a tax, is a program of its own whose amount is what "
        "is due.",
        PENSION.replace('  condition low_income "月收入低于500元" / "monthly income below 500": '
                        'monthly_income < 500\n', '') + "\n" + PENSION_EXAMPLE,
        "Add a condition that the amount is above zero (here: income below 500), or bound "
        "it with `max(…, 0)`.",
        PENSION + "\n" + PENSION_EXAMPLE,
        facts=CHANGZHOU_NOW, date="2023-08-01"),
]

CODES: dict[str, Code] = {entry.code: entry for entry in _ENTRIES}


# ---------------------------------------------------------------- plain text
def explain_code(code: str) -> str:
    """The catalogue entry of `code` as plain text, for the terminal.

    An unknown code raises KeyError, with a did-you-mean suggestion when one is close.
    """
    key = code.strip().upper()
    if key not in CODES:
        hint = did_you_mean(key, CODES)
        raise KeyError(f"unknown diagnostic code `{code}`" + (f"; {hint}" if hint else
                                                             "; see docs/codes/index.md"))
    entry = CODES[key]
    parts = [f"{entry.code}: {entry.title} ({entry.severity})", "", _wrap(entry.meaning), "",
             _wrap(f"Reported by {_plain(entry.reported_by)}."), ""]
    parts += [_example_heading(entry, fixed=False), "", entry.bad_example.rstrip("\n"), ""]
    parts += _facts_text(entry)
    parts += [_wrap(f"How to fix it: {entry.fix}"), "", entry.fixed_example.rstrip("\n")]
    if entry.note:
        parts += ["", _wrap(f"Note: {entry.note}")]
    return "\n".join(parts) + "\n"


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=88, break_long_words=False, break_on_hyphens=False)


def _plain(text: str) -> str:
    return text.replace("`", "")


def _example_heading(entry: Code, fixed: bool) -> str:
    if entry.group == "facts":
        return ("The household, corrected:" if fixed else
                "Example: a household (from examples/changzhou-dibao.json) that gives it:")
    if entry.code == "PL006":
        return "The command, corrected:" if fixed else "Example:"
    if entry.group == "run-time" and not entry.facts:
        return "The rules, corrected:" if fixed else "Example: these rules (which `policylang check` rejects):"
    if entry.group == "run-time":
        return "The rules, corrected:" if fixed else "Example: these rules,"
    return ("The rules, corrected (they check clean):" if fixed else
            "Example: checked together with copies of " + ", ".join(SHARED_FILES) + ":")


def _facts_text(entry: Code) -> list[str]:
    if not entry.facts:
        return []
    parts = [f"evaluated on {entry.date} for this household (household.json):", "",
             entry.facts.rstrip("\n"), ""]
    if entry.previous:
        parts += ["with this previous snapshot (before.json):", "", entry.previous.rstrip("\n"), ""]
    return parts


# ---------------------------------------------------------------- Markdown pages
def write_code_pages(out_dir: Path) -> list[Path]:
    """Write `CODE.md` for every code and `index.md` linking them; return the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in CODES.values():
        path = out_dir / f"{entry.code}.md"
        path.write_text(_page(entry), encoding="utf-8")
        written.append(path)
    index = out_dir / "index.md"
    index.write_text(_index(), encoding="utf-8")
    written.append(index)
    return written


def _fenced(language: str, text: str) -> str:
    return f"```{language}\n{text.rstrip(chr(10))}\n```"


def _page(entry: Code) -> str:
    lines = [f"# {entry.code}: {entry.title}", "",
             f"**Severity:** {entry.severity} · **Reported by:** {entry.reported_by}", "",
             entry.meaning, "", "## Example", ""]
    if entry.group == "rules" and entry.code != "PL006":
        lines += ["Checked in a folder together with copies of `rules/schema.policy`, "
                  "`rules/places.policy` and `rules/sources.policy`, beside a copy of "
                  "`examples/`:", ""]
    elif entry.group == "facts":
        lines += ["A household derived from `examples/changzhou-dibao.json`:", ""]
    elif entry.group == "run-time":
        lines += ["These rules (with copies of the same three files as for the checker's codes),",
                  ""]
    lines += [_fenced(entry.fence, entry.bad_example), ""]
    if entry.facts:
        lines += [f"evaluated on {entry.date} for this household, saved as `household.json` "
                  "beside the rules:", "", _fenced("json", entry.facts), ""]
        if entry.previous:
            lines += ["with this previous snapshot, saved as `before.json`:", "",
                      _fenced("json", entry.previous), ""]
        command = f"policylang eval rules rules/household.json --date {entry.date}"
        if entry.previous:
            command += " --previous rules/before.json"
        lines += ["```console", f"$ {command}", "```", ""]
    if entry.note:
        lines += ["!!! note", "", f"    {entry.note}", ""]
    lines += ["## How to fix it", "", entry.fix, ""]
    if entry.group == "rules" and entry.code != "PL006":
        lines += ["The corrected rules check clean:", ""]
    lines += [_fenced(entry.fence, entry.fixed_example), "", "[All codes](index.md)", ""]
    return "\n".join(lines)


def _index() -> str:
    lines = ["# Diagnostics catalogue", "",
             "Every code policylang reports, with an example that produces it and the fix. "
             "Errors stop the rules (or the household) from being used; warnings point at what "
             "is legal but probably a mistake; notes list what an officer should review.", "",
             "This catalogue is generated from `src/policylang/tools/codes.py`; "
             "`policylang explain-code CODE` prints the same text in the terminal.", "",
             "| code | severity | title |", "|---|---|---|"]
    for entry in CODES.values():
        title = entry.title.replace("|", "\\|")
        lines.append(f"| [{entry.code}]({entry.code}.md) | {entry.severity} | {title} |")
    return "\n".join(lines) + "\n"


__all__ = ["CODES", "Code", "explain_code", "write_code_pages"]
