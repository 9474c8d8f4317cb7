package io.runlight.hub.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

import static java.util.Objects.requireNonNull;

/**
 * PEM text, read with BouncyCastle's {@link PemReader} (as {@link TlsMaterial} reads keys
 * with its {@code PEMParser}) and written in the 64-column form OpenSSL writes.
 */
public final class PemBlocks
{
    private PemBlocks() {}

    /**
     * One block: its type ({@code PUBLIC KEY}, {@code CERTIFICATE}, ...) and its DER bytes.
     */
    public record Block(String type, byte[] der)
    {
        public Block
        {
            requireNonNull(type, "type is null");
            der = requireNonNull(der, "der is null").clone();
        }

        @Override
        public byte[] der()
        {
            return der.clone();
        }

        /** The block as PEM text. */
        public String text()
        {
            return write(type, der);
        }
    }

    /**
     * Every block of {@code content}, in order.
     *
     * @param source what the text is, for messages, for example {@code key file '/etc/runlight/idp.pem'}
     * @throws IllegalArgumentException if a block is not valid base64 or there is no block
     */
    public static List<Block> read(String source, String content)
    {
        requireNonNull(source, "source is null");
        requireNonNull(content, "content is null");
        List<Block> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(content))) {
            PemObject object = reader.readPemObject();
            while (object != null) {
                blocks.add(new Block(object.getType(), object.getContent()));
                object = reader.readPemObject();
            }
        }
        catch (IOException | RuntimeException e) {
            // BouncyCastle reports bad base64 as an IOException or a DecoderException, and a missing END line as an IOException
            throw new IllegalArgumentException(source + " has a PEM block that cannot be read (not valid base64, or no END line): " + e.getMessage(), e);
        }
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(source + " contains no PEM block: expected '-----BEGIN PUBLIC KEY-----' or '-----BEGIN CERTIFICATE-----'");
        }
        return List.copyOf(blocks);
    }

    /** The blocks of a file's text, named in messages as {@code key file '<file>'}. */
    public static List<Block> read(Path file, String content)
    {
        return read("key file '" + requireNonNull(file, "file is null") + "'", content);
    }

    /** {@code der} as a PEM block of {@code type}, base64 in lines of 64 characters. */
    public static String write(String type, byte[] der)
    {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
