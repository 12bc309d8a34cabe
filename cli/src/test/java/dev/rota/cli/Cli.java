package dev.rota.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the {@code rota} command line in the test JVM with a given environment, capturing stdout and stderr. */
final class Cli {
    record Result(int exitCode, String out, String err) {
        /** Stderr's lines, for "one clear line" assertions. */
        String[] errLines() {
            return err.isBlank() ? new String[0] : err.strip().split("\\R");
        }
    }

    private Cli() {
    }

    static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RotaCommand.newCommandLine(env, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }
}
