package io.crmsync.sync;

import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policy {@link ConsentPolicy#of} makes: its mappings, with each one's slot and channel worked
 * out once (the engine asks for every contact it reads).
 */
final class MappedConsentPolicy implements ConsentPolicy {

    private final List<ConsentMapping> mappings;
    private final String[] slots;
    private final boolean[] sms;

    MappedConsentPolicy(List<ConsentMapping> mappings) {
        this.mappings = List.copyOf(mappings);
        this.slots = new String[this.mappings.size()];
        this.sms = new boolean[this.mappings.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = this.mappings.get(i).slot();
            sms[i] = this.mappings.get(i).channel().equals(Channels.SMS);
        }
    }

    @Override
    public List<ConsentMapping> mappings() {
        return mappings;
    }

    @Override
    public Map<String, Boolean> ticked(ContactData contact, Optional<String> email, Optional<String> mobile) {
        Map<String, Boolean> ticked = new LinkedHashMap<>();
        for (int i = 0; i < slots.length; i++) {
            if (sms[i] ? mobile.isPresent() : email.isPresent()) {
                boolean now = mappings.get(i).isTicked(contact.fields(), contact.profiles());
                Boolean before = ticked.putIfAbsent(slots[i], now);
                if (before != null && !before && now) {
                    ticked.put(slots[i], true);
                }
            }
        }
        return ticked;
    }
}
