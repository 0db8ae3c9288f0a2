package io.guestloop.demo;

import io.guestloop.tck.Timeouts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program outside the JVM (a Python client, a second JVM) bounded in time, collecting its
 * output on threads of its own so a chatty program can never block on a full pipe.
 *
 * <p><b>Threading:</b> the test thread; the readers run on their own threads.
 */
final class ExternalProcess implements AutoCloseable {

    /** What the program printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final Process process;
    private final CompletableFuture<String> stdout;
    private final CompletableFuture<String> stderr;
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> stderrLines = new LinkedBlockingQueue<>();

    private ExternalProcess(Process process) {
        this.process = process;
        this.stdout = readLines(process.getInputStream(), "stdout", stdoutLines);
        this.stderr = readLines(process.getErrorStream(), "stderr", stderrLines);
    }

    /** Starts {@code command}. */
    static ExternalProcess start(List<String> command) {
        return start(command, Map.of());
    }

    /** Starts {@code command} with {@code environment} added to this JVM's. */
    static ExternalProcess start(List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            return new ExternalProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    /** The running process, to signal it. */
    Process process() {
        return process;
    }

    /** The next line the program prints on stdout, failing the test after {@link Timeouts#AWAIT}. */
    String nextLine(String what) {
        return next(stdoutLines, what);
    }

    /** The first line the program prints on stderr that starts with {@code prefix}. */
    String stderrLineStartingWith(String prefix) {
        while (true) {
            String line = next(stderrLines, "a line starting with '" + prefix + "' on stderr");
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    private String next(BlockingQueue<String> lines, String what) {
        try {
            String line = lines.poll(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("no line within " + Timeouts.AWAIT.toSeconds() + " s; wanted " + what
                        + (process.isAlive() ? "" : "; the program ended with " + process.exitValue()));
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    /** Waits for the program to end, killing it and failing the test after {@link Timeouts#AWAIT}. */
    Result await() {
        try {
            if (!process.waitFor(Timeouts.AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running after " + Timeouts.AWAIT.toSeconds() + " s: " + process.info());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return new Result(process.exitValue(), Timeouts.await(stdout, "stdout"), Timeouts.await(stderr, "stderr"));
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static CompletableFuture<String> readLines(InputStream in, String name, BlockingQueue<String> lines) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            StringBuilder all = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    all.append(line).append('\n');
                    lines.add(line);
                }
                text.complete(all.toString());
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        }, "process-" + name);
        t.setDaemon(true);
        t.start();
        return text;
    }
}
