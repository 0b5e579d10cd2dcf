"""Persistence of the near-duplicate campaign index: a directory of append-only files
(see ``files.py``), or memory only, behind one thread-safe ``CampaignStore``."""

from jingwang.adapters.campaigns.files import CampaignStoreError
from jingwang.adapters.campaigns.store import CampaignStore

__all__ = ["CampaignStore", "CampaignStoreError"]
