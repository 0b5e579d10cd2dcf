"""The pure domain core: normalisation, detection and decisions.

Nothing in here performs I/O beyond reading packaged resources, and nothing imports a
web framework, ORM, broker or HTTP client (enforced by import-linter).
"""
