package org.mciengagements.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes a benchmark's section of {@code docs/benchmarks.md}: the text between the heading
 * {@code ## <title>} and the next {@code ## } heading is replaced on every run, and other sections
 * are left alone. A missing section is appended.
 */
final class BenchmarkReport {

    static final Path FILE = Path.of(System.getProperty("mci.bench.report", "docs/benchmarks.md"));

    private BenchmarkReport() {}

    static synchronized void replaceSection(String title, String body) {
        try {
            String heading = "## " + title;
            String text = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "# Benchmarks\n";
            List<String> lines = Arrays.asList(text.split("\n", -1));
            int start = lines.indexOf(heading);
            StringBuilder out = new StringBuilder();
            String section = heading + "\n\n" + body.strip() + "\n";
            if (start < 0) {
                out.append(text.stripTrailing()).append("\n\n").append(section);
            } else {
                int end = start + 1;
                while (end < lines.size() && !lines.get(end).startsWith("## ")) {
                    end++;
                }
                out.append(String.join("\n", lines.subList(0, start)));
                out.append(start > 0 ? "\n" : "").append(section);
                if (end < lines.size()) {
                    out.append("\n").append(String.join("\n", lines.subList(end, lines.size())));
                }
            }
            Files.writeString(FILE, out.toString().stripTrailing() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The machine a figure was taken on: cores, memory, JDK, PostgreSQL, date. */
    static String machine(String postgresVersion) {
        long memoryKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memoryKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: memory unknown
        }
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("");
        } catch (IOException e) {
            // not Linux
        }
        return String.format(Locale.ROOT, "%d cores%s, %.0f GiB RAM, JDK %s (%s), %s, %s",
                Runtime.getRuntime().availableProcessors(), cpu.isEmpty() ? "" : " (" + cpu + ")",
                memoryKb / 1024.0 / 1024.0, System.getProperty("java.version"), System.getProperty("java.vm.name"),
                postgresVersion, LocalDate.now());
    }
}
