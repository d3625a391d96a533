package io.crmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The CLI's log (#24): times on every line, a JSON layout behind a flag, and no library chatter around an admin command's answer. */
class LogSettingsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void reset() {
        LogSetup.configure("test", LogSetup.Format.TEXT, new Properties(), System.err);
    }

    @Test
    void everyLineCarriesItsTimeWithItsOffset() {
        LogSetup.configure("full-sync", LogSetup.Format.TEXT, new Properties(), out);
        LoggerFactory.getLogger("io.crmsync.test").info("a line");
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(line).endsWith("[main] INFO io.crmsync.test - a line");
        assertThat(OffsetDateTime.parse(line.substring(0, line.indexOf(' ')))).isNotNull();
    }

    @Test
    void theJsonFlagGivesOneObjectPerLineWithTheRunsTenantJobAndRun() throws Exception {
        assertThat(LogSetup.format(new String[] {"cluster", "--log-format", "json"}, Map.of()))
                .isEqualTo(LogSetup.Format.JSON);
        assertThat(LogSetup.format(new String[] {"serve", "--log-format=JSON"}, Map.of()))
                .isEqualTo(LogSetup.Format.JSON);
        assertThat(LogSetup.format(new String[] {"serve"}, Map.of("CRMSYNC_LOG_FORMAT", "json")))
                .isEqualTo(LogSetup.Format.JSON);
        assertThat(LogSetup.format(new String[] {"serve"}, Map.of())).isEqualTo(LogSetup.Format.TEXT);

        LogSetup.configure("cluster", LogSetup.Format.JSON, new Properties(), out);
        MDC.put("crmsync.tenant", "acme");
        MDC.put("crmsync.job", "poll");
        MDC.put("crmsync.run", "7");
        try {
            LoggerFactory.getLogger("io.crmsync.test").warn("poll failed: {}", "a \"quoted\" reason");
        } finally {
            MDC.clear();
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode event = new ObjectMapper().readTree(lines[0]);
        assertThat(event.path("level").asText()).isEqualTo("WARN");
        assertThat(event.path("formattedMessage").asText()).isEqualTo("poll failed: a \"quoted\" reason");
        assertThat(event.path("mdc").path("crmsync.tenant").asText()).isEqualTo("acme");
        assertThat(event.path("mdc").path("crmsync.job").asText()).isEqualTo("poll");
        assertThat(event.path("mdc").path("crmsync.run").asText()).isEqualTo("7");
        assertThat(event.path("timestamp").asLong()).isPositive();
    }

    @Test
    void adminCommandsKeepThePoolAndSchedulerQuietButTheLongRunningOnesDoNot() {
        LoggerContext tenant = LogSetup.configure("tenant", LogSetup.Format.TEXT, new Properties(), out);
        assertThat(tenant.getLogger("com.zaxxer.hikari").getLevel()).isEqualTo(Level.WARN);
        assertThat(tenant.getLogger("com.github.kagkarlsson").getLevel()).isEqualTo(Level.WARN);
        for (String command : new String[] {"cluster", "serve"}) {
            LoggerContext c = LogSetup.configure(command, LogSetup.Format.TEXT, new Properties(), out);
            assertThat(c.getLogger("com.zaxxer.hikari").getLevel()).as(command).isNull();
        }
        Properties given = new Properties();
        given.setProperty("crmsync.log.level.com.zaxxer.hikari", "debug");
        LoggerContext c = LogSetup.configure("tenant", LogSetup.Format.TEXT, given, out);
        assertThat(c.getLogger("com.zaxxer.hikari").getLevel())
                .as("an operator's own setting stands")
                .isEqualTo(Level.DEBUG);
        assertThat(c.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void anOutageIsNotAStackTracePerDroppedConnection() {
        LoggerContext c = LogSetup.configure("cluster", LogSetup.Format.TEXT, new Properties(), out);
        assertThat(c.getLogger("com.zaxxer.hikari.pool.ProxyConnection").getLevel())
                .isEqualTo(Level.ERROR);
        assertThat(c.getLogger("com.zaxxer.hikari.pool.PoolBase").getLevel()).isEqualTo(Level.ERROR);
    }
}
