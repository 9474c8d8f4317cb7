package io.runlight.agent.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.runlight.agent.attribution.Workload;
import io.runlight.agent.proc.FileUse;
import io.runlight.plugin.api.EvidenceKind;
import io.runlight.plugin.api.ImageDigest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestObservationBuffer
{
    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    private static final Workload CART = new Workload(Optional.of("shop"), Optional.of("Deployment"), Optional.of("cart"), Optional.of("cart-7d9f"),
            Optional.of("cart"), "containerd://" + "a".repeat(64), Optional.of("acme/cart:1.4"), new ImageDigest("sha256:" + "1".repeat(64)));
    private static final FileUse PYTHON = new FileUse(EvidenceKind.EXEC, "/usr/bin/python3.11");
    private static final FileUse SSL = new FileUse(EvidenceKind.MMAP, "/usr/lib/x86_64-linux-gnu/libssl.so.3");

    @Test
    void eachFileIsSentOnceThenRefreshedAfterThePeriod()
    {
        ObservationBuffer buffer = new ObservationBuffer(100, Duration.ofMinutes(10));
        buffer.observe(CART, PYTHON, Optional.of("/usr/bin/python3.11"), T0);
        buffer.observe(CART, SSL, Optional.of("/usr/bin/python3.11"), T0);
        List<Observation> first = buffer.next(10);
        assertThat(first).extracting(Observation::use).containsExactly(PYTHON, SSL);
        assertThat(first).noneMatch(Observation::refresh);
        buffer.acknowledged(first, T0);

        buffer.observe(CART, PYTHON, Optional.of("/usr/bin/python3.11"), T0.plusSeconds(30));
        buffer.observe(CART, PYTHON, Optional.of("/usr/bin/python3.11"), T0.plus(Duration.ofMinutes(9)));
        assertThat(buffer.pending()).isZero();

        buffer.observe(CART, PYTHON, Optional.of("/usr/bin/python3.11"), T0.plus(Duration.ofMinutes(10)));
        List<Observation> refresh = buffer.next(10);
        assertThat(refresh).hasSize(1);
        assertThat(refresh.get(0).refresh()).isTrue();
        assertThat(refresh.get(0).reportedTime()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void whileTheHubIsAwayAFileWaitsOnceAndKeepsItsFirstSighting()
    {
        ObservationBuffer buffer = new ObservationBuffer(100, Duration.ofMinutes(10));
        for (int round = 0; round < 5; round++) {
            buffer.observe(CART, SSL, Optional.empty(), T0.plusSeconds(30L * round));
        }
        assertThat(buffer.pending()).isEqualTo(1);
        Observation waiting = buffer.next(10).get(0);
        assertThat(waiting.firstSeen()).isEqualTo(T0);
        assertThat(waiting.lastSeen()).isEqualTo(T0.plusSeconds(120));
        assertThat(waiting.reportedTime()).isEqualTo(T0);
    }

    @Test
    void aFullBufferDropsNewFilesWithoutForgettingThem()
    {
        ObservationBuffer buffer = new ObservationBuffer(1, Duration.ofMinutes(10));
        buffer.observe(CART, PYTHON, Optional.empty(), T0);
        buffer.observe(CART, SSL, Optional.empty(), T0);
        assertThat(buffer.pending()).isEqualTo(1);
        assertThat(buffer.dropped()).isEqualTo(1);

        buffer.acknowledged(buffer.next(10), T0.plusSeconds(30));
        // not remembered as sent: the next sample after the buffer drained sends it
        buffer.observe(CART, SSL, Optional.empty(), T0.plusSeconds(60));
        assertThat(buffer.next(10)).extracting(Observation::use).containsExactly(SSL);
    }

    @Test
    void acknowledgementsOlderThanTheRefreshPeriodAreForgotten()
    {
        ObservationBuffer buffer = new ObservationBuffer(100, Duration.ofMinutes(10));
        buffer.observe(CART, PYTHON, Optional.empty(), T0);
        buffer.acknowledged(buffer.next(10), T0);
        buffer.forgetBefore(T0.plus(Duration.ofMinutes(5)));
        assertThat(buffer.remembered()).isEqualTo(1);
        buffer.forgetBefore(T0.plus(Duration.ofMinutes(10)));
        assertThat(buffer.remembered()).isZero();
    }

    @Test
    void refusesNonsenseSizes()
    {
        assertThatThrownBy(() -> new ObservationBuffer(0, Duration.ofMinutes(1))).hasMessage("capacity must be at least 1, was 0");
        assertThatThrownBy(() -> new ObservationBuffer(1, Duration.ZERO)).hasMessage("refreshAfter must be positive, was PT0S");
    }
}
