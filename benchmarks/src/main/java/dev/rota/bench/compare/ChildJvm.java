package dev.rota.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A node of a scheduler under test in its own JVM (same class path), so that it can be killed with
 * SIGKILL. Its standard output is read line by line: {@code EXEC ...} lines are executions, {@code LEADER}
 * and {@code READY} are its state; everything is also appended to a log file. The child exits by itself
 * when its standard input closes, so a harness that dies leaves no node behind.
 */
final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private volatile boolean leader;
    private volatile boolean ready;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static ChildJvm launch(String name, Class<?> main, List<String> args, Executions executions, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path")));
        String logConfig = System.getProperty("logback.configurationFile");
        if (logConfig != null) {
            command.add("-Dlogback.configurationFile=" + logConfig);
        }
        command.add(main.getName());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ChildJvm child = new ChildJvm(name, process);
        Thread reader = new Thread(() -> child.read(executions, log), "bench-child-" + name);
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    private void read(Executions executions, Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            String line;
            while ((line = in.readLine()) != null) {
                Execution e = Execution.parse(line);
                if (e != null) {
                    executions.add(e);
                    continue;
                }
                if (line.startsWith("LEADER")) {
                    leader = true;
                } else if (line.startsWith("READY")) {
                    ready = true;
                }
                out.println(name + ": " + line);
                out.flush();
            }
        } catch (IOException e) {
            // The child was killed: its output simply ends.
        }
    }

    String name() {
        return name;
    }

    boolean isLeader() {
        return leader;
    }

    boolean isReady() {
        return ready;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no goodbye to ZooKeeper or the database. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
