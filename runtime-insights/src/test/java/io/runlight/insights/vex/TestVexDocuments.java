package io.runlight.insights.vex;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;

import io.runlight.insights.report.AlpineSample;
import io.runlight.plugin.api.connector.VexFormat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestVexDocuments
{
    private static final Instant TIMESTAMP = Instant.parse("2026-11-28T12:30:00Z");

    @Test
    void writesEachFormatWithItsWriter()
            throws IOException
    {
        VexOptions options = VexOptions.DEFAULT.withProductIdForm(ProductIdForm.DOCKER);
        VexDocuments documents = new VexDocuments(options);

        assertThat(documents.toBytes(AlpineSample.image(), VexFormat.OPENVEX, TIMESTAMP)).isEqualTo(new OpenVexWriter(options).toBytes(AlpineSample.image(), TIMESTAMP));
        assertThat(documents.toBytes(AlpineSample.image(), VexFormat.CYCLONEDX, TIMESTAMP)).isEqualTo(new CycloneDxVexWriter(options).toBytes(AlpineSample.image(), TIMESTAMP));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        documents.write(AlpineSample.image(), VexFormat.CYCLONEDX, TIMESTAMP, out);
        assertThat(out.toByteArray()).isEqualTo(new CycloneDxVexWriter(options).toBytes(AlpineSample.image(), TIMESTAMP));
    }

    @Test
    void namesContentTypesAndFileExtensions()
    {
        assertThat(VexDocuments.contentType(VexFormat.OPENVEX)).isEqualTo("application/json");
        assertThat(VexDocuments.contentType(VexFormat.CYCLONEDX)).isEqualTo("application/vnd.cyclonedx+json; version=1.6");
        assertThat(VexDocuments.fileExtension(VexFormat.OPENVEX)).isEqualTo(".openvex.json");
        assertThat(VexDocuments.fileExtension(VexFormat.CYCLONEDX)).isEqualTo(".cdx.json");
    }
}
