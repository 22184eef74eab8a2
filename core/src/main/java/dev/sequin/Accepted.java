package dev.sequin;

/**
 * A media range the client accepts, from {@link Request#accept(String)}.
 *
 * <pre>{@code
 * if (req.accept("application/json").isPresent()) resp.json().put("ok", true);
 * else resp.setText("ok");
 * }</pre>
 *
 * @param type the client's media range that admitted the type asked about, e.g. {@code text/*}
 * @param q    its quality, from 0 (exclusive) to 1
 */
public record Accepted(String type, double q) {
}
