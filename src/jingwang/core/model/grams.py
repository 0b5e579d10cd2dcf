"""The vocabulary columns of every n-gram of many texts at once.

The classifier needs, per text, the column of each of its n-grams that is in a
vocabulary of some 10⁵ grams, every occurrence, ordered by where each gram ends and
longest first among grams ending at one place (the order an Aho-Corasick pass reports,
which fixes the order in which the features are summed).

A gram of up to ``max_n`` units (characters, or pinyin tokens) whose units are numbered
from 1 packs into one 64-bit integer, so the grams of a whole batch of texts are built
by a few shifts over one array of unit numbers and looked up in a hash table by a few
numpy calls. On 64 ChineseHarm texts of 80–120 characters that took 14 µs per text
against 59 µs for one pyahocorasick pass per text, whose Python iterator makes a tuple
per match. numpy has no hash table and ``searchsorted`` over the sorted keys cost 38 µs
per text in cache misses, hence the small open-addressing table below. The numpy calls
cost the same whatever their size, so a lookup of a few short texts (one API request)
still takes the Aho-Corasick pass, which gives the same columns in the same order; so
does a vocabulary whose units do not fit the key (more than 2¹⁶ distinct characters for
4-grams).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise, repeat
from operator import itemgetter

import ahocorasick
import numpy as np
import numpy.typing as npt

from jingwang.core.model.features import WHITESPACE_RUNS

Keys = npt.NDArray[np.uint64]
Columns = npt.NDArray[np.intp]

_KEY_BITS = 64
# Fibonacci hashing: the top bits of key · 2⁶⁴/φ spread keys that differ in few bits.
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
# Slots per key: at a load of 1/4, linear probing ends after about 1.2 probes on average.
_SLOTS_PER_KEY = 4
_PACKED_MIN_UNITS = 512
_TOKEN_FENCE = "\x1f"  # whitespace to str.split, so never inside a token
_COLUMN = itemgetter(1)


def _packed_keys(units: Keys, min_n: int, max_n: int, bits: int) -> Keys:
    """``[len(units), max_n - min_n + 1]`` keys: row ``e``, column ``j`` packs the gram of
    ``max_n - j`` units ending at unit ``e`` (first unit in the top bits), or is 0 where
    that gram would include a 0 unit (an unknown unit, a break between texts) or start
    before the array."""
    width = np.uint64(bits)
    top = np.uint64(bits * (max_n - 1))
    keys = np.zeros((len(units), max_n - min_n + 1), dtype=np.uint64)
    key = units << top
    valid = units != 0
    if min_n == 1:
        keys[:, max_n - 1] = key
    for n in range(2, max_n + 1):
        # The n-gram ending at e is the (n-1)-gram ending at e shifted down one unit,
        # with the unit n-1 places back on top.
        earlier = units[: len(units) - n + 1]
        key[n - 1 :] = (key[n - 1 :] >> width) | (earlier << top)
        valid[n - 1 :] &= earlier != 0
        valid[: n - 1] = False
        if n >= min_n:
            keys[:, max_n - n] = key * valid
    return keys


class _HashTable:
    """Packed keys (never 0) → columns, by open addressing with linear probing; every
    lookup is a handful of numpy calls over the whole array of keys."""

    def __init__(self, keys: Keys, columns: npt.NDArray[np.int32]) -> None:
        size = 1 << max(4, (_SLOTS_PER_KEY * len(keys)).bit_length())
        self._shift = np.uint64(_KEY_BITS - (size.bit_length() - 1))
        self._mask = size - 1
        self._keys = np.zeros(size, dtype=np.uint64)  # 0 marks an empty slot
        self._columns = np.zeros(size, dtype=np.int32)
        slots = self._slots(keys)
        pending = np.arange(len(keys))
        while pending.size:
            # Of the keys whose probe reached a free slot, the first one takes it; every
            # other key moves on to the next slot.
            at = slots[pending]
            free = self._keys[at] == 0
            taken, first = np.unique(at[free], return_index=True)
            winners = pending[free][first]
            self._keys[taken] = keys[winners]
            self._columns[taken] = columns[winners]
            placed = np.zeros(len(keys), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slots[pending] = (slots[pending] + 1) & self._mask

    def _slots(self, keys: Keys) -> Columns:
        return ((keys * _MULTIPLIER) >> self._shift).astype(np.intp)

    def find(self, keys: Keys) -> npt.NDArray[np.int32]:
        """The column of each key, -1 for a key not in the table (0 included)."""
        found = np.full(len(keys), -1, dtype=np.int32)
        slots = self._slots(keys)
        probing = np.flatnonzero(keys)
        while probing.size:
            at = slots[probing]
            stored = self._keys[at]
            hit = stored == keys[probing]
            found[probing[hit]] = self._columns[at[hit]]
            probing = probing[~hit & (stored != 0)]
            slots[probing] = (slots[probing] + 1) & self._mask
        return found


class GramIndex:
    """The columns of a vocabulary's n-grams (gram → column) found in texts.

    :meth:`char_ids` equals ``[vocabulary[g] for g in char_ngrams(text, min_n, max_n) if g
    in vocabulary]`` and :meth:`token_ids` the same over :func:`token_ngrams` of token
    lists (each token free of whitespace), as multisets, in the order described in the
    module docstring. Grams of a length outside ``min_n..max_n`` are never found: the
    analyser never makes them.
    """

    def __init__(
        self, vocabulary: Mapping[str, int], min_n: int, max_n: int, *, tokens: bool
    ) -> None:
        self._tokens = tokens
        self._min_n, self._max_n = min_n, max_n
        grams = {
            gram: column
            for gram, column in vocabulary.items()
            if min_n <= (gram.count(" ") + 1 if tokens else len(gram)) <= max_n
        }
        units = sorted(set(" ".join(grams).split(" ")) if tokens else set("".join(grams)))
        self._bits = _KEY_BITS // max_n
        self._automaton = _automaton(grams, tokens=tokens)
        self._empty = not grams
        self._table: _HashTable | None = None
        if len(units) >= 1 << self._bits:
            return
        self._unit_ids = {unit: i for i, unit in enumerate(units, start=1)}
        if not tokens:
            # Unit number per code point up to the alphabet's last one, then one 0 that
            # every later code point is clipped to.
            self._code_ids = np.zeros(max(map(ord, units), default=0) + 2, dtype=np.uint64)
            self._code_ids[[ord(unit) for unit in units]] = np.arange(1, len(units) + 1)
        # Each gram's own key is the one of its length that ends at its last unit.
        units_of, lengths = (
            self._token_units([gram.split(" ") for gram in grams])
            if tokens
            else self._char_units(list(grams))
        )
        size = np.array(lengths, dtype=np.intp)
        ends = np.cumsum(size + 1) - 2
        own = _packed_keys(units_of, min_n, max_n, self._bits)[ends, max_n - size]
        self._table = _HashTable(own, np.fromiter(grams.values(), np.int32, len(grams)))

    def _char_units(self, texts: Sequence[str]) -> tuple[Keys, list[int]]:
        """The unit numbers of ``texts`` laid end to end, a 0 after each, and their lengths."""
        codes = np.frombuffer("\0".join([*texts, ""]).encode("utf-32-le"), dtype=np.uint32)
        units = self._code_ids[np.minimum(codes, len(self._code_ids) - 1)]
        lengths = [len(t) for t in texts]
        # The NULs between texts break grams, even where a NUL is a unit of the alphabet.
        units[np.cumsum(lengths, dtype=np.intp) + np.arange(len(texts))] = 0
        return units, lengths

    def _token_units(self, token_lists: Sequence[Sequence[str]]) -> tuple[Keys, list[int]]:
        """As :meth:`_char_units`, for lists of tokens."""
        numbers: list[int] = []
        for tokens in token_lists:
            numbers.extend(map(self._unit_ids.get, tokens, repeat(0)))
            numbers.append(0)
        return np.array(numbers, dtype=np.uint64), [len(t) for t in token_lists]

    def char_ids(self, text: str) -> list[int]:
        """Columns of the character n-grams of ``text`` (a whitespace run reads as one
        space, as scikit-learn's ``char`` analyser has it)."""
        return self.char_ids_many([text])[0]

    def token_ids(self, tokens: Sequence[str]) -> list[int]:
        """Columns of the n-grams of ``tokens``."""
        return self.token_ids_many([tokens])[0]

    def char_ids_many(self, texts: Sequence[str]) -> list[list[int]]:
        """:meth:`char_ids` of each text, looked up together."""
        if self._tokens:
            raise ValueError("this index holds token n-grams: use token_ids")
        texts = [WHITESPACE_RUNS.sub(" ", text) for text in texts]
        if not self._packed(sum(map(len, texts))):
            return [self._matched(text) for text in texts]
        return self._columns(*self._char_units(texts))

    def token_ids_many(self, token_lists: Sequence[Sequence[str]]) -> list[list[int]]:
        """:meth:`token_ids` of each token list, looked up together."""
        if not self._tokens:
            raise ValueError("this index holds character n-grams: use char_ids")
        if not self._packed(sum(map(len, token_lists))):
            return [
                self._matched(_TOKEN_FENCE + _TOKEN_FENCE.join(t) + _TOKEN_FENCE) if t else []
                for t in token_lists
            ]
        return self._columns(*self._token_units(token_lists))

    def _packed(self, units: int) -> bool:
        """Whether to look ``units`` units up in the hash table rather than by Aho-Corasick
        passes: a lookup costs some 90 µs of numpy calls whatever its size, and saves
        about a third of a µs per unit (on ChineseHarm texts the two broke even between
        8 and 16 texts of 38 characters)."""
        return self._table is not None and units >= _PACKED_MIN_UNITS

    def _columns(self, units: Keys, lengths: Sequence[int]) -> list[list[int]]:
        """Split the columns found in ``units`` (texts of ``lengths`` units, one 0 unit
        after each) by text."""
        assert self._table is not None
        found = self._table.find(_packed_keys(units, self._min_n, self._max_n, self._bits).ravel())
        where = np.flatnonzero(found >= 0)
        columns = found[where].tolist()
        # Text t's keys start at (Σ of the earlier texts' lengths + 1) rows of keys.
        per_unit = self._max_n - self._min_n + 1
        later_starts = np.cumsum([n + 1 for n in lengths[:-1]], dtype=np.intp) * per_unit
        cuts = [0, *np.searchsorted(where, later_starts).tolist(), len(columns)]
        return [columns[lo:hi] for lo, hi in pairwise(cuts)]

    def _matched(self, text: str) -> list[int]:
        if self._empty:
            return []
        return list(map(_COLUMN, self._automaton.iter(text)))


def _automaton(grams: Mapping[str, int], *, tokens: bool) -> ahocorasick.Automaton:
    """Token grams are keys fenced by a character that ``str.split`` treats as whitespace,
    so a key matches whole tokens only."""
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for gram, column in grams.items():
        key = _TOKEN_FENCE + gram.replace(" ", _TOKEN_FENCE) + _TOKEN_FENCE if tokens else gram
        automaton.add_word(key, column)
    automaton.make_automaton()
    return automaton
