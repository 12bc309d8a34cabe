package dev.rota.cli;

import dev.rota.admin.Admin;
import dev.rota.admin.AdminBuilder;
import dev.rota.admin.Principal;
import dev.rota.admin.Role;
import dev.rota.db.RotaDatabase;
import dev.rota.http.ApiClient;
import dev.rota.registry.Registry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How an admin command reaches the admin layer: through a master's HTTP API with a token ({@code --api}),
 * or straight in PostgreSQL (and ZooKeeper) with the database's credentials, acting as an admin of every
 * team named {@code db:<os user>} in the audit log.
 */
public final class AdminAccess {
    static final String TOKEN_VARIABLE = "ROTA_TOKEN";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Env("ROTA_API")
    @Option(names = "--api", paramLabel = "URL",
            description = "Use a master's HTTP API instead of the database, e.g. http://master-1:8080; the token comes"
                    + " from ROTA_TOKEN or --token-file (env ROTA_API; default: the database).")
    String api;

    @Env("ROTA_TOKEN_FILE")
    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the API token (env ROTA_TOKEN_FILE). Tokens are never taken on the command line.")
    Path tokenFile;

    @Mixin
    DatabaseOptions database;

    @Mixin
    ZooKeeperOptions zk;

    /** An open admin layer and who acts through it. Close it to release its connections. */
    record Session(Admin admin, Principal who, AutoCloseable... resources) implements AutoCloseable {
        @Override
        public void close() {
            admin.close();
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    // closing after the command's work is done; nothing to report
                }
            }
        }
    }

    boolean remote() {
        return api != null;
    }

    /**
     * @param needsCluster whether the action needs ZooKeeper (cluster status, failover, cancelling a run);
     *                     only the direct mode connects to it
     */
    Session open(boolean needsCluster) {
        if (api != null) {
            String token = token();
            Admin client = ApiClient.connect(api, token);
            return new Session(client, new Principal("api", Role.VIEWER, null));
        }
        RotaDatabase db = database.open();
        Registry registry = null;
        try {
            registry = needsCluster ? zk.openRegistry() : null;
        } catch (RuntimeException e) {
            db.close();
            throw new CommandFailedException("cannot reach ZooKeeper (" + zk.describe() + "): " + Errors.describe(e), e);
        }
        Admin admin = new AdminBuilder().database(db).registry(registry).build();
        String user = System.getProperty("user.name", "unknown");
        return registry == null ? new Session(admin, Principal.databaseUser(user), db)
                : new Session(admin, Principal.databaseUser(user), registry, db);
    }

    private String token() {
        if (tokenFile != null) {
            try {
                return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ParameterException(mixee.commandLine(), "--token-file: cannot read " + tokenFile + ": " + e);
            }
        }
        String token = mixee.commandLine().getDefaultValueProvider() instanceof EnvironmentDefaults env
                ? env.variable(TOKEN_VARIABLE) : null;
        if (token == null) {
            throw new ParameterException(mixee.commandLine(), "--api needs a token: set ROTA_TOKEN or give --token-file");
        }
        return token;
    }
}
