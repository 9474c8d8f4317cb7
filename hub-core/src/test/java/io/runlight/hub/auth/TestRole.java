package io.runlight.hub.auth;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRole
{
    @Test
    void adminImpliesTheOthersAndIngestDoesNotImplyRead()
    {
        assertThat(Role.ADMIN.implies(Role.ADMIN)).isTrue();
        assertThat(Role.ADMIN.implies(Role.INGEST)).isTrue();
        assertThat(Role.ADMIN.implies(Role.READ)).isTrue();
        assertThat(Role.INGEST.implies(Role.INGEST)).isTrue();
        assertThat(Role.INGEST.implies(Role.READ)).isFalse();
        assertThat(Role.INGEST.implies(Role.ADMIN)).isFalse();
        assertThat(Role.READ.implies(Role.READ)).isTrue();
        assertThat(Role.READ.implies(Role.INGEST)).isFalse();
        assertThat(Role.READ.implies(Role.ADMIN)).isFalse();
    }

    @Test
    void parsesClaimValues()
    {
        assertThat(Role.fromClaim("admin")).contains(Role.ADMIN);
        assertThat(Role.fromClaim("Read")).contains(Role.READ);
        assertThat(Role.fromClaim("offline_access")).isEmpty();
        assertThat(Role.INGEST.claimValue()).isEqualTo("ingest");
        assertThatThrownBy(() -> Role.parse("root"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("role 'root' is not known: use admin, ingest or read");
    }

    @Test
    void principalRolesAreOrderedAndChecked()
    {
        Principal principal = Principal.jwt("bob", Set.of(Role.READ, Role.INGEST));

        assertThat(principal.roles()).containsExactly(Role.INGEST, Role.READ);
        assertThat(principal.hasRole(Role.ADMIN)).isFalse();
        assertThat(principal.isIntegration("int_1")).isFalse();
        assertThatThrownBy(() -> new Principal("x", PrincipalKind.INTEGRATION_TOKEN, Set.of(), Optional.of("tok_1"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an integration token principal needs an integration id");
    }
}
