package dev.rota.cli;

import dev.rota.http.ApiServerConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Whether and where a master serves the HTTP API. */
public final class HttpOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Env("ROTA_HTTP_PORT")
    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Serve the HTTP API (/api/v1) on this port; 0 picks a free one (env ROTA_HTTP_PORT;"
                    + " default: no API).")
    Integer port;

    @Env("ROTA_HTTP_HOST")
    @Option(names = "--http-host", paramLabel = "ADDRESS", defaultValue = ApiServerConfig.DEFAULT_HOST,
            description = "Address the API binds (env ROTA_HTTP_HOST; default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--insecure-local",
            description = "Serve the API without tokens, as an admin of every team, on 127.0.0.1 only."
                    + " For a laptop or a demo; without it the API needs at least one token ('rota tokens create').")
    boolean insecureLocal;

    /** The API's settings, or null when no port is given. */
    ApiServerConfig config() {
        if (port == null) {
            if (insecureLocal) {
                throw new ParameterException(mixee.commandLine(), "--insecure-local needs --http-port");
            }
            return null;
        }
        try {
            return ApiServerConfig.of(port).withHost(host).withInsecureLocal(insecureLocal);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "--http-port: " + e.getMessage(), e);
        }
    }
}
