"""The two structures behind the association graph, sized for millions of accounts.

Why plain dicts and a union-find rather than networkx/rustworkx: the graph is bipartite
(accounts ↔ attribute values) and almost every value has one holder, so materialising
account–account edges would be quadratic in the shared values (a NAT address behind
5,000 accounts is 12.5M edges) and a general graph library would spend ~1 KB per node
on dict-of-dict adjacency. Here an attribute value costs one dict entry whose value is a
bare int while it has a single holder; clusters are a union-find over account indices
(near-constant time per registration), which is all incremental flagging needs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence


class AttributeIndex:
    """``attribute key → holders`` (account indices in arrival order)."""

    __slots__ = ("_holders",)

    def __init__(self) -> None:
        # A lone holder is stored as the int itself: most values (phones, documents,
        # devices) are never shared, and a one-element list would triple their cost.
        self._holders: dict[str, int | list[int]] = {}

    def add(self, key: str, account: int) -> int:
        """Record ``account`` as holding ``key``; the number of holders afterwards."""
        held = self._holders.get(key)
        if held is None:
            self._holders[key] = account
            return 1
        if isinstance(held, int):
            self._holders[key] = [held, account]
            return 2
        held.append(account)
        return len(held)

    def holders(self, key: str) -> Sequence[int]:
        held = self._holders.get(key)
        if held is None:
            return ()
        return (held,) if isinstance(held, int) else held

    def count(self, key: str) -> int:
        held = self._holders.get(key)
        if held is None:
            return 0
        return 1 if isinstance(held, int) else len(held)

    def shared(self) -> Iterator[tuple[str, list[int]]]:
        """Every key with more than one holder."""
        for key, held in self._holders.items():
            if not isinstance(held, int):
                yield key, held

    def __len__(self) -> int:
        return len(self._holders)


class Clusters:
    """Union-find over account indices, keeping the member list of every non-singleton."""

    __slots__ = ("_members", "_parent")

    def __init__(self) -> None:
        self._parent: list[int] = []
        self._members: dict[int, list[int]] = {}

    def add(self) -> int:
        index = len(self._parent)
        self._parent.append(index)
        return index

    def find(self, index: int) -> int:
        parent = self._parent
        root = index
        while parent[root] != root:
            root = parent[root]
        while parent[index] != root:  # path compression
            parent[index], index = root, parent[index]
        return root

    def union(self, left: int, right: int) -> int:
        """Join the clusters of ``left`` and ``right``; the surviving root."""
        left, right = self.find(left), self.find(right)
        if left == right:
            return left
        left_members = self._members.pop(left, None) or [left]
        right_members = self._members.pop(right, None) or [right]
        if len(left_members) < len(right_members):
            left, right = right, left
            left_members, right_members = right_members, left_members
        self._parent[right] = left
        left_members.extend(right_members)
        self._members[left] = left_members
        return left

    def members(self, index: int) -> Sequence[int]:
        root = self.find(index)
        return self._members.get(root) or (root,)

    def size(self, index: int) -> int:
        return len(self.members(index))

    def roots(self, min_size: int) -> Iterator[int]:
        """Roots of every cluster with at least ``min_size`` (≥ 2) members."""
        for root, members in self._members.items():
            if len(members) >= min_size:
                yield root

    def reset(self) -> None:
        """Every account back in a cluster of its own."""
        self._parent = list(range(len(self._parent)))
        self._members = {}

    def __len__(self) -> int:
        return len(self._parent)
