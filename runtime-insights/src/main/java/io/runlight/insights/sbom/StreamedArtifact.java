package io.runlight.insights.sbom;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.runlight.insights.input.DocumentFormat;
import io.runlight.insights.input.InputException;
import io.runlight.insights.input.JsonFields;
import io.runlight.insights.input.JsonInput;

import static java.util.Objects.requireNonNull;

/**
 * One Syft artifact read from the stream: a small tree of only the fields the reader uses,
 * and {@code metadata.files[]} read token by token, keeping each entry's {@code path} and
 * skipping digests and everything else without decoding them. A package can list thousands
 * of files; building a tree of them took most of the time of reading a Syft document.
 *
 * <p>Problems inside {@code metadata.files[]} (an entry that is not an object, a path that is
 * not a string) are kept, not thrown, so the reader reports them in the same order as it
 * checks the rest of the artifact: the first problem of the package wins, as with a tree.
 */
final class StreamedArtifact
{
    // the artifact and metadata fields SyftJsonReader reads; the rest is skipped
    private static final Set<String> ARTIFACT_FIELDS = Set.of("id", "name", "version", "type", "purl", "locations");
    private static final Set<String> METADATA_FIELDS = Set.of("architecture", "arch", "virtualPath", "sitePackagesRootPath", "pomProperties", "pomProject");

    private final JsonNode artifact;
    private final FileList files;

    private StreamedArtifact(JsonNode artifact, FileList files)
    {
        this.artifact = requireNonNull(artifact, "artifact is null");
        this.files = requireNonNull(files, "files is null");
    }

    /**
     * Reads the artifact the parser is at (its first token) and consumes it whole.
     *
     * @throws InputException if the value is not an object
     */
    static StreamedArtifact read(JsonInput json, JsonFields<InputException> fields, DocumentFormat format, JsonParser parser, String pointer)
            throws IOException
    {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw fields.wrongType(pointer, "a package object", json.readTree(parser));
        }
        ObjectNode artifact = JsonNodeFactory.instance.objectNode();
        FileList files = FileList.EMPTY;
        while (JsonInput.next(parser, format) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = JsonInput.next(parser, format);
            if (name.equals("metadata")) {
                // a repeated field replaces the earlier one, as in a tree
                files = FileList.EMPTY;
                if (value == JsonToken.START_OBJECT) {
                    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
                    files = readMetadata(json, fields, format, parser, pointer + "/metadata/files", metadata);
                    artifact.set(name, metadata);
                }
                else {
                    artifact.set(name, value(json, parser));
                }
            }
            else if (ARTIFACT_FIELDS.contains(name)) {
                artifact.set(name, value(json, parser));
            }
            else {
                parser.skipChildren();
            }
        }
        return new StreamedArtifact(artifact, files);
    }

    // the metadata object's kept fields into metadata; files[] streamed when it is an array, kept as a tree otherwise
    private static FileList readMetadata(JsonInput json, JsonFields<InputException> fields, DocumentFormat format, JsonParser parser, String filesPointer, ObjectNode metadata)
            throws IOException
    {
        FileList files = FileList.EMPTY;
        while (JsonInput.next(parser, format) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = JsonInput.next(parser, format);
            if (name.equals("files")) {
                metadata.remove(name);
                files = FileList.EMPTY;
                if (value == JsonToken.START_ARRAY) {
                    files = FileList.read(json, fields, format, parser, filesPointer);
                }
                else {
                    metadata.set(name, value(json, parser));
                }
            }
            else if (METADATA_FIELDS.contains(name)) {
                metadata.set(name, value(json, parser));
            }
            else {
                parser.skipChildren();
            }
        }
        return files;
    }

    // the value at the parser as a node: strings and nulls directly (most fields), anything else through the tree reader
    private static JsonNode value(JsonInput json, JsonParser parser)
            throws IOException
    {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return TextNode.valueOf(parser.getText());
        }
        if (token == JsonToken.VALUE_NULL) {
            return NullNode.getInstance();
        }
        return json.readTree(parser);
    }

    /** The artifact's fields the reader uses; {@code metadata.files} is there only if it is not an array. */
    JsonNode artifact()
    {
        return artifact;
    }

    /** The entries of {@code metadata.files[]}; empty if it is missing, null or not an array. */
    FileList files()
    {
        return files;
    }

    /** The entries of one {@code metadata.files[]} array: how many, their non-empty paths, and the first problem found. */
    static final class FileList
    {
        static final FileList EMPTY = new FileList(0, List.of(), Optional.empty());

        private final int count;
        private final List<String> paths;
        private final Optional<InputException> problem;

        private FileList(int count, List<String> paths, Optional<InputException> problem)
        {
            this.count = count;
            this.paths = paths;
            this.problem = problem;
        }

        static FileList read(JsonInput json, JsonFields<InputException> fields, DocumentFormat format, JsonParser parser, String pointer)
                throws IOException
        {
            List<String> paths = new ArrayList<>();
            InputException firstProblem = null;
            int index = 0;
            while (JsonInput.next(parser, format) != JsonToken.END_ARRAY) {
                InputException problem = null;
                if (parser.currentToken() == JsonToken.START_OBJECT) {
                    String path = null;
                    while (JsonInput.next(parser, format) == JsonToken.FIELD_NAME) {
                        boolean isPath = parser.currentName().equals("path");
                        JsonToken value = JsonInput.next(parser, format);
                        if (!isPath) {
                            parser.skipChildren();
                            continue;
                        }
                        // a repeated "path" replaces the earlier one, as in a tree
                        path = null;
                        problem = null;
                        if (value == JsonToken.VALUE_STRING) {
                            path = parser.getText();
                        }
                        else if (value != JsonToken.VALUE_NULL) {
                            JsonNode node = json.readTree(parser);
                            if (node.isValueNode()) {
                                path = node.asText();
                            }
                            else {
                                problem = fields.wrongType(pointer + "/" + index + "/path", "a string", node);
                            }
                        }
                    }
                    if (path != null && !path.isEmpty()) {
                        paths.add(path);
                    }
                }
                else {
                    problem = fields.wrongType(pointer + "/" + index, "a file object", json.readTree(parser));
                }
                if (firstProblem == null) {
                    firstProblem = problem;
                }
                index++;
            }
            return new FileList(index, paths, Optional.ofNullable(firstProblem));
        }

        /** How many entries the array has, with or without a path. */
        int count()
        {
            return count;
        }

        /** The non-empty paths, in document order. */
        List<String> paths()
        {
            return paths;
        }

        /** Throws the first problem found in the array, if any. */
        void throwIfInvalid()
        {
            if (problem.isPresent()) {
                throw problem.get();
            }
        }
    }
}
