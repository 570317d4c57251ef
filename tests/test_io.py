"""Reading the user's files: every bad input gets one clear message naming file, column, row."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from growthpole.errors import InputError
from growthpole.io import read_table, to_long, write_csv, write_excel


def test_unknown_format(tmp_path: Path) -> None:
    p = tmp_path / "data.json"
    p.write_text("{}")
    with pytest.raises(InputError, match=r"data.json: unknown file format '.json'"):
        read_table(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.csv: file not found"):
        read_table(tmp_path / "nope.csv")


def test_unreadable_file(tmp_path: Path) -> None:
    p = tmp_path / "broken.xlsx"
    p.write_bytes(b"this is not a workbook")
    with pytest.raises(InputError, match=r"broken.xlsx: cannot read the file as excel"):
        read_table(p)


def test_empty_table(tmp_path: Path) -> None:
    p = tmp_path / "empty.csv"
    p.write_text("region,year,indicator,value\n")
    with pytest.raises(InputError, match=r"empty\.csv: the table is empty"):
        read_table(p)


def test_non_numeric_value_names_row(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text("region,year,indicator,value\na,2016,x,1.5\nb,2016,x,abc\n")
    frame = read_table(p)
    with pytest.raises(
        InputError, match=r"d.csv, column 'value', row 2: expected a number, got 'abc'"
    ):
        to_long(frame, source=str(p))


def test_decimal_comma_and_missing_markers(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text('region,year,indicator,value\na,2016,x,"31,34"\nb,2016,x,—\n')
    long = to_long(read_table(p), source=str(p))
    assert long["value"].to_list() == [31.34, None]


def test_duplicate_names_row(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text("region,year,indicator,value\na,2016,x,1\nb,2016,x,2\na,2016,x,3\n")
    with pytest.raises(
        InputError, match=r"d.csv, column 'indicator', row 3: duplicate row for \(region='a'"
    ):
        to_long(read_table(p), source=str(p))


def test_missing_column(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text("oblast,year,x\na,2016,1\n")
    with pytest.raises(InputError, match=r"column 'region': missing column"):
        to_long(read_table(p), source=str(p))


def test_wide_and_long_agree(tmp_path: Path) -> None:
    wide = pl.DataFrame(
        {"region": ["a", "b"], "year": [2016, 2016], "x": [1.0, 2.0], "y": [3.0, 4.0]}
    )
    long = to_long(wide)
    assert long.sort("indicator", "region").rows() == [
        ("a", 2016, "x", 1.0),
        ("b", 2016, "x", 2.0),
        ("a", 2016, "y", 3.0),
        ("b", 2016, "y", 4.0),
    ]
    xlsx = tmp_path / "w.xlsx"
    write_excel({"data": wide}, xlsx)
    assert (
        to_long(read_table(xlsx)).sort("indicator", "region").rows()
        == long.sort("indicator", "region").rows()
    )
    pq = tmp_path / "w.parquet"
    wide.write_parquet(pq)
    assert read_table(pq).equals(wide)


def test_bad_year(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text("region,year,x\na,2016,1\nb,twenty,2\n")
    with pytest.raises(InputError, match=r"column 'year', row 2: expected a year, got 'twenty'"):
        to_long(read_table(p), source=str(p))


def test_atomic_write_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"

    class Boom:
        pass

    with pytest.raises(InputError):
        write_csv(Boom(), target)
    assert list(tmp_path.iterdir()) == []


def test_empty_year_names_row(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text("region,year,x\na,2016,1\nb,,2\n")
    with pytest.raises(InputError, match=r"column 'year', row 2: the year is empty"):
        to_long(read_table(p), source=str(p))
