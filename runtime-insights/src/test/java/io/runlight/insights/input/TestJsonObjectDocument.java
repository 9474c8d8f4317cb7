package io.runlight.insights.input;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestJsonObjectDocument
{
    private static final DocumentFormat FORMAT = DocumentFormat.GRYPE_JSON;
    private static final InputLimits LIMITS = new InputLimits(1024 * 1024, 16, 1024, 2);

    private final JsonInput json = new JsonInput(LIMITS);

    @Test
    void handsOverTopLevelFieldsAndArrayElementsInOrder()
    {
        List<String> seen = JsonObjectDocument.read(json, stream("{\"a\": 1, \"items\": [{\"x\": 1}, {\"x\": 2}], \"none\": null, \"b\": {\"c\": [1]}}"), FORMAT,
                "a JSON object with 'items'", new Recording());
        assertThat(seen).containsExactly(
                "a=VALUE_NUMBER_INT",
                "items=START_ARRAY",
                "/items/0 {\"x\":1}",
                "/items/1 {\"x\":2}",
                "none=VALUE_NULL",
                "b=START_OBJECT",
                "finished");
    }

    @Test
    void refusesWhatIsNotOneObject()
    {
        assertThatThrownBy(() -> read("[{}]"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessage("Grype JSON at /: expected a JSON object with 'items', found an array");
        assertThatThrownBy(() -> read("{} {}"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.INVALID))
                .hasMessage("Grype JSON at /: found an object after the top-level object; expected one JSON document");
        assertThatThrownBy(() -> read("{\"items\": \"many\"}"))
                .isInstanceOf(InputException.class)
                .hasMessage("Grype JSON at /items: expected an array, found a string");
        assertThatThrownBy(() -> read("{\"items\": [{}, 7]}"))
                .isInstanceOf(InputException.class)
                .hasMessage("Grype JSON at /items/1: expected an object, found a number");
        assertThatThrownBy(() -> read(""))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED))
                .hasMessage("Grype JSON at /: the document ends early (truncated?)");
    }

    @Test
    void everyTruncationEndsEarly()
    {
        // no literals or fractions: "tr" or "3." cut short reads as a bad token, not as a truncation
        String document = "{\"items\": [{\"x\": \"one\"}, {\"x\": [1, 22, {\"y\": 35}]}], \"other\": {\"z\": \"\"}}";
        for (int length = 1; length < document.length(); length++) {
            String truncated = document.substring(0, length);
            if (truncated.isBlank()) {
                continue;
            }
            assertThatThrownBy(() -> read(truncated))
                    .as(truncated)
                    .isInstanceOfSatisfying(InputException.class, e -> {
                        assertThat(e.reason()).isEqualTo(InputException.Reason.MALFORMED);
                        assertThat(e.problem()).isEqualTo("the document ends early (truncated?)");
                    });
        }
    }

    @Test
    void countsItemsAgainstTheLimit()
    {
        JsonObjectDocument.requireRoom(1, LIMITS, FORMAT, "/items/1", "findings");
        assertThatThrownBy(() -> JsonObjectDocument.requireRoom(2, LIMITS, FORMAT, "/items/2", "findings"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.reason()).isEqualTo(InputException.Reason.TOO_LARGE))
                .hasMessage("Grype JSON at /items/2: more than 2 findings, the limit");
    }

    @Test
    void passesTheReadersOwnFailureThroughUnchanged()
    {
        InputException own = new InputException(InputException.Reason.INVALID, "Grype JSON", "/matches", "missing; expected an array of matches");
        assertThatThrownBy(() -> JsonObjectDocument.read(json, stream("{\"a\": 1}"), FORMAT, "an object", new Recording()
        {
            @Override
            public List<String> finish()
            {
                throw own;
            }
        })).isSameAs(own);
    }

    @Test
    void plainParseErrorAboutTheEndOfInputIsATruncation()
    {
        JsonParser noParser = null;
        assertThat(JsonInput.endsEarly(new JsonParseException(noParser, "Unexpected end-of-input within/between Object entries"))).isTrue();
        assertThat(JsonInput.endsEarly(new JsonParseException(noParser, "Unexpected character ('x' (code 120))"))).isFalse();
        assertThat(JsonInput.failure(FORMAT, null, new JsonParseException(noParser, "Unexpected end-of-input within/between Object entries")))
                .hasMessage("Grype JSON at /: the document ends early (truncated?)");
    }

    private void read(String document)
    {
        JsonObjectDocument.read(json, stream(document), FORMAT, "a JSON object with 'items'", new Recording());
    }

    // Records what it is handed; walks "items" and "none" as arrays of objects, skips the rest.
    private class Recording
            implements JsonObjectDocument.TopLevelReader<List<String>>
    {
        private final List<String> seen = new ArrayList<>();

        @Override
        public void field(String name, JsonToken value, JsonParser parser)
                throws IOException
        {
            seen.add(name + "=" + value);
            if (name.equals("items") || name.equals("none")) {
                JsonObjectDocument.forEachObject(parser, FORMAT, "/" + name, (element, pointer) -> seen.add(pointer + " " + json.readTree(element)));
            }
            else {
                parser.skipChildren();
            }
        }

        @Override
        public List<String> finish()
        {
            seen.add("finished");
            return seen;
        }
    }

    private static InputStream stream(String text)
    {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
