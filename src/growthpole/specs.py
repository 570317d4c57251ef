"""Frozen, TOML-serialisable specifications: indicators, groups, scales, pole rules.

One :class:`IndexSpec` drives the library, the CLI (``--spec spec.toml``), the report
and the uncertainty analysis. Specs are immutable; ``replace`` returns a new one.

Examples
--------
>>> from growthpole.specs import Scale
>>> Scale.default().grade([12.0, 25.0, 76.05])
['C', 'C+', 'A']
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

import tomli_w

from growthpole.errors import SpecError

__all__ = [
    "AggregationMethod",
    "Band",
    "Direction",
    "Group",
    "IndexSpec",
    "Indicator",
    "MissingRule",
    "NormaliseMethod",
    "PoleRule",
    "Scale",
    "Tier",
    "check_literal",
]

Direction = Literal["higher", "lower"]
"""Whether a higher or a lower raw value is better."""

NormaliseMethod = Literal["fraction_of_max"]
"""Normalisation methods known to the rating (formula 1 of the paper)."""

AggregationMethod = Literal["arithmetic"]
"""Aggregation methods known to the rating (formulas 2-4: weighted arithmetic mean)."""

MissingRule = Literal["error", "skip"]
"""What to do with a missing indicator value: stop with an error naming the cells, or
leave the score missing and re-normalise the weights over the indicators present."""


def check_literal(value: Any, literal: Any, what: str) -> Any:
    """Return ``value`` if it is one of the ``Literal``'s options, else raise SpecError.

    Examples
    --------
    >>> check_literal("lower", Direction, "direction")
    'lower'
    """
    options = get_args(literal)
    if value not in options:
        raise SpecError(f"{what} needs to be one of {list(options)}; {value!r} was given instead.")
    return value


def _finite_number(value: Any, what: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise SpecError(f"{what} must be a number; {value!r} was given instead.") from None
    if math.isnan(out):
        raise SpecError(f"{what} must be a number, not NaN.")
    return out


@dataclass(frozen=True)
class Indicator:
    """One raw indicator of a composite index.

    Parameters
    ----------
    name
        Identifier used in the data (``indicator`` column or wide column name).
    group
        Name of the group (sub-index) it belongs to.
    direction
        ``"higher"`` if a higher raw value is better, ``"lower"`` otherwise.
    weight
        Weight inside its group (re-normalised to sum to 1 within the group).
    label, unit
        Human-readable description, for tables and the report.
    normalisation
        Normalisation method (formula 1 of the paper: ``"fraction_of_max"``).
    """

    name: str
    group: str
    direction: Direction = "higher"
    weight: float = 1.0
    label: str = ""
    unit: str = ""
    normalisation: NormaliseMethod = "fraction_of_max"

    def __post_init__(self) -> None:
        if not self.name or not isinstance(self.name, str):
            raise SpecError(f"an indicator needs a non-empty name; {self.name!r} was given.")
        check_literal(self.direction, Direction, f"indicator {self.name!r}: direction")
        check_literal(
            self.normalisation, NormaliseMethod, f"indicator {self.name!r}: normalisation"
        )
        w = _finite_number(self.weight, f"indicator {self.name!r}: weight")
        if w < 0:
            raise SpecError(f"indicator {self.name!r}: weight must be >= 0; {w} was given.")
        object.__setattr__(self, "weight", w)


@dataclass(frozen=True)
class Group:
    """A group of indicators (a sub-index), aggregated into its parent.

    Parameters
    ----------
    name
        Identifier; appears as a column of the ratings table.
    weight
        Weight inside the parent (re-normalised to sum to 1).
    parent
        Name of the parent node; the top is the spec's ``index_name``.
    label
        Human-readable description.
    aggregation
        Aggregation of the children (formulas 2-4: ``"arithmetic"``).
    """

    name: str
    weight: float = 1.0
    parent: str = "index"
    label: str = ""
    aggregation: AggregationMethod = "arithmetic"

    def __post_init__(self) -> None:
        if not self.name or not isinstance(self.name, str):
            raise SpecError(f"a group needs a non-empty name; {self.name!r} was given.")
        check_literal(self.aggregation, AggregationMethod, f"group {self.name!r}: aggregation")
        w = _finite_number(self.weight, f"group {self.name!r}: weight")
        if w < 0:
            raise SpecError(f"group {self.name!r}: weight must be >= 0; {w} was given.")
        object.__setattr__(self, "weight", w)


@dataclass(frozen=True)
class Band:
    """One band of a scale: ``label`` applies from ``lower`` (inclusive) up to the next band."""

    label: str
    lower: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "lower", _finite_or_inf(self.lower, f"band {self.label!r}"))


def _finite_or_inf(value: Any, what: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise SpecError(f"{what}: lower bound must be a number; {value!r} was given.") from None
    if math.isnan(out):
        raise SpecError(f"{what}: lower bound must be a number, not NaN.")
    return out


@dataclass(frozen=True)
class Scale:
    """An ordered letter (or word) scale: ``(label, lower bound)`` pairs, lowest first.

    A value ``v`` gets the label of the last band whose ``lower <= v``. The first band
    usually starts at ``-inf``. Bounds must be strictly increasing.

    Examples
    --------
    >>> s = Scale("demo", (Band("low", float("-inf")), Band("high", 50)))
    >>> s.grade([49.99, 50.0, None])
    ['low', 'high', None]
    """

    name: str
    bands: tuple[Band, ...]

    def __post_init__(self) -> None:
        bands = tuple(b if isinstance(b, Band) else Band(*b) for b in self.bands)
        if not bands:
            raise SpecError(f"scale {self.name!r} has no bands.")
        labels = [b.label for b in bands]
        if len(set(labels)) != len(labels):
            raise SpecError(f"scale {self.name!r}: labels must be unique; got {labels}.")
        for prev, nxt in itertools.pairwise(bands):
            if not nxt.lower > prev.lower:
                raise SpecError(
                    f"scale {self.name!r}: bounds must be strictly increasing; "
                    f"{nxt.label!r} starts at {nxt.lower} after {prev.label!r} at {prev.lower}."
                )
        object.__setattr__(self, "bands", bands)

    @classmethod
    def default(cls) -> Scale:
        """The paper's letter scale: C < 20 <= C+ < 30 <= C++ < 40 <= B < 50 <= B+ < 60 <= A."""
        return cls(
            "kireyeva2018",
            (
                Band("C", -math.inf),
                Band("C+", 20.0),
                Band("C++", 30.0),
                Band("B", 40.0),
                Band("B+", 50.0),
                Band("A", 60.0),
            ),
        )

    @property
    def labels(self) -> list[str]:
        """Labels from the lowest band to the highest."""
        return [b.label for b in self.bands]

    def rank_of(self, label: str) -> int:
        """Position of ``label`` on the scale (0 = lowest); SpecError if unknown."""
        try:
            return self.labels.index(label)
        except ValueError:
            raise SpecError(
                f"grade needs to be one of {self.labels} (scale {self.name!r}); "
                f"{label!r} was given instead."
            ) from None

    def grade(self, values: Iterable[float | None]) -> list[str | None]:
        """Label of each value; ``None`` (or NaN) stays ``None``."""
        out: list[str | None] = []
        for v in values:
            if v is None or (isinstance(v, float) and math.isnan(v)):
                out.append(None)
                continue
            label = self.bands[0].label
            for band in self.bands:
                if v >= band.lower:
                    label = band.label
                else:
                    break
            out.append(label)
        return out


@dataclass(frozen=True)
class Tier:
    """A specialisation tier: ``name`` applies to shares from ``lower`` (inclusive) upward."""

    name: str
    lower: float


@dataclass(frozen=True)
class PoleRule:
    """The growth-pole rule: innovation grade at least ``min_grade`` AND a top specialisation tier.

    Default tiers on the share of national output: ``low`` (> 0), ``medium`` (>= 0.05),
    ``high`` (>= 0.15, about 2.4 times the equal share of one of 16 regions); only ``high``
    qualifies. These are a judgement, documented in ``docs/method.md``, and configurable.

    Parameters
    ----------
    min_grade
        Lowest grade of the innovation scale that qualifies.
    tiers
        Specialisation tiers on the share of national output, lowest first; a share with no
        data falls in no tier.
    top_tiers
        Names of the tiers that qualify.

    Examples
    --------
    >>> PoleRule().tier_of(0.25), PoleRule().tier_of(0.01), PoleRule().tier_of(None)
    ('high', 'low', None)
    """

    min_grade: str = "B"
    tiers: tuple[Tier, ...] = (Tier("low", 0.0), Tier("medium", 0.05), Tier("high", 0.15))
    top_tiers: tuple[str, ...] = ("high",)

    def __post_init__(self) -> None:
        tiers = tuple(t if isinstance(t, Tier) else Tier(*t) for t in self.tiers)
        for prev, nxt in itertools.pairwise(tiers):
            if not nxt.lower > prev.lower:
                raise SpecError(
                    "pole rule: tier bounds must be strictly increasing; "
                    f"{nxt.name!r} starts at {nxt.lower} after {prev.name!r} at {prev.lower}."
                )
        names = [t.name for t in tiers]
        for top in self.top_tiers:
            if top not in names:
                raise SpecError(f"pole rule: top tier {top!r} is not one of the tiers {names}.")
        object.__setattr__(self, "tiers", tiers)
        object.__setattr__(self, "top_tiers", tuple(self.top_tiers))

    def tier_of(self, share: float | None) -> str | None:
        """Tier of a share of national output (``None`` when the share is missing)."""
        if share is None or (isinstance(share, float) and math.isnan(share)):
            return None
        name = None
        for t in self.tiers:
            if share >= t.lower:
                name = t.name
        return name


@dataclass(frozen=True)
class IndexSpec:
    """A composite index: indicators in groups, groups in the index, a scale, a pole rule.

    Examples
    --------
    >>> spec = IndexSpec(
    ...     name="tiny",
    ...     indicators=(Indicator("a", "g1"), Indicator("b", "g2", direction="lower")),
    ...     groups=(Group("g1"), Group("g2")),
    ... )
    >>> IndexSpec.from_toml(spec.to_toml()) == spec
    True
    """

    name: str
    indicators: tuple[Indicator, ...]
    groups: tuple[Group, ...]
    scale: Scale = field(default_factory=Scale.default)
    poles: PoleRule = field(default_factory=PoleRule)
    index_name: str = "index"
    missing: MissingRule = "error"
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicators", tuple(self.indicators))
        object.__setattr__(self, "groups", tuple(self.groups))
        check_literal(self.missing, MissingRule, "missing")
        if not self.indicators:
            raise SpecError(f"spec {self.name!r} has no indicators.")
        names = [i.name for i in self.indicators]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise SpecError(f"spec {self.name!r}: indicator names must be unique; repeated: {dup}.")
        gnames = [g.name for g in self.groups]
        dupg = sorted({n for n in gnames if gnames.count(n) > 1})
        if dupg:
            raise SpecError(f"spec {self.name!r}: group names must be unique; repeated: {dupg}.")
        clash = sorted(set(names) & set(gnames) | ({self.index_name} & (set(names) | set(gnames))))
        if clash:
            raise SpecError(
                f"spec {self.name!r}: names used twice as indicator/group/index: {clash}."
            )
        nodes = set(gnames) | {self.index_name}
        for ind in self.indicators:
            if ind.group not in gnames:
                raise SpecError(
                    f"indicator {ind.name!r}: group needs to be one of {gnames}; "
                    f"{ind.group!r} was given instead."
                )
        for g in self.groups:
            if g.parent not in nodes or g.parent == g.name:
                raise SpecError(
                    f"group {g.name!r}: parent needs to be one of {sorted(nodes - {g.name})}; "
                    f"{g.parent!r} was given instead."
                )
        # every node needs children with positive total weight; the tree must reach the index
        for g in self.groups:
            kids = [i.weight for i in self.indicators if i.group == g.name]
            kids += [c.weight for c in self.groups if c.parent == g.name]
            if not kids:
                raise SpecError(f"group {g.name!r} has no indicators or sub-groups.")
            if sum(kids) <= 0:
                raise SpecError(f"group {g.name!r}: the weights of its members are all zero.")
        top = [g.weight for g in self.groups if g.parent == self.index_name]
        if not top:
            raise SpecError(
                f"spec {self.name!r}: no group has the index {self.index_name!r} as parent."
            )
        if sum(top) <= 0:
            raise SpecError(
                f"spec {self.name!r}: the weights of the top-level groups are all zero."
            )
        for g in self.groups:
            seen = {g.name}
            node = g
            while node.parent != self.index_name:
                node = next(x for x in self.groups if x.name == node.parent)
                if node.name in seen:
                    raise SpecError(f"group {g.name!r}: the group hierarchy has a cycle.")
                seen.add(node.name)
        self.scale.rank_of(self.poles.min_grade)

    # -- views ---------------------------------------------------------------------------
    @property
    def indicator_names(self) -> list[str]:
        """Indicator names in spec order."""
        return [i.name for i in self.indicators]

    def group_levels(self) -> list[list[Group]]:
        """Groups ordered bottom-up: the groups made only of indicators come first."""
        depth: dict[str, int] = {}

        def d(name: str) -> int:
            if name in depth:
                return depth[name]
            kids = [c for c in self.groups if c.parent == name]
            depth[name] = 1 + max((d(c.name) for c in kids), default=0)
            return depth[name]

        levels: dict[int, list[Group]] = {}
        for g in self.groups:
            levels.setdefault(d(g.name), []).append(g)
        return [levels[k] for k in sorted(levels)]

    def replace(self, **changes: Any) -> IndexSpec:
        """Return a copy with some fields changed (the spec itself never changes)."""
        return replace(self, **changes)

    def with_weights(self, weights: Mapping[str, float]) -> IndexSpec:
        """Return a copy with new weights for the named indicators and groups."""
        known = set(self.indicator_names) | {g.name for g in self.groups}
        unknown = sorted(set(weights) - known)
        if unknown:
            raise SpecError(f"unknown indicator or group names in weights: {unknown}.")
        inds = tuple(replace(i, weight=weights.get(i.name, i.weight)) for i in self.indicators)
        grps = tuple(replace(g, weight=weights.get(g.name, g.weight)) for g in self.groups)
        return replace(self, indicators=inds, groups=grps)

    # -- TOML ----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A plain dict (TOML-ready) of the spec."""
        return {
            "name": self.name,
            "description": self.description,
            "index_name": self.index_name,
            "missing": self.missing,
            "indicators": [asdict(i) for i in self.indicators],
            "groups": [asdict(g) for g in self.groups],
            "scale": {
                "name": self.scale.name,
                "bands": [{"label": b.label, "lower": b.lower} for b in self.scale.bands],
            },
            "poles": {
                "min_grade": self.poles.min_grade,
                "top_tiers": list(self.poles.top_tiers),
                "tiers": [{"name": t.name, "lower": t.lower} for t in self.poles.tiers],
            },
        }

    def to_toml(self) -> str:
        """Serialise to TOML text (round-trips through :meth:`from_toml`)."""
        return tomli_w.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<spec>") -> IndexSpec:
        """Build a spec from a dict (as read from TOML), with errors that name the key."""
        try:
            known = {f.name for f in fields(cls)}
            extra = sorted(set(data) - known)
            if extra:
                raise SpecError(
                    f"unknown top-level keys {extra}; expected some of {sorted(known)}."
                )
            inds = tuple(_build(Indicator, d, "indicators") for d in data.get("indicators", []))
            grps = tuple(_build(Group, d, "groups") for d in data.get("groups", []))
            kwargs: dict[str, Any] = {
                "name": data.get("name", Path(source).stem),
                "indicators": inds,
                "groups": grps,
            }
            if "scale" in data:
                sc = data["scale"]
                bands = tuple(_build(Band, b, "scale.bands") for b in sc.get("bands", []))
                kwargs["scale"] = Scale(sc.get("name", "custom"), bands)
            if "poles" in data:
                p = dict(data["poles"])
                if "tiers" in p:
                    p["tiers"] = tuple(_build(Tier, t, "poles.tiers") for t in p["tiers"])
                if "top_tiers" in p:
                    p["top_tiers"] = tuple(p["top_tiers"])
                kwargs["poles"] = _build(PoleRule, p, "poles")
            for key in ("index_name", "missing", "description"):
                if key in data:
                    kwargs[key] = data[key]
            return cls(**kwargs)
        except SpecError as exc:
            raise SpecError(f"{source}: {exc}") from None

    @classmethod
    def from_toml(cls, text: str, *, source: str = "<spec>") -> IndexSpec:
        """Parse TOML text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SpecError(f"{source}: not valid TOML ({exc})") from None
        return cls.from_dict(data, source=source)

    @classmethod
    def load(cls, path: str | Path) -> IndexSpec:
        """Read a TOML spec file."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise SpecError(f"{p}: cannot read the spec file ({exc.strerror})") from None
        return cls.from_toml(text, source=str(p))


def _build(kind: type, data: Any, where: str) -> Any:
    if not isinstance(data, Mapping):
        raise SpecError(f"{where}: expected a table of keys, got {data!r}.")
    allowed = {f.name for f in fields(kind)}
    extra = sorted(set(data) - allowed)
    if extra:
        raise SpecError(f"{where}: unknown keys {extra}; allowed: {sorted(allowed)}.")
    try:
        return kind(**data)
    except TypeError as exc:
        raise SpecError(f"{where}: {exc}") from None


def weights_table(spec: IndexSpec) -> Sequence[tuple[str, str, float]]:
    """(indicator, group, weight) triples with weights normalised within each group."""
    out = []
    for g in spec.groups:
        members = [i for i in spec.indicators if i.group == g.name]
        total = sum(i.weight for i in members)
        out += [(i.name, g.name, i.weight / total) for i in members if total > 0]
    return out
