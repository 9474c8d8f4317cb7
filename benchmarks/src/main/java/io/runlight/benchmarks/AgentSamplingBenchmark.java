package io.runlight.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;

import io.runlight.agent.Agent;
import io.runlight.agent.AgentSettings;
import io.runlight.agent.attribution.ContainerAttribution;
import io.runlight.agent.attribution.HostIdentity;
import io.runlight.agent.attribution.Workload;
import io.runlight.agent.delivery.HubConnection;
import io.runlight.agent.delivery.ObservationBuffer;
import io.runlight.agent.proc.ContainerRef;
import io.runlight.agent.proc.ProcSampler;
import io.runlight.insights.input.InputLimits;
import io.runlight.plugin.api.ImageDigest;

/**
 * Issue 17's cost budget: one round of {@code runlight agent} (sample every process's
 * executable, maps, descriptors and cgroup; attribute; check each file against what the hub
 * already has) at 1,000 processes, against a baseline measured in the same run: the same
 * {@code /proc} read with bare JDK calls and nothing parsed (the least any {@code /proc}
 * sampler must do). Reported: CPU per round, and what that is as a share of one core at the
 * default 30 s interval (target: below 2%), the ratio to the baseline, and the heap the agent
 * keeps between rounds.
 *
 * <p>The {@code /proc} is synthetic (1,000 process folders shaped as real ones: 60 maps lines of
 * 25 distinct files, 12 descriptors, cgroup v2 lines of 40 containers and the host) because a
 * test machine has no 1,000 processes; the hub is a local JDK HTTP server answering 202, and
 * in the steady state the round sends nothing (every file was acknowledged in the first round).
 * {@code java -cp target/benchmarks.jar io.runlight.benchmarks.AgentSamplingBenchmark [processes] [rounds]}
 */
public final class AgentSamplingBenchmark
{
    static final double TARGET_SHARE_OF_ONE_CORE = 0.02;
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    private AgentSamplingBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        int processes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path proc = Files.createTempDirectory("runlight-agent-bench-");
        HttpServer hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"accepted\":1,\"rejected\":0,\"errors\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        hub.start();
        try {
            Map<String, Workload> containers = SyntheticProc.write(proc, processes);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();

            long heapBefore = usedHeapAfterGc();
            Agent agent = agent(proc, containers, hub.getAddress().getPort());
            Agent.Round first = agent.runOnce();
            // warm-up, then the measured steady-state rounds
            for (int i = 0; i < rounds; i++) {
                agent.runOnce();
            }
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            Agent.Round last = null;
            for (int i = 0; i < rounds; i++) {
                last = agent.runOnce();
            }
            double oursCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e9 / rounds;
            double oursWall = (System.nanoTime() - wall) / 1e9 / rounds;
            long heapKept = usedHeapAfterGc() - heapBefore;

            for (int i = 0; i < rounds; i++) {
                baseline(proc);
            }
            cpu = threads.getCurrentThreadCpuTime();
            wall = System.nanoTime();
            long bytes = 0;
            for (int i = 0; i < rounds; i++) {
                bytes = baseline(proc);
            }
            double baseCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e9 / rounds;
            double baseWall = (System.nanoTime() - wall) / 1e9 / rounds;

            double share = oursCpu / INTERVAL.toSeconds();
            System.out.printf(Locale.ROOT, "processes               %d (%d containers and the host), first round sent %d observations%n",
                    last.processes(), containers.size(), first.sent());
            System.out.printf(Locale.ROOT, "agent round             %.1f ms CPU, %.1f ms elapsed (steady state: %d sent, %d waiting)%n",
                    oursCpu * 1e3, oursWall * 1e3, last.sent(), last.pending());
            System.out.printf(Locale.ROOT, "baseline (raw /proc)    %.1f ms CPU, %.1f ms elapsed (%d bytes read, nothing parsed)%n", baseCpu * 1e3, baseWall * 1e3, bytes);
            System.out.printf(Locale.ROOT, "ratio agent/baseline    %.2f CPU, %.2f elapsed%n", oursCpu / baseCpu, oursWall / baseWall);
            System.out.printf(Locale.ROOT, "share of one core       %.3f%% at a %d s interval (target < %.0f%%): %s%n",
                    share * 100, INTERVAL.toSeconds(), TARGET_SHARE_OF_ONE_CORE * 100, share < TARGET_SHARE_OF_ONE_CORE ? "PASS" : "FAIL");
            System.out.printf(Locale.ROOT, "heap kept by the agent  %.1f MiB (buffer and acknowledgements of every file seen)%n", heapKept / 1048576.0);
            Path out = Path.of("target/agent-sampling.json");
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, String.format(Locale.ROOT,
                    "{\"processes\":%d,\"agentCpuMs\":%.3f,\"agentElapsedMs\":%.3f,\"baselineCpuMs\":%.3f,\"baselineElapsedMs\":%.3f,\"cpuRatio\":%.3f,"
                            + "\"shareOfOneCore\":%.5f,\"target\":%.2f,\"heapKeptBytes\":%d}%n",
                    processes, oursCpu * 1e3, oursWall * 1e3, baseCpu * 1e3, baseWall * 1e3, oursCpu / baseCpu, share, TARGET_SHARE_OF_ONE_CORE, heapKept),
                    StandardCharsets.UTF_8);
        }
        finally {
            hub.stop(0);
            try (Stream<Path> files = Files.walk(proc)) {
                files.sorted((left, right) -> right.compareTo(left)).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Agent agent(Path proc, Map<String, Workload> containers, int port)
    {
        AgentSettings settings = new AgentSettings(INTERVAL, Optional.of("bench"), "bench-node", proc, Set.of(), proc, Duration.ofMinutes(10),
                100_000, 2000, false, Optional.empty(), Optional.empty());
        ContainerAttribution attribution = new ContainerAttribution()
        {
            @Override
            public Optional<Workload> workload(ContainerRef container)
            {
                return Optional.ofNullable(containers.get(container.id()));
            }

            @Override
            public String description()
            {
                return "the benchmark's pods";
            }
        };
        HostIdentity host = new HostIdentity("bench-node", "host/bench-node", new ImageDigest("sha256:" + "9".repeat(64)));
        return new Agent(settings, new ProcSampler(proc, InputLimits.DEFAULT, Set.of()), List.of(attribution), host,
                new ObservationBuffer(settings.bufferCapacity(), settings.refreshAfter()),
                new HubConnection(URI.create("http://127.0.0.1:" + port), "rlt_bench", HttpClient.newHttpClient()), Optional.empty(), Clock.systemUTC());
    }

    // what any sampler must read: each pid's exe link, maps, descriptor links and cgroup, unparsed
    private static long baseline(Path proc)
            throws IOException
    {
        long bytes = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc)) {
            for (Path pid : pids) {
                bytes += Files.readSymbolicLink(pid.resolve("exe")).toString().length();
                bytes += Files.readAllBytes(pid.resolve("maps")).length;
                bytes += Files.readAllBytes(pid.resolve("cgroup")).length;
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
                    for (Path fd : fds) {
                        bytes += Files.readSymbolicLink(fd).toString().length();
                    }
                }
            }
        }
        return bytes;
    }

    private static long usedHeapAfterGc()
            throws InterruptedException
    {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A {@code /proc} of synthetic processes shaped as real ones. */
    static final class SyntheticProc
    {
        private static final List<String> LIBRARIES = List.of("libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "libssl.so.3", "libcrypto.so.3",
                "libz.so.1", "libstdc++.so.6", "libgcc_s.so.1", "libffi.so.8", "libexpat.so.1", "liblzma.so.5", "libbz2.so.1.0", "libsqlite3.so.0",
                "libuuid.so.1", "libtinfo.so.6", "libreadline.so.8", "libncursesw.so.6", "libselinux.so.1", "libpcre2-8.so.0", "libcap.so.2",
                "libsystemd.so.0", "libzstd.so.1", "liblz4.so.1", "libgcrypt.so.20");

        private SyntheticProc() {}

        /** Writes the processes; returns the workload of each container id. */
        static Map<String, Workload> write(Path proc, int processes)
                throws IOException
        {
            Map<String, Workload> containers = new HashMap<>();
            for (int pid = 1000; pid < 1000 + processes; pid++) {
                Path directory = Files.createDirectories(proc.resolve(Integer.toString(pid)));
                int container = pid % 5 == 0 ? -1 : pid % 40;
                String executable = "/usr/bin/app" + (pid % 17);
                Files.createSymbolicLink(directory.resolve("exe"), Path.of(executable));
                Files.createSymbolicLink(directory.resolve("root"), Path.of("/"));
                Files.writeString(directory.resolve("cmdline"), executable + "\0--serve\0");
                String id = String.format(Locale.ROOT, "%064x", 0xC0FFEEL + container);
                if (container < 0) {
                    Files.writeString(directory.resolve("cgroup"), "0::/system.slice/app" + (pid % 17) + ".service\n");
                }
                else {
                    Files.writeString(directory.resolve("cgroup"), "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + container
                            + ".slice/cri-containerd-" + id + ".scope\n");
                    containers.putIfAbsent(id, new Workload(Optional.of("bench"), Optional.of("Deployment"), Optional.of("app" + container),
                            Optional.of("app" + container + "-0"), Optional.of("app"), "containerd://" + id, Optional.of("bench/app:" + container),
                            new ImageDigest(String.format(Locale.ROOT, "sha256:%064x", 0xBEEFL + container))));
                }
                StringBuilder maps = new StringBuilder();
                long address = 0x7f0000000000L;
                maps.append(String.format(Locale.ROOT, "%012x-%012x r-xp 00000000 08:01 %d %s%n", address, address + 0x1000, pid, executable));
                for (int line = 0; line < 57; line++) {
                    String library = "/usr/lib/x86_64-linux-gnu/" + LIBRARIES.get((line / 2 + pid) % LIBRARIES.size());
                    address += 0x1000;
                    maps.append(String.format(Locale.ROOT, "%012x-%012x %s %08x 08:01 %d %s%n", address, address + 0x1000, line % 2 == 0 ? "r-xp" : "r--p",
                            line * 0x1000, 4000 + line, library));
                }
                maps.append("7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]\n");
                maps.append("7ffd00100000-7ffd00102000 r-xp 00000000 00:00 0                          [vdso]\n");
                Files.writeString(directory.resolve("maps"), maps.toString());
                Path fd = Files.createDirectories(directory.resolve("fd"));
                List<String> targets = List.of("/dev/null", "/dev/null", "/dev/null", "socket:[" + pid + "]", "pipe:[" + pid + "]", "anon_inode:[eventpoll]",
                        "/var/log/app" + (pid % 17) + ".log", "/srv/app/lib/app-" + (pid % 17) + ".jar", "/srv/app/config.yaml", "socket:[" + (pid + 1) + "]",
                        "/usr/share/zoneinfo/UTC", "/proc/" + pid + "/stat");
                for (int i = 0; i < targets.size(); i++) {
                    Files.createSymbolicLink(fd.resolve(Integer.toString(i)), Path.of(targets.get(i)));
                }
            }
            return containers;
        }
    }
}
