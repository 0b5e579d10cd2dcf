"""Helpers shared by the extracting detectors (contacts, links, context, SEO).

Everything here keeps offsets: folding tables map one character to exactly one
character, so a match in a folded text indexes the original text unchanged.
"""
