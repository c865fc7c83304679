#!/usr/bin/env python3
"""An independent scribe-proof-v1 verifier, written from docs/proofs.md alone.

Usage:
  verify_proof.py PROOF.json [--value-file F] [--digest HEX] [--from-digest HEX] [--key HEX] [--explain]
  verify_proof.py --vectors DIR      run every test vector in DIR (exit 1 on any mismatch)

Needs only the Python standard library (hashlib.sha256). --explain prints every
intermediate hash of an inclusion chain, as in the worked example of docs/proofs.md.
"""
import hashlib
import json
import os
import sys

LEVELS = 7
EXPLAIN = False


class Invalid(Exception):
    pass


def sha(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


def note(label, value):
    if EXPLAIN:
        print(f"  {label}: {value.hex() if isinstance(value, bytes) else value}")


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def u64(n):
    return n.to_bytes(8, "little")


def u32(n):
    return n.to_bytes(4, "little")


def lp(b):
    return varint(len(b)) + b


def leaf_hash(data):
    return sha(b"\x00", data)


def node_hash(left, right):
    return sha(b"\x01", left, right)


def root_from_path(leaf, index, size, path):
    """RFC 9162 section 2.1.3.2; None when the path does not fit (index, size)."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn & 1 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


# --- decoding (strict: lowercase hex, 32-byte hashes, no unknown fields) ---

def hexbytes(text, length=None, what="hex"):
    if not isinstance(text, str) or len(text) % 2 or any(c not in "0123456789abcdef" for c in text):
        raise Invalid(f"{what}: expected lowercase hex of even length")
    b = bytes.fromhex(text)
    if length is not None and len(b) != length:
        raise Invalid(f"{what}: expected {length} bytes")
    return b


def integer(obj, key, limit=2**64 - 1):
    v = obj.get(key)
    if not isinstance(v, int) or isinstance(v, bool) or v < 0 or v > limit:
        raise Invalid(f"{key}: expected an integer")
    return v


def fields(obj, allowed, required, what):
    if not isinstance(obj, dict):
        raise Invalid(f"{what}: expected an object")
    for k in obj:
        if k not in allowed:
            raise Invalid(f"{what}.{k}: unknown field")
    for k in required:
        if k not in obj:
            raise Invalid(f"{what}.{k}: missing field")


def hashes(lst, what):
    if not isinstance(lst, list):
        raise Invalid(f"{what}: expected an array")
    return [hexbytes(h, 32, what) for h in lst]


def entry_of(obj, key):
    if obj.get("kind") not in ("put", "delete"):
        raise Invalid("kind: expected put or delete")
    return {"key": key, "sequence": integer(obj, "sequence"), "kind": obj["kind"],
            "valueHash": hexbytes(obj["valueHash"], 32, "valueHash"), "nextKey": hexbytes(obj["nextKey"], None, "nextKey")}


def position_of(block, segment_path):
    fields(block, {"index", "entryCount", "entryIndex", "path"}, {"index", "entryCount", "entryIndex", "path"}, "block")
    return {"block": integer(block, "index", 2**32 - 1), "count": integer(block, "entryCount", 2**32 - 1),
            "index": integer(block, "entryIndex", 2**32 - 1), "path": hashes(block["path"], "block.path"),
            "segmentPath": hashes(segment_path, "segmentPath")}


LEAF_KEYS = {"key", "sequence", "kind", "valueHash", "nextKey", "block", "segmentPath"}
REST_KEYS = {"level", "smallestKey", "largestKey", "smallestSequence", "largestSequence", "entryCount", "fileSize"}
ANCHOR_KEYS = {"version", "digest", "previousDigest", "lastSequence", "segmentCount"}


def leaf_of(obj):
    if obj is None:
        return None
    fields(obj, LEAF_KEYS, LEAF_KEYS, "leaf")
    return {"entry": entry_of(obj, hexbytes(obj["key"], None, "key")), "pos": position_of(obj["block"], obj["segmentPath"])}


def record_of(ids, rest):
    return {"id": ids["id"], "root": hexbytes(ids["root"], 32, "root"), "blockCount": integer(ids, "blockCount", 2**32 - 1),
            "level": integer(rest, "level", 255), "smallestKey": hexbytes(rest["smallestKey"]),
            "largestKey": hexbytes(rest["largestKey"]), "smallestSequence": integer(rest, "smallestSequence"),
            "largestSequence": integer(rest, "largestSequence"), "entryCount": integer(rest, "entryCount"),
            "fileSize": integer(rest, "fileSize")}


def anchor_of(m):
    return {"version": integer(m, "version"), "digest": hexbytes(m["digest"], 32, "digest"),
            "previousDigest": hexbytes(m["previousDigest"], 32, "previousDigest"),
            "lastSequence": integer(m, "lastSequence"), "segmentCount": integer(m, "segmentCount", 2**32 - 1)}


def revealed_of(obj):
    fields(obj, {"index", "path", "segment", "probe"}, {"index", "path", "segment"}, "latest.segments[]")
    seg = obj["segment"]
    fields(seg, REST_KEYS | {"id", "root", "blockCount"}, REST_KEYS | {"id", "root", "blockCount"}, "segment")
    probe = obj.get("probe")
    if probe is not None:
        fields(probe, {"before", "first"}, set(), "probe")
        probe = {"before": leaf_of(probe.get("before")), "first": leaf_of(probe.get("first"))}
    return {"record": record_of(seg, seg), "index": integer(obj, "index", 2**32 - 1),
            "path": hashes(obj["path"], "path"), "probe": probe}


# --- hashing the committed structures ---

def entry_leaf(e):
    kind = 1 if e["kind"] == "put" else 0
    data = lp(e["key"]) + u64(e["sequence"] << 8 | kind) + e["valueHash"] + lp(e["nextKey"])
    note("entry leaf input", data)
    return leaf_hash(data)


def record_leaf(r):
    data = (lp(r["id"].encode()) + bytes([r["level"]]) + r["root"] + lp(r["smallestKey"]) + lp(r["largestKey"])
            + u64(r["smallestSequence"]) + u64(r["largestSequence"]) + u64(r["entryCount"]) + u64(r["fileSize"])
            + u32(r["blockCount"]))
    note("record leaf input", data)
    return leaf_hash(data)


def user_key(internal):
    if len(internal) < 8 or internal[-8] > 1:
        raise Invalid("a record key is not an internal key")
    return internal[:-8]


def check_leaf(leaf, record, what):
    e, p = leaf["entry"], leaf["pos"]
    if e["nextKey"] and e["key"] > e["nextKey"]:
        raise Invalid(f"{what}: nextKey is below the key")
    if p["block"] >= record["blockCount"]:
        raise Invalid(f"{what}: block index out of range")
    lh = entry_leaf(e)
    note("entry leaf hash", lh)
    block_root = root_from_path(lh, p["index"], p["count"], p["path"])
    if block_root is None:
        raise Invalid(f"{what}: block path does not fit")
    note("block root", block_root)
    block_leaf = leaf_hash(u32(p["count"]) + block_root)
    note("block leaf hash", block_leaf)
    if root_from_path(block_leaf, p["block"], record["blockCount"], p["segmentPath"]) != record["root"]:
        raise Invalid(f"{what}: the leaf does not hash to the segment root")
    note("segment root", record["root"])
    if not record["smallestSequence"] <= e["sequence"] <= record["largestSequence"]:
        raise Invalid(f"{what}: sequence outside the segment's range")


def record_root(rev, anchor):
    r = rev["record"]
    if not r["id"].endswith("-" + r["root"][:16].hex()):
        raise Invalid("id does not end in its root")
    if r["level"] >= LEVELS:
        raise Invalid("level out of range")
    small, large = user_key(r["smallestKey"]), user_key(r["largestKey"])
    if small > large or r["smallestSequence"] > r["largestSequence"] or r["largestSequence"] > anchor["lastSequence"]:
        raise Invalid("record ranges are inconsistent")
    if r["blockCount"] == 0 or r["blockCount"] > r["entryCount"]:
        raise Invalid("record block count is inconsistent")
    rl = record_leaf(r)
    note("record leaf hash", rl)
    root = root_from_path(rl, rev["index"], anchor["segmentCount"], rev["path"])
    if root is None:
        raise Invalid("record path does not fit")
    return root


def check_anchor(anchor, manifest_root, expect):
    header = u64(anchor["version"]) + u64(anchor["lastSequence"]) + u32(anchor["segmentCount"]) + manifest_root
    note("manifest root", manifest_root)
    note("header", header)
    digest = sha(anchor["previousDigest"], header)
    note("digest", digest)
    if digest != anchor["digest"]:
        raise Invalid("manifest: SHA-256(previousDigest ‖ header) is not the digest")
    if expect.get("digest") is not None and expect["digest"] != anchor["digest"]:
        raise Invalid("manifest: the digest is not the trusted digest")


def adjacent(a, b):
    if a["block"] == b["block"]:
        return a["count"] == b["count"] and b["index"] == a["index"] + 1
    return b["block"] == a["block"] + 1 and a["index"] + 1 == a["count"] and b["index"] == 0


def probe(pr, key, record, what):
    before, first = pr["before"], pr["first"]
    if before is None:
        if first is None:
            raise Invalid(f"{what}: a probe shows neither before nor first")
        check_leaf(first, record, what)
        if first["entry"]["key"] != key or first["pos"]["block"] != 0 or first["pos"]["index"] != 0:
            raise Invalid(f"{what}: without before, first must be the segment's first entry of the key")
        return first["entry"]["sequence"]
    check_leaf(before, record, what)
    if not before["entry"]["key"] < key:
        raise Invalid(f"{what}: before is not below the key")
    if before["entry"]["nextKey"] == key:
        if first is None or first["entry"]["key"] != key:
            raise Invalid(f"{what}: the entry after before has the key, but first is missing")
        check_leaf(first, record, what)
        if not adjacent(before["pos"], first["pos"]):
            raise Invalid(f"{what}: first does not follow before")
        return first["entry"]["sequence"]
    if not before["entry"]["nextKey"] or not key < before["entry"]["nextKey"]:
        raise Invalid(f"{what}: before's nextKey does not lie above the key")
    if first is not None:
        raise Invalid(f"{what}: first is shown for a key the segment lacks")
    return None


def check_coverage(key, proven, main, others, manifest_root, anchor):
    revealed = {}
    last = -1
    for i, s in enumerate(others):
        if record_root(s, anchor) != manifest_root:
            raise Invalid(f"latest.segments[{i}]: the record is not in the manifest tree")
        if s["index"] <= last or (main is not None and s["index"] == main["index"]):
            raise Invalid(f"latest.segments[{i}]: segments are not in ascending index order")
        last = s["index"]
        revealed[s["index"]] = s
    if main is not None:
        revealed[main["index"]] = main
    order = sorted(revealed)
    recs = [revealed[i]["record"] for i in order]
    for a, b in zip(recs, recs[1:]):
        if a["level"] != b["level"]:
            ok = a["level"] < b["level"]
        elif a["level"] == 0:
            ok = a["largestSequence"] >= b["largestSequence"]
        else:
            ok = user_key(a["largestKey"]) < user_key(b["smallestKey"])
        if not ok:
            raise Invalid("revealed segments break the manifest's commitment order")

    def newer(r):
        return proven is None or r["largestSequence"] > proven

    count = anchor["segmentCount"]
    i = 0
    while i < count:
        if i not in revealed:
            raise Invalid(f"level 0: record {i} may hold a newer version but is not shown")
        r = revealed[i]["record"]
        if not (r["level"] == 0 and newer(r)):
            break
        i += 1
    for level in range(1, LEVELS):
        def at_or_below(r):
            return r["level"] < level or (r["level"] == level and user_key(r["smallestKey"]) <= key)
        bounded = False
        for a in [None] + order:
            low_ok = a is None or at_or_below(revealed[a]["record"])
            nxt = 0 if a is None else a + 1
            high_ok = nxt == count or (nxt in revealed and not at_or_below(revealed[nxt]["record"]))
            if low_ok and high_ok:
                bounded = True
                break
        if not bounded:
            raise Invalid(f"level {level}: no two adjacent records shown bound the key")
    for idx in order:
        if main is not None and idx == main["index"]:
            continue
        s = revealed[idx]
        r = s["record"]
        covers = user_key(r["smallestKey"]) <= key <= user_key(r["largestKey"])
        if (covers and newer(r)) != (s["probe"] is not None):
            raise Invalid("a revealed segment has a missing or needless probe")
        if s["probe"] is not None:
            found = probe(s["probe"], key, r, f"segment {idx}")
            if found is not None and (proven is None or found >= proven):
                raise Invalid(f"segment {idx} holds version {found} of the key")


def verify(doc, expect):
    """Returns a dict describing what the proof establishes; raises Invalid otherwise."""
    if not isinstance(doc, dict) or doc.get("format") != "scribe-proof-v1":
        raise Invalid("format: unsupported format")
    claim = doc.get("claim")
    top_inclusion = {"format", "claim", "key", "entry", "segment", "block", "segmentPath", "manifest"}
    allowed = {"latest": top_inclusion | {"latest"}, "inclusion": top_inclusion,
               "absence": {"format", "claim", "key", "latest", "manifest"},
               "pending": {"format", "claim", "key", "pending"}, "consistency": {"format", "claim", "consistency"}}
    if claim not in allowed:
        raise Invalid("claim: unknown claim")
    fields(doc, allowed[claim], allowed[claim], "proof")
    if claim == "pending":
        raise Invalid("no proof yet: the newest version is not in a segment")
    if claim == "consistency":
        return verify_consistency(doc["consistency"], expect)
    key = hexbytes(doc["key"], None, "key")
    if expect.get("key") is not None and expect["key"] != key:
        raise Invalid("the proof is about another key")
    m = doc["manifest"]
    anchor = anchor_of(m)
    if claim == "absence":
        fields(m, ANCHOR_KEYS, ANCHOR_KEYS, "manifest")
        fields(doc["latest"], {"segments"}, {"segments"}, "latest")
        if expect.get("value") is not None:
            raise Invalid("an absence proof proves no value")
        others = [revealed_of(s) for s in doc["latest"]["segments"]]
        if others:
            root = record_root(others[0], anchor)
        elif anchor["segmentCount"] == 0:
            root = sha(b"")
        else:
            raise Invalid("an absence proof over segments reveals none")
        check_anchor(anchor, root, expect)
        check_coverage(key, None, None, others, root, anchor)
        result = {"claim": "absence"}
    else:
        fields(m, ANCHOR_KEYS | {"recordIndex", "recordPath", "record"}, ANCHOR_KEYS | {"recordIndex", "recordPath", "record"}, "manifest")
        fields(doc["entry"], {"sequence", "kind", "valueHash", "nextKey"}, {"sequence", "kind", "valueHash", "nextKey"}, "entry")
        fields(doc["segment"], {"id", "root", "blockCount"}, {"id", "root", "blockCount"}, "segment")
        fields(m["record"], REST_KEYS, REST_KEYS, "manifest.record")
        record = record_of(doc["segment"], m["record"])
        leaf = {"entry": entry_of(doc["entry"], key), "pos": position_of(doc["block"], doc["segmentPath"])}
        main = {"record": record, "index": integer(m, "recordIndex", 2**32 - 1), "path": hashes(m["recordPath"], "recordPath"), "probe": None}
        root = record_root(main, anchor)
        check_leaf(leaf, record, "entry")
        if leaf["entry"]["sequence"] > anchor["lastSequence"]:
            raise Invalid("entry: sequence above the manifest's lastSequence")
        check_anchor(anchor, root, expect)
        e = leaf["entry"]
        if claim == "latest":
            lat = doc["latest"]
            fields(lat, {"previous", "segments"}, {"segments"}, "latest")
            newest = probe({"before": leaf_of(lat.get("previous")), "first": leaf}, key, record, "the entry's segment")
            if newest != e["sequence"]:
                raise Invalid("the entry is not the first version of the key in its segment")
            others = [revealed_of(s) for s in lat["segments"]]
            check_coverage(key, e["sequence"], main, others, root, anchor)
        if expect.get("value") is not None:
            if e["kind"] != "put":
                raise Invalid("the proven version is a delete, not a value")
            if sha(expect["value"]) != e["valueHash"]:
                raise Invalid("SHA-256 of the value is not the proven valueHash")
        result = {"claim": claim, "sequence": e["sequence"], "kind": e["kind"]}
    result.update({"manifestVersion": anchor["version"], "digest": anchor["digest"].hex()})
    return result


def verify_consistency(c, expect):
    keys = {"fromVersion", "fromDigest", "toVersion", "toDigest", "headers"}
    fields(c, keys, keys, "consistency")
    start, end = integer(c, "fromVersion"), integer(c, "toVersion")
    digest, to_digest = hexbytes(c["fromDigest"], 32), hexbytes(c["toDigest"], 32)
    headers = [hexbytes(h, 52, "header") for h in c["headers"]]
    if start >= end or len(headers) != end - start:
        raise Invalid("versions and headers do not match")
    for i, h in enumerate(headers):
        if int.from_bytes(h[:8], "little") != start + 1 + i:
            raise Invalid(f"header {i} is of another version")
        digest = sha(digest, h)
    if digest != to_digest:
        raise Invalid("the headers do not chain fromDigest to toDigest")
    if expect.get("digest") is not None and expect["digest"] != to_digest:
        raise Invalid("toDigest is not the trusted digest")
    if expect.get("fromDigest") is not None and expect["fromDigest"] != c["fromDigest"]:
        raise Invalid("fromDigest is not the trusted digest")
    return {"claim": "consistency", "manifestVersion": end, "digest": to_digest.hex()}


def expectation(obj):
    e = {}
    for k in ("key", "value", "digest"):
        if k in obj:
            e[k] = bytes.fromhex(obj[k])
    if "fromDigest" in obj:
        e["fromDigest"] = obj["fromDigest"]
    e["claim"] = obj.get("claim")
    return e


def run_vectors(directory):
    failures = 0
    names = sorted(n for n in os.listdir(directory) if n.endswith(".json"))
    for name in names:
        with open(os.path.join(directory, name)) as f:
            vector = json.load(f)
        expect = expectation(vector.get("expect", {}))
        try:
            got = verify(vector["proof"], expect)
            if expect.get("claim") and got["claim"] != expect["claim"]:
                raise Invalid(f"the proof proves {got['claim']}")
            outcome = "valid"
        except (Invalid, KeyError, TypeError, ValueError) as error:
            got, outcome = str(error), "invalid"
        ok = outcome == vector["result"]
        if ok and outcome == "valid" and "proves" in vector:
            ok = all(got.get(k) == v for k, v in vector["proves"].items())
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {outcome}" + ("" if ok else f" ({got})"))
        failures += not ok
    print(f"{len(names) - failures} of {len(names)} vectors agree")
    return 1 if failures or not names else 0


def main(argv):
    global EXPLAIN
    if len(argv) == 3 and argv[1] == "--vectors":
        return run_vectors(argv[2])
    if len(argv) < 2:
        print(__doc__)
        return 2
    options = dict(zip(argv[2::2], argv[3::2]))
    EXPLAIN = "--explain" in argv
    options.pop("--explain", None)
    expect = {"key": bytes.fromhex(options["--key"]) if "--key" in options else None,
              "digest": bytes.fromhex(options["--digest"]) if "--digest" in options else None,
              "fromDigest": options.get("--from-digest")}
    if "--value-file" in options:
        with open(options["--value-file"], "rb") as f:
            expect["value"] = f.read()
    with open(argv[1]) as f:
        doc = json.load(f)
    try:
        print("verified:", verify(doc, expect))
        return 0
    except (Invalid, KeyError, TypeError, ValueError) as error:
        print("proof does not verify:", error)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
