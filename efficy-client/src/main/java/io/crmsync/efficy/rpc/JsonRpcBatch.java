package io.crmsync.efficy.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.efficy.internal.EfficyNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Several contexts sent in one HTTP request: the body is a JSON array of contexts and the answer
 * keeps their order. Each context gets a {@code #id} ({@code c0}, {@code c1}, … unless set) so the
 * answer is matched by id, falling back to position when the server echoes none.
 *
 * <p>A batch is retried after a passing failure only when every context only reads, or when the
 * caller marks it {@linkplain Builder#idempotent idempotent} (a field update, a link with
 * {@code ignoreexisting}). A create ({@code edit} with key 0) must never be marked idempotent.
 *
 * <pre>{@code
 * JsonRpcBatch batch = JsonRpcBatch.builder("whoAmI")
 *     .add(RpcContext.api()
 *         .withFunc(RpcFunc.named("currentuserid"))
 *         .withFunc(RpcFunc.named("currentusername")))
 *     .build();
 * BatchResponse answer = client.execute(batch);
 * }</pre>
 */
public final class JsonRpcBatch {

    private final String operation;
    private final List<RpcContext> contexts;
    private final boolean idempotent;

    private JsonRpcBatch(String operation, List<RpcContext> contexts, boolean idempotent) {
        this.operation = operation;
        this.contexts = contexts;
        this.idempotent = idempotent;
    }

    /**
     * Starts a batch.
     *
     * @param operation a short name for what the batch does, used in logs and error messages
     */
    public static Builder builder(String operation) {
        return new Builder(EfficyNames.requireText("operation", operation));
    }

    /** What the batch does, for logs and error messages. */
    public String operation() {
        return operation;
    }

    /** The contexts, each with its {@code #id} set. */
    public List<RpcContext> contexts() {
        return contexts;
    }

    /** Whether the caller declared that sending the batch twice does no harm. */
    public boolean isIdempotent() {
        return idempotent;
    }

    /** Whether the batch may be sent again after a passing failure. */
    public boolean isRetryable() {
        return idempotent || contexts.stream().allMatch(RpcContext::isReadOnly);
    }

    /** The JSON array that goes on the wire. */
    public ArrayNode toJson(ObjectMapper mapper) {
        ArrayNode array = mapper.createArrayNode();
        for (RpcContext context : contexts) {
            ObjectNode node = array.addObject();
            node.put("#id", context.id());
            node.put("@name", context.wireName());
            context.params().forEach((k, v) -> node.set(k, mapper.valueToTree(v)));
            ArrayNode funcs = node.putArray("@func");
            for (RpcFunc func : context.funcs()) {
                ObjectNode f = funcs.addObject();
                f.put("@name", func.name());
                func.args().forEach((k, v) -> f.set(k, mapper.valueToTree(v)));
                Map<String, Object> data = func.data();
                if (data != null) {
                    f.set("@data", mapper.valueToTree(data));
                }
            }
        }
        return array;
    }

    @Override
    public String toString() {
        return "JsonRpcBatch{" + operation + ", contexts=" + contexts + ", idempotent=" + idempotent + "}";
    }

    /** Collects contexts for a {@link JsonRpcBatch}. Not thread-safe; the batch it builds is. */
    public static final class Builder {
        private final String operation;
        private final List<RpcContext> contexts = new ArrayList<>();
        private boolean idempotent;

        private Builder(String operation) {
            this.operation = operation;
        }

        /** Adds a context; it gets id {@code c<position>} unless it has one. */
        public Builder add(RpcContext context) {
            Objects.requireNonNull(context, "context");
            contexts.add(context.id() == null ? context.id("c" + contexts.size()) : context);
            return this;
        }

        /** Declares that sending the batch twice leaves the CRM as sending it once. */
        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        /**
         * Builds the batch.
         *
         * @throws IllegalArgumentException when it is empty or two contexts share an id
         */
        public JsonRpcBatch build() {
            if (contexts.isEmpty()) {
                throw new IllegalArgumentException("batch " + operation + " has no context");
            }
            Set<String> ids = new HashSet<>();
            for (RpcContext c : contexts) {
                if (!ids.add(c.id())) {
                    throw new IllegalArgumentException("batch " + operation + " has two contexts with #id " + c.id());
                }
            }
            return new JsonRpcBatch(operation, List.copyOf(contexts), idempotent);
        }
    }
}
