#!/usr/bin/env python3
"""Side-by-side evaluation of Limes against two practitioner baselines, on the same data in one run.

Baselines (installed into a throwaway venv, never used at Limes run time):
  * rapidfuzz: names folded (NFKD, marks dropped, upper case), token-sort ratio of "surname given",
    birth-date agreement; brute force over the whole gallery.
  * recordlinkage: Fellegi-Sunter (ECM, unsupervised) over Jaro-Winkler name and exact date
    features, candidate pairs from blocking on birth year plus sorted neighbourhood on surname.

Data: a directory written by `limes generate persons` (gallery.jsonl, probes.jsonl, truth.jsonl),
or --febrl4 (recordlinkage.datasets.load_febrl4, as person linkage: A is the gallery, B the probes;
the true partners of half of B are removed from the gallery so those probes have no true match).

For each method it prints recall (true identity among hits), top-1, false-hit rate at the method's
own default threshold, and recall at the threshold where 1 % of no-match probes hit, plus the time
per probe. Usage:
  python3 -m venv /tmp/limes-eval-venv && /tmp/limes-eval-venv/bin/pip install rapidfuzz recordlinkage
  /tmp/limes-eval-venv/bin/python scripts/eval/baselines.py --limes target/release/limes --data DIR
  /tmp/limes-eval-venv/bin/python scripts/eval/baselines.py --limes target/release/limes --febrl4
"""
import argparse, json, os, subprocess, sys, tempfile, time, unicodedata


def fold(text):
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in text.upper()).split())


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def febrl4(tmp):
    from recordlinkage.datasets import load_febrl4
    a, b, links = load_febrl4(return_links=True)
    def date(v):
        v = str(v or "")
        if len(v) == 8 and v.isdigit():
            y, m, d = int(v[:4]), int(v[4:6]), int(v[6:])
            import datetime
            try:
                datetime.date(y, m, d)
                return f"{v[:4]}-{v[4:6]}-{v[6:]}"
            except ValueError:
                return None
        return None
    def rec(rid, row):
        return {"id": rid, "surname": str(row["surname"] if row["surname"] == row["surname"] else ""),
                "given_names": str(row["given_name"] if row["given_name"] == row["given_name"] else ""),
                "birth_date": date(row["date_of_birth"]), "culture": "febrl"}
    pairs = list(links)  # (a_id, b_id)
    b_ids = sorted(b.index)
    partner = {bid: aid for aid, bid in pairs}
    held_out = set(b_ids[1::2])  # these probes lose their partner in the gallery
    removed = {partner[bid] for bid in held_out if bid in partner}
    gallery = [rec(i, r) for i, r in a.iterrows() if i not in removed]
    probes = [rec(i, r) for i, r in b.iterrows()]
    truth = [{"id": i, "truth": (None if i in held_out else partner.get(i))} for i in b.index]
    for name, rows in [("gallery.jsonl", gallery), ("probes.jsonl", probes), ("truth.jsonl", truth)]:
        with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return tmp


# limes_match::DEFAULT_THRESHOLD, the hit threshold of `limes screen` without --threshold.
LIMES_DEFAULT_THRESHOLD = 0.25


def metrics(name, results, truth, default_threshold, seconds, n_probes, what="per probe"):
    """results: probe id -> list of (gallery id, score), best first, for all candidates looked at."""
    true_scores, stranger_scores = [], []
    found = top1 = fh = nm = m = 0
    for pid, t in truth.items():
        hits = results.get(pid, [])
        shown = [h for h in hits if h[1] >= default_threshold]
        if t is None:
            nm += 1
            fh += bool(shown)
            stranger_scores.append(hits[0][1] if hits else 0.0)
        else:
            m += 1
            found += any(h[0] == t for h in shown)
            top1 += bool(shown) and shown[0][0] == t
            true_scores.append(next((h[1] for h in hits if h[0] == t), 0.0))
    s = sorted(stranger_scores, reverse=True)
    cut = s[int(0.01 * len(s))] if s else 0.0
    rec1 = sum(x > cut for x in true_scores) / max(1, len(true_scores))
    print(f"{name:<14} recall {found/max(1,m):.4f}  top1 {top1/max(1,m):.4f}  false-hit {fh/max(1,nm):.4f}"
          f"  recall@1%FHR {rec1:.4f}  ({m} matched, {nm} no-match probes; {1000*seconds/max(1,n_probes):.3f} ms {what})")


def run_limes(limes, d):
    t = time.time()
    out = subprocess.run([limes, "screen", "--gallery", f"{d}/gallery.jsonl", "--probes", f"{d}/probes.jsonl",
                          "--threshold", "0.000001", "--max-hits", "10"], capture_output=True, text=True, check=True)
    seconds = time.time() - t
    res = {}
    for line in out.stdout.splitlines():
        r = json.loads(line)
        res[r["probe"]] = [(h["id"], h["score"]) for h in r["hits"]]
    return res, seconds


def date_agree(a, b):
    if not a or not b:
        return 0.5
    if a == b:
        return 1.0
    ya, yb = a[:4], b[:4]
    if ya == yb and ("-00" in a or "-00" in b):
        return 0.8
    return 0.0


def run_rapidfuzz(gallery, probes, sample):
    from rapidfuzz import fuzz, process
    names = [fold(f"{g.get('surname','')} {g.get('given_names','')}") for g in gallery]
    dates = [g.get("birth_date") for g in gallery]
    ids = [g["id"] for g in gallery]
    res = {}
    t = time.time()
    for p in probes[:sample]:
        q = fold(f"{p.get('surname','')} {p.get('given_names','')}")
        scores = process.cdist([q], names, scorer=fuzz.token_sort_ratio, workers=-1)[0]
        combined = []
        for i, s in enumerate(scores):
            if s < 50:
                continue
            combined.append((ids[i], 0.7 * s / 100 + 0.3 * date_agree(p.get("birth_date"), dates[i])))
        combined.sort(key=lambda x: -x[1])
        res[p["id"]] = combined[:10]
    return res, time.time() - t


def run_recordlinkage(gallery, probes, sample):
    import pandas as pd, recordlinkage
    def frame(rows):
        df = pd.DataFrame([{"id": r["id"], "surname": fold(r.get("surname")), "given": fold(r.get("given_names")),
                            "dob": r.get("birth_date") or "", "year": (r.get("birth_date") or "0000")[:4]} for r in rows])
        return df.set_index("id")
    g, p = frame(gallery), frame(probes[:sample])
    t = time.time()
    indexer = recordlinkage.Index()
    indexer.block("year")
    indexer.sortedneighbourhood("surname", window=9)
    pairs = indexer.index(p, g)
    cmp = recordlinkage.Compare()
    cmp.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    cmp.string("given", "given", method="jarowinkler", threshold=0.85, label="given")
    cmp.string("surname", "given", method="jarowinkler", threshold=0.85, label="swap")
    cmp.exact("dob", "dob", label="dob")
    cmp.exact("year", "year", label="year")
    features = cmp.compute(pairs, p, g)
    ecm = recordlinkage.ECMClassifier(binarize=0.5)
    ecm.fit(features)
    prob = ecm.prob(features)
    # ECM is unsupervised and may label the classes the other way round: the match class is the
    # one in which exact birth dates agree more often.
    if prob[features["dob"] == 1].mean() < prob[features["dob"] == 0].mean():
        prob = 1 - prob
    res = {}
    for (pid, gid), s in prob.items():
        res.setdefault(pid, []).append((gid, float(s)))
    for k in res:
        res[k].sort(key=lambda x: -x[1])
        res[k] = res[k][:10]
    return res, time.time() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limes", required=True)
    ap.add_argument("--data")
    ap.add_argument("--febrl4", action="store_true")
    ap.add_argument("--sample", type=int, default=2000, help="probes screened by the baselines")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp()
    d = febrl4(tmp) if a.febrl4 else a.data
    gallery, probes = read_jsonl(f"{d}/gallery.jsonl"), read_jsonl(f"{d}/probes.jsonl")
    truth_all = {t["id"]: t["truth"] for t in read_jsonl(f"{d}/truth.jsonl")}
    sample_ids = [p["id"] for p in probes[:a.sample]]
    truth = {i: truth_all[i] for i in sample_ids}
    print(f"data: {len(gallery)} gallery, {len(probes)} probes ({len(truth)} evaluated)")
    res, sec = run_limes(a.limes, d)
    metrics("limes", res, truth, LIMES_DEFAULT_THRESHOLD, sec, len(probes), "per probe, whole run incl. loading and indexing")
    res, sec = run_rapidfuzz(gallery, probes, a.sample)
    metrics("rapidfuzz", res, truth, 0.85, sec, a.sample)
    res, sec = run_recordlinkage(gallery, probes, a.sample)
    metrics("recordlinkage", res, truth, 0.5, sec, a.sample)


if __name__ == "__main__":
    main()
