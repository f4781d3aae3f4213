"""Numbers a question quotes, normalised to the articles' way of writing them."""

from __future__ import annotations

import pytest

from assistant.numbers import clock_times, quoted_numbers, written_with_unit


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("涨了500%的是哪个数据?", ("500%",)),
        ("what was brought down to a third?", ("1/3",)),
        ("三分之一说的是什么", ("1/3",)),
        ("which campaign got 100k users in a day", ("10万",)),
        ("100,000 new users", ("10万",)),
        ("5,000 paying users", ("5000",)),
        ("cut delivery time by 10 minutes", ("10分钟",)),
        ("usage went up 25 percent", ("25%",)),
        ("what are the 6 roles", ()),  # one digit: too common to anchor anything
    ],
)
def test_numbers_are_written_as_the_articles_write_them(text, numbers):
    assert quoted_numbers(text) == numbers


ARTICLE = "美团将平均配送时间缩短10分钟;某APP单日新增用户突破10万;618大促期间各岗位配合。2022年团队扩到30人。"


@pytest.mark.parametrize(
    ("question", "used"),
    [
        ("which case cut delivery by 10 minutes?", True),  # a number with its unit, as written
        ("那个缩短10分钟的例子", True),
        ("what did ops do for 618?", True),  # a plain number the article uses, alone
        ("618期间各个运营怎么配合?", True),  # beside a word that is no unit
        ("the 618 thing", True),
        ("what happened in 2022?", True),  # before a full stop in the article too
        ("the team of 30 people", True),
        ("a 10 week course", False),  # the article's 10 counts minutes, not weeks
        ("10天能学会吗", False),
        ("how to lose 20 pounds", False),  # a number the article never writes
    ],
)
def test_a_plain_number_counts_as_the_articles_only_with_the_unit_it_is_given(question, used):
    senses = {"minut": ("分钟",), "week": ("周",)}
    assert any(written_with_unit(n, question, ARTICLE, lambda w: senses.get(w, ())) for n in quoted_numbers(question)) is used


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("15:00：客户来电", {"15:00"}),
        ("16点：开会", {"16:00"}),
        ("夜里2点还在改方案", {"02:00"}),
        ("中午1点吃饭", {"13:00"}),
        ("12am", {"00:00"}),
        ("the meeting moved to 3pm", {"15:00"}),
        ("the call is at 7:45 p.m.", {"19:45"}),
        ("下午3点开例会", {"15:00"}),
        ("晚上九点半下班", {"21:30"}),
        ("九点一刻开会", {"09:15", "21:15"}),  # no part of the day: either half
        ("3点钟", {"03:00", "15:00"}),
        ("他给了3点建议", set()),  # three points of advice, not three o'clock
        ("做了4点改进", set()),
        ("在2023年", set()),
        ("早上一点都不困", set()),  # "not at all"
        ("比分21:19", set()),
        ("1:30:45", set()),  # a duration
    ],
)
def test_times_of_day_are_read_on_a_24_hour_clock(text, times):
    assert clock_times(text) == times
