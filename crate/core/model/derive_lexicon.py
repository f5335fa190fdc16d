#!/usr/bin/env python3
"""Derives lexicon-vader.tsv from VADER's lexicon, as published on PyPI.

    python3 crate/core/model/derive_lexicon.py        # from the repository root

Downloads vaderSentiment 3.3.2's wheel with pip (PyPI only), checks its SHA-256, and keeps
the entries that are words (letters, with inner apostrophes or hyphens), in the forms the
engine's normaliser gives them: lower case, apostrophes dropped ("can't" -> "cant"). Each
line is `word<TAB>mean valence` (VADER's scale, -4 to +4). Emoticons and other
non-word entries are left out: the engine sees those as punctuation.
"""
import hashlib
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile

WHEEL = "vaderSentiment-3.3.2-py2.py3-none-any.whl"
SHA256 = "3bf1d243b98b1afad575b9f22bc2cb1e212b94ff89ca74f8a23a588d024ea311"
OUT = pathlib.Path(__file__).with_name("lexicon-vader.tsv")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, "vaderSentiment==3.3.2"], check=True)
        wheel = pathlib.Path(tmp, WHEEL)
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != SHA256:
            sys.exit(f"{WHEEL}: SHA-256 {digest}, expected {SHA256}")
        with zipfile.ZipFile(wheel) as z:
            text = z.read("vaderSentiment/vader_lexicon.txt").decode("utf-8")
    rows = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        word, valence = fields[0], float(fields[1])
        if not re.fullmatch(r"[A-Za-z]+(?:['-][A-Za-z]+)*", word):
            continue
        norm = word.lower().replace("'", "")
        if "-" in norm:
            continue  # hyphenated words are two tokens to the normaliser
        rows[norm] = valence
    with OUT.open("w", encoding="utf-8") as out:
        out.write("# Derived from VADER's vader_lexicon.txt (vaderSentiment 3.3.2, PyPI, MIT licence,\n")
        out.write("# Copyright (c) 2016 C.J. Hutto) by derive_lexicon.py: words only, normalised; word<TAB>valence.\n")
        for word in sorted(rows):
            out.write(f"{word}\t{rows[word]:g}\n")
    print(f"{OUT}: {len(rows)} words")


if __name__ == "__main__":
    main()
