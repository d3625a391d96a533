package io.crmsync.cli.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.cli.Cli;
import io.crmsync.cli.Server;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * {@code serve}'s console in a real browser: the set-up wizard from an empty file to profiles in
 * the APSIS emulator, and a quarantined contact retried from the quarantine page once fixed in
 * Efficy. Asserts on what the pages show and on the emulators' state; a failure keeps a
 * screenshot under {@code target/browser/}.
 */
class ServeConsoleBrowserTest {

    static final String TOKEN = "console-token-for-the-browser-test";

    private final EfficyEmulator efficy = EfficyEmulator.start().seedContacts(40, 7);
    private final ApsisEmulator apsis =
            ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
    private final Cli cli = new Cli(Map.of(), print, print);
    private CompletableFuture<Integer> serving;

    @AfterEach
    void stop() throws Exception {
        cli.stop();
        if (serving != null) {
            serving.get();
        }
        efficy.close();
        apsis.close();
        System.out.println(output.toString(StandardCharsets.UTF_8)); // serve's own lines, for a failure's report
    }

    private Server serve(Path file) throws InterruptedException {
        serving = CompletableFuture.supplyAsync(() -> cli.run(new String[] {"serve", "--config", file.toString()}));
        for (int i = 0; i < 2400 && cli.server() == null; i++) {
            assertThat(serving).as(output.toString(StandardCharsets.UTF_8)).isNotDone();
            Thread.sleep(25);
        }
        assertThat(cli.server()).as(output.toString(StandardCharsets.UTF_8)).isNotNull();
        return cli.server();
    }

    @Test
    void theSetUpWizardTakesAnEmptyFileToProfilesInApsis() throws Exception {
        Path dir = Files.createTempDirectory("console-setup");
        Path file = dir.resolve("crmsync.properties");
        Files.writeString(
                file,
                "console.token=" + TOKEN + "\nserve.port=0\nstate.jdbcUrl=jdbc:h2:file:"
                        + dir.resolve("state").toAbsolutePath() + "\n");
        Server server = serve(file);
        try (Browser b = Browser.open(server.baseUri())) {
            b.run("setup", () -> {
                b.login(TOKEN);
                assertThat(b.driver().findElement(By.tagName("body")).getText()).contains("not set up yet");
                b.go("/console/setup");
                // 1. Enable: a wrong key is refused, live, and nothing moves on.
                b.type("efficy.url", efficy.baseUri() + "/crm");
                b.type("efficy.customer", efficy.customer());
                b.type("efficy.apiKey", "a-wrong-key");
                b.type("apsis.baseUrl", apsis.baseUri().toString());
                b.type("apsis.clientId", apsis.clientId());
                b.type("apsis.clientSecret", apsis.clientSecret());
                b.click("next");
                assertThat(b.flash()).containsIgnoringCase("efficy");
                assertThat(b.driver().getPageSource()).doesNotContain("a-wrong-key", apsis.clientSecret());
                b.type("efficy.apiKey", efficy.apiKey());
                b.click("next");
                assertThat(b.flash()).startsWith("Connected");
                // 2. Conditions: none. 3. Fields: the guessed ones, from the live lists.
                b.click("next");
                assertThat(b.flash()).contains("every contact syncs");
                assertThat(b.driver().findElement(By.id("map-EMAIL1")).getAttribute("value"))
                        .isEqualTo("com.apsis1.attributes.email");
                b.click("next");
                assertThat(b.flash()).contains("field(s) mapped");
                // 4. Consent: the newsletter box to a live topic.
                b.type("source1", "F_NEWSLETTER");
                String topic = b.driver()
                        .findElements(By.cssSelector("#topic1 option"))
                        .get(1)
                        .getAttribute("value");
                b.select("topic1", topic);
                b.click("next");
                assertThat(b.flash()).contains("1 consent mapping");
                // 5. Sync: the preview first (nothing written), then save.
                b.click("preview");
                assertThat(b.text("preview-result")).contains("read 40 contacts");
                assertThat(apsis.profileCount()).as("a dry run writes nothing").isZero();
                assertThat(Files.exists(file) && Files.readString(file).contains("efficy.url"))
                        .as("nothing saved before Save")
                        .isFalse();
                b.screenshot("setup-preview");
                b.click("finish");
                assertThat(b.flash()).contains("Saved");
                b.reloadUntil(
                        "a succeeded full sync", 240, () -> b.textNow("jobs").contains("succeeded"));
                b.screenshot("overview");
            });
        }
        Properties written = new Properties();
        written.load(Files.newBufferedReader(file));
        assertThat(written).containsEntry("console.token", TOKEN).containsEntry("efficy.apiKey", efficy.apiKey());
        assertThat(written.getProperty("consent.1.checkbox")).isEqualTo("F_NEWSLETTER");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(apsis.profileCount())
                .as("profiles of the seeded contacts with an address")
                .isBetween(30, 40);
    }

    @Test
    void aQuarantinedContactIsRetriedFromThePageOnceFixed() throws Exception {
        long broken =
                efficy.createContact(Map.of("NAME", "Broken", "FIRSTNAME", "Bea", "EMAIL1", "bea.at.example.com"));
        Path dir = Files.createTempDirectory("console-quarantine");
        Path file = dir.resolve("crmsync.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "console.token=" + TOKEN,
                        "serve.port=0",
                        "state.jdbcUrl=jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(),
                        "efficy.url=" + efficy.baseUri() + "/crm",
                        "efficy.customer=" + efficy.customer(),
                        "efficy.apiKey=" + efficy.apiKey(),
                        "apsis.baseUrl=" + apsis.baseUri(),
                        "apsis.clientId=" + apsis.clientId(),
                        "apsis.clientSecret=" + apsis.clientSecret(),
                        "apsis.section=com.apsis1.sections.default",
                        "mapping.EMAIL1=com.apsis1.attributes.email",
                        "mapping.NAME=com.apsis1.attributes.lastname",
                        "schedule.pollInterval=PT1H"));
        Server server = serve(file);
        try (Browser b = Browser.open(server.baseUri())) {
            b.run("quarantine", () -> {
                b.login(TOKEN);
                b.go("/console/quarantine");
                b.reloadUntil(
                        "the broken contact",
                        240,
                        () -> !b.driver()
                                .findElements(By.id("q-contact-" + broken))
                                .isEmpty());
                String row = b.text("q-contact-" + broken);
                assertThat(row).contains("EMAIL1").doesNotContain("bea.at.example.com");
                assertThat(apsis.profile("com.apsis1.keyspaces.crm-id", Long.toString(broken)))
                        .isEmpty();

                efficy.updateContact(broken, Map.of("EMAIL1", "bea@example.com"));
                b.driver()
                        .findElement(By.cssSelector("#q-contact-" + broken + " button"))
                        .click();
                assertThat(b.flash()).contains("left the quarantine");
                assertThat(b.driver().findElements(By.id("q-contact-" + broken)))
                        .isEmpty();
            });
        }
        assertThat(apsis.profile("com.apsis1.keyspaces.crm-id", Long.toString(broken)))
                .isPresent();
    }
}
