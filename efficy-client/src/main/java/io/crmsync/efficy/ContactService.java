package io.crmsync.efficy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.efficy.contact.Contact;
import io.crmsync.efficy.contact.ContactCursor;
import io.crmsync.efficy.contact.ContactPage;
import io.crmsync.efficy.contact.ContactPageRequest;
import io.crmsync.efficy.contact.ContactRead;
import io.crmsync.efficy.contact.ContactRecord;
import io.crmsync.efficy.contact.ContactSource;
import io.crmsync.efficy.internal.EfficyJson;
import io.crmsync.efficy.internal.EfficyNames;
import io.crmsync.efficy.internal.Lists;
import io.crmsync.efficy.rpc.BatchResponse;
import io.crmsync.efficy.rpc.ContextResult;
import io.crmsync.efficy.rpc.Dataset;
import io.crmsync.efficy.rpc.JsonRpcBatch;
import io.crmsync.efficy.rpc.Row;
import io.crmsync.efficy.rpc.RpcContext;
import io.crmsync.efficy.rpc.RpcFunc;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Efficy contacts ({@code Cont}): pages by keyset with their Profile memberships, one contact with
 * its categories, field updates, Profile links and look-ups by e-mail address. Get it from
 * {@link EfficyClient#contacts()}; thread-safe.
 *
 * <pre>{@code
 * efficy.contacts().pages(ContactPageRequest.from(ContactCursor.start()).fields(List.of("NAME", "EMAIL1")))
 *     .forEach(page -> page.contacts().forEach(c -> System.out.println(c.key())));
 * }</pre>
 */
public final class ContactService {

    private final EfficyTransport transport;
    private final ContactSource contactSource;
    private final int lookupBatchSize;
    private final ObjectMapper mapper = EfficyJson.newMapper();

    ContactService(EfficyTransport transport, ContactSource contactSource, int lookupBatchSize) {
        this.transport = transport;
        this.contactSource = contactSource;
        this.lookupBatchSize = lookupBatchSize;
    }

    /**
     * Reads one page of contacts after {@code cursor}, with their Profile memberships when asked, in
     * one request.
     *
     * @param request the cursor, the fields to read (the source's key and change fields are added
     *     when missing), rows per page (at least 1), and whether to read Profile ({@code Prof})
     *     memberships in the same request
     * @return the page and the cursor after it
     * @throws IllegalArgumentException for a bad field name or page size
     */
    public ContactPage page(ContactPageRequest request) {
        ContactCursor cursor = request.cursor();
        List<String> fields = request.fields();
        int pageSize = request.pageSize();
        boolean withProfiles = request.withProfiles();
        List<String> selected = selectedFields(fields);
        RpcContext context = RpcContext.api().withFunc(contactSource.pageFunc(cursor, selected, pageSize));
        if (withProfiles) {
            context = context.withFunc(contactSource.membershipFunc(cursor, pageSize));
        }
        ContextResult result = transport
                .execute(JsonRpcBatch.builder("contactPage").add(context).build())
                .context(0);
        Dataset rows = result.func(0).dataset();
        Map<Long, Set<Long>> memberships =
                withProfiles ? memberships(result.func(1).dataset()) : Map.of();
        List<Contact> contacts = new ArrayList<>(rows.size());
        String keyField = contactSource.keyField();
        String changedField = contactSource.changedField();
        for (Row row : rows.rows()) {
            long key = row.requireLong(keyField);
            contacts.add(new Contact(key, row, memberships.getOrDefault(key, Set.of()), row.dateTime(changedField)));
        }
        ContactCursor next = cursor;
        if (!contacts.isEmpty()) {
            Contact lastContact = contacts.get(contacts.size() - 1);
            if (cursor.isChangedSince()) {
                LocalDateTime at = lastContact
                        .changedAt()
                        .orElseThrow(() ->
                                new IllegalStateException("contact " + lastContact.key() + " has no " + changedField));
                next = ContactCursor.changedSince(at, lastContact.key());
            } else {
                next = ContactCursor.afterKey(lastContact.key());
            }
        }
        return new ContactPage(contacts, next, contacts.size() < pageSize);
    }

    /**
     * All pages from {@code cursor} on, as a lazy stream: the next page is requested only when the
     * stream needs it, so memory holds one page at a time. The stream ends after a short page.
     */
    public Stream<ContactPage> pages(ContactPageRequest request) {
        // Check the arguments now, not on first use.
        selectedFields(request.fields());
        Spliterator<ContactPage> pages =
                new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
                    private ContactCursor next = request.cursor();
                    private boolean done;

                    @Override
                    public boolean tryAdvance(Consumer<? super ContactPage> action) {
                        if (done) {
                            return false;
                        }
                        ContactPage page = page(request.at(next));
                        next = page.next();
                        done = page.last();
                        if (page.contacts().isEmpty()) {
                            return false;
                        }
                        action.accept(page);
                        return true;
                    }
                };
        return StreamSupport.stream(pages, false);
    }

    private List<String> selectedFields(List<String> fields) {
        Set<String> selected = new LinkedHashSet<>();
        selected.add(contactSource.keyField());
        for (String f : fields) {
            selected.add(EfficyNames.require("field", f));
        }
        selected.add(contactSource.changedField());
        return List.copyOf(selected);
    }

    private Map<Long, Set<Long>> memberships(Dataset rows) {
        Map<Long, Set<Long>> map = new HashMap<>();
        for (Row row : rows.rows()) {
            long contact = row.requireLong(contactSource.membershipContactField());
            long profile = row.requireLong(contactSource.membershipProfileField());
            map.computeIfAbsent(contact, k -> new LinkedHashSet<>()).add(profile);
        }
        return map;
    }

    /**
     * Reads one contact with a {@code consult}: the master fields asked for, the categories and the
     * Profile memberships. Empty when the master dataset has no row (no such contact).
     *
     * @throws IllegalArgumentException for a key below 1
     */
    public Optional<ContactRecord> get(long key, ContactRead read) {
        ContextResult result = transport
                .execute(JsonRpcBatch.builder("contact").add(consult(key, read)).build())
                .context(0);
        return record(key, result, read);
    }

    /** The {@code consult} context reading one contact as {@code read} asks. */
    private static RpcContext consult(long key, ContactRead read) {
        EfficyNames.requireKey("contact", key);
        RpcContext context = RpcContext.consult("Cont", key).closeContext(true).withFunc(RpcFunc.named("master"));
        for (String category : read.categories()) {
            context = context.withFunc(RpcFunc.named("category").with("category", category));
        }
        if (read.profiles()) {
            context = context.withFunc(RpcFunc.named("detail").with("detail", "Prof"));
        }
        return context;
    }

    /** The contact a {@link #consult} context answered; empty when the master dataset has no row. */
    private Optional<ContactRecord> record(long key, ContextResult result, ContactRead read) {
        Dataset masterRows = result.func(0).dataset();
        if (masterRows.isEmpty()) {
            return Optional.empty();
        }
        Row master = project(masterRows.rows().get(0), read.fields());
        Map<String, Row> categories = new LinkedHashMap<>();
        int index = 1;
        for (String category : read.categories()) {
            Dataset rows = result.func(index++).dataset();
            if (!rows.isEmpty()) {
                categories.put(category, rows.rows().get(0));
            }
        }
        Set<Long> profiles = new LinkedHashSet<>();
        if (read.profiles()) {
            for (Row row : result.func(index).dataset().rows()) {
                row.longValue(read.membershipProfileField()).ifPresent(profiles::add);
            }
        }
        return Optional.of(new ContactRecord(key, master, categories, profiles));
    }

    /**
     * Reads several contacts as {@link #get} does, one {@code consult} context per contact and up to
     * {@code lookupBatchSize} contexts per request. Contacts Efficy has no row for are absent from
     * the answer.
     *
     * @throws IllegalArgumentException for a key below 1
     */
    public Map<Long, ContactRecord> getAll(Collection<Long> keys, ContactRead read) {
        Map<Long, ContactRecord> found = new LinkedHashMap<>();
        List<Long> distinct = List.copyOf(new LinkedHashSet<>(keys));
        for (List<Long> chunk : Lists.chunks(distinct, lookupBatchSize)) {
            JsonRpcBatch.Builder batch = JsonRpcBatch.builder("contacts").idempotent(true);
            for (long key : chunk) {
                batch.add(consult(key, read));
            }
            BatchResponse response = transport.execute(batch.build());
            for (int i = 0; i < chunk.size(); i++) {
                long key = chunk.get(i);
                record(key, response.context(i), read).ifPresent(r -> found.put(key, r));
            }
        }
        return found;
    }

    private Row project(Row row, List<String> fields) {
        if (fields.isEmpty()) {
            return row;
        }
        var node = mapper.createObjectNode();
        for (String f : fields) {
            row.raw(f).ifPresentOrElse(v -> node.set(f, v), () -> {
                if (row.has(f)) {
                    node.putNull(f);
                }
            });
        }
        return new Row(node);
    }

    /**
     * Ticks or unticks a checkbox field of a contact (an {@code edit} with {@code update},
     * committed). Safe to repeat, so it is retried like a read.
     */
    public void setCheckbox(long contactKey, String field, boolean ticked) {
        updateFields(contactKey, Map.of(EfficyNames.require("field", field), ticked ? "1" : "0"));
    }

    /**
     * Sets master fields of a contact in one committed {@code edit}. Values are sent as given (use
     * {@code "0"}/{@code "1"} for checkboxes and {@code yyyy-MM-ddTHH:mm:ss} for dates); a
     * {@code null} value clears the field. Safe to repeat.
     */
    public void updateFields(long contactKey, Map<String, ?> values) {
        EfficyNames.requireKey("contact", contactKey);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no field to update on contact " + contactKey);
        }
        RpcContext edit = RpcContext.edit("Cont", contactKey)
                .commit(true)
                .closeContext(true)
                .withFunc(RpcFunc.named("update").data(values));
        transport.execute(
                JsonRpcBatch.builder("updateContact").add(edit).idempotent(true).build());
    }

    /**
     * Sets master fields of several contacts in one request (one committed {@code edit} context per
     * contact). Safe to repeat, so it is retried like a read.
     *
     * @param values contact key to the fields to set (see {@link #updateFields(long, Map)})
     */
    public void updateFields(Map<Long, ? extends Map<String, ?>> values) {
        if (values.isEmpty()) {
            return;
        }
        JsonRpcBatch.Builder batch = JsonRpcBatch.builder("updateContacts").idempotent(true);
        values.forEach((key, fields) -> {
            EfficyNames.requireKey("contact", key);
            if (fields.isEmpty()) {
                throw new IllegalArgumentException("no field to update on contact " + key);
            }
            batch.add(RpcContext.edit("Cont", key)
                    .commit(true)
                    .closeContext(true)
                    .withFunc(RpcFunc.named("update").data(fields)));
        });
        transport.execute(batch.build());
    }

    /**
     * Makes a contact a member of an Efficy Profile ({@code addlink} Cont → Prof with
     * {@code ignoreexisting}, so an existing membership is not an error). Safe to repeat.
     */
    public void addProfile(long contactKey, long profileKey) {
        link("addlink", contactKey, profileKey);
    }

    /** Ends a contact's membership of an Efficy Profile ({@code deletelink}). Safe to repeat. */
    public void removeProfile(long contactKey, long profileKey) {
        link("deletelink", contactKey, profileKey);
    }

    private void link(String func, long contactKey, long profileKey) {
        EfficyNames.requireKey("contact", contactKey);
        EfficyNames.requireKey("profile", profileKey);
        RpcFunc f = RpcFunc.named(func)
                .with("entity", "Cont")
                .with("key", contactKey)
                .with("detail", "Prof")
                .with("detailkey", Long.toString(profileKey))
                .with("ignoreexisting", true);
        transport.execute(JsonRpcBatch.builder(func)
                .add(RpcContext.api().withFunc(f))
                .idempotent(true)
                .build());
    }

    /**
     * Contacts by e-mail address ({@code contactidsfromemailaddresses}), for many addresses in few
     * requests. Each distinct address (compared case-insensitively) is asked once, in a function of
     * its own, and up to {@link EfficyClient.Builder#lookupBatchSize} functions travel in one request: the
     * notes do not document the answer's columns, so only the contact key ({@code K_CONTACT}) is
     * read, and a function's rows belong to the one address it asked for. An address may match
     * several contacts (the caller decides what that means).
     *
     * @return lower-cased address to the keys of the contacts it matched (absent when none)
     * @throws IllegalArgumentException for an address containing {@code ;} (the list separator)
     */
    public Map<String, List<Long>> keysByEmail(Collection<String> addresses) {
        Set<String> asked = new LinkedHashSet<>();
        for (String a : addresses) {
            if (a == null || a.isBlank()) {
                continue;
            }
            if (a.contains(";")) {
                throw new IllegalArgumentException("an e-mail address must not contain ';'");
            }
            asked.add(a.trim().toLowerCase(Locale.ROOT));
        }
        Map<String, List<Long>> found = new LinkedHashMap<>();
        for (List<String> chunk : Lists.chunks(List.copyOf(asked), lookupBatchSize)) {
            RpcContext context = RpcContext.api();
            for (String address : chunk) {
                context = context.withFunc(
                        RpcFunc.named("contactidsfromemailaddresses").with("recipients", address));
            }
            ContextResult result = transport
                    .execute(JsonRpcBatch.builder("contactKeysByEmail")
                            .add(context)
                            .build())
                    .context(0);
            for (int i = 0; i < chunk.size(); i++) {
                List<Long> keys = new ArrayList<>();
                for (Row row : result.func(i).dataset().rows()) {
                    row.longValue("K_CONTACT").ifPresent(k -> {
                        if (!keys.contains(k)) {
                            keys.add(k);
                        }
                    });
                }
                if (!keys.isEmpty()) {
                    found.put(chunk.get(i), keys);
                }
            }
        }
        return found;
    }
}
