#!/usr/bin/env python3
"""Writes the fuzz corpus under corpus/: one .jsonl file per kind of nasty record.

Run from this folder (python3 make_corpus.py) after changing it; the files are committed, so
tests never need Python. Lines are bytes: every record is written exactly as a producer could
have sent it, including invalid UTF-8, raw NUL bytes and foreign byte-order marks.
Files named NAME.<stream>.jsonl are records of that stream only; the others fit any stream.
"""
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
TS = "2026-11-21T10:00:00Z"
counter = [0]


def mid(prefix="fz"):
    counter[0] += 1
    return f"{prefix}-{counter[0]}"


def ue(**extra):
    """A valid user event, with fields overridden or added by extra (None values are kept as null)."""
    r = {"messageId": mid(), "userId": "u-fuzz", "type": "track", "event": "Feature Used",
         "timestamp": TS, "properties": {"feature": "reports"}}
    r.update(extra)
    return r


def cr(**extra):
    r = {"requestId": mid("rq"), "campaignId": "fuzz-campaign", "userId": "u-fuzz", "timestamp": TS,
         "channels": ["email", "sms"], "offer": {"title": "Fuzz", "discountPct": 10}}
    r.update(extra)
    return r


def j(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write(name, lines, sep=b"\n", final=True):
    data = sep.join(lines) + (sep if final else b"")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def with_raw(obj, key, raw_value):
    """JSON of obj with obj[key] replaced by raw_value, bytes written verbatim (numbers Python can't hold)."""
    marker = "\u0001RAW\u0001"
    obj = dict(obj)
    obj[key] = marker
    return j(obj).replace(j(marker), raw_value)


def with_raw_prop(obj, key, raw_value):
    marker = "\u0001RAW\u0001"
    obj = dict(obj)
    obj["properties"] = dict(obj.get("properties") or {}, **{key: marker})
    return j(obj).replace(j(marker), raw_value)


# Deep nesting: 10,000 levels (Jackson refuses past 1,000), and the deepest that is still accepted.
def nested_arrays(n):
    return b"[" * n + b"1" + b"]" * n


def nested_objects(n):
    return b'{"":' * n + b"1" + b"}" * n


deep = [
    with_raw(ue(), "properties", b'{"deep":' + nested_arrays(10000) + b"}"),
    with_raw(ue(), "properties", nested_objects(10000)),
    with_raw(ue(type="identify"), "traits", b'{"deep":' + nested_arrays(10000) + b"}"),
    nested_arrays(10000),
    # root is depth 1, properties depth 2: 998 more levels reach depth 1,000, the most Jackson reads
    with_raw(ue(), "properties", b'{"deep":' + nested_arrays(998) + b"}"),
    with_raw(ue(), "properties", b'{"deep":' + nested_arrays(999) + b"}"),
    with_raw(ue(), "context", nested_objects(999)),
    with_raw(ue(), "context", nested_objects(1000)),
    # unclosed: depth without end
    with_raw(ue(), "properties", b"[" * 10000),
]
write("deep-nesting.jsonl", deep)

write("deep-nesting.campaign-requests.jsonl", [
    with_raw(cr(), "offer", b'{"deep":' + nested_arrays(10000) + b"}"),
    with_raw(cr(), "offer", b'{"deep":' + nested_arrays(998) + b"}"),
    with_raw(cr(), "offer", nested_objects(999)),
    with_raw(cr(), "offer", nested_objects(33)),
    with_raw(cr(), "offer", nested_objects(32)),
    with_raw(cr(), "offer", b'{"title":"Deep","items":' + nested_arrays(31) + b"}"),
])

# Huge and odd numbers in every numeric field.
NUMBERS = [b"1e400", b"-1e400", b"1e-400", b"-0", b"-0.0", b"0e0", b"1180591620717411303424",
           b"-1180591620717411303424", b"9223372036854775807", b"9223372036854775808",
           b"-9223372036854775809", b"1e999999999", b"-1e-999999999", b"1E+2147483648",
           b"0." + b"0" * 400 + b"1", b"9" * 1000, b"9" * 1001, b"1.7976931348623157e309",
           b"4.9e-325", b"123456789.123456789e-123456789"]
huge = []
for field in ["attempts", "durationMs", "score", "revenue", "mrr"]:
    for n in NUMBERS if field == "attempts" else [n for n in NUMBERS if len(n) < 500]:
        huge.append(with_raw_prop(ue(event="Survey Answered" if field == "score" else "Struggle Signal"), field, n))
for n in NUMBERS:
    huge.append(with_raw(ue(), "timestamp", n))
# Huge exponents where the schema checks a value against a list (type): a validator that writes
# 1e999999999 out in full needs a billion characters.
for field in ["type", "userId", "messageId", "event"]:
    for n in [b"1e999999999", b"-1e-999999999", b"1e10001", b"1e10000"]:
        huge.append(with_raw(ue(), field, n))
for n in [b"1e400", b"1180591620717411303424", b"-0", b"1e-400", b"1e999999999"]:
    huge.append(with_raw(ue(type="page", name="pricing"), "properties", b'{"durationMs":' + n + b'}'))
write("huge-numbers.jsonl", huge)

write("huge-numbers.campaign-requests.jsonl",
      [with_raw(cr(), "timestamp", n) for n in NUMBERS]
      + [with_raw(cr(), "notAfter", n) for n in NUMBERS if len(n) < 500]
      + [with_raw(cr(), "offer", b'{"title":"Big","discountPct":' + n + b"}") for n in NUMBERS if len(n) < 500]
      + [with_raw(cr(), "category", n) for n in [b"1e999999999", b"-1e-999999999", b"1e10001"]]
      + [with_raw(cr(), "channels", b"[" + n + b"]") for n in [b"1e999999999", b"-1e-999999999", b"1e10001"]])

# Surrogates and other Unicode trouble: escapes (valid JSON, not valid Unicode) and raw bytes
# (invalid UTF-8: CESU-8 surrogates, overlong forms, code points past U+10FFFF, cut sequences).
def esc_ue(field, escaped):
    rec = ue()
    return with_raw(rec, field, b'"' + escaped + b'"')


unicode_lines = [
    esc_ue("userId", b"u-\\ud800"),
    esc_ue("userId", b"u-\\udc00"),
    esc_ue("userId", b"\\ud800"),
    esc_ue("messageId", b"m-\\ud800\\ud800"),
    esc_ue("event", b"Feature \\udfff Used"),
    esc_ue("userId", b"u-\\udc00\\ud800"),
    esc_ue("userId", b"u-\\ud83d\\ude00"),
    with_raw_prop(ue(event="Subscription Cancelled"), "reason", b'"too expensive \\ud800 really"'),
    with_raw_prop(ue(), "\\ud800", b'"key is a lone surrogate"'),
    with_raw(ue(type="identify"), "traits", b'{"timezone":"Europe/London\\ud800","locale":"\\udbff"}'),
    b'{"messageId":"' + mid().encode() + b'","userId":"u-\xed\xa0\x80","type":"track","event":"E","timestamp":"' + TS.encode() + b'"}',
    b'{"messageId":"' + mid().encode() + b'","userId":"u-\xed\xb0\x80","type":"track","event":"E","timestamp":"' + TS.encode() + b'"}',
    b'{"messageId":"' + mid().encode() + b'","userId":"u-\xed\xa0\xbd\xed\xb8\x80","type":"track","event":"E","timestamp":"' + TS.encode() + b'"}',
    b'{"messageId":"' + mid().encode() + b'","userId":"u-\xc0\xaf","type":"track","event":"E","timestamp":"' + TS.encode() + b'"}',
    b'{"messageId":"' + mid().encode() + b'","userId":"u-\xe0\x80\xaf","type":"track","event":"E","timestamp":"' + TS.encode() + b'"}',
    b'{"messageId":"' + mid().encode() + b'","userId":"u-\xf4\x90\x80\x80","type":"track","event":"E","timestamp":"' + TS.encode() + b'"}',
    b'{"messageId":"' + mid().encode() + b'","userId":"u-\xf8\x88\x80\x80\x80","type":"track","event":"E","timestamp":"' + TS.encode() + b'"}',
    b'{"messageId":"' + mid().encode() + b'","userId":"u-\x80","type":"track","event":"E","timestamp":"' + TS.encode() + b'"}',
    b'{"messageId":"' + mid().encode() + b'","userId":"u-\xff\xfe","type":"track","event":"E","timestamp":"' + TS.encode() + b'"}',
    j(ue())[:-3] + b"\xe2\x82",
    j(ue()) + b"\xe2\x82",
    j(ue(userId="u-\uffff\ufffe\ufdd0", event="\u202eRLO Used")),
    j(ue(userId="u-\u2028\u2029", event="Line\u2028Separator")),
    j(ue(userId="u-" + "\U0001F600" * 256)),
    j(ue(userId="u-e\u0301\u0301\u0301", properties={"text": "Z\u0351\u0352\u0353" * 50})),
    j(ue(userId="\u0000")),
]
write("invalid-surrogates.jsonl", unicode_lines)

# Byte-order marks.
rec = ue()
boms = [
    b"\xef\xbb\xbf" + j(ue()),
    b"\xef\xbb\xbf\xef\xbb\xbf" + j(ue()),
    b"\xef\xbb\xbf",
    b"\xef\xbb\xbf   ",
    j(ue())[:1] + b"\xef\xbb\xbf" + j(ue())[1:],
    j(ue(userId="u-\ufeffbom")),
    b"\xff\xfe" + json.dumps(ue()).encode("utf-16-le"),
    b"\xfe\xff" + json.dumps(ue()).encode("utf-16-be"),
    json.dumps(ue()).encode("utf-16-le"),
    b"\xff\xfe\x00\x00" + json.dumps(ue()).encode("utf-32-le"),
    b"\x00\x00\xfe\xff" + json.dumps(ue()).encode("utf-32-be"),
    b"+/v8" + j(ue()),
]
write("boms.jsonl", boms)

# NUL: escaped inside strings (valid JSON), raw inside strings and between tokens (not JSON).
nuls = [
    j(ue(userId="u-\u0000-nul")),
    j(ue(messageId="m-\u0000", event="Feature\u0000Used")),
    j(ue(properties={"text": "a\u0000b" * 10, "\u0000": "\u0000"})),
    b'{"messageId":"' + mid().encode() + b'","userId":"u-\x00","type":"track","event":"E","timestamp":"' + TS.encode() + b'"}',
    b'{"messageId":"' + mid().encode() + b'",\x00"userId":"u-x","type":"track","event":"E","timestamp":"' + TS.encode() + b'"}',
    j(ue()) + b"\x00",
    b"\x00" + j(ue()),
    b"\x00",
    b"\x00" * 64,
    b'{"messageId":"' + mid().encode() + b'","userId":"u-x","type":"track\x00","event":"E","timestamp":"' + TS.encode() + b'"}',
]
write("nul-bytes.jsonl", nuls)

# Duplicate keys: Jackson is set to refuse them, at any depth and however the key is spelt.
def dup(raw_members):
    return b"{" + b",".join(raw_members) + b"}"


m = lambda: b'"messageId":"' + mid().encode() + b'"'
base_members = [b'"userId":"u-dup"', b'"type":"track"', b'"event":"Feature Used"', b'"timestamp":"' + TS.encode() + b'"']
dups = [
    dup([m()] + base_members + [b'"userId":"u-other"']),
    dup([m(), m()] + base_members),
    dup([m()] + base_members + [b'"timestamp":"2030-01-01T00:00:00Z"']),
    dup([m()] + base_members + [b'"type":"identify"']),
    dup([m()] + base_members + [b'"properties":{"feature":"a","feature":"b"}']),
    dup([m()] + base_members + [b'"traits":{"consent":{"email":true,"email":false}}']),
    dup([m()] + base_members + [b'"u\\u0073erId":"u-escaped-dup"']),
    dup([m()] + base_members + [b'"properties":{},"properties":{}']),
    dup([m()] + base_members + [b'"userId":"u-dup"']),
    dup([m()] + base_members + [b'"context":{"timezone":"UTC","timezone":"Asia/Tokyo"}']),
]
write("duplicate-keys.jsonl", dups)
write("duplicate-keys.campaign-requests.jsonl", [
    dup([b'"requestId":"' + mid("rq").encode() + b'"', b'"requestId":"rq-again"', b'"campaignId":"c"', b'"userId":"u"', b'"timestamp":"' + TS.encode() + b'"']),
    dup([b'"requestId":"' + mid("rq").encode() + b'"', b'"campaignId":"c"', b'"userId":"u"', b'"timestamp":"' + TS.encode() + b'"', b'"offer":{"title":"a","title":"b"}']),
    dup([b'"requestId":"' + mid("rq").encode() + b'"', b'"campaignId":"c"', b'"userId":"u"', b'"timestamp":"' + TS.encode() + b'"', b'"channels":["sms"]', b'"channels":["email"]']),
    dup([b'"requestId":"' + mid("rq").encode() + b'"', b'"campaignId":"c"', b'"userId":"u"', b'"timestamp":"' + TS.encode() + b'"', b'"channels":["sms","sms"]']),
])

# Wrong types in every field of every stream.
WRONG = {"number": b"42", "float": b"1.5", "bool": b"true", "null": b"null", "array": b'["x"]',
         "empty-array": b"[]", "object": b'{"x":1}', "empty-object": b"{}", "string": b'"text"', "empty-string": b'""'}


def nested(rec, path, raw_value):
    """rec with the value at a dotted path replaced by raw_value."""
    marker = "\u0001RAW\u0001"
    rec = json.loads(json.dumps(rec))
    parts = path.split(".")
    node = rec
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = marker
    return j(rec).replace(j(marker), raw_value)


envelope_fields = ["messageId", "userId", "anonymousId", "type", "event", "name", "timestamp", "properties",
                   "traits", "context", "context.timezone", "context.locale", "context.channel",
                   "traits.timezone", "traits.locale", "traits.email", "traits.consent", "traits.consent.email",
                   "properties.text", "properties.attempts", "properties.durationMs", "properties.score",
                   "properties.revenue", "properties.channel", "properties.sendId", "properties.campaignId"]


def event_base(stream, field):
    if stream == "engagement-events":
        rec = ue(event="Message Opened", properties={"channel": "email", "sendId": "s-1", "campaignId": "c-1"})
    else:
        rec = ue()
    if field.startswith("traits") or field == "name":
        rec["type"] = "identify" if field.startswith("traits") else "page"
    return rec


for stream in ["user-events", "engagement-events"]:
    lines = []
    for field in envelope_fields:
        for kind, raw in WRONG.items():
            lines.append(nested(event_base(stream, field), field, raw))
        rec = event_base(stream, field)
        parts = field.split(".")
        if len(parts) == 1:
            rec.pop(field, None)
            lines.append(j(rec))
    write(f"wrong-types.{stream}.jsonl", lines)

request_fields = ["requestId", "campaignId", "userId", "timestamp", "category", "channels", "channels.0",
                  "offer", "notAfter", "offer.title", "offer.discountPct"]
lines = []
for field in request_fields:
    for kind, raw in WRONG.items():
        rec = cr()
        if field == "channels.0":
            marker = "\u0001RAW\u0001"
            rec["channels"] = [marker, "sms"]
            lines.append(j(rec).replace(j(marker), raw))
        else:
            lines.append(nested(rec, field, raw))
    rec = cr()
    if "." not in field:
        rec.pop(field, None)
        lines.append(j(rec))
lines += [j(cr(channels=["fax"])), j(cr(channels=["SMS"])), j(cr(category="marketing")), j(cr(channels=[])),
          j(cr(requestId="r" * 257)), j(cr(campaignId="c" * 256, requestId="r" * 256, userId="u" * 256))]
write("wrong-types.campaign-requests.jsonl", lines)

# Times far in the past and future, in both forms and in text that only looks like a time.
TIMES = ["0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.001Z",
         "2199-12-31T23:59:59.999Z", "2200-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z",
         "-0001-01-01T00:00:00Z", "+999999999-12-31T23:59:59.999999999Z", "-999999999-01-01T00:00:00Z",
         "2026-11-21T10:00:00", "2026-11-21", "10:00:00Z", "2026-02-30T00:00:00Z", "2026-12-31T23:59:60Z",
         "2026-11-21T10:00:00+25:00", "2026-11-21T10:00:00+14:00", "2026-11-21T10:00:00-12:00",
         "2026-11-21T10:00:00[Europe/London]", "2026-11-21T10:00:00+00:00[Nowhere/City]",
         "2026-11-21T10:00:00.1234567891Z", "2026-11-21t10:00:00z", "2026-11-21 10:00:00Z", "",
         " ", "now", "0", "-1", "1e3", "9007199254740993", "99999999999999999999", "１２３"]
EPOCHS = [b"-1", b"-62135596800000", b"-9223372036854775808", b"0", b"1", b"7258118399999", b"7258118400000",
          b"9007199254740992", b"9007199254740993", b"9223372036854775807", b"9223372036854775808",
          b"253402300799999", b"1.0", b"1e12", b"-0"]
times = [j(ue(timestamp=t)) for t in TIMES] + [with_raw(ue(), "timestamp", e) for e in EPOCHS]
write("timestamps.jsonl", times)
write("timestamps.campaign-requests.jsonl",
      [j(cr(timestamp=t)) for t in TIMES] + [with_raw(cr(), "timestamp", e) for e in EPOCHS]
      + [j(cr(notAfter=t)) for t in TIMES] + [with_raw(cr(), "notAfter", e) for e in EPOCHS])

# Lines that are not records: empty, blank, a lone brace, JSON that is not an object.
edges = [
    b"",
    b"   \t  ",
    b"\t",
    b"\r",
    b"\x0b\x0c",
    b"\xc2\xa0",
    b"{",
    b"}",
    b"[",
    b"null",
    b"true",
    b"0",
    b"-0",
    b"1e400",
    b'"a top-level string"',
    b'""',
    b"[]",
    b"{}",
    b"[1,2]",
    j(ue()) + b" " + j(ue()),
    j(ue()) + b"garbage",
    j(ue()) + b",",
    b"{'messageId':'single-quotes'}",
    b'{messageId:"unquoted"}',
    b'{"messageId":"m","userId":"u","type":"track","event":"E","timestamp":0,}',
    b'{"messageId":"m" /* comment */}',
    b'// comment',
    b'{"n":NaN}',
    b'{"n":Infinity}',
    b'{"n":01}',
    b'{"n":0x10}',
    b'{"n":.5}',
    b'{"s":"\\x41"}',
    b'{"s":"\\u12"}',
    b'{"s":"tab\tinside"}',
    b"\\",
    b'"',
    b"\xff",
]
write("edge-lines.jsonl", edges)

# CRLF line ends (the reader drops the CR before LF), a doubled CR, and CRs inside a record.
crlf = [j(ue()), j(ue()), j(ue()) + b"\r", b"", j(ue()), b'{"messageId":"m-cr","userId":"u-x\r","type":"track","event":"E","timestamp":0}',
        j(ue())[:-1] + b"\r}", j(ue())]
write("crlf.jsonl", crlf, sep=b"\r\n")

write("no-final-newline.jsonl", [j(ue()), j(ue())], final=False)

# Length limits: 256 characters is the most an id may have; code points, not UTF-16 units, count.
write("lengths.jsonl", [
    j(ue(userId="u" * 256)), j(ue(userId="u" * 257)), j(ue(messageId="m" * 256)), j(ue(messageId="m" * 257)),
    j(ue(event="E" * 256)), j(ue(event="E" * 257)), j(ue(userId="\U0001F600" * 256)), j(ue(userId="\U0001F600" * 257)),
    j(ue(userId="")), j(ue(messageId="")), j(ue(event="")), j(ue(userId=" ")),
    j(ue(userId=None, anonymousId="anon-" + "a" * 251)), j(ue(userId=None, anonymousId=None)),
    j(ue(userId=None)),
])
print("wrote", sorted(os.listdir(OUT)))
