package io.crmsync.efficy;

import io.crmsync.efficy.contact.QueryParameterStyle;
import io.crmsync.efficy.internal.StoredQueries;
import io.crmsync.efficy.rpc.Dataset;
import io.crmsync.efficy.rpc.JsonRpcBatch;
import io.crmsync.efficy.rpc.RpcContext;
import io.crmsync.efficy.rpc.RpcFunc;
import java.util.List;

/**
 * Efficy stored queries (rows of QUERIES). Get it from {@link EfficyClient#queries()};
 * thread-safe.
 *
 * <pre>{@code
 * Dataset gold = efficy.queries().rows(31, List.of(), 0);
 * }</pre>
 */
public final class QueryService {

    private final EfficyTransport transport;
    private final QueryParameterStyle queryParameterStyle;

    QueryService(EfficyTransport transport, QueryParameterStyle queryParameterStyle) {
        this.transport = transport;
        this.queryParameterStyle = queryParameterStyle;
    }

    /**
     * Runs a stored query (a row of QUERIES) and returns its rows. Sends lowercase
     * {@code recordcount} (0 = all rows) and parameters in the client's
     * {@link EfficyClient.Builder#queryParameterStyle}.
     */
    public Dataset rows(long queryKey, List<String> params, int recordCount) {
        RpcFunc func = StoredQueries.func(queryKey, params, recordCount, queryParameterStyle);
        return transport
                .execute(JsonRpcBatch.builder("queryRows")
                        .add(RpcContext.api().withFunc(func))
                        .build())
                .context(0)
                .func(0)
                .dataset();
    }
}
