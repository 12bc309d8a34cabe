package dev.rota.messaging;

import dev.rota.model.Credentials;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates RabbitMQ users with {@code rabbitmqctl} on the broker's machine (it needs the rights of the
 * broker's operator, e.g. root). Passwords go to {@code rabbitmqctl}'s standard input, never onto its
 * command line where other local users could read them. For the demo and for tests; production
 * clusters run the documented {@code rabbitmqctl} lines once.
 */
public final class BrokerUsers {
    /** How long one {@code rabbitmqctl} call may take. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    private final String rabbitmqctl;

    /** @param rabbitmqctl the command, e.g. {@code rabbitmqctl} from the PATH */
    public BrokerUsers(String rabbitmqctl) {
        this.rabbitmqctl = rabbitmqctl;
    }

    /** Whether {@code rabbitmqctl} can be run here and reaches the local broker. */
    public boolean available() {
        try {
            run(List.of("list_vhosts"), null);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Creates the user (or resets its password) and grants exactly {@code permissions} in {@code vhost}.
     *
     * @throws IOException naming the failed {@code rabbitmqctl} call and its output
     */
    public void ensure(String vhost, Credentials user, BrokerPermissions permissions) throws IOException {
        try {
            run(List.of("add_user", user.user()), user.password());
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("already exists")) {
                throw e;
            }
            run(List.of("change_password", user.user()), user.password());
        }
        run(permissions.rabbitmqctlArguments(vhost, user.user()), null);
    }

    /** Deletes the user; a user that does not exist is not an error. */
    public void delete(String user) throws IOException {
        try {
            run(List.of("delete_user", user), null);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("does not exist")
                    && !String.valueOf(e.getMessage()).contains("no_such_user")) {
                throw e;
            }
        }
    }

    private void run(List<String> args, String stdin) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(rabbitmqctl);
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            if (!p.waitFor(DEFAULT_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(rabbitmqctl + " " + args.get(0) + " took longer than " + DEFAULT_CALL_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(rabbitmqctl + " " + args.get(0) + " interrupted", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IOException(rabbitmqctl + " " + args.get(0) + " failed (exit " + p.exitValue() + "): " + output);
        }
    }
}
