package io.runlight.insights.runtime;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.FormatDetector;
import io.runlight.insights.input.InputLimits;
import io.runlight.insights.input.JsonInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runlight records are read from the parser's tokens ({@link RunlightEventRecords}), no longer
 * as trees: every record, good or bad, must come out as the tree reading made it (the same
 * events, the same rejections with the same words and locations), which is kept here as
 * {@link TreeRunlightEventRecords}. Hand-made hostile records first, then many mutations of good ones.
 */
class TestRunlightRecordsAsTrees
{
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final String EVENT = "{\"time\":\"2026-11-28T12:00:00.123Z\",\"cluster\":\"prod-eu\",\"namespace\":\"shop\",\"workloadKind\":\"Deployment\","
            + "\"workloadName\":\"cart\",\"pod\":\"cart-7d9f\",\"container\":\"cart\",\"containerId\":\"containerd://4f2a\",\"image\":\"docker.io/acme/cart:1.4\","
            + "\"imageDigest\":\"" + DIGEST + "\",\"kind\":\"exec\",\"path\":\"/usr/bin/python3\",\"process\":\"/usr/bin/python3\"}";
    private static final String SNAPSHOT = "{\"time\":\"2026-11-28T12:05:00Z\",\"cluster\":\"prod-eu\",\"namespace\":\"shop\",\"pod\":\"cart-7d9f\",\"container\":\"cart\","
            + "\"imageDigest\":\"" + DIGEST + "\",\"process\":\"/usr/bin/python3\",\"sensor\":\"proc-sampling\",\"files\":[{\"kind\":\"mmap\",\"path\":\"/lib/libc.so.6\"},"
            + "{\"kind\":\"open\",\"path\":\"/srv/app/main.py\",\"process\":\"/bin/sh\"}]}";

    private final InputLimits limits = new InputLimits(1024 * 1024, 16, 64 * 1024, 100_000);
    private final JsonEventRecords records = new JsonEventRecords(new JsonInput(limits));

    @Test
    void hostileRecordsAreJudgedAsTheirTrees()
    {
        List<String> lines = List.of(
                EVENT,
                SNAPSHOT,
                // a field named twice counts with its last value, whatever the first was
                EVENT.replace("\"kind\":\"exec\"", "\"kind\":7,\"kind\":\"mmap\""),
                EVENT.replace("\"kind\":\"exec\"", "\"kind\":\"mmap\",\"kind\":[1]"),
                EVENT.replace("\"kind\":\"exec\"", "\"kind\":\"mmap\",\"kind\":null"),
                SNAPSHOT.replace("\"files\":[", "\"files\":7,\"files\":["),
                SNAPSHOT.replace("\"sensor\"", "\"files\":[{\"kind\":\"exec\",\"path\":\"/bin/x\"}],\"files\":null,\"sensor\""),
                // values of the wrong type in every field, and what they are named
                EVENT.replace("\"prod-eu\"", "{\"a\":[1,{\"b\":null}]}"),
                EVENT.replace("\"shop\"", "[\"shop\"]"),
                EVENT.replace("\"Deployment\"", "true"),
                EVENT.replace("\"cart\",\"pod\"", "-1.5e300,\"pod\""),
                EVENT.replace("\"" + DIGEST + "\"", "12345678901234567890123456789012345678901234567890"),
                EVENT.replace("\"2026-11-28T12:00:00.123Z\"", "1764331200"),
                EVENT.replace("\"2026-11-28T12:00:00.123Z\"", "\"  \""),
                EVENT.replace("\"2026-11-28T12:00:00.123Z\"", "null"),
                EVENT.replace("\"/usr/bin/python3\",\"process\"", "\"\",\"process\""),
                EVENT.replace("\"process\":\"/usr/bin/python3\"", "\"process\":false"),
                EVENT.replace("\"process\":\"/usr/bin/python3\"", "\"process\":\"  \""),
                EVENT.replace("\"exec\"", "\" EXEC \""),
                EVENT.replace("\"exec\"", "\"load\""),
                SNAPSHOT.replace("\"files\":[", "\"files\":\"none\",\"x\":["),
                SNAPSHOT.replace("\"files\":[", "\"files\":{\"kind\":\"exec\"},\"x\":["),
                SNAPSHOT.replace("\"files\":[", "\"files\":[null,[],\"a\",1,true,{},{\"kind\":\"exec\",\"path\":\"/a\",\"time\":5,\"files\":7,\"sensor\":1},"),
                SNAPSHOT.replace("\"files\":[", "\"files\":[],\"y\":["),
                SNAPSHOT.replace("\"sensor\":\"proc-sampling\"", "\"sensor\":\"other\""),
                SNAPSHOT.replace("\"sensor\":\"proc-sampling\"", "\"sensor\":{}"),
                // escapes, NUL, surrogates, control characters and names that only look alike
                EVENT.replace("/usr/bin/python3\",\"process", "/usr/bin/py\\u0000\",\"process"),
                EVENT.replace("/usr/bin/python3\",\"process", "/usr/bin/\\ud800\",\"process"),
                EVENT.replace("/usr/bin/python3\",\"process", "/usr/bin/\\ud83d\\ude00\\t\\\"\\/x\",\"process"),
                EVENT.replace("\"path\"", "\"pat\\u0068\""),
                EVENT.replace("\"path\"", "\"Path\""),
                EVENT.replace("\"shop\"", "\"sh\\u001bop\""),
                EVENT.replace("\"shop\"", "\"sh\\qop\""),
                EVENT.replace("\"shop\"", "\"sh\top\""),
                EVENT.replace("{\"time\"", "{\"extra\":\"a\\qb\",\"time\""),
                EVENT.replace("{\"time\"", "{\"extra\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]],\"time\""),
                EVENT.replace("{\"time\"", "{\"extra\":{\"deep\":[1,2,{\"x\":\"y\"}],\"n\":null},\"time\""),
                EVENT.replace("{\"time\"", "{\"extra\":01,\"time\""),
                EVENT.replace("{\"time\"", "{\"extra\":1" + "0".repeat(1200) + ",\"time\""),
                EVENT.replace("{\"time\"", "{\"extra\":NaN,\"time\""),
                EVENT.replace("{\"time\"", "{\"extra\":\"unterminated,\"time\""),
                // truncated, trailing and not objects at all
                EVENT.substring(0, EVENT.length() - 1),
                EVENT.substring(0, 200),
                EVENT + " {}",
                EVENT + " x",
                EVENT + ",",
                "[" + EVENT + "]",
                "\"a string\"",
                "42",
                "null",
                "{}",
                "{\"time\":\"2026-11-28T12:00:00Z\"}",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/sh\",}",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/sh\"]",
                "{\"time\" \"2026-11-28T12:00:00Z\"}",
                "{'time':'2026-11-28T12:00:00Z'}",
                "{\"time\":\"2026-02-29T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/sh\"}",
                "{\"time\":\"2028-02-29T24:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/sh\"}",
                "{\"time\":\"2026-11-28t12:00:00.5+02:00\",\"kind\":\"exec\",\"path\":\"/bin/sh\"}",
                "\u00e9{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/\u00e9\"}",
                "{\"time\":\"2026-11-28T12:00:00Z\",\"kind\":\"exec\",\"path\":\"/bin/\u00e9\u4e2d\"}");

        assertSameAsTrees(lines);
    }

    @Test
    void mutatedRecordsAreJudgedAsTheirTrees()
    {
        Random random = new Random(14);
        String alphabet = "{}[]\":,.-+eE0123456789 \\/utnlrfasxZT\u00e9\u0000\t";
        List<String> seeds = List.of(EVENT, SNAPSHOT, EVENT.replace("\"kind\":\"exec\",", ""), SNAPSHOT.replace(",\"sensor\":\"proc-sampling\"", ""));
        for (int round = 0; round < 200; round++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                StringBuilder line = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
                int mutations = 1 + random.nextInt(3);
                for (int m = 0; m < mutations; m++) {
                    if (line.length() == 0) {
                        line.append('{');
                    }
                    int at = random.nextInt(line.length());
                    switch (random.nextInt(5)) {
                        case 0 -> line.deleteCharAt(at);
                        case 1 -> line.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        case 2 -> line.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                        case 3 -> {
                            // a piece of the line again somewhere else: duplicate fields and values
                            int from = random.nextInt(line.length());
                            int to = Math.min(line.length(), from + random.nextInt(60));
                            line.insert(at, line.substring(from, to));
                        }
                        default -> line.setLength(at);
                    }
                }
                lines.add(line.toString());
            }
            assertSameAsTrees(lines);
        }
    }

    @Test
    void handParsedTimesAreTheFormattersTimes()
    {
        List<String> texts = new ArrayList<>(List.of(
                "2026-11-28T12:00:00Z", "2026-11-28T12:00:00.1Z", "2026-11-28T12:00:00.123456789Z", "2026-11-28T12:00:00.1234567891Z",
                "2026-11-28T12:00:00.Z", "2026-11-28T12:00Z", "2026-11-28T12:00:60Z", "2026-11-28T24:00:00Z", "2026-11-28T23:59:59.999999999Z",
                "2024-02-29T00:00:00Z", "2026-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
                "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                "1969-12-31T23:59:59.5Z", "2026-11-28t12:00:00z", "2026-11-28T12:00:00+00:00", "2026-11-28 12:00:00Z", "+2026-11-28T12:00:00Z",
                "2026-1-28T12:00:00Z", "2026-11-28T12:00:00.12a4Z", "2026-11-28T12:00:00,5Z", "２026-11-28T12:00:00Z", "2026-11-28T12:0０:00Z"));
        Random random = new Random(3339);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d",
                    random.nextInt(10_000), random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62)));
            int digits = random.nextInt(11);
            if (digits > 0) {
                text.append('.');
                for (int d = 1; d < digits; d++) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
            }
            text.append(random.nextInt(20) == 0 ? "+01:00" : "Z");
            texts.add(text.toString());
        }
        for (String text : texts) {
            Instant formatted;
            try {
                formatted = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            }
            catch (DateTimeParseException e) {
                formatted = null;
            }
            Instant byHand = EventFields.plainUtcTime(text);
            if (byHand != null) {
                assertThat(byHand).as(text).isEqualTo(formatted);
            }
            if (formatted != null) {
                assertThat(EventFields.time(text, "time")).as(text).isEqualTo(formatted);
            }
        }
        assertThat(EventFields.plainUtcTime("2026-11-28T12:00:00.05Z")).isEqualTo(Instant.parse("2026-11-28T12:00:00.050Z"));
    }

    private void assertSameAsTrees(List<String> lines)
    {
        String ndjson = String.join("\n", lines) + "\n";
        assertThat(outcome(ndjson, new RunlightEventRecords())).as(ndjson).isEqualTo(outcome(ndjson, new TreeRunlightEventRecords()));
        // the same records as one JSON array, where a malformed one refuses the document, and as concatenated objects
        String array = "[" + String.join(",\n", lines) + "]";
        assertThat(outcome(array, new RunlightEventRecords())).as(array).isEqualTo(outcome(array, new TreeRunlightEventRecords()));
        String concatenated = "{\n" + String.join("\n", lines).substring(1);
        assertThat(outcome(concatenated, new RunlightEventRecords())).as(concatenated).isEqualTo(outcome(concatenated, new TreeRunlightEventRecords()));
    }

    // the batch, or the exception that refused the document, in words that compare
    private String outcome(String document, EventRecordReader reader)
    {
        try {
            EventBatch batch = records.read(FormatDetector.buffered(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8))), DocumentFormat.RUNLIGHT_EVENTS, reader);
            return batch.toString();
        }
        catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
