package io.crmsync.efficy.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmsync.efficy.error.EfficyRpcException;
import io.crmsync.efficy.error.EfficyTransportException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link JsonRpcBatch}: one {@link ContextResult} per context, in request order.
 *
 * <p>{@link #parse} checks the three in-body error forms Efficy uses (its HTTP status is 200 even
 * for business errors): an {@code "@name":"exception"} element with {@code #error}; an
 * {@code #error} on a context or a function (a string, {@code true} or an object
 * {@code {errorcode, errorstring, detail}}); and a JSON object in place of the array, either
 * {@code {"#error":{...}}} or {@code {"error":true,"code":..,"message":..}}.
 */
public final class BatchResponse {

    private final List<ContextResult> contexts;
    private final Map<String, ContextResult> byId;

    private BatchResponse(List<ContextResult> contexts) {
        this.contexts = List.copyOf(contexts);
        Map<String, ContextResult> map = new HashMap<>();
        contexts.forEach(c -> map.put(c.id(), c));
        this.byId = map;
    }

    /** The context answers, in the order the contexts were sent. */
    public List<ContextResult> contexts() {
        return contexts;
    }

    /** The answer to the context at {@code index} in the batch. */
    public ContextResult context(int index) {
        return contexts.get(index);
    }

    /**
     * The answer to the context with the given {@code #id}.
     *
     * @throws IllegalArgumentException when the batch had no such context
     */
    public ContextResult context(String id) {
        ContextResult c = byId.get(id);
        if (c == null) {
            throw new IllegalArgumentException("the batch had no context with #id " + id);
        }
        return c;
    }

    /**
     * Reads a parsed body as the answer to {@code batch}.
     *
     * @throws EfficyRpcException when the body reports an error at any level
     * @throws EfficyTransportException when the body is not a batch answer or lacks a context
     */
    public static BatchResponse parse(JsonNode root, JsonRpcBatch batch, String requestId) {
        String op = batch.operation();
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new EfficyTransportException("empty answer", op, requestId, 200, true, null);
        }
        if (root.isObject()) {
            if (root.has("#error")) {
                throw rpcError(op, requestId, root.get("#error"), root, null, null);
            }
            if (root.path("error").asBoolean(false)) {
                throw rpcError(op, requestId, root, root, null, null);
            }
            throw new EfficyTransportException(
                    "answer is a JSON object, not a batch array", op, requestId, 200, false, null);
        }
        if (!root.isArray()) {
            throw new EfficyTransportException("answer is not a JSON array", op, requestId, 200, false, null);
        }
        for (JsonNode element : root) {
            checkElement(element, op, requestId);
        }
        return new BatchResponse(match(root, batch, requestId));
    }

    private static void checkElement(JsonNode element, String op, String requestId) {
        String contextId = element.hasNonNull("#id") ? element.get("#id").asText() : null;
        String contextLabel =
                contextId != null ? contextId : element.path("@name").asText(null);
        if ("exception".equalsIgnoreCase(element.path("@name").asText())) {
            JsonNode error = element.has("#error") ? element.get("#error") : element;
            throw rpcError(op, requestId, error, element, contextId, null);
        }
        JsonNode contextError = element.get("#error");
        for (JsonNode func : element.path("@func")) {
            JsonNode funcError = func.get("#error");
            if (isError(funcError)) {
                throw rpcError(
                        op,
                        requestId,
                        funcError,
                        func,
                        contextLabel,
                        func.path("@name").asText(null));
            }
        }
        if (isError(contextError)) {
            throw rpcError(op, requestId, contextError, element, contextLabel, null);
        }
    }

    private static boolean isError(JsonNode error) {
        if (error == null || error.isNull() || error.isMissingNode()) {
            return false;
        }
        if (error.isBoolean()) {
            return error.booleanValue();
        }
        if (error.isTextual()) {
            return !error.asText().isEmpty();
        }
        return true;
    }

    private static EfficyRpcException rpcError(
            String op, String requestId, JsonNode error, JsonNode holder, String context, String func) {
        String code = null;
        String text = null;
        if (error.isTextual()) {
            text = error.asText();
        } else if (error.isObject()) {
            code = firstText(error, "errorcode", "code");
            text = firstText(error, "errorstring", "message");
            String detail = firstText(error, "detail");
            if (detail != null && !detail.equals(text)) {
                text = text == null ? detail : text + " (" + detail + ")";
            }
        }
        if (text == null) {
            text = firstText(holder, "#message", "message");
        }
        return new EfficyRpcException(op, requestId, code, text, context, func);
    }

    private static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v != null && !v.isNull() && !v.isContainerNode() && !v.asText().isEmpty()) {
                return v.asText();
            }
        }
        return null;
    }

    private static List<ContextResult> match(JsonNode root, JsonRpcBatch batch, String requestId) {
        List<RpcContext> sent = batch.contexts();
        Map<String, JsonNode> echoed = new HashMap<>();
        for (JsonNode element : root) {
            if (element.hasNonNull("#id")) {
                echoed.put(element.get("#id").asText(), element);
            }
        }
        List<ContextResult> results = new ArrayList<>(sent.size());
        if (echoed.isEmpty()) {
            // The server echoed no ids: the answer keeps request order, as Efficy's own clients assume.
            if (root.size() != sent.size()) {
                throw new EfficyTransportException(
                        "answer has " + root.size() + " contexts, the request had " + sent.size(),
                        batch.operation(),
                        requestId,
                        200,
                        false,
                        null);
            }
            for (int i = 0; i < sent.size(); i++) {
                results.add(new ContextResult(sent.get(i).id(), root.get(i)));
            }
            return results;
        }
        for (RpcContext context : sent) {
            JsonNode element = echoed.get(context.id());
            if (element == null) {
                throw new EfficyTransportException(
                        "answer lacks context #" + context.id(), batch.operation(), requestId, 200, false, null);
            }
            results.add(new ContextResult(context.id(), element));
        }
        return results;
    }

    @Override
    public String toString() {
        return "BatchResponse{" + contexts + "}";
    }
}
