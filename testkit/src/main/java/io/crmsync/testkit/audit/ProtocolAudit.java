package io.crmsync.testkit.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every request parameter or body field an emulator received but does not know, across the JVM.
 *
 * <p>The real services ignore names they do not know without a word (Efficy's camelCase
 * {@code recordCount} was silently dropped and a query returned 10,000 rows instead of 5), so a
 * client that misspells a parameter passes every test that only checks answers. The emulators
 * therefore record each unknown name here, and {@link ProtocolAuditExtension} fails the test that
 * produced one. A test that sends unknown names on purpose takes them with {@link #drain()} and
 * asserts on them.
 *
 * <pre>{@code
 * List<ProtocolAudit.UnknownName> unknown = ProtocolAudit.drain();
 * assertThat(unknown).extracting(ProtocolAudit.UnknownName::name).containsExactly("recordCount");
 * }</pre>
 */
public final class ProtocolAudit {

    /**
     * One unknown name.
     *
     * @param emulator {@code efficy} or {@code apsis}
     * @param where the context, function or route that carried it, e.g. {@code api/executesqlquery}
     * @param name the name as sent
     */
    public record UnknownName(String emulator, String where, String name) {
        @Override
        public String toString() {
            return emulator + " " + where + ": " + name;
        }
    }

    private static final Set<UnknownName> RECORDED = ConcurrentHashMap.newKeySet();

    private ProtocolAudit() {}

    /** Records an unknown name (each distinct one once). */
    public static void record(String emulator, String where, String name) {
        RECORDED.add(new UnknownName(emulator, where, name));
    }

    /** The unknown names recorded so far, sorted, without clearing them. */
    public static List<UnknownName> recorded() {
        List<UnknownName> list = new ArrayList<>(RECORDED);
        list.sort(Comparator.comparing(UnknownName::toString));
        return list;
    }

    /** The unknown names recorded so far, sorted; clears the record. */
    public static synchronized List<UnknownName> drain() {
        List<UnknownName> list = recorded();
        RECORDED.removeAll(list);
        return list;
    }
}
