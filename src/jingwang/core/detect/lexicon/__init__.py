"""Lexicon matching: curated and imported term lists, homophone- and pinyin-aware."""

from jingwang.core.detect.lexicon.detector import LexiconDetector
from jingwang.core.detect.lexicon.entries import LexiconEntry, Needs
from jingwang.core.detect.lexicon.loader import LexiconFormatError, load_directories, parse_lexicon

__all__ = [
    "LexiconDetector",
    "LexiconEntry",
    "LexiconFormatError",
    "Needs",
    "load_directories",
    "parse_lexicon",
]
