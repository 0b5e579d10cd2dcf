"""Campaign clusters: union-find over message rows, with the members of each cluster.

Near-duplicate links are transitive here on purpose: a campaign drifts through small
edits, and the hundredth variant may share little with the first while each shares
much with the one before. The price is that a chain of templated texts can join two
campaigns; docs/campaigns.md discusses it.
"""

from __future__ import annotations


class Clusters:
    """Disjoint sets of rows ``0 .. n-1``; singletons cost one list slot each."""

    def __init__(self) -> None:
        self._parent: list[int] = []
        # Members are kept only for clusters of two or more, keyed by their root.
        self._members: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._parent)

    def grow(self, count: int) -> None:
        """Add ``count`` new singleton rows."""
        start = len(self._parent)
        self._parent.extend(range(start, start + count))

    def root(self, row: int) -> int:
        parent = self._parent
        top = row
        while parent[top] != top:
            top = parent[top]
        while parent[row] != top:  # path compression keeps later look-ups O(1)
            parent[row], row = top, parent[row]
        return top

    def union(self, a: int, b: int) -> bool:
        """Join the clusters of ``a`` and ``b``; False when they already were one."""
        root_a, root_b = self.root(a), self.root(b)
        if root_a == root_b:
            return False
        members_a = self._members.pop(root_a, None) or [root_a]
        members_b = self._members.pop(root_b, None) or [root_b]
        if len(members_a) < len(members_b):  # union by size: the smaller list moves
            root_a, root_b, members_a, members_b = root_b, root_a, members_b, members_a
        self._parent[root_b] = root_a
        members_a.extend(members_b)
        self._members[root_a] = members_a
        return True

    def members(self, row: int) -> list[int]:
        """The rows in ``row``'s cluster, in insertion order."""
        return sorted(self._members.get(self.root(row), [row]))

    def largest(self, limit: int) -> list[list[int]]:
        """The ``limit`` largest clusters of two or more rows, largest first."""
        roots = sorted(self._members, key=lambda root: (-len(self._members[root]), root))
        return [sorted(self._members[root]) for root in roots[:limit]]
