"""Following links to their landing pages, safely: redirects, limits, SSRF refusal.

``default_sources(settings)`` gives the view sources a scan should use; see
``docs/links.md`` for how resolution works and what it refuses.
"""

from jingwang.adapters.fetch.addresses import is_public
from jingwang.adapters.fetch.resolver import ErrorKind, FetchLimits, Resolution, Resolver
from jingwang.adapters.fetch.source import LandingView, LinkViewSource

__all__ = [
    "ErrorKind",
    "FetchLimits",
    "LandingView",
    "LinkViewSource",
    "Resolution",
    "Resolver",
    "is_public",
]
