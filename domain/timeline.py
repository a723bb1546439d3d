"""The network landscape over time: which networks were active in a year, counts per year, lineage.

Every network gets one period (:func:`network_periods`): a first and a last year, with the
basis for the last year. The rules, in order:

* no ``start_year`` -> the year of the latest source (``status_as_of``) stands in for the
  first year: a source then showed the network, so it existed at least from that year
  (``first_basis`` ``status-as-of``). With neither year the network is in no year
  (``no-start``): nothing vouches for any year. :func:`undated` lists the networks without a
  start year so the page can say how many are placed by their source year only;
* a known ``end_year`` -> active from ``start_year`` up to and including ``end_year``
  (``end-year``): a network counts in its start year and in its end year, not after;
* no ``end_year`` and status active, in-formation or unknown -> still running (``open``);
* no ``end_year`` and status ended or succeeded -> the end is estimated:
  the start year of its earliest successor in the frame (``successor``, the handover year, in
  which both count), else ``status_as_of`` (``status-as-of``: the year of the latest source,
  so "at the latest"), else only the start year itself (``start-only``).

Successors are found on both sides: ``successors`` of the network and ``predecessors`` of
others. Pass the whole networks frame (not one already filtered on status or kind) so the
successor of a network is in it; for the chart, filter on theme at most.
"""

from __future__ import annotations

from collections import deque
from datetime import date

import pandas as pd

from loaders.vocabulary import KINDS, STATUS_GROUPS

ENDED_STATUSES: frozenset[str] = frozenset(STATUS_GROUPS["beeindigd"])
FIRST_YEAR = 2009  # first tranche of the Wmo-werkplaatsen

PERIOD_BASIS: dict[str, str] = {
    "end-year": "Eindjaar volgens de bron",
    "open": "Loopt nog (geen eindjaar bekend)",
    "successor": "Einde geschat: startjaar van de opvolger",
    "status-as-of": "Einde geschat: uiterlijk het jaar van de laatste bron",
    "start-only": "Alleen het startjaar is bekend",
    "no-start": "Start- en bronjaar onbekend: niet in de tijdlijn",
}

FIRST_BASIS: dict[str, str] = {
    "start-year": "Startjaar volgens de bron",
    "status-as-of": "Startjaar onbekend: getoond vanaf het jaar van de bron",
    "none": "Startjaar onbekend",
}


class UnknownNetworkError(LookupError):
    """A network id that is not in the networks frame."""


def _year(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _links(networks: pd.DataFrame) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Successors and predecessors per id, from the links declared on either side."""
    successors: dict[str, set[str]] = {}
    predecessors: dict[str, set[str]] = {}
    for network_id, before, after in zip(networks["id"], networks["predecessors"], networks["successors"]):
        nid = str(network_id)
        for other in before or ():
            successors.setdefault(str(other), set()).add(nid)
            predecessors.setdefault(nid, set()).add(str(other))
        for other in after or ():
            successors.setdefault(nid, set()).add(str(other))
            predecessors.setdefault(str(other), set()).add(nid)
    return successors, predecessors


def network_periods(networks: pd.DataFrame) -> pd.DataFrame:
    """First and last active year of every network, with the basis of the last year.

    Returns a frame on the index of ``networks`` with ``id``, ``first_year`` and
    ``last_year`` (``Int64``; ``last_year`` is missing when the network is still running,
    ``first_year`` when neither a start nor a source year is known), ``basis`` (a key of
    :data:`PERIOD_BASIS`) and ``first_basis`` (a key of :data:`FIRST_BASIS`).
    """
    successors, _ = _links(networks)
    starts = {str(i): _year(s) for i, s in zip(networks["id"], networks["start_year"])}
    firsts, lasts, bases, first_bases = [], [], [], []
    for network_id, start, end, status, as_of in zip(
        networks["id"], networks["start_year"], networks["end_year"], networks["status"], networks["status_as_of"]
    ):
        start, end, as_of = _year(start), _year(end), _year(as_of)
        first_basis = "start-year"
        if start is None and as_of is not None:
            start, first_basis = as_of, "status-as-of"
        elif start is None:
            first_basis = "none"
        last: int | None
        if start is None:
            last, basis = None, "no-start"
        elif end is not None:
            last, basis = end, "end-year"
        elif status not in ENDED_STATUSES:
            last, basis = None, "open"
        else:
            handovers = [s for i in successors.get(str(network_id), ()) if (s := starts.get(i)) is not None]
            handovers = [s for s in handovers if s >= start]
            if handovers:
                last, basis = min(handovers), "successor"
            elif as_of is not None and as_of >= start:
                last, basis = as_of, "status-as-of"
            else:
                last, basis = start, "start-only"
        firsts.append(start)
        lasts.append(last)
        bases.append(basis)
        first_bases.append(first_basis)
    return pd.DataFrame(
        {
            "id": networks["id"].astype(str).to_numpy(),
            "first_year": pd.array(firsts, dtype="Int64"),
            "last_year": pd.array(lasts, dtype="Int64"),
            "basis": bases,
            "first_basis": first_bases,
        },
        index=networks.index,
    )


def active_mask(periods: pd.DataFrame, year: int) -> pd.Series:
    started = (periods["first_year"] <= year).fillna(False).astype(bool)
    not_ended = (periods["last_year"] >= year).fillna(True).astype(bool)
    return started & not_ended


def active_in_year(networks: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of ``networks`` active in ``year`` under the rules of :func:`network_periods`."""
    return networks[active_mask(network_periods(networks), int(year)).to_numpy()]


def undated(networks: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``networks`` without a start year (absent from every year of the timeline)."""
    return networks[networks["start_year"].isna().to_numpy()]


def counts_per_year(networks: pd.DataFrame, first: int = FIRST_YEAR, last: int | None = None) -> pd.DataFrame:
    """Active networks per year and kind, for a stacked bar chart.

    Index ``year`` (``first`` .. ``last`` inclusive; ``last`` defaults to the current year),
    one integer column per kind present in ``networks``, in the order of ``KINDS`` (unknown
    kinds last). Wide on purpose: ``st.bar_chart(counts)`` stacks the columns; rename them
    with ``KINDS`` for Dutch labels. Networks without a start or source year are in no year.
    """
    last = date.today().year if last is None else int(last)
    first = int(first)
    if first > last:
        raise ValueError(f"counts_per_year: first year {first} is after last year {last}")
    order = {kind: i for i, kind in enumerate(KINDS)}
    kinds = sorted({str(k) for k in networks["kind"]}, key=lambda k: (order.get(k, len(order)), k))
    periods = network_periods(networks)
    years = range(first, last + 1)
    data: dict[str, list[int]] = {kind: [] for kind in kinds}
    kind_values = networks["kind"].astype(str).to_numpy()
    for year in years:
        active = active_mask(periods, year).to_numpy()
        for kind in kinds:
            data[kind].append(int((active & (kind_values == kind)).sum()))
    return pd.DataFrame(data, index=pd.Index(list(years), name="year"), columns=kinds, dtype=int)


def _describe(networks: pd.DataFrame, network_id: str, generation: int) -> dict:
    match = networks[networks["id"].astype(str) == network_id]
    if match.empty:
        return {
            "id": network_id,
            "name": None,
            "kind": None,
            "status": None,
            "start_year": None,
            "end_year": None,
            "generation": generation,
            "in_frame": False,
        }
    row = match.iloc[0]
    return {
        "id": network_id,
        "name": str(row["name"]),
        "kind": str(row["kind"]),
        "status": str(row["status"]),
        "start_year": _year(row["start_year"]),
        "end_year": _year(row["end_year"]),
        "generation": generation,
        "in_frame": True,
    }


def _walk(start: str, links: dict[str, set[str]]) -> list[tuple[str, int]]:
    """Ids reachable from ``start`` with their distance (1 = direct), cycle-safe."""
    seen = {start}
    found: list[tuple[str, int]] = []
    queue = deque([(start, 0)])
    while queue:
        current, depth = queue.popleft()
        for other in sorted(links.get(current, ())):
            if other not in seen:
                seen.add(other)
                found.append((other, depth + 1))
                queue.append((other, depth + 1))
    return found


def lineage(networks: pd.DataFrame, network_id: str) -> dict:
    """Where a network comes from and what it became, both directions, all generations.

    Returns ``{"id", "name", "predecessors": [...], "successors": [...]}``; each item has
    ``id``, ``name``, ``kind``, ``status``, ``start_year``, ``end_year``, ``generation`` (1 =
    direct link, 2 = the predecessor's predecessor, ...) and ``in_frame`` (False when the
    linked id is not in ``networks``: then name and years are None). A link counts when it is
    declared on either side (A lists B as successor, or B lists A as predecessor). Items are
    sorted by generation, then start year (unknown last), then id.
    Raises :class:`UnknownNetworkError` when ``network_id`` is not in ``networks``.
    """
    ids = set(networks["id"].astype(str))
    if network_id not in ids:
        raise UnknownNetworkError(f"no network with id {network_id!r} in the networks frame")
    successors, predecessors = _links(networks)

    def items(links: dict[str, set[str]]) -> list[dict]:
        described = [_describe(networks, other, depth) for other, depth in _walk(network_id, links)]
        return sorted(
            described,
            key=lambda d: (d["generation"], d["start_year"] is None, d["start_year"] or 0, d["id"]),
        )

    own = _describe(networks, network_id, 0)
    return {
        "id": network_id,
        "name": own["name"],
        "predecessors": items(predecessors),
        "successors": items(successors),
    }
