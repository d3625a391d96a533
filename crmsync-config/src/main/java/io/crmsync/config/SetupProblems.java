package io.crmsync.config;

import io.crmsync.config.keys.PairKeys;
import io.crmsync.sync.SetupReport;
import java.util.List;

/**
 * A setup report's problems as a host shows them: a refused credential names the keys to check
 * ({@code efficy.apiKey}, {@code apsis.clientSecret}, ...), since the engine knows only its
 * builder's settings.
 */
public final class SetupProblems {

    private SetupProblems() {}

    /** Every problem of {@code report}, with the keys to check where one applies. */
    public static List<String> of(SetupReport report) {
        return report.problems().stream().map(SetupProblems::explain).toList();
    }

    private static String explain(String problem) {
        if (problem.startsWith(SetupReport.EFFICY_CREDENTIALS_REFUSED)) {
            return problem + "; check " + PairKeys.EFFICY_API_KEY.name() + " (or " + PairKeys.EFFICY_USER.name()
                    + " and " + PairKeys.EFFICY_PASSWORD.name() + ") and " + PairKeys.EFFICY_CUSTOMER.name();
        }
        if (problem.startsWith(SetupReport.APSIS_CREDENTIALS_REFUSED)) {
            return problem + "; check " + PairKeys.APSIS_CLIENT_ID.name() + " and "
                    + PairKeys.APSIS_CLIENT_SECRET.name();
        }
        return problem;
    }
}
