package io.crmsync.sync.reverse;

import io.crmsync.apsis.export.EmailEventType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What reverse sync writes to Efficy for each email event type, and how history records look.
 *
 * <p>Defaults ({@link #defaults()}): a history record for SENT, DELIVERED, OPENED, CLICKED,
 * BOUNCED and UNSUBSCRIBED; ABUSE ignored. History records carry the correlation id in
 * {@code F_SOURCE_ID} (a customer field that must exist on Acti; setup validation checks it) and
 * the event type in {@code F_EVENT_TYPE} when {@link #eventTypeField()} is set. An UNSUBSCRIBED
 * event also unticks the contact's mapped consent in Efficy, whatever its actions.
 *
 * <pre>{@code
 * ResponseMapping mapping = ResponseMapping.defaults()
 *     .with(EmailEventType.OPENED, ResponseAction.history(), ResponseAction.eventTimeTo("F_LAST_OPENED"))
 *     .with(EmailEventType.BOUNCED, ResponseAction.history(), ResponseAction.set("F_BOUNCED", "1"));
 * }</pre>
 *
 * @param actions the actions per event type (absent types are ignored)
 * @param sourceField the Acti field holding the source id
 * @param eventTypeField the Acti field receiving the event type, or null
 */
public record ResponseMapping(Map<EmailEventType, List<ResponseAction>> actions, String sourceField,
    String eventTypeField) {

  /** Copies and checks. */
  public ResponseMapping {
    EnumMap<EmailEventType, List<ResponseAction>> copy = new EnumMap<>(EmailEventType.class);
    actions.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    actions = java.util.Collections.unmodifiableMap(copy);
    Objects.requireNonNull(sourceField, "sourceField");
    if (!sourceField.matches("[A-Za-z0-9_$]+")) {
      throw new IllegalArgumentException("source field must match [A-Za-z0-9_$]+, was '" + sourceField + "'");
    }
    if (eventTypeField != null && eventTypeField.isBlank()) {
      eventTypeField = null; // blank means off, as absent does
    }
    if (eventTypeField != null && !eventTypeField.matches("[A-Za-z0-9_$]+")) {
      throw new IllegalArgumentException("event type field must match [A-Za-z0-9_$]+, was '" + eventTypeField + "'");
    }
  }

  /** The defaults described in the class documentation. */
  public static ResponseMapping defaults() {
    Map<EmailEventType, List<ResponseAction>> map = new EnumMap<>(EmailEventType.class);
    for (EmailEventType t : List.of(EmailEventType.SENT, EmailEventType.DELIVERED, EmailEventType.OPENED,
        EmailEventType.CLICKED, EmailEventType.BOUNCED, EmailEventType.UNSUBSCRIBED)) {
      map.put(t, List.of(ResponseAction.history()));
    }
    return new ResponseMapping(map, "F_SOURCE_ID", "F_EVENT_TYPE");
  }

  /** A copy with other actions for one event type (none: ignore the type). */
  public ResponseMapping with(EmailEventType type, ResponseAction... typeActions) {
    Map<EmailEventType, List<ResponseAction>> map = new EnumMap<>(EmailEventType.class);
    map.putAll(actions);
    map.put(type, List.of(typeActions));
    return new ResponseMapping(map, sourceField, eventTypeField);
  }

  /** A copy with other Acti fields for the source id and the event type (null: not written). */
  public ResponseMapping withFields(String source, String eventType) {
    return new ResponseMapping(actions, source, eventType);
  }

  /** The actions for a type (empty when ignored). */
  public List<ResponseAction> actionsFor(EmailEventType type) {
    return actions.getOrDefault(type, List.of());
  }
}
