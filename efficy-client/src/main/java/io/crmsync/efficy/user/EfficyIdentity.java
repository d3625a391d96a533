package io.crmsync.efficy.user;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who the client is logged in as, and what it is talking to: the answer to
 * {@code EfficyClient.whoAmI()}, used by setup validation.
 *
 * @param userId K_USER of the API user
 * @param userCode its user code
 * @param fullName its full name
 * @param databaseAlias the customer database alias
 * @param license the license name
 * @param settings the {@code systemsettings} string list as key/value pairs
 */
public record EfficyIdentity(
        long userId,
        String userCode,
        String fullName,
        String databaseAlias,
        String license,
        Map<String, String> settings) {

    /** Copies the settings. */
    public EfficyIdentity {
        settings = Map.copyOf(settings);
    }

    /**
     * The server version, read from {@code systemsettings}. Which key holds it is not documented
     * publicly: this looks for {@code Version}, {@code ServerVersion}, {@code ProductVersion},
     * {@code EfficyVersion} (any case), then for any key containing "version".
     */
    public Optional<String> version() {
        for (String wanted : new String[] {"version", "serverversion", "productversion", "efficyversion"}) {
            for (Map.Entry<String, String> e : settings.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(wanted)
                        && !e.getValue().isBlank()) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return settings.entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).contains("version"))
                .filter(e -> !e.getValue().isBlank())
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /**
     * The major version number, when {@link #version()} starts with digits ({@code "12.1.3"} is 12).
     */
    public Optional<Integer> majorVersion() {
        return version()
                .map(v -> v.replaceFirst("^\\D*(\\d+).*$", "$1"))
                .filter(v -> v.matches("\\d+"))
                .map(Integer::valueOf);
    }
}
