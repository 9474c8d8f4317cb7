package io.runlight.insights.input;

import java.io.IOException;
import java.util.List;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one typed-JSON helper of the readers: absent and {@code null} read alike, a wrong
 * type names the pointer and what was expected, in the wording the reader chose.
 */
class TestJsonFields
{
    private static final JsonFields<InputException> FIELDS = JsonFields.of(DocumentFormat.GRYPE_JSON);
    private static final JsonFields<InputException> DETAILED = JsonFields.of(DocumentFormat.SYFT_JSON, JsonDescriptions::describeInDetail);

    @Test
    void absentAndNullReadAsAbsent()
            throws IOException
    {
        JsonNode node = json("{\"a\": null, \"blank\": \"  \", \"text\": \" x \", \"number\": 7}");
        assertThat(FIELDS.text(node, "a", "/m")).isEmpty();
        assertThat(FIELDS.text(node, "missing", "/m")).isEmpty();
        assertThat(FIELDS.text(node, "blank", "/m")).isEmpty();
        assertThat(FIELDS.text(node, "text", "/m")).hasValue("x");
        assertThat(FIELDS.scalar(node, "text", "/m")).hasValue(" x ");
        assertThat(FIELDS.scalar(node, "number", "/m")).hasValue("7");
        assertThat(FIELDS.array(node, "a", "/m")).isEmpty();
        assertThat(FIELDS.object(node, "missing", "/m")).isEmpty();
        assertThat(FIELDS.number(node, "number", "/m", 0, 10)).isEqualTo(OptionalDouble.of(7));
    }

    @Test
    void wrongTypesNameThePointer()
            throws IOException
    {
        JsonNode node = json("{\"a/b\": 1, \"list\": [\"x\", 2], \"score\": 11}");
        assertThatThrownBy(() -> FIELDS.text(node, "a/b", "/matches/0"))
                .hasMessage("Grype JSON at /matches/0/a~1b: expected a string, found a number");
        assertThatThrownBy(() -> FIELDS.texts(node, "list", "/"))
                .hasMessage("Grype JSON at /list/1: expected a string, found a number");
        assertThatThrownBy(() -> FIELDS.number(node, "score", "/m", 0, 10))
                .hasMessage("Grype JSON at /m/score: expected a number from 0 to 10, found 11.0");
        assertThatThrownBy(() -> FIELDS.requiredText(node, "id", "/m"))
                .hasMessage("Grype JSON at /m/id: missing; expected a non-empty string");
        assertThatThrownBy(() -> FIELDS.at(node, "list", "x"))
                .hasMessage("Grype JSON at /list: expected an object, found an array");
        assertThatThrownBy(() -> DETAILED.requiredScalar(node, "name", "/artifacts/0", "the package name"))
                .hasMessage("Syft JSON at /artifacts/0/name: expected the package name (a non-empty string), found nothing");
    }

    @Test
    void readersChooseTheirWording()
            throws IOException
    {
        JsonFields<IllegalStateException> fields = new JsonFields<>(new JsonFields.Problems<>()
        {
            @Override
            public String describe(JsonNode found)
            {
                return JsonDescriptions.describe(found);
            }

            @Override
            public IllegalStateException invalid(String pointer, String problem)
            {
                return new IllegalStateException("'" + pointer + "' " + problem);
            }
        });
        JsonNode node = json("{\"process\": {\"args\": {}}}");
        assertThat(fields.at(node, "process", "args")).hasValue(json("{}"));
        assertThatThrownBy(() -> fields.elements(fields.at(node, "process", "args").orElseThrow(), JsonFields.pointer("process", "args")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("'/process/args' expected an array, found an object");
        assertThat(fields.at(node, "process", "pid")).isEmpty();
        assertThat(List.of(JsonFields.child("/", "x"), JsonFields.child("", "x"), JsonFields.child("/a", "~"))).containsExactly("/x", "/x", "/a/~0");
    }

    private static JsonNode json(String text)
            throws IOException
    {
        return new ObjectMapper().readTree(text);
    }
}
