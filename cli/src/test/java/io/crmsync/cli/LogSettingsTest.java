package io.crmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The CLI's log settings (#24): times on every line, and no library chatter around an admin command's answer. */
class LogSettingsTest {

    @Test
    void everyLineCarriesItsTimeWithItsOffset() {
        Properties p = new Properties();
        Main.logging("full-sync", p);
        assertThat(p.getProperty("org.slf4j.simpleLogger.showDateTime")).isEqualTo("true");
        String stamp = OffsetDateTime.parse("2026-12-04T23:59:01.250+01:00")
                .format(DateTimeFormatter.ofPattern(p.getProperty("org.slf4j.simpleLogger.dateTimeFormat")));
        assertThat(stamp).isEqualTo("2026-12-04T23:59:01.250+01:00");
    }

    @Test
    void adminCommandsKeepThePoolAndSchedulerQuietButTheLongRunningOnesDoNot() {
        Properties tenant = new Properties();
        Main.logging("tenant", tenant);
        assertThat(tenant.getProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari"))
                .isEqualTo("warn");
        assertThat(tenant.getProperty("org.slf4j.simpleLogger.log.com.github.kagkarlsson"))
                .isEqualTo("warn");

        for (String command : new String[] {"cluster", "serve"}) {
            Properties p = new Properties();
            Main.logging(command, p);
            assertThat(p.getProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari"))
                    .as(command)
                    .isNull();
        }
        Properties given = new Properties();
        given.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "debug");
        Main.logging("tenant", given);
        assertThat(given.getProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari"))
                .as("an operator's own setting stands")
                .isEqualTo("debug");
        assertThat(given.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty"))
                .isEqualTo("info");
    }

    @Test
    void anOutageIsNotAStackTracePerDroppedConnection() {
        Properties p = new Properties();
        Main.logging("cluster", p);
        assertThat(p.getProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari.pool.ProxyConnection"))
                .isEqualTo("error");
        assertThat(p.getProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari.pool.PoolBase"))
                .isEqualTo("error");
    }
}
