"""Call Quality Dashboard building data files read as site lists: one site per building."""

import ipaddress
from collections.abc import Iterator
from typing import Any

from imports.services.cells import CellError, country_code, short_text, unquote_formula
from imports.services.columns import SITE_COLUMN_BY_KEY
from imports.services.parsed import MAX_ROWS, MAX_STORED_PROBLEMS, ParsedFile, Problem
from imports.services.spreadsheets import Budget, ImportFileError


def looks_like_cqd(cells: list[str]) -> bool:
    """A first row of a building data file: 14 or 15 fields, an IP address, then a range."""
    if len(cells) not in (14, 15):
        return False
    try:
        ipaddress.ip_address(cells[0].strip())
    except ValueError:
        return False
    return cells[2].strip().isdigit()


CQD_COLUMNS = (
    "NetworkIP",
    "NetworkName",
    "NetworkRange",
    "BuildingName",
    "OwnershipType",
    "BuildingType",
    "BuildingOfficeType",
    "City",
    "ZipCode",
    "Country",
    "State",
    "Region",
    "InsideCorp",
    "ExpressRoute",
    "VPN",
)


def _is_vpn_row(cells: list[str]) -> bool:
    """A VPN address pool, not a building: VPN = 1, or named "VPN" as Microsoft suggests."""
    vpn_flag = len(cells) == 15 and cells[14].strip() == "1"
    return vpn_flag or "vpn" in (cells[3].strip().lower(), cells[1].strip().lower())


def _reject(parsed: ParsedFile, problem: Problem, cells: list[str]) -> None:
    parsed.errors.append(problem)
    if len(parsed.rejects) < MAX_STORED_PROBLEMS:
        parsed.rejects.append({"line": problem.line, "cells": [str(c)[:200] for c in cells[:15]]})


def parse_cqd(
    first: tuple[int, list[str]], rows: Iterator[tuple[int, list[str]]], budget: Budget
) -> ParsedFile:
    """A CQD building data file (CQD building data): one site per distinct BuildingName."""
    parsed = ParsedFile(file_format="cqd", columns=["name", "city", "country"])
    parsed.headers = {"name": "BuildingName", "city": "City", "country": "Country"}
    parsed.source_headings = list(CQD_COLUMNS)
    buildings: dict[str, dict[str, Any]] = {}
    count = vpn_rows = 0
    for line, cells in _chain(first, rows):
        count += 1
        if count > MAX_ROWS * 20:
            raise ImportFileError("The building file has more than 100,000 subnets.")
        if count % 256 == 0:
            budget.check()
        if len(cells) not in (14, 15):
            problem = Problem(
                line,
                "",
                f"a building data row has 14 or 15 fields (NetworkIP … ExpressRoute[, VPN]); "
                f"this one has {len(cells)}",
            )
            _reject(parsed, problem, cells)
            continue
        if _is_vpn_row(cells):
            vpn_rows += 1
            continue
        name = unquote_formula(cells[3].strip())
        if not name:
            _reject(parsed, Problem(line, "BuildingName", "empty: a site needs a name"), cells)
            continue
        if len(name) > SITE_COLUMN_BY_KEY["name"].max_length:
            problem = Problem(
                line, "BuildingName", f"the text is {len(name):,} characters long; at most 120"
            )
            _reject(parsed, problem, cells)
            continue
        city = unquote_formula(cells[7].strip())[:120]
        country_text = cells[9].strip()
        try:
            country = country_code(country_text) if country_text else ""
        except CellError as exc:
            _reject(parsed, Problem(line, "Country", str(exc)), cells)
            continue
        key = name.lower()
        building = buildings.get(key)
        if building is None:
            if len(buildings) >= MAX_ROWS:
                raise ImportFileError(f"The building file names more than {MAX_ROWS:,} buildings.")
            buildings[key] = {
                "line": line,
                "values": {"name": name, "city": city or None, "country": country or None},
                "circuits": {},
                "bad": False,
                "subnets": 1,
                "cells": [str(c)[:200] for c in cells],
            }
            continue
        building["subnets"] += 1
        known = building["values"]
        if country and known["country"] and country != known["country"]:
            parsed.errors.append(
                Problem(
                    line,
                    "Country",
                    f"building “{short_text(name)}” is in {known['country']} on line "
                    f"{building['line']} but {country} here",
                )
            )
            building["bad"] = True
        elif country and not known["country"]:
            known["country"] = country
        if city and not known["city"]:
            known["city"] = city
    parsed.rows = list(buildings.values())
    for row in parsed.rows:  # only a row that may be refused keeps its cells
        if not row["bad"] and row["values"]["country"]:
            del row["cells"]
    if not parsed.rows and not parsed.errors:
        raise ImportFileError(
            "The building data file has no buildings."
            + (" It lists only VPN address ranges." if vpn_rows else "")
        )
    subnets = sum(r["subnets"] for r in parsed.rows)
    parsed.warnings.append(
        f"Read as a Call Quality Dashboard building data file: {subnets:,} subnet rows, "
        f"{len(parsed.rows):,} buildings. Each building becomes a site with its city and country."
    )
    if vpn_rows:
        parsed.warnings.append(
            f"{vpn_rows:,} VPN row{'s' if vpn_rows > 1 else ''} (VPN = 1, or named “VPN”) "
            "describe remote users' address ranges, not buildings: skipped."
        )
    return parsed


def _chain(first, rows):
    yield first
    yield from rows
