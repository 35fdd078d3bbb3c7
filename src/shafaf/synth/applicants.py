"""A seeded synthetic applicant registry in the applications format (docs/formats.md §1).

Vectorised with numpy and polars: every column is drawn for all rows at once, and text is assembled by
gathering from small tables of ready-made strings (every date in the range, every percentage in hundredths)
and joining them with ``+``, rather than by formatting 10^6 values. Each column group draws from its own
random stream derived from ``(seed, stream name)``, so the output is a pure function of the arguments: the
same inputs give a byte-identical CSV. No real person's record is used: names are random combinations from
:mod:`shafaf.synth.names` and CNICs are random numbers of the right shape.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import special

from shafaf.core.intake import INPUT_COLUMNS
from shafaf.core.policy.geography import District, Geography
from shafaf.synth import names
from shafaf.synth.profile import DEFAULT, DISCIPLINES, DURATION_YEARS, Profile

__all__ = ["COLUMNS", "completed_age", "generate_applicants"]

# The applications columns of docs/formats.md §1, in its order: the ones intake reads.
COLUMNS: tuple[str, ...] = INPUT_COLUMNS

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_EPOCH = date(1970, 1, 1)
_DEGREES: tuple[str, ...] = tuple(sorted(DURATION_YEARS))
_YES = ("yes", "y", "1", "true")
_NO = ("no", "n", "0", "false")


def _rng(seed: int, stream: str) -> np.random.Generator:
    """An independent generator per column group, so adding a column never shifts the others."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode("utf-8"))])


def _days(d: date) -> int:
    return (d - _EPOCH).days


def _years_before(d: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February falls back to 28 February in a common year."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def completed_age(dob_days: IntArray, on: date) -> IntArray:
    """Completed years of age on ``on`` for dates of birth given as days since 1970-01-01 (exact Y/M/D)."""
    dob = dob_days.astype("datetime64[D]")
    year = dob.astype("datetime64[Y]").astype(np.int64) + 1970
    month = dob.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (dob - dob.astype("datetime64[M]")).astype(np.int64) + 1
    before_birthday = (on.month < month) | ((on.month == month) & (on.day < day))
    age: IntArray = (on.year - year - before_birthday).astype(np.int64)
    return age


def _lookup(values: Sequence[str] | pl.Series, index: IntArray, null: BoolArray | None = None) -> pl.Series:
    """``values[index]`` as a String series, null where ``null`` is set."""
    table = values if isinstance(values, pl.Series) else pl.Series(values=list(values), dtype=pl.String)
    if null is not None:
        table = pl.concat([table, pl.Series(values=[None], dtype=pl.String)])  # new series: tables are cached
        index = np.where(null, len(table) - 1, index)
    return table.gather(index)


def _percent_str(hundredths: int) -> str:
    """Hundredths as the shortest decimal text: 6125 -> "61.25", 6120 -> "61.2", 4500 -> "45"."""
    whole, frac = divmod(hundredths, 100)
    if frac == 0:
        return str(whole)
    if frac % 10 == 0:
        return f"{whole}.{frac // 10}"
    return f"{whole}.{frac:02d}"


@functools.cache
def _table(name: str) -> pl.Series:
    """Static text tables, built once per process and gathered by index (far faster than formatting 10^6
    values): every percentage in hundredths 0..10000, CNIC parts, reference numbers."""
    values: list[str]
    if name == "percent":
        values = [_percent_str(h) for h in range(10001)]
    elif name == "percent|":
        values = [f"{_percent_str(h)}|" for h in range(10001)] + [""]
    elif name == "cnic_head":  # "50000-" .. "59999-" then "50000" .. "59999"
        values = [f"{i}{sep}" for sep in ("-", "") for i in range(50000, 60000)]
    elif name == "digits3":
        values = [f"{i:03d}" for i in range(1000)]
    elif name == "digits4":
        values = [f"{i:04d}" for i in range(10_000)]
    elif name == "cnic_tail":  # "-0" .. "-9" then "0" .. "9"
        values = [f"{sep}{i}" for sep in ("-", "") for i in range(10)]
    elif name == "ref":  # 0..999 then "" (no grant)
        values = [*(str(i) for i in range(1000)), ""]
    else:
        raise KeyError(name)
    return pl.Series(values=values, dtype=pl.String)


# Date text tables cover every day of 1940-2080; each style derives from the ISO text of the day.
_TABLE_FIRST = date(1940, 1, 1)
_TABLE_DAYS = (date(2081, 1, 1) - _TABLE_FIRST).days
_DATE_STYLES: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "iso": lambda iso: iso,
    "year_month": lambda iso: iso.str.slice(0, 7),
    "year": lambda iso: iso.str.slice(0, 4),
    "day_first": lambda iso: pl.concat_str(
        [iso.str.slice(8, 2), iso.str.slice(5, 2), iso.str.slice(0, 4)], separator="/"
    ),
    "iso_awaited": lambda iso: iso + "|awaited",
    "bar_iso": lambda iso: "|" + iso,
    "semicolon_iso": lambda iso: ";" + iso,
    "bar_present": lambda iso: pl.lit("|present"),
    "empty": lambda iso: pl.lit(""),
}


@functools.cache
def _date_table(styles: tuple[str, ...]) -> pl.Series:
    """Every day of the table range in each style, style after style."""
    days = np.arange(_TABLE_DAYS) + _days(_TABLE_FIRST)
    iso = pl.Series(values=np.datetime_as_string(days.astype("datetime64[D]"), unit="D"), dtype=pl.String)
    frame = pl.DataFrame({"iso": iso})
    parts = [frame.select(_DATE_STYLES[s](pl.col("iso")).alias("t")).to_series() for s in styles]
    return pl.concat(
        [p if p.len() == _TABLE_DAYS else pl.repeat(p[0], _TABLE_DAYS, eager=True) for p in parts]
    )


def _day_text(
    days: IntArray,
    style: IntArray | None = None,
    styles: tuple[str, ...] = ("iso",),
    null: BoolArray | None = None,
) -> pl.Series:
    """Dates (days since 1970-01-01) as text, row ``i`` in ``styles[style[i]]``, looked up in a table."""
    offset = days - _days(_TABLE_FIRST)
    if len(days) and (offset.min() < 0 or offset.max() >= _TABLE_DAYS):
        raise ValueError("synthetic dates must fall in 1940-2080; is the eligibility date plausible?")
    index = offset if style is None else style.astype(np.int64) * _TABLE_DAYS + offset
    return _lookup(_date_table(styles), index, null)


def _null_where(series: pl.Series, null: BoolArray) -> pl.Series:
    """``series`` with nulls where ``null`` is set."""
    mask = pl.Series(values=null, dtype=pl.Boolean)
    return (
        pl.select(pl.when(pl.lit(mask)).then(None).otherwise(pl.lit(series))).to_series().alias(series.name)
    )


def _truncated_normal_hundredths(
    rng: np.random.Generator, size: int, lo: int, hi: int, mean: float, sd: float
) -> IntArray:
    """Integers in [lo, hi] from a normal(mean, sd) in hundredths, truncated by inverse-CDF sampling."""
    if lo == hi:
        return np.full(size, lo, dtype=np.int64)
    m, s = mean * 100.0, sd * 100.0
    pa = special.ndtr((lo - 0.5 - m) / s)
    pb = special.ndtr((hi + 0.5 - m) / s)
    u = rng.uniform(pa, pb, size)
    x = m + s * special.ndtri(u)
    return np.asarray(np.clip(np.rint(x), lo, hi), dtype=np.int64)


def generate_applicants(
    *,
    n: int,
    seed: int,
    post_code: str,
    roll_numbers: Sequence[str] | None,
    geography: Geography,
    eligibility_date: date,
    profile: Profile = DEFAULT,
) -> pl.DataFrame:
    """``n`` synthetic applications for ``post_code``: an all-String frame with exactly :data:`COLUMNS`.

    ``roll_numbers`` (length ``n``) fills ``roll_number`` in row order; None leaves it empty (the format's
    default is then the application id). Every row is well-formed (:func:`shafaf.synth.corrupt` adds malformed
    ones); whether it is *eligible* is left to the eligibility rules: the profile plants over-age,
    under-qualified, result-awaited and boundary candidates on purpose. Domiciles are drawn from the
    ``profile.province`` districts of ``geography`` weighted by ``population_2023`` (a district without a
    population gets no rows). Empty optional cells are nulls (written as empty CSV cells).
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    if roll_numbers is not None and len(roll_numbers) != n:
        raise ValueError(f"roll_numbers has {len(roll_numbers)} entries, expected n = {n}")
    p = profile
    e_days = _days(eligibility_date)

    rng = _rng(seed, "person")
    u = rng.random(n)
    gender = np.zeros(n, dtype=np.int64)  # 0 M, 1 F, 2 X
    gender[u < p.female_share] = 1
    gender[(u >= p.female_share) & (u < p.female_share + p.x_share)] = 2
    minority = rng.random(n) < p.minority_share
    disability = rng.random(n) < p.disability_share

    dob, dob_text, over_age = _dates_of_birth(n, seed, p, eligibility_date)

    districts = sorted((d for d in geography.districts if d.province == p.province), key=lambda d: d.name)
    if not districts:
        raise ValueError(f"geography {geography.version} has no district in province {p.province!r}")
    dist = _domiciles(n, seed, p, districts)
    district_text = _district_spellings(n, seed, p, districts, dist)

    rng = _rng(seed, "service")
    in_service = rng.random(n) < p.in_service_share
    husband = (gender == 1) & (rng.random(n) < p.husband_domicile_share)
    service_record = in_service & ~husband & (rng.random(n) < p.service_record_domicile_share)
    own_written = rng.random(n) < p.own_basis_written_share
    basis_idx = np.where(husband, 1, np.where(service_record, 2, 0))
    basis_text = _lookup(("own", "husband", "service_record"), basis_idx, (basis_idx == 0) & ~own_written)
    service_text = _service_years(n, rng, p, in_service)

    cnic_text = _cnics(n, seed, p, gender, dist, husband, len(districts))
    name_text, father_text = _names(n, seed, p, gender, minority)

    rng = _rng(seed, "flags")
    minority_text = _boolean_text(minority, rng, p)
    disability_text = _boolean_text(disability, rng, p)

    qual_text, essential_days = _qualifications(n, seed, p, dob, e_days)
    experience_text = _experience(n, seed, p, essential_days, e_days)
    relax_text = _relaxations(n, seed, p, over_age, in_service, disability, eligibility_date.year)

    width = max(6, len(str(n)))
    ids = pl.Series(values=[f"{p.id_prefix}-"], dtype=pl.String).gather(np.zeros(n, dtype=np.int64))
    numbers = pl.int_range(1, n + 1, eager=True, dtype=pl.Int64).cast(pl.String).str.zfill(width)
    return pl.DataFrame(
        {
            "application_id": ids + numbers,
            "post_code": pl.repeat(post_code, n, eager=True, dtype=pl.String),
            "cnic": cnic_text,
            "name": name_text,
            "father_name": father_text,
            "dob": dob_text,
            "gender": _lookup(("M", "F", "X"), gender),
            "domicile_district": district_text,
            "domicile_basis": basis_text,
            "minority": minority_text,
            "disability": disability_text,
            "in_service_years": service_text,
            "qualifications": qual_text,
            "experience": experience_text,
            "relaxations": relax_text,
            "roll_number": pl.Series(
                values=list(roll_numbers) if roll_numbers is not None else [None] * n, dtype=pl.String
            ),
        },
        schema={c: pl.String for c in COLUMNS},
    )


def _dates_of_birth(n: int, seed: int, p: Profile, on: date) -> tuple[IntArray, pl.Series, BoolArray]:
    """Full dates of birth (days), their text as written (some partial or day-first), the over-age mask."""
    rng = _rng(seed, "dob")
    shares = np.array([b.share for b in p.age_bands] + [b.share for b in p.boundaries], dtype=np.float64)
    cat = rng.choice(len(shares), size=n, p=shares / shares.sum())
    dob = np.zeros(n, dtype=np.int64)
    n_bands = len(p.age_bands)
    for i, band in enumerate(p.age_bands):
        mask = cat == i
        first = _days(_years_before(on, band.max_age + 1)) + 1
        last = _days(_years_before(on, band.min_age))
        dob[mask] = rng.integers(first, last + 1, size=int(mask.sum()))
    for j, boundary in enumerate(p.boundaries):
        dob[cat == n_bands + j] = _days(_years_before(on, boundary.age)) + boundary.offset_days
    in_band = cat < n_bands

    # 29 February: a leap year whose 29 February gives a completed age inside the row's band.
    feb29 = in_band & (rng.random(n) < p.dob_feb29_share)
    for i, band in enumerate(p.age_bands):
        leap_days = [
            _days(date(y, 2, 29))
            for y in range(on.year - band.max_age - 1, on.year - band.min_age + 1)
            if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        ]
        picks = np.array(leap_days, dtype=np.int64)
        if len(picks):
            ages = completed_age(picks, on)
            picks = picks[(ages >= band.min_age) & (ages <= band.max_age)]
        mask = feb29 & (cat == i)
        if not len(picks):
            feb29 &= cat != i
            continue
        dob[mask] = picks[rng.integers(0, len(picks), size=int(mask.sum()))]

    u = rng.random(n)
    partial_ok = in_band & ~feb29
    year_only = partial_ok & (u < p.dob_year_only_share)
    year_month = (
        partial_ok & (u >= p.dob_year_only_share) & (u < p.dob_year_only_share + p.dob_year_month_share)
    )
    day_first = ~year_only & ~year_month & (rng.random(n) < p.dob_day_first_share)

    over_age = completed_age(dob, on) > p.age_max
    style = np.where(year_only, 1, np.where(year_month, 2, np.where(day_first, 3, 0)))
    text = _day_text(dob, style, ("iso", "year", "year_month", "day_first"))
    return dob, text, over_age


def _domiciles(n: int, seed: int, p: Profile, districts: Sequence[District]) -> IntArray:
    """Index into ``districts`` per row, weighted by population (home divisions, then the rest)."""
    rng = _rng(seed, "domicile")
    pops = np.array([d.population_2023 or 0 for d in districts], dtype=np.float64)
    home = np.array([not p.home_divisions or d.division in p.home_divisions for d in districts])
    home_pops = np.where(home, pops, 0.0)
    away_pops = np.where(home, 0.0, pops)
    if home_pops.sum() <= 0:
        raise ValueError(
            f"no {p.province} district with a population_2023 in divisions {list(p.home_divisions) or 'any'}"
        )
    away = rng.random(n) < p.outside_home_share
    if away_pops.sum() <= 0:
        away[:] = False
    dist = np.zeros(n, dtype=np.int64)
    dist[~away] = rng.choice(len(districts), size=int((~away).sum()), p=home_pops / home_pops.sum())
    if away.any():
        dist[away] = rng.choice(len(districts), size=int(away.sum()), p=away_pops / away_pops.sum())
    return dist


def _district_spellings(
    n: int, seed: int, p: Profile, districts: Sequence[District], dist: IntArray
) -> pl.Series:
    """District names as written: mostly the table name, some a listed alias, some upper-cased."""
    rng = _rng(seed, "spelling")
    spellings: list[str] = []
    offsets: list[int] = []
    n_alias: list[int] = []
    for d in districts:
        offsets.append(len(spellings))
        n_alias.append(len(d.aliases))
        spellings.extend((d.name, *d.aliases))
    off = np.array(offsets, dtype=np.int64)[dist]
    k_alias = np.array(n_alias, dtype=np.int64)[dist]
    u = rng.random(n)
    use_alias = (u < p.alias_spelling_share) & (k_alias > 0)
    upper = (u >= p.alias_spelling_share) & (u < p.alias_spelling_share + p.upper_case_district_share)
    which = np.floor(rng.random(n) * np.maximum(k_alias, 1)).astype(np.int64)
    index = off + np.where(use_alias, 1 + which, 0)
    table = [*spellings, *(s.upper() for s in spellings)]
    return _lookup(table, index + np.where(upper, len(spellings), 0))


def _service_years(n: int, rng: np.random.Generator, p: Profile, in_service: BoolArray) -> pl.Series:
    """Continuous service in years (months / 12 to two decimals, half up); empty or "0" outside service."""
    u = rng.random(n)
    months = rng.integers(25, 181, size=n)
    months = np.where(u < p.in_service_under_two_share, rng.integers(3, 24, size=n), months)
    exactly_two = (u >= p.in_service_under_two_share) & (
        u < p.in_service_under_two_share + p.in_service_exactly_two_share
    )
    months = np.where(exactly_two, 24, months)
    hundredths = np.where(in_service, (months * 100 + 6) // 12, 0)
    zero_written = ~in_service & (rng.random(n) < p.in_service_zero_written_share)
    return _lookup(_table("percent"), hundredths, ~(in_service | zero_written))


def _unique_redraw(body: IntArray, redraw: Callable[[], IntArray]) -> IntArray:
    """Redraw every repeated value after its first occurrence (in row order) until all values are distinct."""
    while len(body) > 1:
        ordered = np.sort(body)
        repeated_values = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
        if not len(repeated_values):
            break
        rows = np.flatnonzero(np.isin(body, repeated_values))
        by_value = rows[np.lexsort((rows, body[rows]))]
        values = body[by_value]
        later = np.ones(len(by_value), dtype=np.bool_)
        later[0] = False
        later[1:] = values[1:] == values[:-1]
        mask = np.zeros(len(body), dtype=np.bool_)
        mask[by_value[later]] = True
        body = np.where(mask, redraw(), body)
    return body


def _cnics(
    n: int, seed: int, p: Profile, gender: IntArray, dist: IntArray, husband: BoolArray, n_districts: int
) -> pl.Series:
    """Unique 13-digit CNICs: 5 + district code + 2 digits, 7 digits, parity digit (mostly odd M / even F)."""
    rng = _rng(seed, "cnic")
    # A married woman using her husband's domicile carries a CNIC issued in her own family's district.
    other = (dist + rng.integers(1, max(n_districts, 2), size=n)) % max(n_districts, 1)
    code_district = np.where(husband & (n_districts > 1), other, dist)
    prefix = 50000 + ((code_district + 1) % 100) * 100 + rng.integers(0, 100, size=n)
    odd = np.where(gender == 0, 1, np.where(gender == 1, 0, rng.integers(0, 2, size=n)))
    mismatch = (gender != 2) & (rng.random(n) < p.parity_mismatch_share)
    odd = np.where(mismatch, 1 - odd, odd)
    last = 2 * rng.integers(0, 5, size=n) + odd
    body = prefix * 100_000_000 + rng.integers(0, 10_000_000, size=n) * 10 + last
    body = _unique_redraw(
        body, lambda: prefix * 100_000_000 + rng.integers(0, 10_000_000, size=n) * 10 + last
    )
    plain = (rng.random(n) < p.cnic_without_dashes_share).astype(np.int64)
    # Text from small tables joined with "+" (much faster than formatting): "54401-" + "123" + "4567" + "-8".
    head = _lookup(
        [f"{i}{sep}" for sep in ("-", "") for i in range(50000, 60000)], prefix - 50000 + 10000 * plain
    )
    middle = (body // 10) % 10_000_000
    mid_hi = _lookup(_table("digits3"), middle // 10_000)
    mid_lo = _lookup(_table("digits4"), middle % 10_000)
    tail = _lookup(_table("cnic_tail"), last + 10 * plain)
    return (head + mid_hi + mid_lo + tail).alias("cnic")


def _names(
    n: int, seed: int, p: Profile, gender: IntArray, minority: BoolArray
) -> tuple[pl.Series, pl.Series]:
    """Candidate and father names, Latin or Urdu script per row (both names in the same script)."""
    rng = _rng(seed, "names")
    pools = (names.MALE_GIVEN, names.FEMALE_GIVEN, names.MINORITY_MALE_GIVEN, names.MINORITY_FEMALE_GIVEN)
    flat = [pair for pool in pools for pair in pool]
    offsets = np.cumsum([0] + [len(pool) for pool in pools[:-1]]).astype(np.int64)
    sizes = np.array([len(pool) for pool in pools], dtype=np.int64)
    prefix_ok = np.array(["Muhammad" not in latin for latin, _ in flat], dtype=np.bool_)

    female = np.where(gender == 2, rng.random(n) < 0.5, gender == 1)
    minority_names = minority & (rng.random(n) < p.minority_name_share)
    pool = female.astype(np.int64) + 2 * minority_names.astype(np.int64)
    given = offsets[pool] + np.floor(rng.random(n) * sizes[pool]).astype(np.int64)
    father_pool = 2 * minority_names.astype(np.int64)
    father_given = offsets[father_pool] + np.floor(rng.random(n) * sizes[father_pool]).astype(np.int64)

    fam_flat = [*names.FAMILY, *names.MINORITY_FAMILY]
    fam_off = np.where(minority_names, len(names.FAMILY), 0)
    fam_size = np.where(minority_names, len(names.MINORITY_FAMILY), len(names.FAMILY))
    family = fam_off + np.floor(rng.random(n) * fam_size).astype(np.int64)
    father_family_new = fam_off + np.floor(rng.random(n) * fam_size).astype(np.int64)
    father_family = np.where(rng.random(n) < p.same_family_name_as_father_share, family, father_family_new)

    muslim_man = ~female & ~minority_names
    prefix = muslim_man & prefix_ok[given] & (rng.random(n) < p.muhammad_prefix_share)
    father_prefix = ~minority_names & prefix_ok[father_given] & (rng.random(n) < p.muhammad_prefix_share)

    urdu = rng.random(n) < p.urdu_name_share
    # One table holds every given name in four forms: Latin, Urdu, and each with the Muhammad prefix.
    latin_m, urdu_m = names.MUHAMMAD
    given_table = [
        *(latin for latin, _ in flat),
        *(ur for _, ur in flat),
        *(f"{latin_m} {latin}" for latin, _ in flat),
        *(f"{urdu_m} {ur}" for _, ur in flat),
    ]
    family_table = [f" {latin}" for latin, _ in fam_flat] + [f" {ur}" for _, ur in fam_flat]
    k, f = len(flat), len(fam_flat)
    script = urdu.astype(np.int64)
    name = _lookup(given_table, given + k * script + 2 * k * prefix) + _lookup(
        family_table, family + f * script
    )
    father = _lookup(given_table, father_given + k * script + 2 * k * father_prefix) + _lookup(
        family_table, father_family + f * script
    )
    return name.alias("name"), father.alias("father_name")


def _boolean_text(flag: BoolArray, rng: np.random.Generator, p: Profile) -> pl.Series:
    """yes/no, sometimes y/n, 1/0 or true/false; some "no" values left empty (empty means no)."""
    n = len(flag)
    variant = rng.random(n) < p.boolean_variant_share
    which = rng.integers(1, 4, size=n)
    blank = ~flag & ~variant & (rng.random(n) < p.boolean_blank_share)
    index = np.where(flag, 0, len(_YES)) + np.where(variant, which, 0)
    return _lookup((*_YES, *_NO), index, blank)


def _qualifications(n: int, seed: int, p: Profile, dob: IntArray, e_days: int) -> tuple[pl.Series, IntArray]:
    """The qualifications text per row and the result date (days) of each row's focus step."""
    rng = _rng(seed, "qualifications")
    tracks = p.qualification_tracks
    shares = np.array([t.share for t in tracks], dtype=np.float64)
    track = rng.choice(len(tracks), size=n, p=shares / shares.sum())
    steps = max(len(t.steps) for t in tracks)

    degree = np.full((steps, n), -1, dtype=np.int64)
    hundredths = np.zeros((steps, n), dtype=np.int64)
    awaited = np.zeros((steps, n), dtype=np.bool_)
    focus_step = np.zeros(n, dtype=np.int64)
    for ti, t in enumerate(tracks):
        rows = np.flatnonzero(track == ti)
        k = len(rows)
        focus_step[rows] = t.focus
        for s, alternatives in enumerate(t.steps):
            codes = np.array([_DEGREES.index(a) for a in alternatives], dtype=np.int64)
            degree[s, rows] = codes[rng.integers(0, len(codes), size=k)]
            lo, hi = t.percent if s == t.focus else p.other_percent
            hundredths[s, rows] = _truncated_normal_hundredths(rng, k, lo, hi, p.percent_mean, p.percent_sd)
        if t.awaited:
            awaited[t.focus, rows] = True
    present = degree >= 0

    # Result dates: Matric at about 15.3-16.8 years, each later step its duration plus a few months and
    # sometimes a gap year. A young candidate whose last completed result would fall after the eligibility
    # date has the whole history moved earlier, to 1-12 months before it, but Matric no earlier than at 14-15;
    # a result that still cannot be out two weeks before the eligibility date is awaited (20-150 days after
    # it) and later steps are dropped.
    durations = np.array([DURATION_YEARS[d] for d in _DEGREES], dtype=np.int64)
    result = np.zeros((steps, n), dtype=np.int64)
    prev = dob + rng.integers(5590, 6140, size=n)
    for s in range(steps):
        gap = np.where(rng.random(n) < 0.75, 0, np.where(rng.random(n) < 0.72, 365, 730))
        base = prev if s == 0 else prev + durations[np.maximum(degree[s], 0)] * 365 + gap
        result[s] = base + rng.integers(0, 121, size=n)
        prev = result[s]
    completed = present & ~awaited
    last_completed = np.where(completed, result, np.iinfo(np.int64).min).max(axis=0)
    overflow = last_completed - (e_days - 14)
    earliest_matric = dob + 14 * 365 + rng.integers(0, 366, size=n)
    shift = np.where(overflow > 0, overflow + rng.integers(30, 366, size=n), 0)
    shift = np.minimum(shift, np.maximum(result[0] - earliest_matric, 0))
    result = result - shift[None, :]
    # Still too young: the first result that cannot be out yet is awaited, and nothing after it is listed.
    late = present & ~awaited & (result > e_days - 14)
    seen_late = np.cumsum(late, axis=0)
    first_late = late & (seen_late == 1)
    after_late = (seen_late >= 1) & ~first_late
    awaited |= first_late
    present &= ~after_late
    awaited &= present
    result = np.where(
        awaited, e_days + rng.integers(20, 151, size=(steps, n)), np.minimum(result, e_days - 14)
    )
    month_only = ~awaited & (rng.random((steps, n)) < p.qualification_month_only_share)

    # Entry text from tables joined with "+": "DEGREE|DISCIPLINE|" + "PERCENT|" + "DATE[|awaited]"; later
    # entries carry their ";" in the first table, and an absent (trailing) step is three empty strings.
    pair_table: list[str] = []
    pair_off: list[int] = []
    pair_size: list[int] = []
    for d in _DEGREES:
        pair_off.append(len(pair_table))
        pair_size.append(len(DISCIPLINES[d]))
        pair_table.extend(f"{d}|{disc}|" for disc in DISCIPLINES[d])
    d_off = np.array(pair_off, dtype=np.int64)
    d_size = np.array(pair_size, dtype=np.int64)

    date_styles = ("iso", "year_month", "iso_awaited", "empty")
    text: pl.Series | None = None
    for s in range(steps):
        deg = np.maximum(degree[s], 0)
        pair = d_off[deg] + np.floor(rng.random(n) * d_size[deg]).astype(np.int64)
        pairs = [*pair_table, ""] if s == 0 else [*(f";{x}" for x in pair_table), ""]
        style = np.where(awaited[s], 2, month_only[s].astype(np.int64))
        style = np.where(present[s], style, 3)
        entry = (
            _lookup(pairs, np.where(present[s], pair, len(pair_table)))
            + _lookup(_table("percent|"), np.where(present[s], hundredths[s], 10001))
            + _day_text(result[s], style, date_styles)
        )
        text = entry if text is None else text + entry
    essential_days = np.take_along_axis(result, focus_step[None, :], axis=0)[0]
    out = text if text is not None else pl.Series(values=[None] * n, dtype=pl.String)
    return out.alias("qualifications"), essential_days


def _experience(n: int, seed: int, p: Profile, essential_days: IntArray, e_days: int) -> pl.Series:
    """Zero, one or two periods START|END|TYPE; some before the essential result (they do not count)."""
    rng = _rng(seed, "experience")
    has = rng.random(n) < p.experience_share
    second = has & (rng.random(n) < p.experience_second_entry_share)
    types = [t for t, _ in p.experience_types]
    t_shares = np.array([s for _, s in p.experience_types], dtype=np.float64)
    type1 = rng.choice(len(types), size=n, p=t_shares / t_shares.sum())
    type2 = rng.choice(len(types), size=n, p=t_shares / t_shares.sum())

    start1 = np.minimum(essential_days + rng.integers(-365, 901, size=n), e_days - 30)
    end1 = start1 + rng.integers(30, 1801, size=n)
    start2 = end1 + rng.integers(-60, 241, size=n)
    second &= start2 < e_days - 7
    present1 = ~second & ((end1 >= e_days) | (rng.random(n) < p.experience_present_share))
    end1 = np.minimum(end1, e_days)
    end2 = np.minimum(start2 + rng.integers(30, 1501, size=n), e_days)
    present2 = (end2 >= e_days) | (rng.random(n) < p.experience_present_share)
    start2 = np.minimum(start2, e_days)

    # "START" + "|END" + "|TYPE", the second entry led by ";"; no experience = null, no second entry = "".
    ends = ("bar_iso", "bar_present")
    first = (
        _day_text(start1, null=~has)
        + _day_text(end1, present1.astype(np.int64), ends)
        + _lookup([f"|{t}" for t in types], type1)
    )
    other = (
        _day_text(start2, (~second).astype(np.int64), ("semicolon_iso", "empty"))
        + _day_text(end2, np.where(second, present2.astype(np.int64), 2), (*ends, "empty"))
        + _lookup([*(f"|{t}" for t in types), ""], np.where(second, type2, len(types)))
    )
    return (first + other).alias("experience")


def _relaxations(
    n: int,
    seed: int,
    p: Profile,
    over_age: BoolArray,
    in_service: BoolArray,
    disability: BoolArray,
    year: int,
) -> pl.Series:
    """Claimed relaxations: civil_servant (in service), disabled (disability), deceased_employee_family,
    a discretionary grant (some over-age rows); several claims are joined by ";" in that order."""
    rng = _rng(seed, "relaxations")
    cs = in_service & (
        rng.random(n) < np.where(over_age, p.civil_servant_claim_if_over_age, p.civil_servant_claim_otherwise)
    )
    dis = disability & (
        rng.random(n) < np.where(over_age, p.disability_claim_if_over_age, p.disability_claim_otherwise)
    )
    fam = rng.random(n) < np.where(
        over_age, p.deceased_family_claim_if_over_age, p.deceased_family_claim_otherwise
    )
    grant = over_age & (rng.random(n) < p.grant_share_if_over_age)
    authority = rng.integers(0, len(p.grant_authorities), size=n)
    ceilings = np.array([c for _, c in p.grant_authorities], dtype=np.int64)
    years = 1 + np.floor(rng.random(n) * ceilings[authority]).astype(np.int64)
    ref = rng.integers(1, 1000, size=n)

    codes = (p.civil_servant_code, p.disability_code, p.deceased_family_code)
    combos = [";".join(c for bit, c in enumerate(codes) if k >> bit & 1) for k in range(1 << len(codes))]
    category = cs.astype(np.int64) + 2 * dis.astype(np.int64) + 4 * fam.astype(np.int64)
    # "grant:YEARS:AUTHORITY:S&GAD-YEAR/" from a table (led by ";" after a category), then the reference.
    heads = [f"grant:{y}:{a}:S&GAD-{year}/" for a, c in p.grant_authorities for y in range(1, c + 1)]
    head_off = np.cumsum([0] + [c for _, c in p.grant_authorities[:-1]]).astype(np.int64)
    head_index = np.where(
        grant, head_off[authority] + years - 1 + len(heads) * (category > 0), 2 * len(heads)
    )
    text = (
        _lookup(combos, category)
        + _lookup([*heads, *(f";{h}" for h in heads), ""], head_index)
        + _lookup(_table("ref"), np.where(grant, ref, 1000))
    )
    return _null_where(text, ~(cs | dis | fam | grant)).alias("relaxations")
