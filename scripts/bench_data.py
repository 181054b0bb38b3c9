#!/usr/bin/env python3
"""Generate benchmark data for scripts/bench.sh (never committed; goes under target/bench/).

  bench_data.py corpus N SEED OUTDIR [JSONL]
      N articles (about 2 KB each) made by recombining sentences of the seed
      articles (seeds/*.txt) and the fixture articles
      (tests/fixtures/articles/*.txt), with their places swapped for other
      gazetteer places and their dates for other dates. Writes OUTDIR/*.txt
      and OUTDIR/index.csv, and the same articles as JSON lines to JSONL.
      The same N and SEED give the same bytes; the first N articles of a
      larger run are the articles of a smaller run with the same SEED.

  bench_data.py gazetteer N SEED OUTDIR
      A gazetteer directory OUTDIR/places/synthetic.tsv with N place rows
      (one distinct name each, a fifth of them two-word names; up to
      1,679,616 rows), in the places TSV
      format, for `--gazetteer OUTDIR`.

  bench_data.py real BYTES SEED INDIR JSONL
      Real news text unchanged: the articles INDIR/*.txt (with publisher and
      date from INDIR/index.csv when there is one), shuffled and repeated
      until BYTES of text, as JSON lines to JSONL (ids numbered, so repeats
      stay distinct). The same arguments give the same bytes.

Only the standard library is used.
"""
import csv
import json
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PUBLISHERS = ["Reuters", "AP", "AFP", "Anadolu Agency", "EFE", "TASS", "Al Jazeera", "BBC"]
NOT_PLACES = set(MONTHS + WEEKDAYS + ["Ministry", "Defense", "President", "Army", "Police"])
PLACES_HEADER = "id\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tnames\tsource"


def source_texts():
    out = []
    for d in ("seeds", "tests/fixtures/articles"):
        p = os.path.join(ROOT, d)
        for f in sorted(os.listdir(p)):
            if f.endswith(".txt"):
                with open(os.path.join(p, f), encoding="utf-8") as fh:
                    out.append(fh.read())
    return out


def gazetteer_names():
    """(all display names and aliases, a pool of real places to draw from)."""
    names, pool = set(), []
    pdir = os.path.join(ROOT, "gazetteer", "places")
    for f in sorted(os.listdir(pdir)):
        if not f.endswith(".tsv"):
            continue
        with open(os.path.join(pdir, f), encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                c = line.rstrip("\n").split("\t")
                if len(c) < 9:
                    continue
                names.add(c[1])
                names.update(a for a in c[8].split("|") if a)
                pop = int(c[7] or 0)
                if c[2] in ("city", "town", "village", "capital") and (
                    c[3] in ("AZ", "AM", "GE", "RU", "UA", "TR", "SY", "IQ", "IL", "PS", "LB")
                    or pop >= 200000
                ) and c[1].replace(" ", "").replace("-", "").isalpha():
                    pool.append(c[1])
    return names, pool


SENT_SPLIT = re.compile(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"])")
CAP_RUN = re.compile(r"\b[A-Z][\w'\u2019-]*(?:[ -][A-Z][\w'\u2019-]*){0,2}")
MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})\b")
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")


def templates(texts, names):
    """Sentences with their gazetteer place names replaced by a {P} slot."""
    out = []
    for t in texts:
        for line in t.splitlines():
            line = line.strip()
            if len(line) < 40:
                continue
            for s in SENT_SPLIT.split(line):
                if len(s) < 30:
                    continue

                def swap(m):
                    w = m.group(0)
                    # The longest leading run of words that is a place name.
                    parts = re.split(r"([ -])", w)
                    for k in range(len(parts), 0, -2):
                        cand = "".join(parts[:k])
                        base = cand[:-2] if cand.endswith(("'s", "\u2019s")) else cand
                        if base in names and len(base) > 3 and base not in NOT_PLACES:
                            return "\x00" + cand[len(base):] + "".join(parts[k:])
                    return w

                s = CAP_RUN.sub(swap, s)
                out.append(s.replace("{", "(").replace("}", ")").replace("\x00", "{P}"))
    return out


def corpus(n, seed, outdir, jsonl):
    names, pool = gazetteer_names()
    tmpl = templates(source_texts(), names)
    rng = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    jf = open(jsonl, "w", encoding="utf-8") if jsonl else None
    with open(os.path.join(outdir, "index.csv"), "w", newline="", encoding="utf-8") as mf:
        w = csv.writer(mf, lineterminator="\n")
        w.writerow(["file", "publisher", "published", "title", "url"])
        for i in range(n):
            year = rng.randint(2014, 2024)
            month = rng.randint(1, 12)
            day = rng.randint(1, 28)
            published = f"{year:04d}-{month:02d}-{day:02d}"
            publisher = rng.choice(PUBLISHERS)
            places = [rng.choice(pool) for _ in range(4)]

            def fill(s):
                s = s.replace("{P}", "\x01")
                s = "".join(
                    rng.choice(places) if ch == "\x01" else ch for ch in s
                )
                s = MONTH_DAY.sub(
                    lambda m: f"{MONTHS[(month - 1 - rng.randint(0, 1)) % 12]} {rng.randint(1, 28)}", s
                )
                return WEEKDAY.sub(lambda m: rng.choice(WEEKDAYS), s)

            title = fill(rng.choice(tmpl))[:120]
            paras = []
            total = 0
            first = True
            while total < 1700:
                k = rng.randint(2, 4)
                para = " ".join(fill(rng.choice(tmpl)) for _ in range(k))
                if first:
                    para = f"{places[0].upper()} ({publisher}) - " + para
                    first = False
                paras.append(para)
                total += len(para)
            text = title + "\n\n" + "\n\n".join(paras) + "\n"
            fname = f"{i:06d}.txt"
            with open(os.path.join(outdir, fname), "w", encoding="utf-8") as fh:
                fh.write(text)
            w.writerow([fname, publisher, published, title, f"https://example.org/{i}"])
            if jf:
                jf.write(json.dumps({"id": fname, "text": text, "published": published,
                                     "publisher": publisher, "title": title},
                                    ensure_ascii=False) + "\n")
    if jf:
        jf.close()


SYL = ["ka", "ra", "ba", "tov", "uz", "li", "shu", "an", "dor", "vek", "mar", "zan",
       "gor", "ist", "ol", "bek", "khan", "da", "ne", "ro", "sar", "tal", "yur", "em",
       "ki", "lo", "pe", "ven", "ash", "tur", "ga", "mi", "nov", "sk", "ev", "ir"]
SUFFIX = ["", "", "", "", "abad", "kend", "li", "ovo", "ivka", "pur", "ston", "grad"]
SECOND = ["Dere", "Kala", "Selo", "Bolshoy", "Yeni", "Novo", "Verin", "Nerkin"]
# Countries and a point well inside each; places are scattered 0.3 degrees around it.
COUNTRIES = {"AZ": (40.4, 47.8), "AM": (40.3, 44.6), "GE": (42.0, 43.6), "RU": (55.0, 40.0),
             "UA": (49.0, 31.0), "TR": (39.0, 35.0), "IR": (33.0, 53.0), "SY": (35.0, 38.5),
             "IQ": (33.0, 43.5), "KZ": (48.0, 68.0), "PK": (30.0, 70.0), "NG": (9.0, 8.0)}


def gazetteer(n, seed, outdir):
    rng = random.Random(seed)
    pdir = os.path.join(outdir, "places")
    os.makedirs(pdir, exist_ok=True)
    with open(os.path.join(pdir, "synthetic.tsv"), "w", encoding="utf-8") as fh:
        fh.write(PLACES_HEADER + "\n")
        for i in range(n):
            # Four syllables numbered by a permutation of i: every name differs.
            k = (i * 104729 + seed) % len(SYL) ** 4
            base = "".join(SYL[(k // len(SYL) ** d) % len(SYL)] for d in range(4))
            base += rng.choice(SUFFIX)
            name = base.capitalize()
            if rng.random() < 0.2:
                name = f"{rng.choice(SECOND)} {name}" if rng.random() < 0.5 else f"{name} {rng.choice(SECOND)}"
            cc = rng.choice(sorted(COUNTRIES))
            lat = COUNTRIES[cc][0] + rng.uniform(-0.3, 0.3)
            lon = COUNTRIES[cc][1] + rng.uniform(-0.3, 0.3)
            fh.write(f"syn-{i}\t{name}\tvillage\t{cc}\t\t{lat:.5f}\t{lon:.5f}\t"
                     f"{rng.randint(50, 5000)}\t\tsynthetic\n")


def real(total, seed, indir, jsonl):
    meta = {}
    index = os.path.join(indir, "index.csv")
    if os.path.exists(index):
        with open(index, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                meta[row["file"]] = row
    arts = []
    for f in sorted(os.listdir(indir)):
        if f.endswith(".txt"):
            with open(os.path.join(indir, f), encoding="utf-8") as fh:
                arts.append((f, fh.read()))
    if not arts:
        sys.exit(f"no .txt articles in {indir}")
    rng = random.Random(seed)
    size, i = 0, 0
    with open(jsonl, "w", encoding="utf-8") as jf:
        while size < total:
            order = arts[:]
            rng.shuffle(order)
            for f, text in order:
                if size >= total:
                    break
                m = meta.get(f, {})
                jf.write(json.dumps({"id": f"{i:06d}-{f}", "text": text,
                                     "published": m.get("published", ""),
                                     "publisher": m.get("publisher", ""),
                                     "title": m.get("title", "")},
                                    ensure_ascii=False) + "\n")
                size += len(text.encode("utf-8"))
                i += 1


def main(argv):
    if len(argv) >= 5 and argv[1] == "corpus":
        corpus(int(argv[2]), int(argv[3]), argv[4], argv[5] if len(argv) > 5 else None)
    elif len(argv) == 5 and argv[1] == "gazetteer":
        gazetteer(int(argv[2]), int(argv[3]), argv[4])
    elif len(argv) == 6 and argv[1] == "real":
        real(int(argv[2]), int(argv[3]), argv[4], argv[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
