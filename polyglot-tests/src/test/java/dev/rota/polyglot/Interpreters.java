package dev.rota.polyglot;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The interpreters the examples need, found once. A test that needs one that is absent is skipped with a
 * message saying what to install ({@code .ci/start-services} installs them all). Under CI (the environment
 * variable {@code CI} set, as {@code .ci/run} does) an absent interpreter fails the test instead: there a
 * skip would let the examples break unnoticed.
 */
final class Interpreters {
    static final String PYTHON = findPython();
    static final boolean PHP = works("php", "-r", "require '/usr/share/php/PhpAmqpLib/autoload.php';");
    static final boolean NODE = works("node", "-e", "require('amqplib')")
            && Files.isDirectory(PolyglotCluster.EXAMPLES.resolve("node/node_modules/amqplib"));
    static final boolean MOSQUITTO_SUB = ClientProcess.available("mosquitto_sub");

    private Interpreters() {
    }

    static final boolean REQUIRED = System.getenv("CI") != null && !System.getenv("CI").isBlank();

    static void requireAll() {
        require(PYTHON != null, "no python3 with pika (Debian: apt-get install python3-pika)");
        require(PHP, "no php with php-amqplib (Debian: apt-get install php-cli php-amqplib)");
        require(NODE, "no node with amqplib (install Node.js, then npm ci in examples/node)");
        require(MOSQUITTO_SUB, "no mosquitto_sub (Debian: apt-get install mosquitto-clients)");
    }

    private static void require(boolean present, String missing) {
        if (REQUIRED) {
            assertTrue(present, "CI is set and the examples need what is missing: " + missing);
        } else {
            assumeTrue(present, "skipped: " + missing);
        }
    }

    private static String findPython() {
        for (String p : List.of("/usr/bin/python3", "python3")) {
            if (works(p, "-c", "import pika")) {
                return p;
            }
        }
        return null;
    }

    private static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(PolyglotCluster.EXAMPLES.resolve("node").toFile())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
