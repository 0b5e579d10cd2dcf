"""Near-duplicate campaigns: the same message pushed by many accounts or groups with
small edits.

Texts are normalised (``jingwang.core.normalize``), stripped of whitespace, cut into
character 2-gram shingles and summarised by 128-value MinHash signatures; LSH banding
finds candidates and signature agreement estimates their Jaccard similarity. Messages
above the threshold are joined into campaign clusters as they are indexed. Normalised
texts shorter than ``MIN_INDEXED_CHARS`` are neither indexed nor matched.
"""

from jingwang.core.campaigns.evidence import SharedFragment, shared_fragments
from jingwang.core.campaigns.index import (
    CampaignIndex,
    IndexJournal,
    MemoryCampaignIndex,
    UnknownMessageError,
)
from jingwang.core.campaigns.model import AddOutcome, IndexSettings, Match, Message
from jingwang.core.campaigns.shingles import MIN_INDEXED_CHARS

__all__ = [
    "MIN_INDEXED_CHARS",
    "AddOutcome",
    "CampaignIndex",
    "IndexJournal",
    "IndexSettings",
    "Match",
    "MemoryCampaignIndex",
    "Message",
    "SharedFragment",
    "UnknownMessageError",
    "shared_fragments",
]
