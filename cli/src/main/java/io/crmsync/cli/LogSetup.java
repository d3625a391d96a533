package io.crmsync.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.LoggerFactory;

/**
 * The CLI's log, set in code (Logback, no XML): one line per event on standard error, as text
 * ({@code <time> [<thread>] <LEVEL> <logger> - <message>}, the time in ISO 8601 with its offset) or,
 * with {@code --log-format json} (or {@code CRMSYNC_LOG_FORMAT=json}), one JSON object per line
 * with the MDC (a cluster run's {@code crmsync.tenant}, {@code crmsync.job}, {@code crmsync.run}).
 * Levels: INFO, Jetty at INFO at most (at DEBUG it logs request lines, and an Efficy webhook's secret
 * may be in its path), the pool's warnings of each dropped connection left out (a database outage
 * is logged once each way by the node's own check), and the pool's and the scheduler's INFO lines
 * only in the commands that run for long ({@code cluster}, {@code serve}), so that an admin
 * command prints its answer alone. An operator's own levels stand: the system property
 * {@code crmsync.log.level} (the root) and {@code crmsync.log.level.<logger>}. Package-private.
 */
final class LogSetup {

    /** The formats. */
    enum Format {
        TEXT,
        JSON
    }

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%thread] %level %logger - %msg%n";

    private LogSetup() {}

    /** The format asked for: {@code --log-format X} or {@code --log-format=X} in the arguments, else the environment's. */
    static Format format(String[] args, Map<String, String> env) {
        String value = env.getOrDefault("CRMSYNC_LOG_FORMAT", "text");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--log-format") && i + 1 < args.length) {
                value = args[i + 1];
            } else if (args[i].startsWith("--log-format=")) {
                value = args[i].substring("--log-format=".length());
            }
        }
        return value.equalsIgnoreCase("json") ? Format.JSON : Format.TEXT;
    }

    /** Sets the log up for {@code command}, writing to {@code out}. */
    static LoggerContext configure(String command, Format format, Properties system, OutputStream out) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Encoder<ILoggingEvent> encoder;
        if (format == Format.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.setImmediateFlush(true);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(Level.toLevel(system.getProperty("crmsync.log.level"), Level.INFO));
        level(context, system, "org.eclipse.jetty", Level.INFO);
        level(context, system, "com.zaxxer.hikari.pool.ProxyConnection", Level.ERROR);
        level(context, system, "com.zaxxer.hikari.pool.PoolBase", Level.ERROR);
        if (!command.equals("cluster") && !command.equals("serve")) {
            level(context, system, "com.zaxxer.hikari", Level.WARN);
            level(context, system, "com.github.kagkarlsson", Level.WARN);
        }
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith("crmsync.log.level.")) {
                context.getLogger(name.substring("crmsync.log.level.".length()))
                        .setLevel(Level.toLevel(system.getProperty(name).toUpperCase(Locale.ROOT), Level.INFO));
            }
        }
        return context;
    }

    private static void level(LoggerContext context, Properties system, String logger, Level level) {
        if (system.getProperty("crmsync.log.level." + logger) == null) {
            context.getLogger(logger).setLevel(level);
        }
    }
}
