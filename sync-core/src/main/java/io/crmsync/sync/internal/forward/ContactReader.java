package io.crmsync.sync.internal.forward;

import io.crmsync.efficy.EfficyClient;
import io.crmsync.efficy.contact.Contact;
import io.crmsync.efficy.contact.ContactCursor;
import io.crmsync.efficy.contact.ContactPage;
import io.crmsync.efficy.contact.ContactPageRequest;
import io.crmsync.efficy.contact.ContactRead;
import io.crmsync.efficy.contact.ContactRecord;
import io.crmsync.efficy.rpc.Row;
import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.ContactData;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.SyncCondition;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.mapping.FieldMapping;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Reads contacts from Efficy with exactly the fields the mapping, consent and condition need. */
public final class ContactReader {

    private final EfficyClient efficy;
    private final List<String> fields;

    public ContactReader(EfficyClient efficy, MappingProvider mapping, ConsentPolicy consent, SyncCondition condition) {
        this.efficy = efficy;
        TreeSet<String> names = new TreeSet<>();
        mapping.mappings().stream().map(FieldMapping::field).forEach(names::add);
        consent.mappings().stream()
                .filter(ConsentMapping::isCheckbox)
                .map(ConsentMapping::field)
                .forEach(names::add);
        names.addAll(condition.fields());
        this.fields = List.copyOf(names);
    }

    /** The fields read. */
    public List<String> fields() {
        return fields;
    }

    /** Pages from the cursor on, lazily. */
    public Stream<ContactPage> pages(ContactCursor cursor, int pageSize) {
        return efficy.contacts()
                .pages(ContactPageRequest.from(cursor)
                        .fields(fields)
                        .pageSize(pageSize)
                        .withProfiles(true));
    }

    /** One contact, or empty when Efficy has no such contact. */
    public Optional<ContactData> one(long key) {
        Optional<ContactRecord> record =
                efficy.contacts().get(key, new ContactRead(fields, List.of(), true, "K_PROFILE"));
        return record.map(r -> new ContactData(key, values(r.master()), r.profiles(), Optional.empty()));
    }

    /** Several contacts in as few requests as the client's batch size allows; absent ones are left out. */
    public Map<Long, ContactData> many(Collection<Long> keys) {
        Map<Long, ContactData> found = new LinkedHashMap<>();
        efficy.contacts()
                .getAll(keys, new ContactRead(fields, List.of(), true, "K_PROFILE"))
                .forEach((key, r) ->
                        found.put(key, new ContactData(key, values(r.master()), r.profiles(), Optional.empty())));
        return found;
    }

    public ContactData toData(Contact c) {
        return new ContactData(c.key(), values(c.row()), c.profiles(), c.changedAt());
    }

    private Map<String, String> values(Row row) {
        Map<String, String> map = new HashMap<>();
        for (String f : fields) {
            row.text(f).ifPresent(v -> map.put(f, v));
        }
        return map;
    }
}
