package io.runlight.agent.attribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * HTTP/1.1 GET requests over a unix socket, as the Docker Engine serves its API: one
 * connection per request ({@code Connection: close}), a body of {@code Content-Length} bytes,
 * chunked, or up to the end of the stream, and never more than {@code maxBody} bytes.
 */
final class UnixSocketHttp
{
    private final Path socket;
    private final int maxBody;

    UnixSocketHttp(Path socket, int maxBody)
    {
        this.socket = requireNonNull(socket, "socket is null");
        this.maxBody = maxBody;
    }

    /** A status and a UTF-8 body. */
    record Response(int status, String body) {}

    Response get(String path)
            throws IOException
    {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            String request = "GET " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: runlight-agent\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            byte[] raw = readAll(channel);
            return parse(raw);
        }
    }

    private byte[] readAll(SocketChannel channel)
            throws IOException
    {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            all.write(buffer.array(), 0, buffer.limit());
            buffer.clear();
            if (all.size() > maxBody + 64 * 1024) {
                throw new IOException("the answer of '" + socket + "' is larger than " + maxBody + " bytes");
            }
        }
        return all.toByteArray();
    }

    private Response parse(byte[] raw)
            throws IOException
    {
        int headerEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headerEnd < 0) {
            throw new IOException("'" + socket + "' answered no complete HTTP header");
        }
        String[] head = new String(raw, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = head[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("'" + socket + "' answered no HTTP status line: '" + head[0] + "'");
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        }
        catch (NumberFormatException e) {
            throw new IOException("'" + socket + "' answered the status '" + statusLine[1] + "'", e);
        }
        boolean chunked = false;
        long length = -1;
        for (int i = 1; i < head.length; i++) {
            int colon = head[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = head[i].substring(colon + 1).strip();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
            else if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                }
                catch (NumberFormatException e) {
                    throw new IOException("'" + socket + "' answered the Content-Length '" + value + "'", e);
                }
            }
        }
        int start = headerEnd + 4;
        byte[] body;
        if (chunked) {
            body = dechunk(raw, start);
        }
        else if (length >= 0) {
            if (length > maxBody || start + length > raw.length) {
                throw new IOException("'" + socket + "' answered a body of " + length + " bytes, " + (length > maxBody ? "over the limit" : "cut short"));
            }
            body = java.util.Arrays.copyOfRange(raw, start, start + (int) length);
        }
        else {
            body = java.util.Arrays.copyOfRange(raw, start, raw.length);
        }
        if (body.length > maxBody) {
            throw new IOException("the answer of '" + socket + "' is larger than " + maxBody + " bytes");
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] dechunk(byte[] raw, int start)
            throws IOException
    {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int position = start;
        while (true) {
            int lineEnd = indexOf(raw, new byte[] {'\r', '\n'}, position);
            if (lineEnd < 0) {
                throw new IOException("'" + socket + "' answered a chunked body cut short");
            }
            String sizeText = new String(raw, position, lineEnd - position, StandardCharsets.US_ASCII);
            int semicolon = sizeText.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).strip(), 16);
            }
            catch (NumberFormatException e) {
                throw new IOException("'" + socket + "' answered the chunk size '" + sizeText + "'", e);
            }
            if (size == 0) {
                return body.toByteArray();
            }
            int data = lineEnd + 2;
            if (size < 0 || data + size > raw.length || body.size() + size > maxBody) {
                throw new IOException("'" + socket + "' answered a chunk of " + size + " bytes that is cut short or over the limit");
            }
            body.write(raw, data, size);
            position = data + size + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] pattern, int from)
    {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
