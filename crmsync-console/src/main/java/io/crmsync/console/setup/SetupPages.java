package io.crmsync.console.setup;

import io.crmsync.console.web.Html;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wizard's five pages. Secrets are never written into a page: their fields are empty, and
 * say whether a value is kept. Internal.
 */
final class SetupPages {

    private SetupPages() {}

    static String page(String mount, String csrf, int step, SetupDraft d, SetupTarget target) {
        Html h = new Html();
        h.raw("<h1>Set up</h1><div class=\"steps\">");
        for (int i = 1; i <= SetupWizard.STEPS.size(); i++) {
            String name = i + " " + SetupWizard.STEPS.get(i - 1);
            if (i <= d.reached && i != step) {
                h.raw("<a href=\"")
                        .text(mount + "/setup?step=" + i)
                        .raw("\"><span>")
                        .text(name)
                        .raw("</span></a>");
            } else {
                h.raw("<span" + (i == step ? " class=\"on\"" : "") + ">")
                        .text(name)
                        .raw("</span>");
            }
        }
        h.raw("</div>");
        switch (step) {
            case 1 -> connect(h, mount, csrf, d, target);
            case 2 -> conditions(h, mount, csrf, d);
            case 3 -> fields(h, mount, csrf, d);
            case 4 -> consent(h, mount, csrf, d);
            default -> sync(h, mount, csrf, d, target);
        }
        return h.toString();
    }

    private static void connect(Html h, String mount, String csrf, SetupDraft d, SetupTarget target) {
        form(h, mount, csrf, "connect");
        h.raw("<fieldset><legend>Enable: the API keys and URLs, checked live</legend>");
        if (target.asksForTenant()) {
            input(h, "Tenant id", "tenant", d.tenant);
        }
        input(h, "Efficy URL (…/crm)", "efficy.url", d.values.getOrDefault("efficy.url", ""));
        input(h, "Efficy customer", "efficy.customer", d.values.getOrDefault("efficy.customer", ""));
        secret(h, "Efficy API key", "efficy.apiKey", d);
        input(h, "APSIS URL", "apsis.baseUrl", d.values.getOrDefault("apsis.baseUrl", "https://api.apsis.one"));
        input(h, "APSIS client id", "apsis.clientId", d.values.getOrDefault("apsis.clientId", ""));
        secret(h, "APSIS client secret", "apsis.clientSecret", d);
        h.raw("</fieldset><button type=\"submit\" id=\"next\">Check and continue</button></form>");
    }

    private static void conditions(Html h, String mount, String csrf, SetupDraft d) {
        form(h, mount, csrf, "conditions");
        h.raw("<fieldset><legend>Sync conditions: only contacts that meet all of them sync (none: all)</legend>");
        List<Map.Entry<String, String>> kept = d.under("condition.");
        for (int i = 1; i <= SetupWizard.ROWS; i++) {
            String prefix = "condition." + i + ".";
            h.raw("<label>Condition " + i + " ");
            select(h, "field" + i, d.efficyFields, value(kept, prefix + "field"), true);
            select(h, "op" + i, SetupWizard.OPERATORS, value(kept, prefix + "op"), false);
            h.raw(" <input name=\"value" + i + "\" value=\"")
                    .text(value(kept, prefix + "value"))
                    .raw("\"></label>");
        }
        h.raw("</fieldset><button type=\"submit\" id=\"next\">Continue</button></form>");
    }

    private static void fields(Html h, String mount, String csrf, SetupDraft d) {
        String section = d.values.getOrDefault("apsis.section", "");
        h.raw("<form method=\"get\" action=\"")
                .text(mount + "/setup")
                .raw("\"><input type=\"hidden\" name=\"step\" value=\"3\">" + "<label>APSIS section ");
        select(h, "section", d.sections, section, false);
        h.raw(" <button type=\"submit\">Show its attributes</button></label></form>");
        form(h, mount, csrf, "fields");
        h.hidden("apsis.section", section);
        h.raw("<fieldset><legend>Map fields: each Efficy contact field to an APSIS attribute (or none)</legend>");
        boolean fresh = d.under("mapping.").isEmpty();
        for (String field : d.efficyFields) {
            String chosen = d.values.getOrDefault("mapping." + field, fresh ? guess(field, d.attributes) : "");
            h.raw("<label>")
                    .text(field)
                    .raw(" → <select name=\"")
                    .text("map." + field)
                    .raw("\" id=\"")
                    .text("map-" + field)
                    .raw("\"><option value=\"\">(not synced)</option>");
            for (SetupDraft.Choice a : d.attributes) {
                h.raw("<option value=\"")
                        .text(a.id())
                        .raw("\"" + (a.id().equals(chosen) ? " selected" : "") + ">")
                        .text(a.name() + " (" + a.id() + ")")
                        .raw("</option>");
            }
            h.raw("</select></label>");
        }
        h.raw("</fieldset><button type=\"submit\" id=\"next\">Continue</button></form>");
    }

    private static void consent(Html h, String mount, String csrf, SetupDraft d) {
        form(h, mount, csrf, "consent");
        h.raw("<fieldset><legend>Map consent: an Efficy checkbox field (or a Profile key) to an APSIS topic</legend>");
        List<Map.Entry<String, String>> kept = d.under("consent.");
        List<String> topics = d.topics.stream().map(SetupDraft.Choice::id).toList();
        for (int i = 1; i <= SetupWizard.ROWS; i++) {
            String prefix = "consent." + i + ".";
            String source = value(kept, prefix + "checkbox");
            source = source.isEmpty() ? value(kept, prefix + "profile") : source;
            h.raw("<label>Consent " + i + " <input name=\"source" + i + "\" id=\"source" + i
                            + "\" list=\"fields\" value=\"")
                    .text(source)
                    .raw("\"> → ");
            select(h, "topic" + i, topics, value(kept, prefix + "topic"), true);
            select(h, "channel" + i, List.of("email", "sms"), value(kept, prefix + "channel"), false);
            h.raw("</label>");
        }
        h.raw("<datalist id=\"fields\">");
        d.efficyFields.forEach(f -> h.raw("<option value=\"").text(f).raw("\">"));
        h.raw("</datalist></fieldset><button type=\"submit\" id=\"next\">Continue</button></form>");
    }

    private static void sync(Html h, String mount, String csrf, SetupDraft d, SetupTarget target) {
        h.raw("<h2>Sync</h2><p>")
                .text(target.describe())
                .raw("</p><table id=\"summary\"><tr><th>Key</th><th>Value</th></tr>");
        if (target.asksForTenant()) {
            h.raw("<tr><td>tenant</td><td>").text(d.tenant).raw("</td></tr>");
        }
        d.values.forEach(
                (k, v) -> h.raw("<tr><td>").text(k).raw("</td><td>").text(v).raw("</td></tr>"));
        Map<String, String> names = target.secretNames(d.tenant);
        for (String k : d.secrets.keySet()) {
            String where =
                    names.containsKey(k) ? "read from the secret store as " + names.get(k) : "stored by the host";
            h.raw("<tr><td>")
                    .text(k)
                    .raw("</td><td>")
                    .text("(secret, " + where + ")")
                    .raw("</td></tr>");
        }
        h.raw("</table>");
        form(h, mount, csrf, "preview");
        h.raw("<button type=\"submit\" id=\"preview\">Preview (dry run)</button></form>");
        if (d.previewed) {
            h.raw("<pre id=\"preview-result\">").text(d.preview).raw("</pre>");
            form(h, mount, csrf, "finish");
            h.raw("<button type=\"submit\" id=\"finish\">Save and start syncing</button></form>");
        }
    }

    private static void form(Html h, String mount, String csrf, String step) {
        h.raw("<form method=\"post\" action=\"").text(mount + "/setup/" + step).raw("\">");
        h.hidden("csrf", csrf);
    }

    private static void input(Html h, String label, String name, String value) {
        h.raw("<label>")
                .text(label)
                .raw(" <input name=\"")
                .text(name)
                .raw("\" id=\"")
                .text(name)
                .raw("\" value=\"")
                .text(value)
                .raw("\"></label>");
    }

    private static void secret(Html h, String label, String name, SetupDraft d) {
        boolean kept = d.secrets.containsKey(name);
        h.raw("<label>")
                .text(label)
                .raw(" <input type=\"password\" autocomplete=\"off\" name=\"")
                .text(name)
                .raw("\" id=\"")
                .text(name)
                .raw("\"" + (kept ? " placeholder=\"kept; type to replace\"" : "") + "></label>");
    }

    private static void select(Html h, String name, List<String> options, String chosen, boolean blank) {
        h.raw("<select name=\"").text(name).raw("\" id=\"").text(name).raw("\">");
        if (blank) {
            h.raw("<option value=\"\">–</option>");
        }
        for (String o : options) {
            h.raw("<option" + (o.equals(chosen) ? " selected" : "") + ">")
                    .text(o)
                    .raw("</option>");
        }
        h.raw("</select>");
    }

    private static String value(List<Map.Entry<String, String>> kept, String key) {
        return kept.stream()
                .filter(e -> e.getKey().equals(key))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("");
    }

    /** The attribute a well-known Efficy field most likely maps to, for a first draft. */
    private static String guess(String field, List<SetupDraft.Choice> attributes) {
        String want = switch (field.toUpperCase(Locale.ROOT)) {
            case "EMAIL1" -> "email";
            case "FIRSTNAME" -> "firstname";
            case "NAME" -> "lastname";
            case "MOBILE" -> "mobile";
            default -> null;
        };
        if (want == null) {
            return "";
        }
        return attributes.stream()
                .map(SetupDraft.Choice::id)
                .filter(id -> id.toLowerCase(Locale.ROOT).endsWith("." + want))
                .findFirst()
                .orElse("");
    }
}
