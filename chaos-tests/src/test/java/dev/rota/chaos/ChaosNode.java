package dev.rota.chaos;

import dev.rota.testsupport.TcpProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One master or worker running as a child JVM, with its output appended to
 * {@code target/chaos-logs/<scenario>/<name>.log}. It can be signalled (SIGKILL, SIGTERM, SIGSTOP,
 * SIGCONT) and restarted with the same command and environment; a restart appends to the same log
 * after a marker line.
 */
public final class ChaosNode {
    /** The role of a node: the first argument of {@link ChaosNodeMain}. */
    public enum Role { MASTER, WORKER }

    /** The POSIX signals the harness sends. */
    public enum Signal {
        KILL("-KILL"), TERM("-TERM"), STOP("-STOP"), CONT("-CONT");

        private final String flag;

        Signal(String flag) {
            this.flag = flag;
        }
    }

    private final String name;
    private final Role role;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private final List<TcpProxy> zkProxies;
    private Process process;
    private int starts;

    ChaosNode(String name, Role role, List<String> command, Map<String, String> environment, Path log,
            List<TcpProxy> zkProxies) {
        this.name = name;
        this.role = role;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.zkProxies = List.copyOf(zkProxies);
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    public Path log() {
        return log;
    }

    /** The proxies in front of the ZooKeeper servers this node connects through: cut them to partition it. */
    public List<TcpProxy> zkProxies() {
        return zkProxies;
    }

    /** Starts the JVM (again, after it died or was killed). */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("node " + name + " is already running as pid " + process.pid());
        }
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "==== chaos: start #" + (++starts) + " of " + name + " at " + Instant.now() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(environment);
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start node " + name, e);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("node " + name + " was never started");
        }
        return process.pid();
    }

    /** The exit code, or null while running or never started. */
    public synchronized Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    /** How many times this node was started. */
    public synchronized int starts() {
        return starts;
    }

    /** Sends {@code signal} with {@code kill}; returns once the signal is delivered. */
    public void signal(Signal signal) {
        long pid = pid();
        try {
            Process kill = new ProcessBuilder("kill", signal.flag, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal.flag + " " + pid + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal node " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling node " + name, e);
        }
    }

    /** Waits (bounded) for the process to end after a signal; true when it did. */
    public boolean awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        return p == null || p.waitFor(timeout, unit);
    }

    /** Lines of this node's log containing {@code text}. */
    public List<String> logLines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : readLog()) {
            if (line.contains(text)) {
                out.add(line);
            }
        }
        return out;
    }

    /** The last {@code n} lines of the log. */
    public List<String> tail(int n) {
        List<String> lines = readLog();
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    private List<String> readLog() {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList() : List.of();
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e + ")");
        }
    }

    /** Kills the JVM if it runs (resuming it first if stopped); for cleanup. */
    synchronized void destroy() {
        if (process != null && process.isAlive()) {
            try {
                signal(Signal.CONT);
            } catch (RuntimeException e) {
                // it may have died in between
            }
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + (isAlive() ? " (pid " + pid() + ")" : " (not running)");
    }
}
