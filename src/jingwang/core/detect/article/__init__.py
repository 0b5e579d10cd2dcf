"""Low-quality public-account articles: clickbait, rumours and vulgar (擦边) articles.

See ``docs/articles.md`` for the features, the rumour knowledge base and the dataset.
"""

from jingwang.core.detect.article.detector import ArticleDetector, is_debunk
from jingwang.core.detect.article.knowledge import (
    KnowledgeBaseError,
    RumorEntry,
    RumorKnowledgeBase,
    RumorMatch,
    parse_entries,
    seed_entries,
    seed_knowledge_base,
)

__all__ = [
    "ArticleDetector",
    "KnowledgeBaseError",
    "RumorEntry",
    "RumorKnowledgeBase",
    "RumorMatch",
    "is_debunk",
    "parse_entries",
    "seed_entries",
    "seed_knowledge_base",
]
