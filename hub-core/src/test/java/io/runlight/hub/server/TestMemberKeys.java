package io.runlight.hub.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.runlight.hub.auth.JwtKeySettings;
import io.runlight.hub.auth.JwtKeys;
import io.runlight.hub.auth.MemberKeys;
import io.runlight.hub.config.HubConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.runlight.hub.Await.await;
import static io.runlight.hub.server.HubTesting.freePort;
import static io.runlight.hub.server.HubTesting.httpUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members of one cluster trust each other's own JWT keys without any configuration: an
 * admin token minted on one member's data folder ({@code runlight admin-token}) works on
 * every member, also on one that joins after its signer has left; a key no member
 * published is still refused.
 */
@Tag("cluster")
@Tag("postgresql")
final class TestMemberKeys
{
    @TempDir
    static Path directory;

    private static AutoCloseable fastMembers;
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres()
            throws Exception
    {
        fastMembers = HubTesting.fastMembersInThisJvm();
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres()
            throws Exception
    {
        try {
            if (postgres != null) {
                postgres.close();
            }
        }
        finally {
            fastMembers.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyMemberAcceptsTokensSignedByAnyMembersOwnKey()
            throws Exception
    {
        String jdbcUrl = newDatabase("member_keys_hub");
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        String members = String.join(",", ports.stream().map(port -> "127.0.0.1:" + port).toList());
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("cluster.name", "runlight-keys-" + ports.get(0));
        shared.put("cluster.join", "tcp");
        shared.put("cluster.members", members);
        shared.put("database.url", jdbcUrl);
        shared.put("database.user", "postgres");
        shared.put("database.password", "postgres");
        // every member seals integration secrets with the same key
        shared.put("secrets.key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        Path firstDir = directory.resolve("member-1");
        Path secondDir = directory.resolve("member-2");
        HubConfig firstConfig = HubTesting.config(firstDir, ports.get(0), shared);
        HubConfig secondConfig = HubTesting.config(secondDir, ports.get(1), shared);

        Hub first;
        Hub second;
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            Future<Hub> firstStarting = starter.submit(() -> HubTesting.start(firstConfig));
            Future<Hub> secondStarting = starter.submit(() -> HubTesting.start(secondConfig));
            first = firstStarting.get(90, TimeUnit.SECONDS);
            second = secondStarting.get(90, TimeUnit.SECONDS);
        }
        finally {
            starter.shutdownNow();
        }
        Hub third = null;
        try {
            assertThat(await(Duration.ofSeconds(30), () -> first.store().hazelcast().getCluster().getMembers().size() == 2)).isTrue();
            HubClient one = new HubClient(HubClient.newHttpClient(), httpUrl(first));
            HubClient two = new HubClient(HubClient.newHttpClient(), httpUrl(second));
            String signedByFirst = HubClient.adminToken(firstDir);
            String signedBySecond = HubClient.adminToken(secondDir);
            // a data folder no member ever started from: its key was never published
            JwtKeys.load(JwtKeySettings.ownKeyOnly(directory.resolve("stranger")));
            String signedByStranger = HubClient.adminToken(directory.resolve("stranger"));

            for (HubClient member : List.of(one, two)) {
                assertThat(member.get("/api/v1/tokens", signedByFirst).statusCode()).isEqualTo(200);
                assertThat(member.get("/api/v1/tokens", signedBySecond).statusCode()).isEqualTo(200);
                assertThat(member.get("/api/v1/tokens", signedByStranger).statusCode()).isEqualTo(401);
            }

            // the keys are durable: a member joining after the second has left still trusts its tokens
            second.close();
            HubConfig thirdConfig = HubTesting.config(directory.resolve("member-3"), ports.get(2), shared);
            third = HubTesting.start(thirdConfig);
            HubClient three = new HubClient(HubClient.newHttpClient(), httpUrl(third));
            assertThat(three.get("/api/v1/tokens", signedBySecond).statusCode()).isEqualTo(200);
            assertThat(three.get("/api/v1/tokens", signedByFirst).statusCode()).isEqualTo(200);
            assertThat(three.get("/api/v1/tokens", signedByStranger).statusCode()).isEqualTo(401);
            String signedByThird = HubClient.adminToken(directory.resolve("member-3"));
            assertThat(await(Duration.ofSeconds(5), () -> one.get("/api/v1/tokens", signedByThird).statusCode() == 200))
                    .as("member 1 learns the key of a member that joined later")
                    .isTrue();

            // forgetting a member's key: every member refuses its tokens, the others' still work
            String secondKeyId = JwtKeys.load(JwtKeySettings.ownKeyOnly(secondDir)).ownKeyId();
            assertThat(first.store().map(MemberKeys.MAP).remove(secondKeyId)).isNotNull();
            for (HubClient member : List.of(one, three)) {
                assertThat(await(Duration.ofSeconds(5), () -> member.get("/api/v1/tokens", signedBySecond).statusCode() == 401))
                        .as("the forgotten key is refused")
                        .isTrue();
                assertThat(member.get("/api/v1/tokens", signedByFirst).statusCode()).isEqualTo(200);
                assertThat(member.get("/api/v1/tokens", signedByThird).statusCode()).isEqualTo(200);
            }
        }
        finally {
            if (third != null) {
                third.close();
            }
            second.close();
            first.close();
        }
    }

    private static String newDatabase(String name)
            throws Exception
    {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }
}
