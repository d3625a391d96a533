package io.crmsync.config;

import static io.crmsync.config.keys.PairKeys.RESPONSE_EVENT_TYPE_FIELD;
import static io.crmsync.config.keys.PairKeys.RESPONSE_SOURCE_FIELD;
import static io.crmsync.config.keys.PairKeys.TASK_DEFAULT_USER;
import static io.crmsync.config.keys.PairKeys.TASK_HEADER;
import static io.crmsync.config.keys.PairKeys.TASK_MODE;
import static io.crmsync.config.keys.PairKeys.TASK_SECRET;

import io.crmsync.apsis.export.EmailEventType;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.QueryTagMapping;
import io.crmsync.sync.SyncCondition;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.reverse.ResponseAction;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The engine's policies as a configuration's families of keys say them: the field mapping
 * ({@code mapping.*}), consents ({@code consent.<n>.*}), sync conditions
 * ({@code condition.<n>.*}), stored queries as tags ({@code query.<n>.*}), the response mapping
 * ({@code response.*}) and the task webhook ({@code taskWebhook.*}). Each problem names its key.
 * Package-private.
 */
final class EngineOptions {

    private final CrmsyncConfig config;

    EngineOptions(CrmsyncConfig config) {
        this.config = config;
    }

    MappingProvider mapping() {
        Properties mappings = new Properties();
        for (String name : config.names()) {
            if (name.startsWith("mapping.")) {
                mappings.setProperty(name, config.value(name));
            }
        }
        try {
            return new PropertiesMappingProvider(mappings);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(':');
            throw new ConfigException(
                    colon > 0 ? message.substring(0, colon) : "mapping.*",
                    message.substring(colon + 1).trim());
        }
    }

    List<ConsentMapping> consents() {
        List<ConsentMapping> list = new ArrayList<>();
        for (String n : config.indexes("consent.")) {
            String prefix = "consent." + n + ".";
            String topic = config.required(prefix + "topic");
            String given = config.value(prefix + "channel", "email");
            String channel = switch (given.toLowerCase(Locale.ROOT)) {
                case "email" -> Channels.EMAIL;
                case "sms" -> Channels.SMS;
                default -> given;
            };
            String checkbox = config.value(prefix + "checkbox");
            String profile = config.value(prefix + "profile");
            try {
                if (checkbox != null && profile == null) {
                    list.add(ConsentMapping.checkbox(checkbox, topic, channel));
                } else if (profile != null && checkbox == null) {
                    list.add(ConsentMapping.profile(wholeNumber(prefix + "profile", profile), topic, channel));
                } else {
                    throw new ConfigException(
                            prefix + "checkbox", "set exactly one of " + prefix + "checkbox and " + prefix + "profile");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(prefix + "checkbox", e.getMessage());
            }
        }
        return list;
    }

    SyncCondition condition() {
        List<SyncCondition> all = new ArrayList<>();
        for (String n : config.indexes("condition.")) {
            String prefix = "condition." + n + ".";
            String field = config.required(prefix + "field");
            String op = config.value(prefix + "op", "equals").toLowerCase(Locale.ROOT);
            try {
                all.add(
                        switch (op) {
                            case "equals" -> SyncCondition.equalTo(field, config.required(prefix + "value"));
                            case "notequals" ->
                                SyncCondition.not(SyncCondition.equalTo(field, config.required(prefix + "value")));
                            case "in" ->
                                SyncCondition.in(
                                        field, config.required(prefix + "value").split("\\s*,\\s*"));
                            case "notempty" -> SyncCondition.notEmpty(field);
                            default ->
                                throw new ConfigException(
                                        prefix + "op",
                                        shown(prefix + "op", op) + " is not equals, notEquals, in or notEmpty");
                        });
            } catch (IllegalArgumentException e) {
                throw new ConfigException(prefix + "field", e.getMessage());
            }
        }
        return all.isEmpty() ? SyncCondition.always() : SyncCondition.and(all.toArray(new SyncCondition[0]));
    }

    List<QueryTagMapping> queries() {
        List<QueryTagMapping> list = new ArrayList<>();
        for (String n : config.indexes("query.")) {
            String key = "query." + n + ".key";
            long k = wholeNumber(key, config.required(key));
            try {
                list.add(QueryTagMapping.of(k, config.required("query." + n + ".tag")));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("query." + n + ".tag", e.getMessage());
            }
        }
        return list;
    }

    ResponseMapping responses() {
        ResponseMapping mapping;
        try {
            mapping = ResponseMapping.defaults()
                    .withFields(config.get(RESPONSE_SOURCE_FIELD), config.get(RESPONSE_EVENT_TYPE_FIELD));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    e.getMessage().startsWith("event")
                            ? RESPONSE_EVENT_TYPE_FIELD.name()
                            : RESPONSE_SOURCE_FIELD.name(),
                    e.getMessage());
        }
        for (EmailEventType type : EmailEventType.values()) {
            String key = "response." + type.name();
            String spec = config.value(key);
            if (spec == null) {
                continue;
            }
            List<ResponseAction> actions = new ArrayList<>();
            for (String part : spec.split("\\s*,\\s*")) {
                try {
                    String lower = part.toLowerCase(Locale.ROOT);
                    if (lower.equals("none")) {
                        continue;
                    } else if (lower.equals("history")) {
                        actions.add(ResponseAction.history());
                    } else if (lower.startsWith("eventtime:")) {
                        actions.add(ResponseAction.eventTimeTo(part.substring("eventtime:".length())));
                    } else if (lower.startsWith("set:") && part.contains("=")) {
                        String assignment = part.substring(4);
                        actions.add(ResponseAction.set(
                                assignment.substring(0, assignment.indexOf('=')),
                                assignment.substring(assignment.indexOf('=') + 1)));
                    } else {
                        throw new ConfigException(
                                key, shown(key, part) + " is not history, eventTime:FIELD, set:FIELD=VALUE or none");
                    }
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key, e.getMessage());
                }
            }
            mapping = mapping.with(type, actions.toArray(new ResponseAction[0]));
        }
        return mapping;
    }

    Optional<TaskWebhookConfig> taskWebhook() {
        String secret = config.get(TASK_SECRET);
        if (secret == null) {
            return Optional.empty();
        }
        try {
            TaskWebhookConfig task = config.get(TASK_MODE) == TaskWebhookConfig.Mode.HMAC
                    ? TaskWebhookConfig.hmac(secret, config.get(TASK_HEADER))
                    : TaskWebhookConfig.bearer(secret);
            String user = config.get(TASK_DEFAULT_USER);
            return Optional.of(user == null ? task : task.withDefaultUser(user));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(TASK_SECRET.name(), e.getMessage());
        }
    }

    /** A value quoted for an error, unless it came from a {@code ${NAME}} reference (a resolved secret). */
    private String shown(String key, String value) {
        String raw = config.properties().getProperty(key, "");
        return raw.contains("${") ? "the value" : "'" + value + "'";
    }

    private long wholeNumber(String key, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n < 1) {
                throw new ConfigException(key, "must be a positive whole number");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, shown(key, value.trim()) + " is not a whole number");
        }
    }
}
