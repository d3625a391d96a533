package io.crmsync.testkit.internal.admin;

import static io.crmsync.testkit.internal.admin.AdminRequests.error;
import static io.crmsync.testkit.internal.admin.AdminRequests.json;
import static io.crmsync.testkit.internal.admin.AdminRequests.parameter;

import io.crmsync.testkit.apsis.Campaign;
import io.crmsync.testkit.apsis.CampaignResult;
import io.crmsync.testkit.internal.apsis.ApsisService;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The APSIS emulator's admin routes, under {@code /_admin} (a path APSIS One does not have). Each
 * names its account with {@code ?account=<client id>} (default: the first).
 * <ul>
 *   <li>{@code GET /_admin/accounts}: the accounts and their profile counts;
 *   <li>{@code GET /_admin/profiles}: every profile with its keys, attributes, tags, consents and
 *       consent history;
 *   <li>{@code POST /_admin/campaigns} with {@code {"subject":"News","opens":0.4,"clicks":0.3,
 *       "bounces":0.03,"unsubscribes":0.02,"hoursAgo":3}} (every member optional): sends a
 *       newsletter to the profiles with newsletter consent; its events wait in the email event
 *       export for reverse sync;
 *   <li>{@code POST /_admin/tags} with {@code {"discriminator":"usercreated.tags.gold","name":"Gold"}}:
 *       adds a tag definition.
 * </ul>
 * Internal.
 */
public final class ApsisAdmin {

    /** One account: its client id and its service. */
    public record Account(String clientId, ApsisService service) {}

    private ApsisAdmin() {}

    /** Answers an admin request; {@code accounts} lists every account, the first being the default. */
    public static EmulatorResponse handle(EmulatorRequest r, List<Account> accounts) {
        String[] p = r.path().split("/");
        String what = p.length > 2 ? p[2] : "";
        String route = "admin " + r.method() + " " + what;
        String named = parameter(r, "account");
        Account account = named == null
                ? accounts.get(0)
                : accounts.stream()
                        .filter(a -> a.clientId().equals(named))
                        .findFirst()
                        .orElse(null);
        if (account == null) {
            return error(404, "no account " + named, route);
        }
        try {
            return switch (r.method() + " " + what) {
                case "GET accounts" ->
                    json(
                            200,
                            accounts.stream()
                                    .map(a -> Map.of(
                                            "clientId",
                                            a.clientId(),
                                            "profiles",
                                            a.service().profileCount()))
                                    .toList(),
                            route);
                case "GET profiles" -> json(200, account.service().views(), route);
                case "POST campaigns" -> json(201, campaign(account.service(), AdminRequests.fields(r)), route);
                case "POST tags" -> {
                    Map<String, Object> tag = AdminRequests.fields(r);
                    String discriminator = String.valueOf(tag.get("discriminator"));
                    account.service().addTag(discriminator, String.valueOf(tag.getOrDefault("name", discriminator)));
                    yield json(201, Map.of("discriminator", discriminator), route);
                }
                default -> error(404, "no admin route " + r.method() + " " + r.path(), route);
            };
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage(), route);
        }
    }

    private static CampaignResult campaign(ApsisService service, Map<String, Object> spec) {
        Campaign c = Campaign.newsletter(String.valueOf(spec.getOrDefault("subject", "Newsletter")))
                .withShares(
                        share(spec, "bounces", 0.03),
                        share(spec, "opens", 0.4),
                        share(spec, "clicks", 0.3),
                        share(spec, "unsubscribes", 0.02),
                        0)
                .sentAt(Instant.now().minus(Duration.ofMinutes(Math.round(share(spec, "hoursAgo", 1) * 60))));
        return service.simulate(c);
    }

    private static double share(Map<String, Object> spec, String name, double fallback) {
        Object v = spec.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number");
        }
    }
}
