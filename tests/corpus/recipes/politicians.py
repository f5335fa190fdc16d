#!/usr/bin/env python3
"""Build a corpus of real posts by US politicians, split by author.

Standard library only (plus the `git` program, to read a fetched bare git directory).
The posts are third-party text: write them OUTSIDE the repository (e.g. /work/data/politicians/),
never into tests/corpus/. See README.md beside this file for sources, licence, labelling rules
and how to rebuild.

Commands
--------
  extract  --git DIR [--git DIR ...] --out ALL.jsonl
           Read every supported source found in the given git directories and write one JSON
           object a line: id, author, name, party, chamber, role, state, date, text, source, split.
  sample   --all ALL.jsonl --out SAMPLE.jsonl [--seed N]
           Seeded, stratified random sample for labelling (see SEED and SAMPLE_* constants below):
           authors with at least 8 posts since SAMPLE_FROM are drawn at random per (chamber, side),
           then one post at random from each eighth of each author's timeline; order shuffled.
  show     --sample SAMPLE.jsonl --batch K [--size 100]
           Print batch K (1-based) of the sample for a human reviewer to read.
  label    --sample SAMPLE.jsonl --batch K [--size 100] --labels LABELS.tsv  < codes
           Append the reviewer's labels for batch K to LABELS.tsv (ids and labels only, no text).
           Codes on stdin, one line per post that is NOT plain "none":  "<n> <codes>"  where n is
           the 1-based position in the batch and codes is any of p (partisan), g (government),
           s (solicitation), c (conduct), n (none), plus "?" for unsure.  E.g. "7 pg?".
           Posts not listed are labelled none (not unsure).
  apply    --sample SAMPLE.jsonl --labels LABELS.tsv --out LABELLED.jsonl
           Join the labels onto the sample: id, author, party, chamber, date, split, text, labels,
           and unsure (only when true). Rewrites LABELLED.jsonl from scratch; idempotent.
  stats    --all ALL.jsonl [--labelled LABELLED.jsonl]
           Counts per split, party, chamber and label (markdown tables, for README.md).

Split rule
----------
  split(author) = FNV-1a 32-bit over the UTF-8 bytes of the LOWER-CASED handle, mod 10:
  0-5 -> train, 6-7 -> dev, 8-9 -> test.   (offset basis 0x811c9dc5, prime 0x01000193;
  check value: fnv1a32(b"a") == 0xe40c292c.)

Exclusions (hard rule of this project)
--------------------------------------
  No post by a US senator dated 2021-01-03 .. 2023-01-03 (117th Congress) is ever written, and
  the listed repositories are refused as inputs, whatever they contain.
"""

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone

# --------------------------------------------------------------------------------------------
# Constants

SEED = 20160504          # the sample's seed (the date of the source snapshot's data commit)
SAMPLE_AUTHORS = {       # (chamber, side) -> number of authors; side "D" includes independents
    ("senate", "D"): 25,
    ("senate", "R"): 25,
    ("house", "D"): 50,
    ("house", "R"): 50,
}
SAMPLE_PER_AUTHOR = 8    # posts per sampled author, one from each eighth of the author's timeline
MIN_CHARS = 30           # shorter posts are skipped
SAMPLE_FROM = "2015-01-03"  # sample only the 114th Congress, when chamber/party as of May 2016 hold

LABELS = ("partisan", "government", "solicitation", "conduct")
CODES = {"p": "partisan", "g": "government", "s": "solicitation", "c": "conduct", "n": None}

EXCLUDED_REPOS = (       # the product's independent test sets: never read, never used
    "btderr02/117th-senate-tweets", "btderr02+117th-senate-tweets",
    "cardiffnlp/tweeteval", "cardiffnlp+tweeteval",
    "goemotions",
    "olliegardner/twitter-crawler", "olliegardner+twitter-crawler",
    "campaignlab/mp-twitter-bios", "campaignlab+mp-twitter-bios",
    "adamsjr8576/byob-twitter", "adamsjr8576+byob-twitter",
    "brockdsl/antiwork_reddit_data_set", "brockdsl+antiwork_reddit_data_set",
    "shaziasulemane/antiwork-subreddit", "shaziasulemane+antiwork-subreddit",
    "twitter-user-gender-classification", "gender-classifier-dfe",
)
EXCLUDED_SENATE_FROM = "2021-01-03"   # inclusive
EXCLUDED_SENATE_TO = "2023-01-03"     # exclusive


# --------------------------------------------------------------------------------------------
# Helpers

def fnv1a32(data: bytes) -> int:
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


assert fnv1a32(b"a") == 0xE40C292C


def split_of(handle: str) -> str:
    r = fnv1a32(handle.lower().encode("utf-8")) % 10
    return "train" if r <= 5 else ("dev" if r <= 7 else "test")


def excluded(post) -> bool:
    d = post["date"][:10]
    return post.get("chamber") == "senate" and EXCLUDED_SENATE_FROM <= d < EXCLUDED_SENATE_TO


def unescape_twitter(text: str) -> str:
    # The v1.1 API HTML-escapes exactly &, < and > in `text`; undo only those, so the text is
    # what the author typed and what Twitter displayed. Nothing else is changed.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class Git:
    """Read blobs from a bare git directory with `git cat-file --batch`."""

    def __init__(self, git_dir):
        self.git_dir = git_dir
        low = os.path.abspath(git_dir).lower()
        for bad in EXCLUDED_REPOS:
            if bad in low:
                sys.exit(f"refusing {git_dir}: it is one of the excluded test-set repositories")
        self.head = self._run("rev-parse", "HEAD").strip()
        self._cat = subprocess.Popen(
            ["git", "--git-dir", git_dir, "cat-file", "--batch"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def _run(self, *args):
        return subprocess.run(["git", "--git-dir", self.git_dir, *args], check=True,
                              stdout=subprocess.PIPE).stdout.decode("utf-8")

    def paths(self):
        out = self._run("ls-tree", "-r", "-z", "--name-only", self.head)
        return [p for p in out.split("\0") if p]

    def read(self, path) -> bytes:
        self._cat.stdin.write(f"{self.head}:{path}\n".encode("utf-8"))
        self._cat.stdin.flush()
        header = self._cat.stdout.readline().decode("utf-8").split()
        if len(header) < 3 or header[1] == "missing":
            raise FileNotFoundError(f"{path} is not in {self.git_dir} at {self.head}")
        size = int(header[2])
        data = self._cat.stdout.read(size)
        self._cat.stdout.read(1)  # trailing newline
        return data

    def origin(self):
        # /work/.mirror/<owner>+<name>/repo[/.git] -> owner/name
        parts = os.path.abspath(self.git_dir).split(os.sep)
        for p in reversed(parts):
            if "+" in p:
                return p.replace("+", "/", 1)
        return os.path.basename(os.path.abspath(self.git_dir))


# --------------------------------------------------------------------------------------------
# Source: datademofun/tweepy-congress-collector (114th Congress, tweets to early May 2016)

def is_tweepy_congress(paths):
    s = set(paths)
    return ("data/legislators-on-twitter.csv" in s and "data/legislators-basic-info.csv" in s
            and any(p.startswith("data/twitter/tweets/") for p in paths))


ROLE = {"Sen": ("senate", "Senator"), "Rep": ("house", "Representative"),
        "Del": ("house", "Delegate"), "Com": ("house", "Resident Commissioner")}


def extract_tweepy_congress(git: Git, paths, stats):
    repo = git.origin()
    on_twitter = {}  # twitter numeric id -> bioguide
    for row in csv.DictReader(io.StringIO(git.read("data/legislators-on-twitter.csv").decode("utf-8"))):
        on_twitter[row["twitter_id"].strip()] = row["bioguide_id"].strip()
    info = {}
    for row in csv.DictReader(io.StringIO(git.read("data/legislators-basic-info.csv").decode("utf-8"))):
        info[row["bioguide_id"].strip()] = row
    for path in sorted(p for p in paths if p.startswith("data/twitter/tweets/") and p.endswith(".json")):
        uid = os.path.basename(path)[:-5]
        try:
            profile = json.loads(git.read(f"data/twitter/profiles/{uid}.json"))
        except FileNotFoundError:
            stats["no profile"] += 1
            continue
        handle = profile["screen_name"]
        bio = on_twitter.get(uid)
        member = info.get(bio)
        if member is None:
            stats["no legislator record"] += 1
            continue
        chamber, role = ROLE[member["title"]]
        party = member["party"]
        name = " ".join(x for x in (member["firstname"], member["lastname"]) if x)
        for t in json.loads(git.read(path)):
            stats["tweets read"] += 1
            if str(t["user"]["id"]) != uid:
                stats["skipped: other user"] += 1
                continue
            text = unescape_twitter(t["text"])
            if "retweeted_status" in t or text.startswith("RT @"):
                stats["skipped: retweet"] += 1
                continue
            if len(text.strip()) < MIN_CHARS:
                stats["skipped: under 30 characters"] += 1
                continue
            when = datetime.strptime(t["created_at"], "%a %b %d %H:%M:%S %z %Y").astimezone(timezone.utc)
            post = {
                "id": f"us114-{t['id_str']}",
                "author": handle,
                "name": name,
                "party": party,
                "chamber": chamber,
                "role": role,
                "state": member["state"],
                "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "text": text,
                "source": f"{repo}@{git.head}:{path}",
                "split": split_of(handle),
            }
            if excluded(post):
                stats["skipped: excluded senate period"] += 1
                continue
            yield post


SOURCES = [(is_tweepy_congress, extract_tweepy_congress)]


# --------------------------------------------------------------------------------------------
# Commands

def cmd_extract(args):
    posts, seen = [], set()
    stats = Counter()
    for d in args.git:
        git = Git(d)
        paths = git.paths()
        used = False
        for detect, extract in SOURCES:
            if detect(paths):
                used = True
                for p in extract(git, paths, stats):
                    if p["id"] in seen:
                        stats["skipped: duplicate id"] += 1
                        continue
                    seen.add(p["id"])
                    posts.append(p)
        if not used:
            sys.exit(f"{d}: no supported source found")
    posts.sort(key=lambda p: (p["author"].lower(), p["date"], p["id"]))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for p in posts:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    for k, v in sorted(stats.items()):
        print(f"{k}: {v}", file=sys.stderr)
    print(f"posts written: {len(posts)} from {len({p['author'] for p in posts})} authors -> {args.out}",
          file=sys.stderr)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def cmd_sample(args):
    posts = read_jsonl(args.all)
    by_author = defaultdict(list)
    for p in posts:
        if p["date"][:10] >= SAMPLE_FROM:
            by_author[p["author"]].append(p)
    rng = random.Random(args.seed)
    pools = defaultdict(list)
    for a in sorted(by_author):
        ps = by_author[a]
        if len(ps) < SAMPLE_PER_AUTHOR:
            continue
        side = "R" if ps[0]["party"] == "R" else "D"
        pools[(ps[0]["chamber"], side)].append(a)
    chosen = []
    for stratum in sorted(SAMPLE_AUTHORS):
        pool = pools[stratum]
        n = min(SAMPLE_AUTHORS[stratum], len(pool))
        chosen += rng.sample(pool, n)
    sample = []
    for a in chosen:
        ps = sorted(by_author[a], key=lambda p: (p["date"], p["id"]))
        k = SAMPLE_PER_AUTHOR
        for i in range(k):  # one post from each k-th of the author's timeline
            lo, hi = len(ps) * i // k, len(ps) * (i + 1) // k
            sample.append(ps[rng.randrange(lo, hi)])
    rng.shuffle(sample)
    with open(args.out, "w", encoding="utf-8") as f:
        for p in sample:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"sampled {len(sample)} posts from {len(chosen)} authors (seed {args.seed}) -> {args.out}",
          file=sys.stderr)


def batch_of(sample, k, size):
    return sample[(k - 1) * size: k * size]


def cmd_show(args):
    sample = read_jsonl(args.sample)
    for i, p in enumerate(batch_of(sample, args.batch, args.size), 1):
        text = p["text"].replace("\n", " / ")
        print(f"{i:3d} [{p['party']} {p['chamber'][0].upper()} {p['date'][:10]}] {text}")


def read_labels(path):
    labels = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                pid, labs, unsure = line.rstrip("\n").split("\t")
                labels[pid] = ([x for x in labs.split(",") if x], unsure == "1")
    return labels


def cmd_label(args):
    sample = read_jsonl(args.sample)
    batch = batch_of(sample, args.batch, args.size)
    if not batch:
        sys.exit("empty batch")
    done = read_labels(args.labels)
    if any(p["id"] in done for p in batch):
        sys.exit(f"batch {args.batch} is already (partly) labelled in {args.labels}")
    marks = {}
    for line in sys.stdin:
        line = line.split("#")[0].strip()
        if not line:
            continue
        n, codes = line.split(None, 1) if " " in line else (line, "")
        n = int(n)
        if not 1 <= n <= len(batch) or n in marks:
            sys.exit(f"bad or repeated position {n}")
        unsure = "?" in codes
        labs = []
        for ch in codes.replace("?", "").replace(",", "").replace(" ", ""):
            if ch not in CODES:
                sys.exit(f"unknown code {ch!r} at position {n}")
            if CODES[ch] and CODES[ch] not in labs:
                labs.append(CODES[ch])
        marks[n] = (labs, unsure)
    with open(args.labels, "a", encoding="utf-8") as f:
        for i, p in enumerate(batch, 1):
            labs, unsure = marks.get(i, ([], False))
            labs = [x for x in LABELS if x in labs]
            f.write(f"{p['id']}\t{','.join(labs)}\t{1 if unsure else 0}\n")
    print(f"batch {args.batch}: {len(batch)} posts, {sum(1 for v in marks.values() if v[0])} with labels, "
          f"{sum(1 for v in marks.values() if v[1])} unsure", file=sys.stderr)


def cmd_apply(args):
    sample = read_jsonl(args.sample)
    labels = read_labels(args.labels)
    n = 0
    with open(args.out, "w", encoding="utf-8") as f:
        for p in sample:
            if p["id"] not in labels:
                continue
            labs, unsure = labels[p["id"]]
            row = {"id": p["id"], "author": p["author"], "party": p["party"], "chamber": p["chamber"],
                   "date": p["date"], "split": p["split"], "text": p["text"], "labels": labs}
            if unsure:
                row["unsure"] = True
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} labelled posts -> {args.out}", file=sys.stderr)


def table(title, rows, cols):
    out = [f"| {title} | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    for name, vals in rows:
        out.append(f"| {name} | " + " | ".join(str(vals.get(c, 0)) for c in cols) + " |")
    return "\n".join(out)


def cmd_stats(args):
    posts = read_jsonl(args.all)
    splits = ["train", "dev", "test", "all"]

    def count(rows, key):
        c = defaultdict(Counter)
        for p in rows:
            for k in key(p):
                c[k][p["split"]] += 1
                c[k]["all"] += 1
        return c

    authors = defaultdict(set)
    for p in posts:
        authors[p["split"]].add(p["author"])
        authors["all"].add(p["author"])
    print("## all.jsonl\n")
    dates = sorted(p["date"] for p in posts)
    print(f"{len(posts)} posts, {len(authors['all'])} authors, {dates[0][:10]} to {dates[-1][:10]}\n")
    c = count(posts, lambda p: ["posts"])
    c["authors"] = Counter({s: len(authors[s]) for s in splits})
    for k, v in count(posts, lambda p: [f"party {p['party']}", f"chamber {p['chamber']}"]).items():
        c[k] = v
    print(table("", [(k, c[k]) for k in ["posts", "authors"] + sorted(x for x in c if x.startswith(("party", "chamber")))], splits))
    if args.labelled:
        lab = read_jsonl(args.labelled)
        la = defaultdict(set)
        for p in lab:
            la[p["split"]].add(p["author"])
            la["all"].add(p["author"])
        print("\n## labelled.jsonl\n")
        d = sorted(p["date"] for p in lab)
        print(f"{len(lab)} posts, {len(la['all'])} authors, {d[0][:10]} to {d[-1][:10]}\n")
        c = count(lab, lambda p: ["posts"])
        c["authors"] = Counter({s: len(la[s]) for s in splits})
        for k, v in count(lab, lambda p: [f"party {p['party']}", f"chamber {p['chamber']}"]).items():
            c[k] = v
        for k, v in count(lab, lambda p: p["labels"] or ["none"]).items():
            c[k] = v
        c["any label"] = count(lab, lambda p: ["x"] if p["labels"] else [])["x"]
        c["unsure"] = count(lab, lambda p: ["x"] if p.get("unsure") else [])["x"]
        c["2+ labels"] = count(lab, lambda p: ["x"] if len(p["labels"]) > 1 else [])["x"]
        order = (["posts", "authors"] + sorted(x for x in c if x.startswith(("party", "chamber")))
                 + ["none", "any label"] + list(LABELS) + ["2+ labels", "unsure"])
        print(table("", [(k, c[k]) for k in order], splits))
        by_party = defaultdict(Counter)
        for p in lab:
            for l in p["labels"] or ["none"]:
                by_party[l][p["party"]] += 1
        print()
        print(table("label by party", [(l, by_party[l]) for l in ("none",) + LABELS], ["D", "R", "I"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("extract"); a.add_argument("--git", action="append", required=True); a.add_argument("--out", required=True)
    a = sub.add_parser("sample"); a.add_argument("--all", required=True); a.add_argument("--out", required=True); a.add_argument("--seed", type=int, default=SEED)
    a = sub.add_parser("show"); a.add_argument("--sample", required=True); a.add_argument("--batch", type=int, required=True); a.add_argument("--size", type=int, default=100)
    a = sub.add_parser("label"); a.add_argument("--sample", required=True); a.add_argument("--batch", type=int, required=True); a.add_argument("--size", type=int, default=100); a.add_argument("--labels", required=True)
    a = sub.add_parser("apply"); a.add_argument("--sample", required=True); a.add_argument("--labels", required=True); a.add_argument("--out", required=True)
    a = sub.add_parser("stats"); a.add_argument("--all", required=True); a.add_argument("--labelled")
    args = ap.parse_args()
    {"extract": cmd_extract, "sample": cmd_sample, "show": cmd_show, "label": cmd_label,
     "apply": cmd_apply, "stats": cmd_stats}[args.cmd](args)


if __name__ == "__main__":
    main()
