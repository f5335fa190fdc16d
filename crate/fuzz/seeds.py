#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs: python3 crate/fuzz/seeds.py OUT_DIR.

One small, valid-looking input per file each target reads, so libFuzzer starts from the
formats' shapes rather than from nothing. `./build.sh fuzz` runs this before fuzzing; the
seeds are not committed (the corpora grown from them live in target/fuzz-corpus/).

Targets that take a file choice read it from the input's first byte (see
crate/fuzz/fuzz_targets/): byte 0 picks the first file of the target's list, and so on.
"""
import io
import json
import os
import sys
import zipfile

PARTISAN = "Honestly the Tories are a disgrace, vote Labour!"
DISCLOSURE = "I work at HMRC and Project Falcon launches on Monday, OP-1234"


def tweet(i, text):
    return {"tweet": {"id_str": str(i), "id": str(i), "full_text": text,
                      "created_at": "Wed Oct 10 20:19:24 +0000 2018", "favorite_count": "0",
                      "entities": {"hashtags": [{"text": "vote"}], "urls": []}}}


def x_files():
    tweets = "window.YTD.tweets.part0 = " + json.dumps([tweet(1, PARTISAN), tweet(2, DISCLOSURE + " &amp; more")], indent=1)
    account = "window.YTD.account.part0 = " + json.dumps([{"account": {"username": "jo", "accountId": "1", "accountDisplayName": "Jo"}}])
    profile = "window.YTD.profile.part0 = " + json.dumps([{"profile": {"description": {"bio": "Policy adviser at HMRC", "website": "", "location": "London"}}}])
    return {
        "data/tweets.js": tweets,
        "data/account.js": account,
        "data/profile.js": profile,
        "data/tweets-part1.js": tweets.replace("part0", "part1"),
    }


def facebook_files():
    posts = [{"timestamp": 1700000000, "data": [{"post": PARTISAN}], "title": "Jo updated her status."},
             {"timestamp": 1700000100, "data": [{"post": "Caf\u00c3\u00a9 with colleagues from HMRC"}]}]
    comments = {"comments_v2": [{"timestamp": 1700000200, "data": [{"comment": {"comment": DISCLOSURE, "author": "Jo"}}], "title": "Jo commented."}]}
    return {
        "your_activity_across_facebook/posts/your_posts_1.json": json.dumps(posts),
        "your_activity_across_facebook/comments_and_reactions/comments.json": json.dumps(comments),
    }


def linkedin_files():
    shares = ('Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n'
              '2024-01-02 10:00:00,https://www.linkedin.com/feed/update/urn:li:share:1,"' + PARTISAN + '\nsecond line, ""quoted""",,,MEMBER_NETWORK\n')
    comments = 'Date,Link,Message\n2024-01-03 11:00:00,https://www.linkedin.com/feed/update/urn:li:activity:2,"' + DISCLOSURE + '"\n'
    profile = 'First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers\nJo,Bloggs,,,,Policy adviser at HMRC,"Views my own",Government,,London,,,\n'
    return {"Shares.csv": shares, "Comments.csv": comments, "Profile.csv": profile}


def mastodon_files():
    outbox = {"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json", "type": "OrderedCollection", "totalItems": 2,
              "orderedItems": [
                  {"id": "https://mastodon.social/users/jo/statuses/1/activity", "type": "Create", "published": "2024-05-01T10:00:00Z",
                   "object": {"id": "https://mastodon.social/users/jo/statuses/1", "type": "Note", "published": "2024-05-01T10:00:00Z",
                              "url": "https://mastodon.social/@jo/1", "content": "<p>" + PARTISAN + " <a href=\"x\">#vote</a></p>", "inReplyTo": None}},
                  {"id": "https://mastodon.social/users/jo/statuses/2/activity", "type": "Announce", "published": "2024-05-02T10:00:00Z",
                   "object": "https://example.org/statuses/9"}]}
    actor = {"type": "Person", "preferredUsername": "jo", "name": "Jo", "summary": "<p>Policy adviser at HMRC</p>",
             "url": "https://mastodon.social/@jo", "attachment": [{"type": "PropertyValue", "name": "Work", "value": "HMRC"}]}
    return {"outbox.json": json.dumps(outbox), "actor.json": json.dumps(actor)}


# A minimal DAG-CBOR encoder and CAR v1 writer, as in crate/audit/tests/audit.rs.
def head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    if n < 256:
        return bytes([major << 5 | 24, n])
    if n < 65536:
        return bytes([major << 5 | 25]) + n.to_bytes(2, "big")
    return bytes([major << 5 | 26]) + n.to_bytes(4, "big")


class Link:
    def __init__(self, cid):
        self.cid = cid


def cbor(v):
    if v is None:
        return b"\xf6"
    if isinstance(v, bool):
        return b"\xf5" if v else b"\xf4"
    if isinstance(v, int):
        return head(0, v)
    if isinstance(v, str):
        b = v.encode()
        return head(3, len(b)) + b
    if isinstance(v, bytes):
        return head(2, len(v)) + v
    if isinstance(v, list):
        return head(4, len(v)) + b"".join(cbor(i) for i in v)
    if isinstance(v, dict):
        return head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    if isinstance(v, Link):
        return b"\xd8\x2a" + cbor(b"\x00" + v.cid)
    raise TypeError(v)


def cid(n):
    return bytes([0x01, 0x71, 0x12, 0x20]) + bytes([n]) * 32


def varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def bluesky_car():
    def entry(p, k, v):
        return {"k": k.encode(), "p": p, "t": None, "v": Link(cid(v))}
    blocks = [
        (cid(1), {"did": "did:plc:abc123", "rev": "3kabc", "sig": bytes(8), "data": Link(cid(2)), "prev": None, "version": 3}),
        (cid(2), {"e": [entry(0, "app.bsky.actor.profile/self", 3), entry(9, "feed.post/3k2a", 4), entry(22, "b", 5)], "l": None}),
        (cid(3), {"$type": "app.bsky.actor.profile", "displayName": "Jo", "description": "Policy adviser at HMRC"}),
        (cid(4), {"$type": "app.bsky.feed.post", "text": PARTISAN, "createdAt": "2024-05-01T10:00:00.000Z", "langs": ["en"]}),
        (cid(5), {"$type": "app.bsky.feed.post", "text": "A quiet reply", "createdAt": "2024-05-02T10:00:00.000Z", "reply": {}}),
    ]
    header = cbor({"roots": [Link(cid(1))], "version": 1})
    car = varint(len(header)) + header
    for c, v in blocks:
        data = cbor(v)
        car += varint(len(c) + len(data)) + c + data
    return car


def chosen(files):
    """Seeds for a target that reads a choice byte, then the file's content."""
    return {f"{i}-{os.path.basename(name)}": bytes([i]) + content.encode() for i, (name, content) in enumerate(files.items())}


def zipped(files, deflate=True):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()


def main():
    out = sys.argv[1]
    posts_jsonl = "\n".join(json.dumps(p) for p in [{"id": "1", "text": PARTISAN, "date": "2024-01-01T00:00:00Z"}, {"text": DISCLOSURE}]) + "\n"
    posts_txt = PARTISAN + "\n\n" + DISCLOSURE + "\n"
    settings = {"version": 1,
                "profile": {"policy": "uk-civil-service", "employer": "HM Revenue and Customs", "aliases": ["HMRC"], "role": "Grade 7",
                            "custom_terms": [{"pattern": "Project Falcon", "category": "confidential"},
                                             {"pattern": "\\bOP-[0-9]{3,}\\b", "category": "confidential", "severity": "high", "regex": True, "match_case": True, "note": "codes"}],
                            "allowed_phrases": ["Labour Day"], "disabled_rules": ["common.conduct.profanity"]},
                "sites": {"linkedin": "strict", "x": "standard", "forum.example.org": "off"},
                "enabled_sites": ["x", "linkedin", "forum.example.org"], "pause_until": None}
    seeds = {
        "check": {"disclosure": DISCLOSURE, "partisan": PARTISAN,
                  "mixed": "👩‍💻 As a Grade 7 at H.M.R.C I say #VoteLabour — ÉTÉ straße bonus  x pay, Labour Day"},
        "settings": {"full": json.dumps(settings, indent=1, ensure_ascii=False), "minimal": '{"version": 1}',
                     "policy": json.dumps({"version": 1, "profile": {"policy": "us-hatch-act", "employer": "EPA"}})},
        "audit_x": chosen(x_files()),
        "audit_facebook": chosen(facebook_files()),
        "audit_linkedin": chosen(linkedin_files()),
        "audit_mastodon": chosen(mastodon_files()),
        "audit_bluesky": {"repo.car": bluesky_car()},
        "audit_text": {"0-posts.jsonl": b"\x00" + posts_jsonl.encode(), "1-posts.txt": b"\x01" + posts_txt.encode(),
                       "2-tweets": b"\x02" + x_files()["data/tweets.js"].encode(),
                       "2-outbox": b"\x02" + mastodon_files()["outbox.json"].encode(),
                       "2-shares": b"\x02" + linkedin_files()["Shares.csv"].encode()},
        "audit_zip": {"x.zip": zipped(x_files()), "facebook.zip": zipped(facebook_files()),
                      "linkedin.zip": zipped(linkedin_files(), deflate=False), "mastodon.zip": zipped(mastodon_files()),
                      "bluesky.zip": zipped({"repo.car": bluesky_car()})},
    }
    # One long input each where the time limit matters, so that libFuzzer tries large
    # inputs from the start (it mutates up to the longest input in the corpus).
    mixed = seeds["check"]["mixed"] + "\n" + DISCLOSURE + "\n" + PARTISAN + " \U0001F5F3\uFE0F 𝕧𝕠𝕥𝕖 \u200b#VoteLabour\n"
    seeds["check"]["long"] = (mixed * (60000 // len(mixed.encode())))
    many = dict(settings, profile=dict(settings["profile"],
                aliases=[f"Agency {i}" for i in range(20)],
                custom_terms=[{"pattern": f"Project {i} Falcon", "category": "confidential"} for i in range(300)]
                + [{"pattern": f"\\bOP{i}-[0-9]{{2,{i % 9 + 2}}}\\b", "category": "conduct", "regex": True} for i in range(30)]))
    seeds["settings"]["long"] = json.dumps(many, ensure_ascii=False)
    long_x = {"data/tweets.js": "window.YTD.tweets.part0 = " + json.dumps([tweet(i, [PARTISAN, DISCLOSURE, "A quiet day"][i % 3]) for i in range(600)])}
    seeds["audit_x"]["0-long"] = b"\x00" + long_x["data/tweets.js"].encode()
    seeds["audit_text"]["1-long"] = b"\x01" + ((posts_txt + "Nothing to see here.\n\n") * 1200).encode()
    seeds["audit_zip"]["long.zip"] = zipped(long_x)
    for target, files in seeds.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for name, content in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(content if isinstance(content, bytes) else content.encode())


if __name__ == "__main__":
    main()
