package io.crmsync.cli.reliability;

import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.apsis.ProfileView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Efficy/APSIS pair on the emulators, the CLI's configuration for it, and the checks of the
 * reliability suite: both sides compared (lost, duplicated) and output and files scanned for
 * secrets and e-mail addresses (leaked).
 */
final class Pair implements AutoCloseable {

    static final String TASK_SECRET = "reliability-task-secret-0123456789";
    static final String HOOK_SECRET = "reliability-hook-secret-0123456789";
    static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern VALID_EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    final EfficyEmulator efficy;
    final ApsisEmulator apsis;
    final Path dir;
    final Path imports;
    final int contacts;
    final long seed;

    Pair(int contacts, long seed) throws IOException {
        this.contacts = contacts;
        this.seed = seed;
        this.efficy = EfficyEmulator.start().seedContacts(contacts, seed);
        this.apsis = ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
        this.dir = Files.createTempDirectory("crmsync-reliability");
        this.imports = dir.resolve("imports");
    }

    /** The secrets, as the child reads them from its environment. */
    Map<String, String> env() {
        return Map.of("EFFICY_KEY", efficy.apiKey(), "APSIS_SECRET", apsis.clientSecret(), "TASK_SECRET", TASK_SECRET);
    }

    /** Writes the CLI's configuration with the given state store URL. */
    Path config(String stateUrl, String... extra) throws IOException {
        Path file = dir.resolve("crmsync.properties");
        List<String> lines = new ArrayList<>(List.of(
                "efficy.url=" + efficy.baseUri() + "/crm",
                "efficy.customer=demo",
                "efficy.apiKey=${EFFICY_KEY}",
                "apsis.baseUrl=" + apsis.baseUri(),
                "apsis.clientId=" + apsis.clientId(),
                "apsis.clientSecret=${APSIS_SECRET}",
                "apsis.section=" + Definitions.SECTION,
                "apsis.importDirectory=" + imports.toAbsolutePath(),
                "mapping.EMAIL1=" + Definitions.EMAIL,
                "mapping.FIRSTNAME=" + Definitions.FIRSTNAME,
                "consent.1.checkbox=F_NEWSLETTER",
                "consent.1.topic=" + Definitions.NEWSLETTER,
                "consent.1.channel=email",
                "taskWebhook.secret=${TASK_SECRET}",
                "taskWebhook.defaultUser=JDOE",
                "state.jdbcUrl=" + stateUrl,
                "serve.address=127.0.0.1",
                "serve.port=0",
                "webhooks.efficySecret=" + HOOK_SECRET,
                "schedule.pollInterval=PT0S",
                "schedule.reverseInterval=PT0S"));
        lines.addAll(List.of(extra));
        Files.writeString(file, String.join("\n", lines));
        return file;
    }

    /** Whether APSIS takes the contact: no e-mail address, or a well-formed one. */
    static boolean valid(Object email) {
        return email == null
                || email.toString().isEmpty()
                || VALID_EMAIL.matcher(email.toString()).matches();
    }

    private static String text(Object v) {
        return v == null ? "" : v.toString();
    }

    /**
     * Efficy contacts whose data did not reach APSIS: a valid contact without a profile, or whose
     * profile's e-mail or first name differs from Efficy's.
     */
    List<Long> lost() {
        List<Long> lost = new ArrayList<>();
        for (long key = 1; key <= contacts; key++) {
            Map<String, Object> c = efficy.contact(key);
            if (!valid(c.get("EMAIL1"))) {
                continue;
            }
            Optional<ProfileView> p = apsis.profile(Definitions.CRM_ID, Long.toString(key));
            if (p.isEmpty()
                    || !text(c.get("EMAIL1"))
                            .equals(p.get()
                                    .attribute(Definitions.SECTION, Definitions.EMAIL)
                                    .map(Pair::text)
                                    .orElse(""))
                    || !text(c.get("FIRSTNAME"))
                            .equals(p.get()
                                    .attribute(Definitions.SECTION, Definitions.FIRSTNAME)
                                    .map(Pair::text)
                                    .orElse(""))) {
                lost.add(key);
            }
        }
        return lost;
    }

    /** APSIS profiles beyond one per valid Efficy contact. */
    long duplicated() {
        long valid = 0;
        for (long key = 1; key <= contacts; key++) {
            if (valid(efficy.contact(key).get("EMAIL1"))) {
                valid++;
            }
        }
        return Math.max(0, apsis.profileCount() - valid);
    }

    /** What leaked: secrets or e-mail addresses in the texts, and files left in the import directory. */
    List<String> leaks(List<String> outputs) throws IOException {
        List<String> leaks = new ArrayList<>();
        for (String text : outputs) {
            for (String secret : env().values()) {
                if (text.contains(secret)) {
                    leaks.add("a secret in the output");
                }
            }
            if (text.contains(HOOK_SECRET)) {
                leaks.add("the webhook secret in the output");
            }
            Matcher m = EMAIL.matcher(text);
            while (m.find()) {
                leaks.add("an e-mail address in the output: " + m.group().replaceAll("^[^@]*", "***"));
            }
        }
        // Every other file the runs left (the H2 state database above all): no e-mail address.
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> !f.toString().endsWith(".log"))
                    .toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                Matcher m = EMAIL.matcher(bytes);
                if (m.find()) {
                    leaks.add("an e-mail address in " + f.getFileName());
                }
            }
        }
        if (Files.isDirectory(imports)) {
            try (Stream<Path> files = Files.list(imports)) {
                files.forEach(f -> leaks.add("a file left in the import directory: " + f.getFileName()));
            }
        }
        return leaks;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        efficy.close();
        apsis.close();
    }
}
