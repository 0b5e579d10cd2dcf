"""Character classes of scripts, shared by the normaliser and the classifier's views."""

from __future__ import annotations

from typing import Final

# Han characters for regular-expression classes: CJK Unified Ideographs and Extension A.
HAN_CLASS: Final = "\u3400-\u4dbf\u4e00-\u9fff"
