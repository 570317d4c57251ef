"""Indices against values published OUTSIDE this code.

Sources (each test names its own):
- R package economiccomplexity (M. Vargas), vignette "How To Use This Package" and the
  reference pages of ``balassa_index``, ``proximity``, ``density`` and
  ``complexity_measures``: printed outputs for the package's dataset
  ``world_trade_avg_1998_to_2000`` (copied to tests/data, see tests/data/README.md).
  The package prints 7-8 significant digits, so the tolerance is 5e-7 relative.
- R package REAT (T. Wieland), man pages: examples from Farhauer & Kroell (2013/2014)
  with their documented results.
- R package EconGeo (P.-A. Balland), man pages: the example matrix used throughout; the
  man pages print no outputs, so the expected values are computed by hand below, with
  the arithmetic written out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from growthpole import indices as ix

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def trade() -> pl.DataFrame:
    return pl.read_csv(
        DATA / "world_trade_sitc4_avg_1998_2000.csv", schema_overrides={"product": pl.String}
    )


ROLES = {"region": "country", "industry": "product", "year": None}
C5 = ["afg", "ago", "aia", "alb", "and"]
P5 = ["0011", "0012", "0013", "0014", "0015"]


def _cell(frame: pl.DataFrame, a: str, b: str, col: str, keys: tuple[str, str]) -> float:
    row = frame.filter((pl.col(keys[0]) == a) & (pl.col(keys[1]) == b))
    return float(row[col][0]) if row.height else 0.0


def test_balassa_index_matches_economiccomplexity(trade: pl.DataFrame) -> None:
    # economiccomplexity vignette: bi_dec <- balassa_index(world_trade..., discrete = F)
    published = {
        ("afg", "0011"): 0.2312238,
        ("afg", "0012"): 0.285438688,
        ("ago", "0011"): 0.1777917,
        ("ago", "0012"): 0.087436319,
        ("ago", "0013"): 0.002076625,
        ("ago", "0014"): 0.00139056,
        ("ago", "0015"): 0.001106041,
        ("aia", "0012"): 0.002581853,
        ("alb", "0014"): 0.01582754,
        ("alb", "0015"): 0.073011368,
        ("and", "0011"): 2.4825815,
        ("and", "0012"): 0.550954168,
        ("and", "0014"): 0.48208017,
        ("and", "0015"): 3.815013019,
    }
    lq = ix.location_quotient(trade, **ROLES)
    for (c, p), expected in published.items():
        assert _cell(lq, c, p, "lq", ("country", "product")) == pytest.approx(expected, rel=5e-7)
    # the cells printed as "." are absent pairs (zero trade): no row, LQ 0
    assert _cell(lq, "afg", "0013", "lq", ("country", "product")) == 0.0
    # the discrete version printed: only and/0011 and and/0015 are 1 in the 5 x 5 corner
    corner = lq.filter(pl.col("country").is_in(C5) & pl.col("product").is_in(P5))
    ones = corner.filter(pl.col("rca_binary") == 1).select("country", "product").rows()
    assert sorted(ones) == [("and", "0011"), ("and", "0015")]


def test_proximity_matches_economiccomplexity(trade: pl.DataFrame) -> None:
    # pacha.dev/economiccomplexity/reference/proximity.html: pro$proximity_product[1:5, 1:5]
    product = [
        [1.0000000, 0.3658537, 0.1707317, 0.2439024, 0.2682927],
        [0.3658537, 1.0000000, 0.2500000, 0.2250000, 0.2500000],
        [0.1707317, 0.2500000, 1.0000000, 0.2500000, 0.1200000],
        [0.2439024, 0.2250000, 0.2500000, 1.0000000, 0.2250000],
        [0.2682927, 0.2500000, 0.1200000, 0.2250000, 1.0000000],
    ]
    prox = ix.proximity(trade, **ROLES)
    for i, a in enumerate(P5):
        for j, b in enumerate(P5):
            got = _cell(prox, a, b, "proximity", ("product", "other_product"))
            assert got == pytest.approx(product[i][j], rel=5e-7), (a, b)
    # pro$proximity_country[1:5, 1:5]
    country = [
        [1.00000000, 0.015873016, 0.181818182, 0.19689119, 0.192513369],
        [0.01587302, 1.000000000, 0.006993007, 0.01554404, 0.005347594],
        [0.18181818, 0.006993007, 1.000000000, 0.16580311, 0.251336898],
        [0.19689119, 0.015544041, 0.165803109, 1.00000000, 0.310880829],
        [0.19251337, 0.005347594, 0.251336898, 0.31088083, 1.000000000],
    ]
    prox_c = ix.proximity(trade, between="regions", **ROLES)
    for i, a in enumerate(C5):
        for j, b in enumerate(C5):
            got = _cell(prox_c, a, b, "proximity", ("country", "other_country"))
            assert got == pytest.approx(country[i][j], rel=5e-7), (a, b)


def test_density_matches_economiccomplexity(trade: pl.DataFrame) -> None:
    # pacha.dev/economiccomplexity/reference/density.html: d[1:5, 1:5]
    published = [
        [0.16689576, 0.17378847, 0.1414189, 0.15075914, 0.14556406],
        [0.01474693, 0.01543965, 0.0111554, 0.01217709, 0.01240472],
        [0.17902020, 0.16726547, 0.1688524, 0.18488279, 0.18946228],
        [0.26578601, 0.25458634, 0.2278275, 0.25202762, 0.23219603],
        [0.26138713, 0.22934698, 0.2312170, 0.23978684, 0.27186394],
    ]
    rel = ix.relatedness(trade, **ROLES)
    for i, c in enumerate(C5):
        for j, p in enumerate(P5):
            got = _cell(rel, c, p, "density", ("country", "product"))
            assert got == pytest.approx(published[i][j], rel=5e-7), (c, p)


def test_eci_pci_eigenvector_match_economiccomplexity(trade: pl.DataFrame) -> None:
    # economiccomplexity vignette: complexity_measures(bi, method = "eigenvalues").
    # The package z-scores with R's sd() (n - 1), our default ddof=1.
    eci = [-0.5764283, -1.7770752, 1.4090414, -0.1732606, 1.0772452]
    pci = [-0.66657613, -1.62657599, -0.08149436, 0.19917280, 0.14935653]
    cx = ix.complexity(trade, outlook=False, **ROLES)
    got_eci = cx.regions.filter(pl.col("country").is_in(C5)).sort("country")["eci"].to_list()
    got_pci = cx.industries.filter(pl.col("product").is_in(P5)).sort("product")["pci"].to_list()
    assert got_eci == pytest.approx(eci, rel=5e-7)
    assert got_pci == pytest.approx(pci, rel=5e-7)


def test_eci_pci_reflections_match_economiccomplexity(trade: pl.DataFrame) -> None:
    # economiccomplexity vignette: complexity_measures(bi, method = "reflections"), which
    # iterates 20 times and reports k_c,18 and k_p,19 (our iterations=20 does the same).
    eci = [-0.5788151, -1.7710696, 1.4074821, -0.1754989, 1.0738736]
    pci = [-0.66255107, -1.62169899, -0.07449487, 0.20554720, 0.15848845]
    cx = ix.complexity(trade, method="reflections", iterations=20, outlook=False, **ROLES)
    got_eci = cx.regions.filter(pl.col("country").is_in(C5)).sort("country")["eci"].to_list()
    got_pci = cx.industries.filter(pl.col("product").is_in(P5)).sort("product")["pci"].to_list()
    assert got_eci == pytest.approx(eci, rel=5e-7)
    assert got_pci == pytest.approx(pci, rel=5e-7)


def test_eci_sign_and_population_sd_option(trade: pl.DataFrame) -> None:
    cx0 = ix.complexity(trade, outlook=False, ddof=0, **ROLES)
    cx1 = ix.complexity(trade, outlook=False, ddof=1, **ROLES)
    e0, e1 = cx0.regions["eci"].drop_nulls(), cx1.regions["eci"].drop_nulls()
    n = e0.len()
    # the two z-scores differ by sqrt(n / (n - 1)) exactly
    assert (e0 / e1).to_list() == pytest.approx([(n / (n - 1)) ** 0.5] * n, rel=1e-12)
    # sign: ECI correlates positively with diversity
    r = cx1.regions.drop_nulls("eci")
    assert pl.DataFrame({"e": r["eci"], "d": r["diversity"]}).select(pl.corr("e", "d")).item() > 0


# -- REAT man pages ---------------------------------------------------------------------


def test_gini_spec_matches_reat_farhauer_kroell() -> None:
    # REAT gini.spec: E_ij <- c(700,600,500,10000,40000); E_i <- c(30000,15000,10000,
    # 60000,50000); gini.spec(E_ij, E_i) "Returns ... (0.6222222)". The nation is the sum
    # over regions, so the example's region j plus a region holding E_i - E_ij.
    e_ij = [700, 600, 500, 10000, 40000]
    e_i = [30000, 15000, 10000, 60000, 50000]
    t = pl.DataFrame(
        {
            "region": ["j"] * 5 + ["rest"] * 5,
            "industry": list("abcde") * 2,
            "value": [float(v) for v in e_ij]
            + [float(n - r) for n, r in zip(e_i, e_ij, strict=True)],
        }
    )
    out = ix.specialisation(t, year=None, indices=["gini"])
    assert out.filter(pl.col("region") == "j")["gini"][0] == pytest.approx(0.6222222, abs=5e-8)


def test_gini_conc_matches_reat_farhauer_kroell() -> None:
    # REAT gini.conc: E_ij <- c(500,500,1000,7000,1000) (industry in five regions),
    # E_j <- c(20000,15000,20000,40000,5000) (regional totals): 0.4068966. By hand: the
    # LQs are (.05/.2, .05/.15, .1/.2, .7/.4, .1/.05) = (.25, .3333, .5, 1.75, 2).
    e_ij = [500, 500, 1000, 7000, 1000]
    e_j = [20000, 15000, 20000, 40000, 5000]
    t = pl.DataFrame(
        {
            "region": list("vwxyz") * 2,
            "industry": ["i"] * 5 + ["other"] * 5,
            "value": [float(v) for v in e_ij]
            + [float(t - v) for t, v in zip(e_j, e_ij, strict=True)],
        }
    )
    out = ix.concentration(t, year=None, indices=["locational_gini"])
    assert out.filter(pl.col("industry") == "i")["locational_gini"][0] == pytest.approx(
        0.4068966, abs=5e-8
    )


def test_krugman_dissimilarity_matches_reat() -> None:
    # REAT krugman.spec: E_ij <- c(20,10,70,0,0); E_il <- c(0,0,0,60,40) -> 2
    t = pl.DataFrame(
        {
            "region": ["j"] * 3 + ["l"] * 2,
            "industry": ["a", "b", "c", "d", "e"],
            "value": [20.0, 10.0, 70.0, 60.0, 40.0],
        }
    )
    assert ix.krugman_dissimilarity(t, "j", "l", year=None)["krugman_dissimilarity"][0] == 2.0
    # and by hand for overlapping structures: j = (.2, .8, 0), l = (0, .6, .4):
    # |.2 - 0| + |.8 - .6| + |0 - .4| = .8
    t2 = pl.DataFrame(
        {
            "region": ["j", "j", "l", "l"],
            "industry": ["a", "b", "b", "c"],
            "value": [20.0, 80.0, 60.0, 40.0],
        }
    )
    assert ix.krugman_dissimilarity(t2, "j", "l", year=None).item() == pytest.approx(0.8, abs=1e-15)


def test_ellison_glaeser_matches_reat() -> None:
    # REAT ellison.a (example from Farhauer/Kroell 2014): plants of one industry in
    # Wien, Linz, Graz with regional employment E_j = (500000, 400000, 100000) -> 0.05990628
    regions = ["Wien"] * 5 + ["Linz"] * 4 + ["Graz"]
    e_ik = [200, 650, 12000, 100, 50, 16000, 13000, 1500, 1500, 25000]
    plants = pl.DataFrame(
        {
            "plant": range(10),
            "industry": ["i"] * 10,
            "region": regions,
            "value": [float(v) for v in e_ik],
        }
    )
    ref = {"Wien": 500000.0, "Linz": 400000.0, "Graz": 100000.0}
    out = ix.agglomeration(plants, reference=ref)
    assert out["eg"][0] == pytest.approx(0.05990628, abs=5e-9)
    assert out["plants"][0] == 10


def test_shift_share_farhauer_kroell_by_hand() -> None:
    # REAT shift() example (Farhauer/Kroell 2013): regions A, B, C whose sum is the nation
    # X_t = (400,150,150,400), X_t1 = (440,210,135,480). Region A by hand:
    # g = 1265/1100 - 1 = .15; g_i = (.1, .4, -.1, .2)
    # national share = 180 * .15 = 27
    # industry mix = 90(.1-.15) + 20(.4-.15) + 10(-.1-.15) + 60(.2-.15) = -4.5+5-2.5+3 = 1
    # regional shift = sum(x1 - x0 - x0 g_i) = (10-9) + (20-8) + (0+1) + (-5-12) = -3
    t0 = {"A": [90, 20, 10, 60], "B": [60, 30, 30, 40], "C": [250, 100, 110, 300]}
    t1 = {"A": [100, 40, 10, 55], "B": [85, 55, 40, 35], "C": [255, 115, 85, 390]}
    rows = [
        (r, f"i{k}", yr, float(v))
        for yr, tab in ((2008, t0), (2014, t1))
        for r, vals in tab.items()
        for k, v in enumerate(vals)
    ]
    t = pl.DataFrame(rows, schema=["region", "industry", "year", "value"], orient="row")
    out = ix.shift_share(t).filter(pl.col("region") == "A")
    assert out["change"][0] == pytest.approx(25.0)
    assert out["national_share"][0] == pytest.approx(27.0)
    assert out["industry_mix"][0] == pytest.approx(1.0)
    assert out["regional_shift"][0] == pytest.approx(-3.0)
    # Esteban-Marquillas, by hand: homothetic x^_i = 180 * X_i / 1100
    # = (65.4545, 24.5455, 24.5455, 65.4545); g_ir = (1/9, 1, 0, -1/12)
    # competitive = sum x^_i (g_ir - g_i)
    hom = [180 * x / 1100 for x in (400, 150, 150, 400)]
    g_ir = [100 / 90 - 1, 40 / 20 - 1, 10 / 10 - 1, 55 / 60 - 1]
    g_i = [0.1, 0.4, -0.1, 0.2]
    competitive = sum(h * (a - b) for h, a, b in zip(hom, g_ir, g_i, strict=True))
    em = ix.shift_share(t, method="esteban_marquillas").filter(pl.col("region") == "A")
    assert em["competitive"][0] == pytest.approx(competitive, rel=1e-12)
    assert em["allocation"][0] == pytest.approx(-3.0 - competitive, rel=1e-12)


def test_locq_matches_reat() -> None:
    # REAT locq(1714, 79006, 879213, 15593224) "returns the location quotient (0.3847623)"
    # (Farhauer/Kroell 2013): industry i in region j, region j, industry i, nation.
    e_ij, e_j, e_i, e = 1714.0, 79006.0, 879213.0, 15593224.0
    t = pl.DataFrame(
        {
            "region": ["j", "j", "rest", "rest"],
            "industry": ["i", "other", "i", "other"],
            "value": [e_ij, e_j - e_ij, e_i - e_ij, e - e_j - e_i + e_ij],
        }
    )
    lq = ix.location_quotient(t, year=None)
    assert _cell(lq, "j", "i", "lq", ("region", "industry")) == pytest.approx(3.847623e-1, abs=5e-8)


def test_herf_matches_reat() -> None:
    # REAT herf(c(20, 50, 20, 10)) "returns the non-standardized HHI (0.34)" and, with
    # norm = TRUE, "the standardized HHI (0.12)" (Doersam 2004): one region, four industries
    t = pl.DataFrame(
        {"region": ["r"] * 4, "industry": list("abcd"), "value": [20.0, 50.0, 20.0, 10.0]}
    )
    out = ix.specialisation(t, year=None, indices=["hhi", "hhi_norm"])
    assert out["hhi"][0] == pytest.approx(0.34)
    assert out["hhi_norm"][0] == pytest.approx(0.12)


def test_krugman_conc_same_structure_is_zero_as_in_reat() -> None:
    # REAT krugman.conc: E_uj <- E_ij / 2 has "exactly the same structure (= no
    # concentration)": industry i spread over the regions like the whole economy -> 0
    e_ij = [4388.0, 37489.0, 129423.0, 60941.0]
    t = pl.DataFrame(
        {
            "region": list("abcd") * 2,
            "industry": ["i"] * 4 + ["u"] * 4,
            "value": e_ij + [v / 2 for v in e_ij],
        }
    )
    out = ix.concentration(t, year=None)
    assert out["krugman_concentration"].to_list() == pytest.approx([0.0, 0.0], abs=1e-15)
    assert out["locational_gini"].to_list() == pytest.approx([0.0, 0.0], abs=1e-15)


# -- EconGeo's example matrix, by hand --------------------------------------------------

ECONGEO = [
    [100, 0, 0, 0, 0],
    [0, 15, 5, 70, 10],
    [0, 20, 10, 20, 50],
    [0, 25, 30, 5, 40],
    [0, 40, 55, 5, 0],
]


@pytest.fixture
def econgeo() -> pl.DataFrame:
    rows = [
        (f"R{r + 1}", f"I{i + 1}", float(v))
        for r, row in enumerate(ECONGEO)
        for i, v in enumerate(row)
        if v  # EconGeo's zeros are absent rows in a long table
    ]
    return pl.DataFrame(rows, schema=["region", "industry", "value"], orient="row")


def test_econgeo_matrix_by_hand(econgeo: pl.DataFrame) -> None:
    # Every row and column of the matrix sums to 100 (total 500), so s_i = .2 for every
    # industry and LQ_ri = (x/100) / .2 = x / 20 (EconGeo's location.quotient).
    lq = ix.location_quotient(econgeo, year=None)
    assert _cell(lq, "R2", "I4", "lq", ("region", "industry")) == pytest.approx(3.5)
    assert _cell(lq, "R5", "I3", "lq", ("region", "industry")) == pytest.approx(2.75)
    spec = ix.specialisation(econgeo, year=None).sort("region")
    # Krugman R1 = |1 - .2| + 4 * |0 - .2| = 1.6 (four absent industries count)
    # Krugman R2 = .05 + .15 + .5 + .1 + .2 = 1.0
    assert spec["krugman"].to_list()[:2] == pytest.approx([1.6, 1.0])
    assert spec["hoover"].to_list()[:2] == pytest.approx([0.8, 0.5])
    # diversity = number of LQ >= 1 (EconGeo's diversity on the binary LQ):
    # R1: I1 (5); R2: I4 (3.5); R3: I2 (1.0), I4 (1.0), I5 (2.5);
    # R4: I2 (1.25), I3 (1.5), I5 (2); R5: I2 (2), I3 (2.75)
    assert spec["diversity"].to_list() == [1, 1, 3, 3, 2]
    # HHI R2 = .15^2 + .05^2 + .7^2 + .1^2 = .0225 + .0025 + .49 + .01 = .525
    assert spec["hhi"][1] == pytest.approx(0.525)
    # normalised HHI with n = 5: (.525 - .2) / .8 = .40625; R1 (one industry) = 1
    assert spec["hhi_norm"][1] == pytest.approx(0.40625)
    assert spec["hhi_norm"][0] == pytest.approx(1.0)
    # Gini of R1's LQs (5, 0, 0, 0, 0): mean 1, sum_l l (LQ_l - 1) = 1*-1+2*-1+3*-1+4*-1+5*4
    # = 10; G = 2 * 10 / (25 * 1) = .8 = (n - 1) / n, the maximum
    assert spec["gini"][0] == pytest.approx(0.8)
    conc = ix.concentration(econgeo, year=None).sort("industry")
    # ubiquity (EconGeo's ubiquity on the binary LQ): I1: R1; I2: R3, R4, R5; I3: R4, R5;
    # I4: R2, R3; I5: R3, R4
    assert conc["ubiquity"].to_list() == [1, 3, 2, 2, 2]
    # Hoover concentration of I1: shares (1, 0, 0, 0, 0) vs regions (.2 each):
    # 1/2 (.8 + 4 * .2) = .8
    assert conc["hoover_concentration"][0] == pytest.approx(0.8)


def test_complexity_outlook_by_hand() -> None:
    # Three regions, three industries, M (with threshold 0.1 every present pair counts):
    #      a b c
    # r1   1 1 0
    # r2   1 0 1
    # r3   1 0 0
    # ubiquity k = (3, 1, 1). Proximity phi_ij = co-occurrence / max(k_i, k_j):
    # phi_ab = 1/3, phi_ac = 1/3, phi_bc = 0/1 = 0, diagonal 1.
    # column sums of phi: a: 1 + 1/3 + 1/3 = 5/3; b: 1/3 + 1 = 4/3; c: 4/3.
    # density r1,c = (M_r1a phi_ac + M_r1b phi_bc + M_r1c phi_cc) / 4/3 = (1/3) / (4/3) = .25
    # density r3,b = (phi_ab) / (4/3) = .25; r3,c = .25
    t = pl.DataFrame(
        {
            "region": ["r1", "r1", "r2", "r2", "r3"],
            "industry": ["a", "b", "a", "c", "a"],
            "value": [1.0] * 5,
        }
    )
    rel = ix.relatedness(t, year=None, threshold=0.1)
    assert _cell(rel, "r1", "c", "density", ("region", "industry")) == pytest.approx(0.25)
    assert _cell(rel, "r3", "b", "density", ("region", "industry")) == pytest.approx(0.25)
    cx = ix.complexity(t, year=None, threshold=0.1)
    pci = dict(zip(cx.industries["industry"], cx.industries["pci"], strict=True))
    # COI_r3 = sum over absent industries (1 - density) PCI = .75 PCI_b + .75 PCI_c
    coi = dict(zip(cx.regions["region"], cx.regions["coi"], strict=True))
    assert coi["r3"] == pytest.approx(0.75 * pci["b"] + 0.75 * pci["c"], abs=1e-12)
    # COG_r3,b = sum_j phi_bj / colsum_j (1 - M_r3j) PCI_j - (1 - density_r3b) PCI_b
    #          = (phi_bb / (4/3)) PCI_b + (phi_bc / (4/3)) PCI_c - .75 PCI_b
    #          = .75 PCI_b + 0 - .75 PCI_b = 0
    assert _cell(rel, "r3", "b", "cog", ("region", "industry")) == pytest.approx(0.0, abs=1e-12)
    # COG_r1,c = (phi_cc / (4/3)) PCI_c - (1 - .25) PCI_c = 0 as well; COG of an owned
    # industry is 0 by definition
    assert _cell(rel, "r1", "a", "cog", ("region", "industry")) == 0.0


def _textbook_eci(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ECI/PCI straight from the definition, independently of the code under test.

    Eigenvectors of the non-symmetric transition matrices D^-1 M U^-1 M^T and
    U^-1 M^T D^-1 M (np.linalg.eig), second largest eigenvalue, z-scored (sd with n - 1),
    ECI signed by diversity, PCI by ECI.
    """
    d, u = M.sum(axis=1), M.sum(axis=0)
    mc = (M / d[:, None]) @ (M.T / u[:, None])
    mp = (M.T / u[:, None]) @ (M / d[:, None])

    def second(mat: np.ndarray) -> np.ndarray:
        vals, vecs = np.linalg.eig(mat)
        order = np.argsort(-vals.real)
        v = vecs[:, order[1]].real
        return (v - v.mean()) / v.std(ddof=1)

    eci, pci = second(mc), second(mp)
    if np.corrcoef(eci, d)[0, 1] < 0:
        eci = -eci
    if np.corrcoef(pci, (M.T @ eci) / u)[0, 1] < 0:
        pci = -pci
    return eci, pci


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_eci_equals_the_textbook_eigenvectors(seed: int | None) -> None:
    # seed None: the simple network of Hidalgo & Hausmann (2009, SI Fig. S4), EconGeo's
    # kci() example (C1 makes P1-P4, C2 P2, C3 P3 and P4, C4 P4). EconGeo's kci rounds the
    # projected matrix to 4 decimals and divides the eigenvector by its sum, so its numbers
    # differ from the standard ECI; here the standard is computed from the definition.
    if seed is None:
        M = np.array([[1, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]], dtype=float)
    else:
        rng = np.random.default_rng(seed)
        M = (rng.random((12, 9)) < 0.45).astype(float)
        M[:, 0] = 1.0  # every region has one industry, every industry one region
        M[0, :] = 1.0
    rows = [(f"r{r:02d}", f"i{i:02d}", 1.0) for r, i in zip(*np.nonzero(M), strict=True)]
    t = pl.DataFrame(rows, schema=["region", "industry", "value"], orient="row")
    cx = ix.complexity(t, year=None, threshold=1e-9, outlook=False)
    eci, pci = _textbook_eci(M)
    assert cx.regions.sort("region")["eci"].to_list() == pytest.approx(eci.tolist(), abs=1e-9)
    assert cx.industries.sort("industry")["pci"].to_list() == pytest.approx(pci.tolist(), abs=1e-9)


def test_arpack_path_equals_lapack_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # large matrices use ARPACK (Lanczos); force it on a small one and compare with the
    # textbook eigenvectors
    from growthpole.indices import _complexity

    rng = np.random.default_rng(7)
    M = (rng.random((40, 30)) < 0.4).astype(float)
    M[:, 0] = 1.0
    M[0, :] = 1.0
    rows = [(f"r{r:02d}", f"i{i:02d}", 1.0) for r, i in zip(*np.nonzero(M), strict=True)]
    t = pl.DataFrame(rows, schema=["region", "industry", "value"], orient="row")
    monkeypatch.setattr(_complexity, "DENSE_EIGEN_MAX", 2)
    cx = ix.complexity(t, year=None, threshold=1e-9, outlook=False)
    eci, pci = _textbook_eci(M)
    assert cx.regions.sort("region")["eci"].to_list() == pytest.approx(eci.tolist(), abs=1e-9)
    assert cx.industries.sort("industry")["pci"].to_list() == pytest.approx(pci.tolist(), abs=1e-9)
