package io.runlight.hub.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class TestUploadProgress
{
    private static final long TOTAL = 6 * 1024 * 1024;

    @Test
    void aTerminalGetsABarRedrawnWhenThePercentageChanges()
    {
        StringWriter err = new StringWriter();
        UploadProgress progress = new UploadProgress(new PrintWriter(err), "events.ndjson", TOTAL, true);

        progress.accept(16 * 1024);
        progress.accept(32 * 1024);
        progress.accept(TOTAL / 4);
        progress.accept(TOTAL);
        progress.finish();

        assertThat(err.toString()).isEqualTo(
                "\revents.ndjson [--------------------] 16.0 KiB / 6.0 MiB   0%"
                        + "\revents.ndjson [#####---------------] 1.5 MiB / 6.0 MiB  25%"
                        + "\revents.ndjson [####################] 6.0 MiB / 6.0 MiB 100%"
                        + System.lineSeparator());
    }

    @Test
    void elsewhereOneLinePerFile()
    {
        StringWriter err = new StringWriter();
        UploadProgress progress = new UploadProgress(new PrintWriter(err), "big.json", TOTAL, false);

        progress.accept(TOTAL / 2);
        progress.accept(TOTAL);
        progress.finish();

        assertThat(err.toString()).isEqualTo("big.json: sent 6.0 MiB of 6.0 MiB" + System.lineSeparator());
    }

    @Test
    void aRefusedUploadShowsWhatWasSent()
    {
        StringWriter err = new StringWriter();
        UploadProgress progress = new UploadProgress(new PrintWriter(err), "big.json", TOTAL, false);

        progress.accept(1024 * 1024);
        progress.finish();

        assertThat(err.toString()).isEqualTo("big.json: sent 1.0 MiB of 6.0 MiB" + System.lineSeparator());
    }

    @Test
    void sizesForPeople()
    {
        assertThat(UploadProgress.size(0)).isEqualTo("0 B");
        assertThat(UploadProgress.size(1023)).isEqualTo("1023 B");
        assertThat(UploadProgress.size(1536)).isEqualTo("1.5 KiB");
        assertThat(UploadProgress.size(3L * 1024 * 1024 * 1024)).isEqualTo("3.0 GiB");
        assertThat(UploadProgress.bar("f", 0, 0)).isEqualTo("f [####################] 0 B / 0 B 100%");
    }
}
