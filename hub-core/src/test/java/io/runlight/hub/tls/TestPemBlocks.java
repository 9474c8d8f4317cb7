package io.runlight.hub.tls;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPemBlocks
{
    private static final byte[] DER = "not really DER, but bytes all the same: 0123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void readsWhatItWritesAndSkipsTextAroundTheBlocks()
    {
        String text = "issued by the test\n" + PemBlocks.write("PUBLIC KEY", DER) + "between\n" + PemBlocks.write("CERTIFICATE", new byte[] {1, 2, 3});

        List<PemBlocks.Block> blocks = PemBlocks.read("key file 'k.pem'", text);

        assertThat(blocks).extracting(PemBlocks.Block::type).containsExactly("PUBLIC KEY", "CERTIFICATE");
        assertThat(blocks.get(0).der()).isEqualTo(DER);
        assertThat(blocks.get(1).der()).containsExactly(1, 2, 3);
        assertThat(blocks.get(0).text()).isEqualTo(PemBlocks.write("PUBLIC KEY", DER));
        assertThat(PemBlocks.write("PUBLIC KEY", DER)).startsWith("-----BEGIN PUBLIC KEY-----\nbm90IHJlYWxseSBERVIsIGJ1dCBieXRlcyBhbGwgdGhlIHNhbWU6IDAxMjM0NTY3\nODk=\n");
    }

    @Test
    void textWithoutABlockIsRefusedNamingItsSource()
    {
        assertThatThrownBy(() -> PemBlocks.read("key file 'k.pem'", "{\"keys\": []}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key file 'k.pem' contains no PEM block: expected '-----BEGIN PUBLIC KEY-----' or '-----BEGIN CERTIFICATE-----'");
    }

    @Test
    void truncatedAndMalformedBlocksAreRefused()
    {
        String whole = PemBlocks.write("PUBLIC KEY", DER);
        String truncated = whole.substring(0, whole.indexOf("-----END"));
        String badBase64 = "-----BEGIN PUBLIC KEY-----\n%%%%not base64%%%%\n-----END PUBLIC KEY-----\n";

        assertThatThrownBy(() -> PemBlocks.read("key file 'k.pem'", truncated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key file 'k.pem' has a PEM block that cannot be read (not valid base64, or no END line): ");
        assertThatThrownBy(() -> PemBlocks.read("key file 'k.pem'", badBase64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key file 'k.pem' has a PEM block that cannot be read (not valid base64, or no END line): ");
    }

    @Test
    void aBlockKeepsItsOwnCopyOfTheBytes()
    {
        byte[] der = {1, 2, 3};
        PemBlocks.Block block = new PemBlocks.Block("X", der);
        der[0] = 9;
        block.der()[1] = 9;

        assertThat(block.der()).containsExactly(1, 2, 3);
    }
}
