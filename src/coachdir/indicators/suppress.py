"""Primary and secondary cell suppression of one table, on its graph.

A table with margins is a bipartite graph: one node per row plus a row-total node, one node
per column plus a column-total node; each cell, margin and the grand total is an edge (a
one-dimension table: every cell and the total join the same two nodes). The published values
fix the sum at every node, so a hidden cell can be recomputed exactly when it is a *bridge* of
the graph of hidden edges, i.e. when no cycle of hidden edges passes through it.

Positions are ``(row, column)`` pairs; :data:`TOTAL` stands for a margin, so ``(r, TOTAL)`` is
row r's total, ``(TOTAL, c)`` column c's and ``(TOTAL, TOTAL)`` the grand total. In a
one-dimension table, the cells are ``(r, TOTAL)``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence

TOTAL = "*"
Pos = tuple[str, str]
Node = tuple[str, str]


def positions(rows: Sequence[str], columns: Sequence[str] | None) -> list[Pos]:
    """Every cell, margin and the total, inner cells first."""
    if columns is None:
        return [(r, TOTAL) for r in rows] + [(TOTAL, TOTAL)]
    inner = [(r, c) for r in rows for c in columns]
    return inner + [(r, TOTAL) for r in rows] + [(TOTAL, c) for c in columns] + [(TOTAL, TOTAL)]


def endpoints(pos: Pos, one_dimension: bool) -> tuple[Node, Node]:
    """The two nodes an edge joins."""
    if one_dimension:
        return ("R", TOTAL), ("C", TOTAL)
    return ("R", pos[0]), ("C", pos[1])


def is_margin(pos: Pos, one_dimension: bool) -> bool:
    return pos == (TOTAL, TOTAL) if one_dimension else TOTAL in pos


def primary(people: Mapping[Pos, int], threshold: int) -> set[Pos]:
    """The unsafe positions: 0 < people < T."""
    return {pos for pos, n in people.items() if 0 < n < threshold}


def is_bridge(edge: Pos, hidden: Iterable[Pos], one_dimension: bool) -> bool:
    """Whether ``edge`` is a bridge of the graph of ``hidden`` edges (``edge`` among them):
    its two ends are no longer connected once it is removed."""
    start, goal = endpoints(edge, one_dimension)
    adjacent: dict[Node, list[Node]] = {}
    for other in hidden:
        if other == edge:
            continue
        a, b = endpoints(other, one_dimension)
        adjacent.setdefault(a, []).append(b)
        adjacent.setdefault(b, []).append(a)
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return False
        for nxt in adjacent.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return True


def _cheapest_path(
    edge: Pos, hidden: set[Pos], values: Mapping[Pos, float], one_dimension: bool
) -> list[Pos] | None:
    """The published edges of the cheapest path joining ``edge``'s two ends without it:
    hidden edges cost nothing, a published edge its value plus one, and a margin also more
    than every inner cell together (inner cells are hidden before margins)."""
    margin_cost = 1 + sum(values.values()) + len(values)
    adjacent: dict[Node, list[tuple[Node, Pos]]] = {}
    for pos in values:
        if pos == edge:
            continue
        a, b = endpoints(pos, one_dimension)
        adjacent.setdefault(a, []).append((b, pos))
        adjacent.setdefault(b, []).append((a, pos))
    start, goal = endpoints(edge, one_dimension)
    best: dict[Node, float] = {start: 0.0}
    came: dict[Node, tuple[Node, Pos]] = {}
    queue: list[tuple[float, Node]] = [(0.0, start)]
    while queue:
        cost, node = heapq.heappop(queue)
        if node == goal:
            path: list[Pos] = []
            while node != start:
                node, pos = came[node]
                if pos not in hidden:
                    path.append(pos)
            return path
        if cost > best.get(node, float("inf")):
            continue
        for nxt, pos in sorted(adjacent.get(node, ())):
            step = 0.0 if pos in hidden else values[pos] + 1.0
            if pos not in hidden and is_margin(pos, one_dimension):
                step += margin_cost
            if cost + step < best.get(nxt, float("inf")):
                best[nxt] = cost + step
                came[nxt] = (node, pos)
                heapq.heappush(queue, (cost + step, nxt))
    return None


def secondary(
    values: Mapping[Pos, float],
    unsafe: Iterable[Pos],
    hidden: Iterable[Pos],
    one_dimension: bool,
) -> set[Pos]:
    """The hidden positions after greedy secondary suppression: while an unsafe hidden cell is
    a bridge of the hidden graph, hide the cheapest path that closes a cycle through it.
    ``values`` holds every position of the table; ``hidden`` the ones already hidden (the
    unsafe ones, frozen ones and any the audit asked for)."""
    done = set(hidden) | set(unsafe)
    for edge in sorted(set(unsafe), key=lambda p: (values[p], p)):
        if not is_bridge(edge, done, one_dimension):
            continue
        path = _cheapest_path(edge, done, values, one_dimension)
        if path is None:  # nothing can close a cycle: hide the whole table
            return set(values)
        done.update(path)
    return done


def _sum_edge(node: Node, one_dimension: bool) -> Pos:
    """The edge of ``node`` that is the sum of its other edges: a row's or column's total, the
    grand total for the two total nodes (and for both nodes of a one-dimension table)."""
    if one_dimension or node[1] == TOTAL:
        return (TOTAL, TOTAL)
    return (node[1], TOTAL) if node[0] == "R" else (TOTAL, node[1])


def determined_zeros(
    values: Mapping[Pos, float],
    hidden: Iterable[Pos],
    candidates: Iterable[Pos],
    one_dimension: bool,
) -> set[Pos]:
    """The ``candidates`` (hidden cells whose value is 0) that the published cells of the table
    pin to 0, so publishing them tells nothing new. At one of its nodes, the sum edge equals
    the sum of the other edges, all non-negative: a hidden sum whose parts are all published
    is their sum; a hidden part is 0 when the sum is published as 0, or when the sum and
    every other part are published. Applied until nothing changes (publishing one can pin
    another). Only for exact figures: a rounded figure pins nothing."""
    still = set(hidden)
    todo = sorted(p for p in candidates if p in still and values[p] == 0)
    freed: set[Pos] = set()
    changed = True
    while changed:
        changed = False
        for pos in todo:
            if pos in freed:
                continue
            for node in endpoints(pos, one_dimension):
                total = _sum_edge(node, one_dimension)
                others = [p for p in values if p != pos and node in endpoints(p, one_dimension)]
                if pos == total:
                    pinned = all(p not in still for p in others)
                else:
                    pinned = total not in still and (
                        values[total] == 0 or all(p not in still for p in others)
                    )
                if pinned:
                    still.discard(pos)
                    freed.add(pos)
                    changed = True
                    break
    return freed


def suppress(
    values: Mapping[Pos, float],
    people: Mapping[Pos, int],
    threshold: int,
    one_dimension: bool,
    frozen: Iterable[Pos] = (),
) -> tuple[set[Pos], set[Pos]]:
    """(the unsafe positions, every hidden position) of one count table."""
    unsafe = primary(people, threshold)
    return unsafe, secondary(values, unsafe, set(frozen) & set(values), one_dimension)
