package io.crmsync.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.config.jobs.HostedJob;
import io.crmsync.config.jobs.JobScheduler;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.HostCheck;
import io.crmsync.testkit.apsis.ApsisLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The starter as a host: every job of the catalog runs on its schedules (a full sync first on an
 * empty store, polls, query tags, reverse sync), the endpoint starts a full sync, and the webhook
 * controller answers through the gate, judged by the emulators' state ({@link HostCheck}).
 */
class StarterHostTest {

    private final EfficyEmulator efficy = EfficyEmulator.start();
    private final ApsisEmulator apsis =
            ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
    private final HostCheck check = HostCheck.prepare(efficy, apsis);

    @AfterEach
    void stop() {
        efficy.close();
        apsis.close();
    }

    private String[] properties(String... more) {
        List<String> p = new ArrayList<>(List.of(
                "crmsync.efficy.url=" + efficy.baseUri() + "/crm",
                "crmsync.efficy.customer=" + efficy.customer(),
                "crmsync.efficy.api-key=" + efficy.apiKey(),
                "crmsync.apsis.base-url=" + apsis.baseUri(),
                "crmsync.apsis.client-id=" + apsis.clientId(),
                "crmsync.apsis.client-secret=" + apsis.clientSecret(),
                "crmsync.state.jdbc-url=jdbc:h2:mem:starter-host-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
        check.keys().forEach((k, v) -> p.add("crmsync." + k + "=" + v));
        check.secrets().forEach((k, v) -> p.add("crmsync." + k + "=" + v));
        p.addAll(List.of(more));
        return p.toArray(new String[0]);
    }

    @Test
    void everyJobOfTheCatalogRunsOnItsScheduleStartingWithAFullSync() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CrmsyncAutoConfiguration.class))
                .withPropertyValues(properties())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    check.awaitProfiles();
                    CrmsyncJobs jobs = context.getBean(CrmsyncJobs.class);
                    long end = System.nanoTime() + 60_000_000_000L;
                    while (jobs.status().stream()
                                    .noneMatch(s -> s.job() == HostedJob.FULL_SYNC
                                            && s.lastOutcome().isPresent())
                            && System.nanoTime() < end) {
                        Thread.sleep(50);
                    }
                    JobScheduler.JobStatus fullSync = jobs.status().stream()
                            .filter(s -> s.job() == HostedJob.FULL_SYNC)
                            .findFirst()
                            .orElseThrow();
                    assertThat(fullSync.lastOutcome())
                            .as("the empty store started with a full sync")
                            .contains("succeeded");
                    check.awaitTags();
                    long changed = check.changeContact();
                    check.awaitChange(changed);
                    check.awaitHistory(check.campaign());
                });
    }

    @Test
    void theEndpointStartsAFullSyncWhenTheSchedulesAreOff() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CrmsyncAutoConfiguration.class))
                .withPropertyValues(properties(
                        "crmsync.schedule.poll-interval=PT0S",
                        "crmsync.schedule.query-interval=PT0S",
                        "crmsync.schedule.reverse-interval=PT0S"))
                .run(context -> {
                    assertThat(apsis.profileCount())
                            .as("nothing runs on its own")
                            .isZero();
                    assertThat(context.getBean(CrmsyncEndpoint.class).run("fullSync"))
                            .containsEntry("started", "fullSync");
                    check.awaitProfiles();
                    assertThat(context.getBean(CrmsyncEndpoint.class).jobs()).containsKey("fullSync");
                });
    }

    @Test
    void theWebhookControllerIsOnlyInAServletApplicationThatEnablesIt() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CrmsyncAutoConfiguration.class))
                .withPropertyValues(properties("crmsync.webhooks.enabled=true"))
                .run(context -> assertThat(context).doesNotHaveBean(CrmsyncWebhookController.class));
        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CrmsyncAutoConfiguration.class));
        web.withPropertyValues(properties("crmsync.schedule.poll-interval=PT0S"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CrmsyncWebhookController.class));
        web.withPropertyValues(properties(
                        "crmsync.schedule.poll-interval=PT0S",
                        "crmsync.webhooks.enabled=true",
                        "crmsync.webhooks.efficySecret=short"))
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("webhooks.efficySecret: must be at least 16 characters"));
    }

    @Test
    void theWebhooksSyncTheNewContactAndCreateTheTaskOncePerDelivery() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CrmsyncAutoConfiguration.class))
                .withPropertyValues(properties("crmsync.schedule.poll-interval=PT0S", "crmsync.webhooks.enabled=true"))
                .run(context -> {
                    CrmsyncWebhookController hooks = context.getBean(CrmsyncWebhookController.class);
                    HostCheck.Webhook created = check.newContactWebhook();
                    assertThat(hooks.efficy("wrong-secret-0123456789", post(created.body()))
                                    .getStatusCode()
                                    .value())
                            .isEqualTo(401);
                    assertThat(hooks.efficy(HostCheck.EFFICY_SECRET, post(created.body()))
                                    .getStatusCode()
                                    .value())
                            .isEqualTo(200);
                    check.awaitProfile(created.key());

                    MockHttpServletRequest task = post(check.taskWebhookBody("starter-1"));
                    task.addHeader("Authorization", "Bearer " + HostCheck.TASK_SECRET);
                    assertThat(hooks.task(task).getStatusCode().value()).isEqualTo(200);
                    MockHttpServletRequest again = post(check.taskWebhookBody("starter-1"));
                    again.addHeader("Authorization", "Bearer " + HostCheck.TASK_SECRET);
                    assertThat(new String(hooks.task(again).getBody(), StandardCharsets.UTF_8))
                            .contains("DUPLICATE");
                    assertThat(check.tasks("starter-1")).isEqualTo(1);
                });
    }

    @Test
    void theConsoleIsMountedOnlyWithATokenAndShowsTheJobsToALoggedInOperator() {
        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CrmsyncAutoConfiguration.class));
        web.withPropertyValues(properties())
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CrmsyncConsoleController.class));
        web.withPropertyValues(
                        properties("crmsync.console.token=starter-console-token-0123", "crmsync.console.enabled=false"))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CrmsyncConsoleController.class));
        web.withPropertyValues(properties("crmsync.console.token=starter-console-token-0123"))
                .run(context -> {
                    CrmsyncConsoleController console = context.getBean(CrmsyncConsoleController.class);
                    MockHttpServletRequest anonymous = new MockHttpServletRequest("GET", "/console/runs");
                    assertThat(console.serve(anonymous).getStatusCode().value()).isEqualTo(303);

                    MockHttpServletRequest login = new MockHttpServletRequest("POST", "/console/login");
                    login.setContentType("application/x-www-form-urlencoded");
                    login.setContent("token=starter-console-token-0123".getBytes(StandardCharsets.UTF_8));
                    String cookie = console.serve(login).getHeaders().getFirst("Set-Cookie");
                    assertThat(cookie).startsWith("crmsync_console=").contains("Path=/console");

                    check.awaitProfiles();
                    MockHttpServletRequest runs = new MockHttpServletRequest("GET", "/console/runs");
                    runs.addHeader("Cookie", cookie.substring(0, cookie.indexOf(';')));
                    long end = System.nanoTime() + 60_000_000_000L;
                    String page = "";
                    while (!page.contains("succeeded") && System.nanoTime() < end) {
                        Thread.sleep(50);
                        page = new String(console.serve(runs).getBody(), StandardCharsets.UTF_8);
                    }
                    assertThat(page).contains("fullSync").contains("succeeded").contains("Spring application");
                    assertThat(console.serve(runs).getHeaders().getFirst("Content-Security-Policy"))
                            .startsWith("default-src 'none'");
                });
    }

    private static MockHttpServletRequest post(byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/webhooks");
        request.setContent(body);
        request.setContentType("application/json");
        return request;
    }
}
