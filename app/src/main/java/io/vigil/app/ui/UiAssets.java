package io.vigil.app.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The web UI's files, served from the app jar under {@value #PREFIX}: the page, its script and styles, the
 * CodeMirror bundle built by {@code app/src/main/ui/build.sh} and uPlot from its WebJar. Nothing is fetched
 * from elsewhere at run time, so the UI works air-gapped. The files hold no data: the page asks the APIs,
 * with the API key the user signs in with, for everything it shows.
 */
public final class UiAssets {
    /** Where the UI lives; {@code /} redirects here. */
    public static final String PREFIX = "/ui/";

    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

    /** URL path below {@link #PREFIX} → classpath resource; only these are served. */
    private static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("", "/io/vigil/app/ui/index.html"),
            Map.entry("index.html", "/io/vigil/app/ui/index.html"),
            Map.entry("app.js", "/io/vigil/app/ui/app.js"),
            Map.entry("app.css", "/io/vigil/app/ui/app.css"),
            Map.entry("editor.js", "/io/vigil/app/ui/editor.js"),
            Map.entry("editor.js.LICENSES.txt", "/io/vigil/app/ui/editor.js.LICENSES.txt"),
            Map.entry("uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js"),
            Map.entry("uPlot.min.css", UPLOT + "uPlot.min.css"),
            Map.entry("favicon.svg", "/io/vigil/app/ui/favicon.svg"));

    /**
     * Scripts only from this server and no inline script, style sheets only from this server, no framing,
     * requests only back to this server: a value injected into a result cell can neither run nor send data
     * anywhere. The page's one inline style element, CodeMirror's base styles, is admitted by a nonce fresh
     * for each load of the page ({@link #pagePolicy}). Style attributes are allowed ({@code style-src-attr})
     * because CodeMirror sets some on its elements (tab size, tooltip sizes); an attribute cannot run script,
     * and with {@code img-src} and {@code font-src} limited to this server a {@code url()} in one cannot reach
     * another host either.
     */
    public static final String CONTENT_SECURITY_POLICY = policy("'self'");

    /** Where the page's nonce goes in index.html (a {@code <meta name="csp-nonce">} the script reads). */
    static final String NONCE_PLACEHOLDER = "__CSP_NONCE__";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** A file to answer with, and the Content-Security-Policy to answer it under. */
    public record Asset(String contentType, byte[] bytes, String contentSecurityPolicy) {}

    public static boolean handles(String path) {
        return path.equals("/") || path.equals("/ui") || path.startsWith(PREFIX);
    }

    /** The file at a path below {@link #PREFIX}, if the UI has one. */
    public Optional<Asset> find(String path) {
        if (!path.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String name = path.substring(PREFIX.length());
        String resource = FILES.get(name);
        if (resource == null) {
            return Optional.empty();
        }
        byte[] bytes = cache.computeIfAbsent(resource, UiAssets::load);
        if (resource.endsWith(".html")) {
            String nonce = newNonce();
            String page = new String(bytes, StandardCharsets.UTF_8).replace(NONCE_PLACEHOLDER, nonce);
            return Optional.of(
                    new Asset(contentType(resource), page.getBytes(StandardCharsets.UTF_8), pagePolicy(nonce)));
        }
        return Optional.of(new Asset(contentType(resource), bytes, CONTENT_SECURITY_POLICY));
    }

    /** The policy of one load of the page: {@link #CONTENT_SECURITY_POLICY} plus that load's style nonce. */
    static String pagePolicy(String nonce) {
        return policy("'self' 'nonce-" + nonce + "'");
    }

    private static String policy(String styleSources) {
        return "default-src 'none'; script-src 'self'; style-src " + styleSources + ";"
                + " style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self';"
                + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    private static String newNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The headers every answer of the server carries, the UI's files and the APIs' JSON alike. */
    public static void securityHeaders(HttpFields.Mutable headers) {
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cross-Origin-Opener-Policy", "same-origin");
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
        headers.put("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
        // query results and keys are not to be kept by a browser or a proxy; UI files override this
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    }

    private static byte[] load(String resource) {
        try (InputStream input = UiAssets.class.getResourceAsStream(resource)) {
            if (input == null) {
                throw new IllegalStateException("the app jar lacks the UI file " + resource);
            }
            return input.readAllBytes();
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    private static String contentType(String resource) {
        if (resource.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (resource.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (resource.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (resource.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "text/plain; charset=utf-8";
    }
}
