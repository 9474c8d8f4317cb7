package io.runlight.hub.auth;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where the hub finds the keys it trusts for JWTs. The hub's own ES256 key pair in
 * {@code <dataDir>/keys/} is always trusted (and made on first use); the organisation's
 * IdP keys come as PEM files (public keys or certificates), a JWKS file or a JWKS URL. An
 * HS256 shared secret is allowed but off by default: anyone who can verify can also mint.
 */
public record JwtKeySettings(
        Path dataDir,
        List<Path> publicKeyFiles,
        Optional<Path> jwksFile,
        Optional<URI> jwksUrl,
        Optional<String> hs256Secret)
{
    public JwtKeySettings
    {
        requireNonNull(dataDir, "dataDir is null");
        publicKeyFiles = List.copyOf(requireNonNull(publicKeyFiles, "publicKeyFiles is null"));
        requireNonNull(jwksFile, "jwksFile is null");
        requireNonNull(jwksUrl, "jwksUrl is null");
        requireNonNull(hs256Secret, "hs256Secret is null");
    }

    /** Only the hub's own key: what a single machine without an IdP uses. */
    public static JwtKeySettings ownKeyOnly(Path dataDir)
    {
        return new JwtKeySettings(dataDir, List.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public String toString()
    {
        return "JwtKeySettings[dataDir=" + dataDir + ", publicKeyFiles=" + publicKeyFiles + ", jwksFile=" + jwksFile
                + ", jwksUrl=" + jwksUrl + ", hs256Secret=" + hs256Secret.map(secret -> "****").orElse("none") + "]";
    }
}
