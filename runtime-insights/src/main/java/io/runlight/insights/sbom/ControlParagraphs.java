package io.runlight.insights.sbom;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;

/**
 * Splits a Debian control file ({@code var/lib/dpkg/status}, a {@code status.d} entry)
 * into paragraphs of {@code Field: value}; continuation lines (starting with a space or
 * tab) belong to the previous field and are not kept, since no field Runlight reads spans lines.
 */
final class ControlParagraphs
{
    /** One paragraph: its fields (names as written) and the line it starts on. */
    record Paragraph(Map<String, String> fields, int line)
    {
        String field(String name)
        {
            return fields.getOrDefault(name, "");
        }
    }

    private ControlParagraphs() {}

    static List<Paragraph> parse(List<String> lines, DocumentFormat format, String shownPath)
    {
        List<Paragraph> paragraphs = new ArrayList<>();
        Map<String, String> fields = new HashMap<>();
        int start = 0;
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            if (line.isBlank()) {
                if (!fields.isEmpty()) {
                    paragraphs.add(new Paragraph(fields, start));
                    fields = new HashMap<>();
                }
                continue;
            }
            if (line.startsWith(" ") || line.startsWith("\t")) {
                if (fields.isEmpty()) {
                    throw new InputException(InputException.Reason.MALFORMED, format.displayName(), shownPath + " line " + (index + 1),
                            "expected 'Field: value', found a continuation line with no field before it");
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new InputException(InputException.Reason.MALFORMED, format.displayName(), shownPath + " line " + (index + 1),
                        "expected 'Field: value', found '" + printable(line) + "'");
            }
            if (fields.isEmpty()) {
                start = index + 1;
            }
            fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        if (!fields.isEmpty()) {
            paragraphs.add(new Paragraph(fields, start));
        }
        return paragraphs;
    }

    static String printable(String text)
    {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 60; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == 0xfffd ? '?' : c);
        }
        return out.toString();
    }
}
