"""What a coordinator may read of a message: its digits and e-mail addresses masked.

People write their phone number, their e-mail address, an allocataire or social
security number, a date of birth. The review page and the training data show the
message with these masked, each masked character replaced by `•`, so that the
text keeps its length (the reading's spans stay where they were) and its shape
(a masked phone number still looks like one). A run of digits joined by single
spaces, dots, dashes or slashes counts as one number: "06 12 34 56 78" is ten
digits, "12/05/1990" eight. Five digits or fewer stay (a postal code, an age, a
year); an e-mail address is masked whole but its `@` and dots.
"""

from __future__ import annotations

import re

MASK = "•"
LONG_NUMBER = 6  # digits from which a number is masked: 53000 (a postal code) is read, 123456 is not
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NUMBER = re.compile(r"\+?\d(?:\d|[ .\-/](?=\d))*")


def _masked_email(match: re.Match) -> str:
    return re.sub(r"[^@.]", MASK, match.group())


def _masked_number(match: re.Match) -> str:
    number = match.group()
    if sum(c.isdigit() for c in number) < LONG_NUMBER:
        return number
    return re.sub(r"\d", MASK, number)


def mask(text: str) -> str:
    """The text with its long numbers and e-mail addresses masked (same length, idempotent).

    >>> mask("appelez moi au 06 12 34 56 78 ou jean.dupont@exemple.fr, j'habite au 53000")
    "appelez moi au •• •• •• •• •• ou ••••.••••••@•••••••.••, j'habite au 53000"
    """
    return _NUMBER.sub(_masked_number, _EMAIL.sub(_masked_email, text or ""))


def masked_values(value):
    """Every string inside a JSON-like value masked, and every long number (a reading's `number`)."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and len(str(abs(value))) >= LONG_NUMBER:
        return None
    if isinstance(value, dict):
        return {k: masked_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked_values(v) for v in value]
    return value
