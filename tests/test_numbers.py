"""Numbers a question quotes, normalised to the articles' way of writing them."""

from __future__ import annotations

import pytest

from assistant.numbers import quoted_numbers


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
