"""Suggest registered evacuees for a next-of-kin inquiry; a person always confirms, nothing is merged."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Indel

# Letters that Unicode does not decompose into base letter + accent, or that Norwegian and German spell
# with two letters. Mapped before the accents are stripped so "Ø" and "Ö" meet "oe" in one canonical form.
_LETTER_MAP = str.maketrans(
    {
        "ø": "o",
        "ö": "o",
        "œ": "o",
        "æ": "ae",
        "ä": "ae",
        "ü": "u",
        "ß": "ss",
        "ð": "d",
        "đ": "d",
        "þ": "th",
        "ł": "l",
        "ı": "i",
    }
)
# Spelling variants folded onto one form: aa = å (Aase/Åse), oe = ø (Oedegaard/Ødegård), ue = ü.
# Doubled letters are collapsed as well, which also absorbs Hansen/Hanssen and Nilsen/Nillsen.
_DIGRAPHS = (("oe", "o"), ("ue", "u"))
_REPEATED_LETTER = re.compile(r"(\w)\1+")
_NOT_A_LETTER = re.compile(r"[\W\d_]+")
_MAX_PASSES = 8

# A token pair below this similarity counts as a different name, not a typo.
_TOKEN_MATCH_FLOOR = 0.7
_INITIAL_SIMILARITY = 0.8
# A name part left over on BOTH sides ("Ola" vs "Kari" Nordmann) contradicts; a part missing on one side only
# is usually an omitted middle name and costs nothing beyond the weaker overlap.
_CONTRADICTION_FACTOR = 0.7
_COMPOUND_MATCH_FLOOR = 0.85
_MAX_NAME_PARTS = 12

# Evidence beyond the name pulls the score towards 1 (agreement) or pushes it down (contradiction).
_BIRTH_YEAR_AGREES_PULL = 0.3
_BIRTH_YEAR_NEAR_PENALTY = 0.1
_BIRTH_YEAR_DIFFERS_PENALTY = 0.3
_PHONE_AGREES_PULL = 0.6
_PHONE_DIFFERS_PENALTY = 0.05
_PHONE_SIGNIFICANT_DIGITS = 8
_PHONE_MIN_DIGITS = 5


@lru_cache(maxsize=16_384)
def normalise_name(name: str) -> str:
    """Return the canonical matching form of a name: lower-case folded tokens, given name first."""
    current = name
    # Each pass can expose a new variant (e.g. "oee" -> "oe" -> "o"); iterating to a fixed point is what
    # makes the function idempotent.
    for _ in range(_MAX_PASSES):
        following = _normalise_once(current)
        if following == current:
            break
        current = following
    return current


def _normalise_once(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    if "," in text:
        # Registry order "Hansen, Per" -> "Per Hansen".
        family, _, given = text.partition(",")
        text = f"{given} {family}"
    text = text.translate(_LETTER_MAP)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.replace("'", "").replace("\u2019", "")
    tokens = [_fold_token(token) for token in _NOT_A_LETTER.sub(" ", text).split()]
    return " ".join(token for token in tokens if token)


def _fold_token(token: str) -> str:
    token = _REPEATED_LETTER.sub(r"\1", token)
    for variant, canonical in _DIGRAPHS:
        token = token.replace(variant, canonical)
    return _REPEATED_LETTER.sub(r"\1", token)


def normalise_phone(phone: str | None) -> str | None:
    """Return the last eight digits of a phone number, or None when too few digits to compare."""
    if not phone:
        return None
    digits = re.sub(r"\D", "", str(phone))
    if len(digits) < _PHONE_MIN_DIGITS:
        return None
    return digits[-_PHONE_SIGNIFICANT_DIGITS:]


def name_similarity(first: str, second: str) -> float:
    """Return how alike two names are in [0, 1], tolerant of order, middle names, hyphens and small typos."""
    # Real names have a handful of parts; the cap keeps a pasted paragraph from costing quadratic time.
    tokens_a = normalise_name(first).split()[:_MAX_NAME_PARTS]
    tokens_b = normalise_name(second).split()[:_MAX_NAME_PARTS]
    if not tokens_a or not tokens_b:
        return 0.0
    best = _token_f1(tokens_a, tokens_b)
    # A compound written together on one side ("Perolav") is matched against each adjacent pair joined.
    for joined in _adjacent_joins(tokens_b, tokens_a):
        best = max(best, _token_f1(tokens_a, joined))
    for joined in _adjacent_joins(tokens_a, tokens_b):
        best = max(best, _token_f1(joined, tokens_b))
    return min(1.0, best)


def _adjacent_joins(tokens: Sequence[str], other: Sequence[str]) -> Iterable[list[str]]:
    for index in range(len(tokens) - 1):
        compound = tokens[index] + tokens[index + 1]
        # Only a join that the other name actually spells that way counts; otherwise "Per Hansen" would
        # become "Perhansen" and half-match any Hansen.
        if any(_token_similarity(compound, candidate) >= _COMPOUND_MATCH_FLOOR for candidate in other):
            yield [*tokens[:index], compound, *tokens[index + 2 :]]


def _ratio(a: str, b: str) -> float:
    """2·LCS / (len a + len b), symmetric; rapidfuzz in C (was difflib's SequenceMatcher: bench/bmatch_rapidfuzz.md)."""
    return Indel.normalized_similarity(a, b)


@lru_cache(maxsize=16_384)
def _letter_counts(token: str) -> dict[str, int]:
    return dict(Counter(token))


# Ranking compares one inquiry with every evacuee; name parts repeat a lot, so caching pays off.
@lru_cache(maxsize=65_536)
def _token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if (len(a) == 1 or len(b) == 1) and a[0] == b[0]:
        return _INITIAL_SIMILARITY
    # Shared letters bound the ratio from above (like difflib's quick_ratio, without building a matcher);
    # most unrelated pairs stop here.
    total = len(a) + len(b)
    if 2.0 * min(len(a), len(b)) / total < _TOKEN_MATCH_FLOOR:
        return 0.0
    counts_a, counts_b = _letter_counts(a), _letter_counts(b)
    shared = sum(min(count, counts_b[letter]) for letter, count in counts_a.items() if letter in counts_b)
    if 2.0 * shared / total < _TOKEN_MATCH_FLOOR:
        return 0.0
    ratio = _ratio(a, b)
    return ratio if ratio >= _TOKEN_MATCH_FLOOR else 0.0


def _token_f1(tokens_a: Sequence[str], tokens_b: Sequence[str]) -> float:
    # Tokens are weighted by length so that a shared surname counts more than a shared "Per".
    pairs = sorted(
        ((_token_similarity(a, b), i, j) for i, a in enumerate(tokens_a) for j, b in enumerate(tokens_b)),
        key=lambda pair: (-pair[0], -min(len(tokens_a[pair[1]]), len(tokens_b[pair[2]]))),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched_a = matched_b = 0.0
    for similarity, i, j in pairs:
        if similarity <= 0.0:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        matched_a += similarity * len(tokens_a[i])
        matched_b += similarity * len(tokens_b[j])
    precision = matched_a / sum(len(t) for t in tokens_a)
    recall = matched_b / sum(len(t) for t in tokens_b)
    if precision + recall == 0.0:
        return 0.0
    contradictions = min(len(tokens_a) - len(used_a), len(tokens_b) - len(used_b))
    return 2 * precision * recall / (precision + recall) * _CONTRADICTION_FACTOR**contradictions


def _birth_year(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime | date):
        return value.year
    if isinstance(value, int):
        return value
    match = re.match(r"\s*(\d{4})", str(value))
    return int(match.group(1)) if match else None


def _first_present(record: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def score_candidate(inquiry: Mapping[str, Any], evacuee: Mapping[str, Any]) -> float:
    """Return how likely the evacuee is the person sought, in [0, 1].

    The inquiry gives ``sought_name`` and optionally ``sought_birth_year`` and ``sought_phone`` (the
    inquirer's own phone is deliberately not compared); the evacuee gives ``full_name``, ``birth_date`` and
    ``phone``. Plain ``name``/``birth_year``/``phone`` keys are accepted on either side.
    """
    sought_name = _first_present(inquiry, "sought_name", "full_name", "name") or ""
    evacuee_name = _first_present(evacuee, "full_name", "sought_name", "name") or ""
    score = name_similarity(str(sought_name), str(evacuee_name))

    sought_year = _birth_year(_first_present(inquiry, "sought_birth_year", "birth_year", "birth_date"))
    evacuee_year = _birth_year(_first_present(evacuee, "birth_date", "birth_year", "sought_birth_year"))
    if sought_year is not None and evacuee_year is not None:
        gap = abs(sought_year - evacuee_year)
        if gap == 0:
            score += (1.0 - score) * _BIRTH_YEAR_AGREES_PULL
        elif gap == 1:
            # Off by one is a common slip when a relative gives the year from memory.
            score -= _BIRTH_YEAR_NEAR_PENALTY
        else:
            score -= _BIRTH_YEAR_DIFFERS_PENALTY

    sought_phone = normalise_phone(_first_present(inquiry, "sought_phone", "phone"))
    evacuee_phone = normalise_phone(_first_present(evacuee, "phone", "sought_phone"))
    if sought_phone is not None and evacuee_phone is not None:
        if sought_phone == evacuee_phone:
            score += (1.0 - score) * _PHONE_AGREES_PULL
        else:
            # Small: people often have several numbers, so a different one is weak evidence.
            score -= _PHONE_DIFFERS_PENALTY

    return min(1.0, max(0.0, score))


def rank_candidates(
    inquiry: Mapping[str, Any], evacuees: Iterable[Mapping[str, Any]], min_score: float = 0.5, limit: int = 10
) -> list[dict[str, Any]]:
    """Return ``[{"evacuee_id", "score"}]`` best first; every record stays its own candidate."""
    scored = []
    for evacuee in evacuees:
        score = score_candidate(inquiry, evacuee)
        if score >= min_score:
            scored.append((round(score, 3), evacuee["id"]))
    # Ties are ordered by id so the same registry always gives the same list.
    scored.sort(key=lambda item: (-item[0], _id_order(item[1])))
    return [{"evacuee_id": evacuee_id, "score": score} for score, evacuee_id in scored[: max(0, limit)]]


def _id_order(evacuee_id: Any) -> tuple[int, int, str]:
    if isinstance(evacuee_id, int) and not isinstance(evacuee_id, bool):
        return (0, evacuee_id, "")
    return (1, 0, str(evacuee_id))
