package io.crmsync.cli;

import io.crmsync.config.webhook.WebhookAnswer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side shared by {@code serve} and {@code cluster}: Jetty 12 rather than the JDK's HTTP
 * server, for limits that hold per connection.
 * <ul>
 *   <li>bodies are read without holding a thread, and a body not complete within 10 s (or silent
 *       for 5 s) gets 408 and its connection closed, so slow clients cannot take the server;
 *   <li>the work runs on {@value #WORKERS} threads with a queue of {@value #QUEUE}; beyond that
 *       the answer is 503 with {@code Retry-After} at once;
 *   <li>every malformed request gets an answer: bad framing, bad chunking, an oversized header
 *       (Jetty's 400 or 431), a body over 1 MB (413), a wrong method (405);
 *   <li>{@code /health} never waits behind webhook work (routes answer it on Jetty's thread).
 * </ul>
 * Package-private.
 */
final class HttpFront implements AutoCloseable {

    /** Routes one request; every path must get an answer. */
    @FunctionalInterface
    interface Router {
        void route(String path, Exchange exchange);
    }

    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    static final int MAX_BODY = 1024 * 1024;
    static final int WORKERS = 8;
    static final int QUEUE = 32;
    static final Duration BODY_DEADLINE = Duration.ofSeconds(10);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

    private final org.eclipse.jetty.server.Server jetty;
    private final ServerConnector connector;
    private final ThreadPoolExecutor work = new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
                Thread t = new Thread(r, "crmsync-webhook");
                t.setDaemon(true);
                return t;
            },
            new ThreadPoolExecutor.AbortPolicy());

    /**
     * Starts listening.
     *
     * @throws IOException when the address cannot be listened on
     */
    HttpFront(String address, int port, Router router) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("crmsync-http");
        threads.setDaemon(true);
        this.jetty = new org.eclipse.jetty.server.Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        http.setRequestHeaderSize(8 * 1024);
        this.connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.setAcceptQueueSize(128);
        jetty.addConnector(connector);
        jetty.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Exchange exchange = new Exchange(request, response, callback, work);
                try {
                    router.route(Request.getPathInContext(request), exchange);
                } catch (RuntimeException e) {
                    // Every request gets an answer, whatever its route threw (an answer already
                    // written stands). The log names the failure, never the request's path.
                    LOG.warn("a request's handling failed: {}", e.toString());
                    exchange.answer(WebhookAnswer.error(500, "the request could not be handled"));
                }
                return true;
            }
        });
        jetty.setErrorHandler(new QuietErrors());
        try {
            jetty.start();
        } catch (IOException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Where the server listens. */
    URI baseUri() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return URI.create("http://" + host + ":" + connector.getLocalPort());
    }

    /**
     * Jetty's answer to what it refuses before any route runs (bad framing, an oversized head, a
     * broken request line): the status and its reason as JSON, never an echo of the request, whose
     * path may hold a webhook secret.
     */
    private static final class QuietErrors extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() >= 400 ? response.getStatus() : 500;
            String reason = HttpStatus.getMessage(status);
            byte[] bytes = ("{\"error\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.write(true, ByteBuffer.wrap(bytes), callback);
            return true;
        }
    }

    @Override
    public void close() {
        work.shutdownNow();
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.debug("server stop: {}", e.getMessage());
        }
    }
}
