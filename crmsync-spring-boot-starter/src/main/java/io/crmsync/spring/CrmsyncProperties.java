package io.crmsync.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code crmsync.*} properties: the same keys as the CLI's file ({@code crmsync.efficy.url} is
 * the file's {@code efficy.url}, {@code crmsync.mapping.EMAIL1} its {@code mapping.EMAIL1}; see
 * {@code cli/crmsync.properties.sample}), plus what only a Spring application has: schedules, the
 * webhook endpoints and the health check's cache. This class gives IDEs their completion; the
 * values are read through {@code CrmsyncConfig}, as the CLI reads them.
 *
 * <pre>
 * crmsync.efficy.url=https://mycompany.efficy.cloud/crm
 * crmsync.efficy.customer=mycompany
 * crmsync.efficy.api-key=${EFFICY_API_KEY}
 * crmsync.apsis.client-id=...
 * crmsync.apsis.client-secret=${APSIS_CLIENT_SECRET}
 * crmsync.apsis.section=com.apsis1.sections.default
 * crmsync.mapping.EMAIL1=com.apsis1.attributes.email
 * crmsync.schedule.poll-interval=PT1M
 * </pre>
 */
@ConfigurationProperties("crmsync")
public class CrmsyncProperties {

  /** Whether crmsync is configured at all. Default true. */
  private boolean enabled = true;
  /** Efficy: url, customer, api-key (or user and password), time-zone, allow-insecure-http. */
  private Map<String, String> efficy = new LinkedHashMap<>();
  /** APSIS: region or base-url, client-id, client-secret, section, keyspace, import-directory. */
  private Map<String, String> apsis = new LinkedHashMap<>();
  /** Field mappings: Efficy field to APSIS attribute discriminator, optionally {@code :converter}. */
  private Map<String, String> mapping = new LinkedHashMap<>();
  /** Consent mappings by index: checkbox or profile, topic, channel. */
  private Map<String, Map<String, String>> consent = new LinkedHashMap<>();
  /** Sync conditions by index: field, op, value. */
  private Map<String, Map<String, String>> condition = new LinkedHashMap<>();
  /** Stored queries synced as tags, by index: key, tag. */
  private Map<String, Map<String, String>> query = new LinkedHashMap<>();
  /** What reverse sync writes per e-mail event type, and its Acti fields. */
  private Map<String, String> response = new LinkedHashMap<>();
  /** Reverse sync: window, first-lookback. */
  private Map<String, String> reverse = new LinkedHashMap<>();
  /** The engine: concurrency, clock-skew, stop-matching, deleted-contact. */
  private Map<String, String> sync = new LinkedHashMap<>();
  /** The task webhook: secret, mode, header, default-user. */
  private Map<String, String> taskWebhook = new LinkedHashMap<>();
  /** The state store on the application's DataSource: migrate (default true). */
  private Map<String, String> state = new LinkedHashMap<>();
  private final Schedule schedule = new Schedule();
  private final Webhooks webhooks = new Webhooks();
  private final Health health = new Health();

  /** Scheduled runs; off unless an interval is set. */
  public static class Schedule {
    /** How often to poll Efficy changes; unset means never. */
    private Duration pollInterval;
    /** How often to run reverse sync; unset means never. */
    private Duration reverseInterval;

    public Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    public Duration getReverseInterval() {
      return reverseInterval;
    }

    public void setReverseInterval(Duration reverseInterval) {
      this.reverseInterval = reverseInterval;
    }
  }

  /** The webhook endpoints (Spring MVC): off unless enabled. */
  public static class Webhooks {
    /** Whether to serve POST {path}/efficy/{secret} and POST {path}/apsis-task. Default false. */
    private boolean enabled;
    /** Where they are served. Default /webhooks. */
    private String path = "/webhooks";
    /** The secret Efficy's webhook URL ends with (at least 16 characters); unset turns that route off. */
    private String efficySecret;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public String getEfficySecret() {
      return efficySecret;
    }

    public void setEfficySecret(String efficySecret) {
      this.efficySecret = efficySecret;
    }
  }

  /** The actuator health check, which runs the setup validation. */
  public static class Health {
    /** How long a validation result is reused. Default 5 minutes. */
    private Duration cache = Duration.ofMinutes(5);

    public Duration getCache() {
      return cache;
    }

    public void setCache(Duration cache) {
      this.cache = cache;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Map<String, String> getEfficy() {
    return efficy;
  }

  public void setEfficy(Map<String, String> efficy) {
    this.efficy = efficy;
  }

  public Map<String, String> getApsis() {
    return apsis;
  }

  public void setApsis(Map<String, String> apsis) {
    this.apsis = apsis;
  }

  public Map<String, String> getMapping() {
    return mapping;
  }

  public void setMapping(Map<String, String> mapping) {
    this.mapping = mapping;
  }

  public Map<String, Map<String, String>> getConsent() {
    return consent;
  }

  public void setConsent(Map<String, Map<String, String>> consent) {
    this.consent = consent;
  }

  public Map<String, Map<String, String>> getCondition() {
    return condition;
  }

  public void setCondition(Map<String, Map<String, String>> condition) {
    this.condition = condition;
  }

  public Map<String, Map<String, String>> getQuery() {
    return query;
  }

  public void setQuery(Map<String, Map<String, String>> query) {
    this.query = query;
  }

  public Map<String, String> getResponse() {
    return response;
  }

  public void setResponse(Map<String, String> response) {
    this.response = response;
  }

  public Map<String, String> getReverse() {
    return reverse;
  }

  public void setReverse(Map<String, String> reverse) {
    this.reverse = reverse;
  }

  public Map<String, String> getSync() {
    return sync;
  }

  public void setSync(Map<String, String> sync) {
    this.sync = sync;
  }

  public Map<String, String> getTaskWebhook() {
    return taskWebhook;
  }

  public void setTaskWebhook(Map<String, String> taskWebhook) {
    this.taskWebhook = taskWebhook;
  }

  public Map<String, String> getState() {
    return state;
  }

  public void setState(Map<String, String> state) {
    this.state = state;
  }

  public Schedule getSchedule() {
    return schedule;
  }

  public Webhooks getWebhooks() {
    return webhooks;
  }

  public Health getHealth() {
    return health;
  }
}
