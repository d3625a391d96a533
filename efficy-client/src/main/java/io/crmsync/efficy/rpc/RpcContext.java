package io.crmsync.efficy.rpc;

import io.crmsync.efficy.internal.EfficyNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One element of a batch: a context ({@code api}, {@code consult}, {@code edit} or {@code search})
 * with its lowercase parameters and its functions.
 *
 * <p>Immutable; every {@code with*} method returns a new context. The factories set the
 * parameters each context type needs; {@link #param} adds others.
 *
 * <pre>{@code
 * RpcContext read = RpcContext.consult("Cont", 12345).closeContext(true)
 *     .withFunc(RpcFunc.named("master"))
 *     .withFunc(RpcFunc.named("detail").with("detail", "Prof"));
 * }</pre>
 */
public final class RpcContext {

    /** The four context types of the JSON-RPC API. */
    public enum Type {
        /** Stateless functions. */
        API,
        /** Read one record. */
        CONSULT,
        /** Create or change one record. */
        EDIT,
        /** Search an entity. */
        SEARCH;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code api} functions that only read. A batch made only of reads may be retried; any other
     * {@code api} function is treated as a write.
     */
    static final Set<String> READ_ONLY_API_FUNCS = Set.of(
            "currentuserid",
            "currentusername",
            "currentuserfullname",
            "currentdatabasealias",
            "currentdatabasetimezone",
            "currentlicensename",
            "currentusergroups",
            "currentusertimezone",
            "systemsettings",
            "getsetting",
            "userlist",
            "query",
            "executesqlquery",
            "consultmanyex",
            "contactidsfromemailaddresses",
            "searchcontactsbyphone",
            "getcategorycollection",
            "getlookupdata",
            "getlookupkeyfromvalue2",
            "getlookupvaluefromkey2",
            "recentlistex",
            "favoritelist");

    private final Type type;
    private final String id;
    private final Map<String, Object> params;
    private final List<RpcFunc> funcs;

    private RpcContext(Type type, String id, Map<String, Object> params, List<RpcFunc> funcs) {
        this.type = type;
        this.id = id;
        this.params = params;
        this.funcs = funcs;
    }

    /** An {@code api} context for stateless functions. */
    public static RpcContext api() {
        return new RpcContext(Type.API, null, Map.of(), List.of());
    }

    /** A {@code consult} context reading the record {@code key} of {@code entity}. */
    public static RpcContext consult(String entity, long key) {
        return empty(Type.CONSULT)
                .param("entity", EfficyNames.require("entity", entity))
                .param("key", EfficyNames.requireKey(entity, key));
    }

    /**
     * An {@code edit} context on the record {@code key} of {@code entity}; key 0 creates a record.
     */
    public static RpcContext edit(String entity, long key) {
        if (key < 0) {
            throw new IllegalArgumentException(entity + " key must be 0 (create) or positive, was " + key);
        }
        return empty(Type.EDIT)
                .param("entity", EfficyNames.require("entity", entity))
                .param("key", key);
    }

    /** A {@code search} context on {@code entity} with a method (e.g. SEARCHFAST) and a value. */
    public static RpcContext search(String entity, String method, String value) {
        return empty(Type.SEARCH)
                .param("entity", EfficyNames.require("entity", entity))
                .param("method", EfficyNames.require("search method", method))
                .param("value", Objects.requireNonNull(value, "search value"));
    }

    private static RpcContext empty(Type type) {
        return new RpcContext(type, null, Map.of(), List.of());
    }

    /** Returns a copy with a {@code #id}; the batch assigns one when none is set. */
    public RpcContext id(String contextId) {
        if (contextId == null || !contextId.matches("[A-Za-z0-9_.$-]+")) {
            throw new IllegalArgumentException("context id must match [A-Za-z0-9_.$-]+, was "
                    + (contextId == null ? "null" : "'" + contextId + "'"));
        }
        return new RpcContext(type, contextId, params, funcs);
    }

    /** Returns a copy with one more lowercase parameter. */
    public RpcContext param(String name, Object value) {
        EfficyNames.require("context parameter", name);
        Objects.requireNonNull(value, () -> "value of context parameter " + name);
        Map<String, Object> copy = new LinkedHashMap<>(params);
        copy.put(name, value);
        return new RpcContext(type, id, Collections.unmodifiableMap(copy), funcs);
    }

    /** Returns a copy with the {@code commit} flag (edit contexts). */
    public RpcContext commit(boolean commit) {
        return param("commit", commit);
    }

    /** Returns a copy with the {@code closecontext} flag. */
    public RpcContext closeContext(boolean close) {
        return param("closecontext", close);
    }

    /** Returns a copy with one more function at the end. */
    public RpcContext withFunc(RpcFunc func) {
        List<RpcFunc> copy = new ArrayList<>(funcs);
        copy.add(Objects.requireNonNull(func, "func"));
        return new RpcContext(type, id, params, List.copyOf(copy));
    }

    /** The context type. */
    public Type type() {
        return type;
    }

    /** The {@code #id}, or null when the batch is to assign one. */
    public String id() {
        return id;
    }

    /** The lowercase context parameters. */
    public Map<String, Object> params() {
        return params;
    }

    /** The functions, in order. */
    public List<RpcFunc> funcs() {
        return funcs;
    }

    /** Whether the context only reads: consult, search, or api with read-only functions. */
    public boolean isReadOnly() {
        switch (type) {
            case CONSULT:
            case SEARCH:
                return true;
            case API:
                return funcs.stream().allMatch(f -> READ_ONLY_API_FUNCS.contains(f.name()));
            default:
                return false;
        }
    }

    String wireName() {
        return type.wireName();
    }

    @Override
    public String toString() {
        return "RpcContext{" + type.wireName() + (id == null ? "" : " #" + id) + ", funcs=" + funcs + "}";
    }
}
