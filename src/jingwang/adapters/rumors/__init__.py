"""The user's rumour knowledge base on disk (a JSONL file)."""

from jingwang.adapters.rumors.store import DEFAULT_PATH, ENV_VAR, RumorStore, default_path

__all__ = ["DEFAULT_PATH", "ENV_VAR", "RumorStore", "default_path"]
