package io.crmsync.spring;

import io.crmsync.config.ConfigException;
import io.crmsync.config.keys.ConfigKey;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a crmsync configuration problem at start-up into Spring Boot's failure report, naming the
 * property as a Spring user writes it ({@code crmsync.efficy.url}, not {@code efficy.url}), and
 * what to set, instead of a stack trace.
 */
public class CrmsyncFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        String key = cause.key();
        String property =
                key.startsWith("crmsync.") || !key.matches("[A-Za-z0-9.<>-]+") ? key : ConfigKey.springName(key);
        String problem =
                cause.getMessage().substring(Math.min(cause.getMessage().length(), key.length() + 2));
        return new FailureAnalysis(
                "crmsync is not configured: " + property + " " + problem,
                "Set " + property + " (in application.properties, or as the environment variable "
                        + ConfigKey.envName(key).replace("CRMSYNC_CRMSYNC_", "CRMSYNC_")
                        + "); docs/CONFIGURATION.md lists"
                        + " every crmsync.* property. Set crmsync.enabled=false to start without crmsync.",
                cause);
    }
}
