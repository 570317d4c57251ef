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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args

import tomli_w

from growthpole.errors import SpecError

__all__ = [
    "NORMALISE_PARAMS",
    "AggregationMethod",
    "Band",
    "Direction",
    "Group",
    "ImputeMethod",
    "IndexSpec",
    "Indicator",
    "IndicatorTreatment",
    "MissingRule",
    "NormaliseMethod",
    "NormaliseScope",
    "PoleRule",
    "Scale",
    "Tier",
    "TreatMethod",
    "check_literal",
]

Direction = Literal["higher", "lower"]
"""Whether a higher or a lower raw value is better."""

NormaliseMethod = Literal[
    "fraction_of_max",
    "min_max",
    "z_score",
    "scaled",
    "goalposts",
    "distance_to_max",
    "distance_to_reference",
    "distance_to_target",
    "rank",
    "borda",
    "percentile_rank",
]
"""Normalisation methods (``fraction_of_max`` is formula 1 of the paper); see
:mod:`growthpole.composite` for the formulas."""

#: Parameters each normalisation accepts, with their defaults (``None`` = required).
NORMALISE_PARAMS: dict[str, dict[str, float | str | None]] = {
    "fraction_of_max": {},
    "min_max": {"low": 0.0, "high": 100.0},
    "z_score": {"mean": 0.0, "sd": 1.0},
    "scaled": {"low": None, "high": None},
    "goalposts": {"low": None, "high": None, "scale": 100.0},
    "distance_to_max": {"scale": 100.0},
    "distance_to_reference": {"reference": None, "scale": 100.0},
    "distance_to_target": {"target": None, "scale": 100.0, "cap": 1.0},
    "rank": {},
    "borda": {},
    "percentile_rank": {"scale": 100.0},
}

AggregationMethod = Literal[
    "arithmetic", "geometric", "harmonic", "generalised", "median", "copeland"
]
"""Aggregation methods (formulas 2-4 of the paper: weighted ``arithmetic`` mean)."""

#: Parameters each aggregation accepts, with their defaults.
AGGREGATION_PARAMS: dict[str, dict[str, float]] = {
    "arithmetic": {},
    "geometric": {},
    "harmonic": {},
    "generalised": {"p": 2.0},
    "median": {},
    "copeland": {},
}

ImputeMethod = Literal["none", "mean", "median", "group_mean", "group_median", "latest", "linear"]
"""Imputation of missing indicator values (``none`` keeps them missing)."""

TreatMethod = Literal["none", "coinr"]
"""Outlier treatment: none, or COINr's skew/kurtosis rule (winsorise, then log)."""

IndicatorTreatment = Literal["default", "none", "winsorise", "log"]
"""Per-indicator override of the outlier treatment."""

NormaliseScope = Literal["year", "pooled"]
"""Normalise each year on its own, or all years together (comparable across years)."""

Params = tuple[tuple[str, float | str], ...]


def _params(value: Any, allowed: Mapping[str, Any], what: str, *, fill: bool = False) -> Params:
    """Validate a parameter mapping; return it as a sorted tuple of pairs (hashable)."""
    if value is None:
        value = {}
    if isinstance(value, tuple | list):
        try:
            value = dict(value)
        except (TypeError, ValueError):
            raise SpecError(f"{what}: params must be a table of name = value.") from None
    if not isinstance(value, Mapping):
        raise SpecError(f"{what}: params must be a table of name = value; got {value!r}.")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise SpecError(f"{what}: unknown params {unknown}; allowed: {sorted(allowed) or 'none'}.")
    out: dict[str, float | str] = {}
    for key, v in value.items():
        if isinstance(v, str) and key == "reference":
            out[key] = v
        else:
            out[key] = _finite_number(v, f"{what}: param {key!r}")
    missing = [k for k, d in allowed.items() if d is None and k not in out]
    if missing:
        raise SpecError(f"{what}: needs params {missing}.")
    if fill:
        for k, d in allowed.items():
            if d is not None:
                out.setdefault(k, d)
    return tuple(sorted(out.items()))


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
    params
        Parameters of the normalisation (see ``NORMALISE_PARAMS``), e.g.
        ``{"low": 0, "high": 10}`` for ``min_max``.
    denominator
        Name of an auxiliary variable in the data (e.g. ``population``) that the raw
        value is divided by before anything else; empty for none.
    treatment
        Override of the spec's outlier treatment for this indicator: ``default`` (follow
        the spec), ``none``, ``winsorise`` (winsorise only) or ``log`` (log only).
    """

    name: str
    group: str
    direction: Direction = "higher"
    weight: float = 1.0
    label: str = ""
    unit: str = ""
    normalisation: NormaliseMethod = "fraction_of_max"
    params: Params = ()
    denominator: str = ""
    treatment: IndicatorTreatment = "default"

    def __post_init__(self) -> None:
        if not self.name or not isinstance(self.name, str):
            raise SpecError(f"an indicator needs a non-empty name; {self.name!r} was given.")
        check_literal(self.direction, Direction, f"indicator {self.name!r}: direction")
        check_literal(
            self.normalisation, NormaliseMethod, f"indicator {self.name!r}: normalisation"
        )
        check_literal(self.treatment, IndicatorTreatment, f"indicator {self.name!r}: treatment")
        object.__setattr__(
            self,
            "params",
            _params(
                self.params,
                NORMALISE_PARAMS[self.normalisation],
                f"indicator {self.name!r} ({self.normalisation})",
            ),
        )
        if not isinstance(self.denominator, str):
            raise SpecError(f"indicator {self.name!r}: denominator must be a variable name.")
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
    params
        Parameters of the aggregation (``p`` of the generalised mean).
    min_availability
        Smallest share of children with data (0-1) for the group to get a value;
        below it the group's value is missing.
    """

    name: str
    weight: float = 1.0
    parent: str = "index"
    label: str = ""
    aggregation: AggregationMethod = "arithmetic"
    params: Params = ()
    min_availability: float = 0.0

    def __post_init__(self) -> None:
        if not self.name or not isinstance(self.name, str):
            raise SpecError(f"a group needs a non-empty name; {self.name!r} was given.")
        check_literal(self.aggregation, AggregationMethod, f"group {self.name!r}: aggregation")
        object.__setattr__(
            self,
            "params",
            _params(
                self.params,
                AGGREGATION_PARAMS[self.aggregation],
                f"group {self.name!r} ({self.aggregation})",
            ),
        )
        object.__setattr__(
            self,
            "min_availability",
            _share(self.min_availability, f"group {self.name!r}: min_availability"),
        )
        w = _finite_number(self.weight, f"group {self.name!r}: weight")
        if w < 0:
            raise SpecError(f"group {self.name!r}: weight must be >= 0; {w} was given.")
        object.__setattr__(self, "weight", w)


def _share(value: Any, what: str) -> float:
    v = _finite_number(value, what)
    if not 0.0 <= v <= 1.0:
        raise SpecError(f"{what} must lie between 0 and 1; {v} was given.")
    return v


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

    ``reference`` makes the scale relative: before grading, each year's index is turned
    into ``100 * index / reference``, where the reference is the index of the named unit,
    or the mean over the units when ``reference = "mean"`` (as in the EU Regional
    Innovation Scoreboard, :meth:`ris`). Empty (the default) grades the index itself.

    Examples
    --------
    >>> s = Scale("demo", (Band("low", float("-inf")), Band("high", 50)))
    >>> s.grade([49.99, 50.0, None])
    ['low', 'high', None]
    """

    name: str
    bands: tuple[Band, ...]
    reference: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.reference, str):
            raise SpecError(f"scale {self.name!r}: reference must be 'mean' or a unit name.")
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

    @classmethod
    def ris(cls, reference: str = "mean") -> Scale:
        """A scale like the EU Regional Innovation Scoreboard's, relative to ``reference``.

        Performance relative to the reference (= 100): Emerging < 70 <= Moderate < 100 <=
        Strong < 125 <= Leader, each split into lower (-), middle and upper (+) thirds. The
        thirds of Moderate (70-100) and Strong (100-125) are exact; Emerging's are thirds
        of 0-70 and Leader's continue Strong's width (125, 133.3, 141.7) — the RIS leaves
        the open ends to its own data, so these two are this library's convention.

        Examples
        --------
        >>> Scale.ris().grade([60.0, 95.0, 130.0])
        ['Emerging+', 'Moderate+', 'Leader-']
        """
        bands = [Band("Emerging-", -math.inf)]
        cuts = [
            ("Emerging", 70 / 3),
            ("Emerging+", 140 / 3),
            ("Moderate-", 70.0),
            ("Moderate", 80.0),
            ("Moderate+", 90.0),
            ("Strong-", 100.0),
            ("Strong", 100 + 25 / 3),
            ("Strong+", 100 + 50 / 3),
            ("Leader-", 125.0),
            ("Leader", 125 + 25 / 3),
            ("Leader+", 125 + 50 / 3),
        ]
        bands += [Band(label, lower) for label, lower in cuts]
        return cls("ris", tuple(bands), reference=reference)

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
    aggregation: AggregationMethod = "arithmetic"
    aggregation_params: Params = ()
    min_availability: float = 0.0
    normalise_by: NormaliseScope = "year"
    screening: float = 0.0
    imputation: ImputeMethod = "none"
    impute_group: str = ""
    treatment: TreatMethod = "none"
    winsor_max: int = 5
    skew_threshold: float = 2.0
    kurt_threshold: float = 3.5

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicators", tuple(self.indicators))
        object.__setattr__(self, "groups", tuple(self.groups))
        check_literal(self.missing, MissingRule, "missing")
        check_literal(self.aggregation, AggregationMethod, "aggregation (of the index)")
        object.__setattr__(
            self,
            "aggregation_params",
            _params(
                self.aggregation_params,
                AGGREGATION_PARAMS[self.aggregation],
                f"index ({self.aggregation})",
            ),
        )
        object.__setattr__(
            self, "min_availability", _share(self.min_availability, "min_availability")
        )
        object.__setattr__(self, "screening", _share(self.screening, "screening"))
        check_literal(self.normalise_by, NormaliseScope, "normalise_by")
        check_literal(self.imputation, ImputeMethod, "imputation")
        check_literal(self.treatment, TreatMethod, "treatment")
        if self.imputation.startswith("group_") and not self.impute_group:
            raise SpecError(
                f"imputation {self.imputation!r} needs impute_group: the auxiliary variable "
                "in the data that gives each unit's group."
            )
        wm = _finite_number(self.winsor_max, "winsor_max")
        if wm < 0 or wm != int(wm):
            raise SpecError(f"winsor_max must be a whole number >= 0; {self.winsor_max} given.")
        object.__setattr__(self, "winsor_max", int(wm))
        for key in ("skew_threshold", "kurt_threshold"):
            object.__setattr__(self, key, _finite_number(getattr(self, key), key))
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

    @property
    def auxiliary_names(self) -> list[str]:
        """Variables the data must hold besides the indicators (denominators, impute group)."""
        out = [i.denominator for i in self.indicators if i.denominator]
        if self.imputation.startswith("group_") and self.impute_group:
            out.append(self.impute_group)
        return list(dict.fromkeys(out))

    def node_names(self) -> list[str]:
        """Group names bottom-up, then the index."""
        return [g.name for lvl in self.group_levels() for g in lvl] + [self.index_name]

    def with_normalisation(self, method: str, params: Mapping[str, Any] | None = None) -> IndexSpec:
        """Return a copy in which every indicator uses ``method`` (with ``params``)."""
        m: NormaliseMethod = check_literal(method, NormaliseMethod, "normalisation")
        inds = tuple(
            replace(i, normalisation=m, params=tuple(sorted((params or {}).items())))
            for i in self.indicators
        )
        return replace(self, indicators=inds)

    def with_aggregation(self, method: str, params: Mapping[str, Any] | None = None) -> IndexSpec:
        """Return a copy in which every group and the index aggregate with ``method``."""
        m: AggregationMethod = check_literal(method, AggregationMethod, "aggregation")
        p = tuple(sorted((params or {}).items()))
        grps = tuple(replace(g, aggregation=m, params=p) for g in self.groups)
        return replace(self, groups=grps, aggregation=m, aggregation_params=p)

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
        """A plain dict (TOML-ready) of the spec.

        Options left at their defaults are omitted (so a 0.1 spec writes the same TOML).
        """
        out: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "index_name": self.index_name,
            "missing": self.missing,
        }
        for f in fields(self):
            if f.name in _V01_KEYS or f.name in ("indicators", "groups", "scale", "poles"):
                continue
            v = getattr(self, f.name)
            if v != f.default:
                out[f.name] = dict(v) if f.name == "aggregation_params" else v
        scale: dict[str, Any] = {
            "name": self.scale.name,
            "bands": [{"label": b.label, "lower": b.lower} for b in self.scale.bands],
        }
        if self.scale.reference:
            scale["reference"] = self.scale.reference
        return out | {
            "indicators": [_node_dict(i) for i in self.indicators],
            "groups": [_node_dict(g) for g in self.groups],
            "scale": scale,
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
                if isinstance(sc, str):
                    sc = {"name": sc}
                if not isinstance(sc, Mapping):
                    raise SpecError(f"scale: expected a table or a scale name; got {sc!r}.")
                if not sc.get("bands") and sc.get("name") in _NAMED_SCALES:
                    kwargs["scale"] = _NAMED_SCALES[sc["name"]](sc.get("reference", ""))
                else:
                    bands = tuple(_build(Band, b, "scale.bands") for b in sc.get("bands", []))
                    kwargs["scale"] = Scale(
                        sc.get("name", "custom"), bands, reference=sc.get("reference", "")
                    )
            if "poles" in data:
                p = dict(data["poles"])
                if "tiers" in p:
                    p["tiers"] = tuple(_build(Tier, t, "poles.tiers") for t in p["tiers"])
                if "top_tiers" in p:
                    p["top_tiers"] = tuple(p["top_tiers"])
                kwargs["poles"] = _build(PoleRule, p, "poles")
            for key in known - {"name", "indicators", "groups", "scale", "poles"}:
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


_V01_KEYS = ("name", "description", "index_name", "missing")

#: Scales a spec can name without listing bands: ``scale = "ris"`` or
#: ``[scale] name = "ris"  reference = "some_region"``.
_NAMED_SCALES = {
    "ris": lambda ref: Scale.ris(ref or "mean"),
    "kireyeva2018": lambda ref: replace(Scale.default(), reference=ref),
}


def _node_dict(node: Indicator | Group) -> dict[str, Any]:
    """Fields of an indicator or group; options added after 0.1 only when not default."""
    out: dict[str, Any] = {}
    for f in fields(node):
        v = getattr(node, f.name)
        if f.name == "params":
            if v:
                out["params"] = dict(v)
            continue
        if f.name in _NEW_NODE_KEYS and v == f.default:
            continue
        out[f.name] = v
    return out


_NEW_NODE_KEYS = ("params", "denominator", "treatment", "min_availability")


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
