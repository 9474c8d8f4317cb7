package com.acme.runlight;

import java.net.URI;
import java.util.Optional;

import io.runlight.plugin.api.connector.Connector;
import io.runlight.plugin.api.connector.Pusher;

final class AcmeConnector
        implements Connector
{
    private final AcmePusher pusher;

    AcmeConnector(URI url, String apiKey, String mode, String version)
    {
        this.pusher = new AcmePusher(url, apiKey, mode, version);
    }

    @Override
    public Optional<Pusher> pusher()
    {
        return Optional.of(pusher);
    }
}
