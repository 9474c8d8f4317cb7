package io.runlight.hub.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestTextTable
{
    private static final String NL = System.lineSeparator();

    @Test
    void alignsColumnsWithoutTrailingBlanks()
    {
        String text = print(TextTable.withHeaders("ID", "NAME", "STATUS")
                .row("tok_1", "a long name", "ACTIVE")
                .row("tok_22", "b", "-"));

        assertThat(text).isEqualTo(
                "ID      NAME         STATUS" + NL
                        + "tok_1   a long name  ACTIVE" + NL
                        + "tok_22  b            -" + NL);
    }

    @Test
    void fieldListsAlignTheirValues()
    {
        assertThat(print(TextTable.fields().field("id", "x").field("last used", "-"))).isEqualTo(
                "id:         x" + NL
                        + "last used:  -" + NL);
    }

    @Test
    void cellsShowAbsentValuesAsADashAndInstantsToTheSecond()
    {
        assertThat(TextTable.cell(MissingNode.getInstance())).isEqualTo("-");
        assertThat(TextTable.cell(NullNode.getInstance())).isEqualTo("-");
        assertThat(TextTable.cell(new TextNode("two\nlines"))).isEqualTo("two lines");
        assertThat(TextTable.cell(JsonNodeFactory.instance.numberNode(7))).isEqualTo("7");
        assertThat(TextTable.time(new TextNode("2026-11-28T12:00:00.123456Z"))).isEqualTo("2026-11-28T12:00:00Z");
        assertThat(TextTable.time(new TextNode("soon"))).isEqualTo("soon");
        assertThat(TextTable.time(MissingNode.getInstance())).isEqualTo("-");
    }

    @Test
    void aRowMustFitTheHeaders()
    {
        assertThatThrownBy(() -> TextTable.withHeaders("A", "B").row("1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a row of 1 cells for 2 columns");
    }

    private static String print(TextTable table)
    {
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out, true));
        return out.toString();
    }
}
