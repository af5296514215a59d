package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RecordParserTest {
    private static final String UE = Streams.USER_EVENTS;
    private static final String CR = Streams.CAMPAIGN_REQUESTS;
    private static final String POS = "in.jsonl:7";

    private static Inbound parse(String stream, String json) {
        return RecordParser.parse(stream, POS, json.getBytes(StandardCharsets.UTF_8));
    }

    private static DeadLetter dead(String stream, String json, String stage, String code) {
        Inbound in = parse(stream, json);
        assertThat(in.isValid()).as("should be rejected: %s", json).isFalse();
        assertThat(in.record).isNull();
        DeadLetter d = in.deadLetter;
        assertThat(d).isNotNull();
        assertThat(d.stage).as("stage of %s", d).isEqualTo(stage);
        assertThat(d.code).as("code of %s", d).isEqualTo(code);
        assertThat(d.raw).as("raw kept").isEqualTo(json);
        assertThat(d.rawBase64).isFalse();
        assertThat(d.stream).isEqualTo(stream);
        assertThat(d.position).isEqualTo(POS);
        assertThat(d.message).isNotBlank();
        assertThat(in.eventTime()).isEqualTo(Long.MIN_VALUE);
        return d;
    }

    private static InputRecord valid(String stream, String json) {
        Inbound in = parse(stream, json);
        assertThat(in.deadLetter).as("dead letter of %s", json).isNull();
        assertThat(in.isValid()).isTrue();
        assertThat(in.record.stream).isEqualTo(stream);
        assertThat(in.record.position).isEqualTo(POS);
        return in.record;
    }

    private static String q(String s) {
        return s.replace('\'', '"');
    }

    private static long millis(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Nested
    class Malformed {
        @Test
        void notJson() {
            DeadLetter d = dead(UE, "hello, world", "parse", RecordParser.NOT_JSON);
            assertThat(d.userId).isNull();
            assertThat(d.eventTime).isZero();
        }

        @Test
        void truncatedJson() {
            dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'track','event':'Feature Us"),
                    "parse",
                    RecordParser.NOT_JSON);
        }

        @Test
        void trailingGarbageAfterObjectIsNotJson() {
            dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'identify','timestamp':0} x"),
                    "parse",
                    RecordParser.NOT_JSON);
        }

        @Test
        void notUtf8KeepsExactBytesAsBase64() {
            byte[] raw = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
            Inbound in = RecordParser.parse(UE, POS, raw);
            assertThat(in.isValid()).isFalse();
            DeadLetter d = in.deadLetter;
            assertThat(d.stage).isEqualTo("parse");
            assertThat(d.code).isEqualTo(RecordParser.NOT_UTF8);
            assertThat(d.rawBase64).isTrue();
            assertThat(d.raw).isEqualTo(Base64.getEncoder().encodeToString(raw));
            assertThat(Base64.getDecoder().decode(d.raw)).containsExactly(raw);
        }

        @Test
        void overTheSizeLimit() {
            StringBuilder sb = new StringBuilder(q("{'messageId':'m1','userId':'u1','type':'track',"
                    + "'event':'Feature Used','timestamp':0,'properties':{'pad':'"));
            while (sb.length() < RecordParser.MAX_RECORD_BYTES) {
                sb.append("abcdefghij");
            }
            sb.append("\"}}");
            String json = sb.toString();
            assertThat(json.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(256 * 1024);
            DeadLetter d = dead(UE, json, "parse", RecordParser.TOO_LARGE);
            assertThat(d.message).contains(String.valueOf(json.length()));
        }

        @Test
        void exactlyAtTheSizeLimitIsAccepted() {
            String head = q("{'messageId':'m1','userId':'u1','type':'track',"
                    + "'event':'Feature Used','timestamp':0,'properties':{'pad':'");
            String tail = "\"}}";
            String json = head + "x".repeat(256 * 1024 - head.length() - tail.length()) + tail;
            assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(256 * 1024);
            valid(UE, json);
        }

        @Test
        void arrayIsNotAnObject() {
            dead(UE, q("[{'messageId':'m1'}]"), "parse", RecordParser.NOT_OBJECT);
        }

        @Test
        void numberIsNotAnObject() {
            dead(UE, "42", "parse", RecordParser.NOT_OBJECT);
        }

        @Test
        void missingMessageId() {
            DeadLetter d = dead(
                    UE,
                    q("{'userId':'u1','type':'track','event':'Feature Used'," + "'timestamp':'2026-11-21T10:15:30Z'}"),
                    "validate",
                    RecordParser.MISSING_FIELD);
            assertThat(d.message).contains("messageId");
            assertThat(d.userId).isEqualTo("u1");
            assertThat(d.eventTime).isEqualTo(millis("2026-11-21T10:15:30Z"));
        }

        @Test
        void missingTimestamp() {
            DeadLetter d = dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'track','event':'Feature Used'}"),
                    "validate",
                    RecordParser.MISSING_FIELD);
            assertThat(d.message).contains("timestamp");
            assertThat(d.eventTime).isZero();
        }

        @Test
        void missingBothUserIdAndAnonymousId() {
            DeadLetter d = dead(
                    UE,
                    q("{'messageId':'m1','type':'track','event':'Feature Used','timestamp':0}"),
                    "validate",
                    RecordParser.MISSING_FIELD);
            assertThat(d.message).containsAnyOf("userId", "anonymousId");
            assertThat(d.userId).isNull();
        }

        @Test
        void nullUserIdWithoutAnonymousIdIsMissing() {
            dead(
                    UE,
                    q("{'messageId':'m1','userId':null,'type':'track','event':'Feature Used','timestamp':0}"),
                    "validate",
                    RecordParser.MISSING_FIELD);
        }

        @Test
        void userIdOfWrongType() {
            DeadLetter d = dead(
                    UE,
                    q("{'messageId':'m1','userId':12345,'type':'track','event':'Feature Used'," + "'timestamp':0}"),
                    "validate",
                    RecordParser.WRONG_TYPE);
            assertThat(d.message).contains("userId");
        }

        @Test
        void propertiesOfWrongType() {
            dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'track','event':'Feature Used',"
                            + "'timestamp':0,'properties':'feature=export'}"),
                    "validate",
                    RecordParser.WRONG_TYPE);
        }

        @Test
        void unknownType() {
            DeadLetter d = dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','previousId':'a1','type':'group'," + "'timestamp':0}"),
                    "validate",
                    RecordParser.UNKNOWN_TYPE);
            assertThat(d.message).contains("type");
        }

        @Test
        void messageIdTooLong() {
            String id = "m".repeat(257);
            DeadLetter d = dead(
                    UE,
                    q("{'messageId':'" + id + "','userId':'u1','type':'track',"
                            + "'event':'Feature Used','timestamp':0}"),
                    "validate",
                    RecordParser.TOO_LONG);
            assertThat(d.message).contains("messageId");
        }

        @Test
        void messageIdOfExactly256CharsIsAccepted() {
            String id = "m".repeat(256);
            assertThat(valid(
                                    UE,
                                    q("{'messageId':'" + id + "','userId':'u1','type':'track',"
                                            + "'event':'Feature Used','timestamp':0}"))
                            .messageId)
                    .isEqualTo(id);
        }

        @Test
        void userIdTooLong() {
            String id = "u".repeat(300);
            DeadLetter d = dead(
                    UE,
                    q("{'messageId':'m1','userId':'" + id + "','type':'track',"
                            + "'event':'Feature Used','timestamp':0}"),
                    "validate",
                    RecordParser.TOO_LONG);
            assertThat(d.message).contains("userId");
            assertThat(d.userId)
                    .as("an over-long id is not kept as the dead letter's userId")
                    .isNull();
        }

        @Test
        void anonymousIdTooLong() {
            String id = "a".repeat(300);
            dead(
                    UE,
                    q("{'messageId':'m1','anonymousId':'" + id + "','type':'page','timestamp':0}"),
                    "validate",
                    RecordParser.TOO_LONG);
        }

        @Test
        void timestampThatIsNotATime() {
            DeadLetter d = dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'track','event':'Feature Used',"
                            + "'timestamp':'yesterday'}"),
                    "validate",
                    RecordParser.BAD_TIMESTAMP);
            assertThat(d.message).contains("timestamp").contains("yesterday");
            assertThat(d.userId).isEqualTo("u1");
        }

        @Test
        void timestampOutOfRange() {
            DeadLetter d = dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'track','event':'Feature Used',"
                            + "'timestamp':'2300-01-01T00:00:00Z'}"),
                    "validate",
                    RecordParser.BAD_TIMESTAMP);
            assertThat(d.message).contains("timestamp");
        }

        @Test
        void timestampOfWrongJsonType() {
            dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'track','event':'Feature Used'," + "'timestamp':true}"),
                    "validate",
                    RecordParser.WRONG_TYPE);
        }

        @Test
        void duplicateKeys() {
            DeadLetter d = dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','userId':'u2','type':'identify'," + "'timestamp':0}"),
                    "parse",
                    RecordParser.NOT_JSON);
            assertThat(d.message).contains("userId");
        }

        @Test
        void trackWithoutEvent() {
            DeadLetter d = dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'track','timestamp':0}"),
                    "validate",
                    RecordParser.MISSING_FIELD);
            assertThat(d.message).contains("event");
        }

        @Test
        void engagementEventsUseTheirOwnSchema() {
            dead(
                    Streams.ENGAGEMENT_EVENTS,
                    q("{'messageId':'m1','userId':'u1','type':'track',"
                            + "'event':'Message Sent','timestamp':0,'properties':{'sendId':'" + "s".repeat(257)
                            + "'}}"),
                    "validate",
                    RecordParser.TOO_LONG);
        }
    }

    @Nested
    class Valid {
        @Test
        void aNullFieldCountsAsAbsentAtAnyDepth() {
            InputRecord r = valid(
                    UE,
                    q("{'messageId':'m1','userId':'u1','anonymousId':null,'type':'track','event':'Struggle Signal',"
                            + "'timestamp':'2026-11-21T10:15:29.907Z','properties':null,"
                            + "'context':{'timezone':null,'locale':'de-DE','page':null}}"));
            assertThat(r.event).isEqualTo("Struggle Signal");
            assertThat(r.locale).isEqualTo("de-DE");
            assertThat(r.timezone).isNull();

            InputRecord withAttempts = valid(
                    UE,
                    q("{'messageId':'m2','userId':'u1','type':'track','event':'Struggle Signal',"
                            + "'timestamp':'2026-11-21T10:15:29.907Z','properties':{'attempts':3,'kind':null}}"));
            assertThat(withAttempts.attempts).isEqualTo(3);
            assertThat(withAttempts.kind).isNull();
        }

        @Test
        void anUnusableTimeZoneOrLocaleIsIgnoredWithADeadLetterAndTheRecordIsUsed() {
            Inbound in = parse(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'identify','timestamp':'2026-11-21T10:15:29.907Z',"
                            + "'traits':{'timezone':'Mars/Olympus','locale':'Ignore previous instructions'}}"));
            assertThat(in.isValid()).isTrue();
            assertThat(in.record.timezone).isNull();
            assertThat(in.record.locale).isNull();
            assertThat(in.deadLetter.code).isEqualTo(RecordParser.BAD_VALUE);
            assertThat(in.deadLetter.stage).isEqualTo("validate");
            assertThat(in.deadLetter.userId).isEqualTo("u1");
            assertThat(in.deadLetter.message)
                    .contains("/traits/timezone: 'Mars/Olympus' is not an IANA time zone; ignored")
                    .contains("/traits/locale: 'Ignore previous instructions' is not a BCP 47 language tag; ignored");
        }

        @Test
        void usableZonesAndLocalesPassWithoutADeadLetter() {
            Inbound in = parse(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'track','event':'Feature Used',"
                            + "'timestamp':'2026-11-21T10:15:29.907Z',"
                            + "'context':{'timezone':'America/Argentina/Buenos_Aires','locale':'de_de'}}"));
            assertThat(in.deadLetter).isNull();
            assertThat(in.record.timezone).isEqualTo("America/Argentina/Buenos_Aires");
            assertThat(in.record.locale).isEqualTo("de-DE");
            assertThat(RecordParser.languageTag("zh-Hant-TW")).isEqualTo("zh-Hant-TW");
            assertThat(RecordParser.languageTag("en-GB")).isEqualTo("en-GB");
            assertThat(RecordParser.languageTag("english please")).isNull();
            assertThat(RecordParser.isZone("EST")).isFalse();
            assertThat(RecordParser.isZone("UTC")).isTrue();
        }

        @Test
        void aRequiredFieldThatIsNullIsMissing() {
            dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'track','event':null,'timestamp':0}"),
                    "validate",
                    RecordParser.MISSING_FIELD);
        }

        @Test
        void segmentAnalyticsJsTrackValidatesUnchanged() {
            String json = """
                    {
                      "anonymousId": "507f191e-810c-1972-9de8-60ea00000001",
                      "channel": "client",
                      "context": {
                        "campaign": {"name": "TPS Innovation Newsletter", "source": "Newsletter", "medium": "email"},
                        "ip": "8.8.8.8",
                        "library": {"name": "analytics.js", "version": "next-1.53.0"},
                        "locale": "nl-NL",
                        "page": {
                          "path": "/academy/",
                          "referrer": "",
                          "search": "",
                          "title": "Analytics Academy",
                          "url": "https://segment.com/academy/"
                        },
                        "timezone": "Europe/Amsterdam",
                        "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36"
                      },
                      "event": "Feature Used",
                      "integrations": {"All": true, "Mixpanel": false, "Salesforce": false},
                      "messageId": "ajs-next-1700000000000-5f0a3c3e-7d1c-4b5e-9f0a-3c3e7d1c4b5e",
                      "originalTimestamp": "2026-11-21T10:15:29.907Z",
                      "properties": {"feature": "export", "plan": "pro"},
                      "receivedAt": "2026-11-21T10:15:31.002Z",
                      "sentAt": "2026-11-21T10:15:30.001Z",
                      "timestamp": "2026-11-21T10:15:30.123Z",
                      "type": "track",
                      "userId": "97980cfea0067",
                      "version": 2,
                      "writeKey": "abc123",
                      "_metadata": {"bundled": ["Segment.io"], "unbundled": [], "bundledIds": []}
                    }
                    """;
            assertThat(Schemas.validate(UE, readTree(json))).isEmpty();
            InputRecord r = valid(UE, json);
            assertThat(r.messageId).isEqualTo("ajs-next-1700000000000-5f0a3c3e-7d1c-4b5e-9f0a-3c3e7d1c4b5e");
            assertThat(r.userId).isEqualTo("97980cfea0067");
            assertThat(r.anonymous).isFalse();
            assertThat(r.type).isEqualTo("track");
            assertThat(r.event).isEqualTo("Feature Used");
            assertThat(r.isTrack("Feature Used")).isTrue();
            assertThat(r.feature).isEqualTo("export");
            assertThat(r.plan).isEqualTo("pro");
            assertThat(r.timezone).isEqualTo("Europe/Amsterdam");
            assertThat(r.locale).isEqualTo("nl-NL");
            assertThat(r.timestamp).isEqualTo(millis("2026-11-21T10:15:30.123Z"));
        }

        @Test
        void segmentAnalyticsJsPageWithNullUserIdValidates() {
            String json = """
                    {"anonymousId":"anon-42","userId":null,"type":"page","name":"Pricing",
                     "properties":{"path":"/pricing","title":"Pricing","url":"https://example.com/pricing"},
                     "context":{"library":{"name":"analytics.js","version":"2.11.1"},
                                "page":{"path":"/pricing","url":"https://example.com/pricing"}},
                     "integrations":{},"messageId":"ajs-1","originalTimestamp":"2026-11-21T10:15:30.000Z",
                     "sentAt":"2026-11-21T10:15:30.010Z","receivedAt":"2026-11-21T10:15:30.500Z",
                     "timestamp":"2026-11-21T10:15:30.000Z","_metadata":{"bundled":[]}}
                    """;
            InputRecord r = valid(UE, json);
            assertThat(r.userId).isEqualTo("anon-42");
            assertThat(r.anonymous).isTrue();
            assertThat(r.event).isEqualTo("page");
            assertThat(r.name).isEqualTo("Pricing");
        }

        @Test
        void anonymousIdOnly() {
            InputRecord r = valid(
                    UE,
                    q("{'messageId':'m1','anonymousId':'anon-7','type':'track',"
                            + "'event':'Checkout Started','timestamp':0}"));
            assertThat(r.anonymous).isTrue();
            assertThat(r.userId).isEqualTo("anon-7");
        }

        @Test
        void userIdWinsOverAnonymousId() {
            InputRecord r = valid(
                    UE,
                    q("{'messageId':'m1','userId':'u1','anonymousId':'anon-7'," + "'type':'identify','timestamp':0}"));
            assertThat(r.anonymous).isFalse();
            assertThat(r.userId).isEqualTo("u1");
            assertThat(r.anonymousId).as("kept: it links the visitor").isEqualTo("anon-7");
        }

        @Test
        void aRecordDatedBeyondTheClockSkewOfALiveReaderIsAFutureTimestamp() {
            String json = q("{'messageId':'m1','userId':'u1','type':'track','event':'Feature Used',"
                    + "'timestamp':'2199-01-01T00:00:00Z'}");
            long now = millis("2026-12-04T10:00:00Z");
            Inbound in = RecordParser.parse(UE, "k-0@5", json.getBytes(StandardCharsets.UTF_8), now + 300_000);
            assertThat(in.isValid()).isFalse();
            assertThat(in.deadLetter.code).isEqualTo(RecordParser.FUTURE_TIMESTAMP);
            assertThat(in.deadLetter.message).contains("2199-01-01T00:00:00.000Z", "input.max-clock-skew");
            assertThat(in.eventTime())
                    .as("a dead letter does not move the watermark")
                    .isEqualTo(Long.MIN_VALUE);
            // Within the skew it is used; history read from files is never checked.
            String soon = q("{'messageId':'m2','userId':'u1','type':'track','event':'Feature Used',"
                    + "'timestamp':'2026-12-04T10:04:00Z'}");
            assertThat(RecordParser.parse(UE, "k-0@6", soon.getBytes(StandardCharsets.UTF_8), now + 300_000)
                            .isValid())
                    .isTrue();
            assertThat(RecordParser.parse(UE, "f:1", json.getBytes(StandardCharsets.UTF_8))
                            .isValid())
                    .isTrue();
        }

        @Test
        void segmentAliasLinksThePreviousIdToTheUserId() {
            String json = q("{'messageId':'m1','userId':'u1','previousId':'anon-7','type':'alias','timestamp':0}");
            assertThat(Schemas.validate(UE, readTree(json))).isEmpty();
            InputRecord r = valid(UE, json);
            assertThat(r.type).isEqualTo("alias");
            assertThat(r.userId).isEqualTo("u1");
            assertThat(r.anonymousId).isEqualTo("anon-7");
            assertThat(r.anonymous).isFalse();
        }

        @Test
        void anAliasNeedsBothIds() {
            dead(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'alias','timestamp':0}"),
                    "validate",
                    RecordParser.MISSING_FIELD);
            dead(
                    UE,
                    q("{'messageId':'m1','anonymousId':'a1','previousId':'a0','type':'alias','timestamp':0}"),
                    "validate",
                    RecordParser.MISSING_FIELD);
        }

        @Test
        void isoOffsetTimestamp() {
            InputRecord r = valid(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'identify',"
                            + "'timestamp':'2026-11-21T11:15:30+01:00'}"));
            assertThat(r.timestamp).isEqualTo(millis("2026-11-21T10:15:30Z"));
        }

        @Test
        void epochMillisTimestamp() {
            long t = millis("2026-11-21T10:15:30.123Z");
            InputRecord r = valid(UE, q("{'messageId':'m1','userId':'u1','type':'identify','timestamp':" + t + "}"));
            assertThat(r.timestamp).isEqualTo(t);
        }

        @Test
        void byteOrderMarkIsAccepted() {
            byte[] body = q("{'messageId':'m1','userId':'u1','type':'identify','timestamp':0}")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] raw = new byte[body.length + 3];
            raw[0] = (byte) 0xEF;
            raw[1] = (byte) 0xBB;
            raw[2] = (byte) 0xBF;
            System.arraycopy(body, 0, raw, 3, body.length);
            Inbound in = RecordParser.parse(UE, POS, raw);
            assertThat(in.deadLetter).isNull();
            assertThat(in.record.messageId).isEqualTo("m1");
            assertThat(in.record.event).isEqualTo("identify");
        }

        @Test
        void consentTraitsSetBits() {
            InputRecord r = valid(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'identify','timestamp':0,"
                            + "'traits':{'consent':{'email':true,'sms':false,'fax':true,'push':'yes'}}}"));
            assertThat(r.consentGranted).isEqualTo(Channel.EMAIL.bit());
            assertThat(r.consentDenied).isEqualTo(Channel.SMS.bit());
        }

        @Test
        void contactTraitsSetReachableButAreNotKept() throws IllegalAccessException {
            String email = "jane.doe+promo@example.co.uk";
            String phone = "+44 7700 900123";
            InputRecord r = valid(
                    UE,
                    q("{'messageId':'m1','userId':'u1','type':'identify','timestamp':0,"
                            + "'traits':{'email':'" + email + "','phone':'" + phone + "','tier':'gold'},"
                            + "'context':{'timezone':'Europe/London'}}"));
            assertThat(r.reachable)
                    .isEqualTo(Channel.EMAIL.bit() | Channel.SMS.bit() | Channel.WHATSAPP.bit() | Channel.VOICE.bit());
            assertThat(r.reachable & Channel.PUSH.bit()).isZero();
            assertThat(r.tier).isEqualTo("gold");
            List<String> strings = stringFields(r);
            assertThat(strings).contains("gold", "Europe/London");
            for (String s : strings) {
                assertThat(s)
                        .doesNotContain(email)
                        .doesNotContain("example.co.uk")
                        .doesNotContain(phone)
                        .doesNotContain("7700 900123")
                        .doesNotContain("447700900123");
            }
        }

        @Test
        void supportTicketTextIsRedacted() {
            InputRecord r = valid(
                    UE,
                    q(
                            "{'messageId':'m1','userId':'u1','type':'track',"
                                    + "'event':'Support Ticket Created','timestamp':0,'properties':{'priority':'high',"
                                    + "'text':'Still broken! Mail me at jane.doe@example.com or call (555) 123-4567 today.'}}"));
            assertThat(r.priority).isEqualTo("high");
            assertThat(r.text)
                    .isEqualTo("Still broken! Mail me at " + Redactor.EMAIL + " or call " + Redactor.PHONE + " today.");
        }

        @Test
        void campaignRequest() {
            InputRecord r = valid(
                    CR,
                    q("{'requestId':'req-1','campaignId':'bf-2026','userId':'u1',"
                            + "'timestamp':'2026-11-21T10:00:00Z','channels':['whatsapp','email','sms'],"
                            + "'offer':{'sku':'SKU-9','discountPct':20,'title':'Black Friday'},"
                            + "'notAfter':'2026-11-22T00:00:00+01:00'}"));
            assertThat(r.messageId).isEqualTo("req-1");
            assertThat(r.userId).isEqualTo("u1");
            assertThat(r.anonymous).isFalse();
            assertThat(r.type).isEqualTo("request");
            assertThat(r.campaignId).isEqualTo("bf-2026");
            assertThat(r.channels).isEqualTo("whatsapp,email,sms");
            assertThat(r.category).isEqualTo("promotional");
            assertThat(readTree(r.offer))
                    .isEqualTo(readTree(q("{'sku':'SKU-9','discountPct':20,'title':'Black Friday'}")));
            assertThat(r.timestamp).isEqualTo(millis("2026-11-21T10:00:00Z"));
            assertThat(r.notAfter).isEqualTo(millis("2026-11-21T23:00:00Z"));
        }

        @Test
        void campaignRequestDefaults() {
            InputRecord r = valid(
                    CR,
                    q("{'requestId':'req-2','campaignId':'c','userId':'u1','timestamp':0,"
                            + "'category':'transactional'}"));
            assertThat(r.category).isEqualTo("transactional");
            assertThat(r.channels).as("absent channels mean all").isNull();
            assertThat(r.offer).isNull();
            assertThat(r.notAfter).isZero();
        }
    }

    @Nested
    class CampaignRequestFailures {
        @Test
        void badCategory() {
            DeadLetter d = dead(
                    CR,
                    q("{'requestId':'r1','campaignId':'c','userId':'u1','timestamp':0," + "'category':'spam'}"),
                    "validate",
                    RecordParser.BAD_VALUE);
            assertThat(d.message).contains("category");
            assertThat(d.userId).isEqualTo("u1");
        }

        @Test
        void unknownChannel() {
            DeadLetter d = dead(
                    CR,
                    q("{'requestId':'r1','campaignId':'c','userId':'u1','timestamp':0,"
                            + "'channels':['email','fax']}"),
                    "validate",
                    RecordParser.BAD_VALUE);
            assertThat(d.message).contains("channels");
        }

        @Test
        void missingCampaignId() {
            dead(CR, q("{'requestId':'r1','userId':'u1','timestamp':0}"), "validate", RecordParser.MISSING_FIELD);
        }

        @Test
        void badNotAfter() {
            DeadLetter d = dead(
                    CR,
                    q("{'requestId':'r1','campaignId':'c','userId':'u1','timestamp':1000," + "'notAfter':'soon'}"),
                    "validate",
                    RecordParser.BAD_TIMESTAMP);
            assertThat(d.message).contains("notAfter");
            assertThat(d.eventTime).isEqualTo(1000);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> stringFields(Object o) throws IllegalAccessException {
        List<String> out = new ArrayList<>();
        for (Field f : o.getClass().getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String v = (String) f.get(o);
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return out;
    }
}
