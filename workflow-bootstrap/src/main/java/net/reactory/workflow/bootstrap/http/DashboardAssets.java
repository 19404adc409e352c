package net.reactory.workflow.bootstrap.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's static files: {@code /} redirects to {@code /ui/}, {@code /ui/} is {@code dashboard/index.html},
 * {@code /ui/<file>} a file of the classpath folder {@code dashboard/}, and {@code /ui/webjars/<lib>/<version>/<file>}
 * a file of a WebJar ({@code META-INF/resources/webjars/...}).
 *
 * <p>Assets hold no data, so they need no token; the page's API calls carry it. Every answer, 404s included, carries
 * a Content-Security-Policy that allows scripts, styles and connections to this origin only, so a hostile workflow
 * name that slipped into the page as markup still could not run. Self-contained on purpose: {@link #answer} is a
 * plain function from method and raw path to an {@link Asset}, which {@link AdminServer} sends.
 */
public final class DashboardAssets {

    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /** One segment of an asset path: no dot files, no '..', no separators, nothing to escape. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");
    private static final int MAX_PATH = 512;
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /** What to send: status, content type, body and the extra headers. */
    public record Asset(int status, String contentType, byte[] body, Map<String, String> headers) {
    }

    private final ClassLoader loader;
    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    public DashboardAssets() {
        this(DashboardAssets.class.getClassLoader());
    }

    DashboardAssets(ClassLoader loader) {
        this.loader = loader;
    }

    /** Whether a request path is the dashboard's rather than the API's. */
    public static boolean handles(String rawPath) {
        return rawPath != null && (rawPath.equals("/") || rawPath.equals("/ui") || rawPath.startsWith("/ui/"));
    }

    /** The answer to {@code method rawPath}; never throws for bad input, which gets a 4xx JSON error. */
    public Asset answer(String method, String rawPath) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            Asset refused = error(405, "method_not_allowed", "the dashboard's files are read with GET or HEAD");
            Map<String, String> headers = new LinkedHashMap<>(refused.headers());
            headers.put("Allow", "GET, HEAD");
            return new Asset(405, refused.contentType(), refused.body(), headers);
        }
        if (rawPath == null || rawPath.length() > MAX_PATH) return error(400, "bad_request", "path is missing or too long");
        if (rawPath.equals("/") || rawPath.equals("/ui")) {
            Map<String, String> headers = new LinkedHashMap<>(securityHeaders());
            headers.put("Location", "/ui/");
            return new Asset(302, "text/plain; charset=utf-8", new byte[0], headers);
        }
        String rest = rawPath.substring("/ui/".length());
        if (rest.isEmpty()) rest = "index.html";
        List<String> segments;
        try {
            segments = segments(rest);
        } catch (IllegalArgumentException e) {
            return error(400, "bad_request", e.getMessage());
        }
        String file = segments.get(segments.size() - 1);
        int dot = file.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(file.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type == null) return notFound(rest);
        String resource;
        if (segments.get(0).equals("webjars")) {
            if (segments.size() < 4) return notFound(rest);
            resource = "META-INF/resources/" + String.join("/", segments);
        } else {
            resource = "dashboard/" + String.join("/", segments);
        }
        Optional<byte[]> bytes = cache.computeIfAbsent(resource, this::load);
        if (bytes.isEmpty()) return notFound(rest);
        Map<String, String> headers = new LinkedHashMap<>(securityHeaders());
        // WebJar paths carry their version, so they may be kept; the app's own files change with the daemon.
        headers.put("Cache-Control", segments.get(0).equals("webjars") ? "public, max-age=86400" : "no-cache");
        return new Asset(200, type, bytes.get(), headers);
    }

    private Optional<byte[]> load(String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<String> segments(String rest) {
        String[] raw = rest.split("/", -1);
        String[] out = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            String s;
            try {
                s = URLDecoder.decode(raw[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed percent-encoding in the path");
            }
            if (!SEGMENT.matcher(s).matches() || s.contains("..")) {
                throw new IllegalArgumentException("asset path segments are letters, digits and . _ @ + - only, with no '..' and no leading dot");
            }
            out[i] = s;
        }
        return List.of(out);
    }

    private static Map<String, String> securityHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Frame-Options", "DENY");
        h.put("Cache-Control", "no-store");
        return h;
    }

    private static Asset notFound(String path) {
        return error(404, "not_found", "no dashboard file " + (path.length() > 80 ? path.substring(0, 80) + "..." : path));
    }

    private static Asset error(int status, String code, String message) {
        String body = "{\"error\":{\"status\":" + status + ",\"code\":\"" + code + "\",\"message\":\"" + jsonEscape(message) + "\"}}";
        return new Asset(status, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), securityHeaders());
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }
}
