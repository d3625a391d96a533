package io.crmsync.spring;

import io.crmsync.console.Console;
import io.crmsync.console.ConsoleRequest;
import io.crmsync.console.ConsoleResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' {@link Console} mounted in a Spring MVC application under
 * {@code crmsync.console.path} (default {@code /console}), when {@code crmsync.console.token} is
 * set: the same pages, admin token, CSRF checks and content security policy as {@code serve} and a
 * cluster node. The application's own security (Spring Security, a gateway) applies in front of it
 * as to any route; the console's token is asked for all the same. The set-up wizard is not offered:
 * a Spring application is set up by its {@code crmsync.*} properties.
 */
@RestController
public class CrmsyncConsoleController {

    private final Console console;

    /** The controller of {@code console}. */
    public CrmsyncConsoleController(Console console) {
        this.console = console;
    }

    /** Every console request, page or action. */
    @RequestMapping(path = {"${crmsync.console.path:/console}", "${crmsync.console.path:/console}/**"})
    public ResponseEntity<byte[]> serve(HttpServletRequest request) throws IOException {
        byte[] body = request.getInputStream().readNBytes(ConsoleRequest.MAX_BODY + 1);
        if (body.length > ConsoleRequest.MAX_BODY) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).build();
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
        }
        ConsoleResponse answer = console.handle(new ConsoleRequest(
                request.getMethod(),
                path.substring(Math.min(path.length(), console.mount().length())),
                request.getQueryString(),
                headers,
                body,
                request.getRemoteAddr(),
                request.isSecure()));
        ResponseEntity.BodyBuilder b = ResponseEntity.status(answer.status());
        answer.headers().forEach((k, v) -> b.header(k, v));
        return b.body(answer.bytes());
    }
}
