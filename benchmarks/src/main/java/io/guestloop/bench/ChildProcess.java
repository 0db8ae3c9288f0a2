package io.guestloop.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM child process of the comparison (a server or a load generator), optionally pinned to one
 * CPU with {@code taskset}, started on this JVM's class path. Its stdout is read line by line by a
 * thread of its own; its stderr goes to a log file.
 *
 * <p><b>Threading:</b> one owner thread calls every method.
 */
final class ChildProcess implements AutoCloseable {

    private static final String EOF = "\u0000eof";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String what;

    private ChildProcess(Process process, String what) {
        this.process = process;
        this.what = what;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process went away; EOF below says so
            } finally {
                lines.add(EOF);
            }
        }, "stdout of " + what);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code java [jvmArgs] -cp <this class path> mainClass args}, pinned to {@code cpu}
     * when it is not null.
     */
    static ChildProcess start(String what, String cpu, List<String> jvmArgs, Class<?> mainClass, List<String> args, File log) {
        List<String> cmd = new ArrayList<>();
        if (cpu != null) {
            cmd.addAll(List.of("taskset", "-c", cpu));
        }
        cmd.add(javaBinary());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(args);
        try {
            log.getParentFile().mkdirs();
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
            return new ChildProcess(p, what);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + what + " with " + cmd, e);
        }
    }

    static String javaBinary() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /** The next stdout line starting with {@code prefix}, skipping others; fails after {@code seconds}. */
    String awaitLine(String prefix, long seconds) {
        return awaitLine(seconds, prefix);
    }

    /** The next stdout line starting with one of {@code prefixes}, skipping others; fails after {@code seconds}. */
    String awaitLine(long seconds, String... prefixes) {
        String prefix = String.join("' or '", prefixes);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException(what + " printed no line starting with '" + prefix + "' within "
                            + seconds + " s; see its log in benchmarks/target/bench-logs");
                }
                if (line.equals(EOF)) {
                    lines.add(EOF);
                    throw new IllegalStateException(what + " ended before printing '" + prefix + "' (exit "
                            + exitCodeSoon() + "); see its log in benchmarks/target/bench-logs");
                }
                for (String p : prefixes) {
                    if (line.startsWith(p)) {
                        return line;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /** Sends one command line to the child's stdin. */
    void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + what, e);
        }
    }

    private String exitCodeSoon() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Asks the child to quit (stdin {@code quit}, then end of input), and kills it if it lingers. */
    @Override
    public void close() {
        try {
            send("quit");
            stdin.close();
        } catch (IOException | UncheckedIOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
