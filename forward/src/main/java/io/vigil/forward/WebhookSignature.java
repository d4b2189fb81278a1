package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook's signature: {@code X-Vigil-Signature: sha256=<hex>} where hex is HMAC-SHA256, keyed with the
 * secret file's text (UTF-8), over the bytes of {@code <X-Vigil-Timestamp>.<body>}: the timestamp header's
 * value, a dot, then the exact body. Signing the timestamp with the body lets a receiver refuse a captured
 * request replayed later (older than its tolerance, 5 minutes suggested) without trusting the clock header
 * alone; the delivery id lets it drop a repeat within that window.
 */
public record WebhookSignature(String secret) {
    public static final String SIGNATURE_HEADER = "X-Vigil-Signature";
    public static final String TIMESTAMP_HEADER = "X-Vigil-Timestamp";
    public static final String DELIVERY_HEADER = "X-Vigil-Delivery";
    public static final String TABLE_HEADER = "X-Vigil-Table";
    static final String ALGORITHM = "HmacSHA256";

    public WebhookSignature {
        requireNonNull(secret, "secret is null");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
    }

    /** The header value for a body sent at {@code epochSeconds}. */
    public String sign(long epochSeconds, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(mac(epochSeconds, body));
    }

    /** What a receiver does: recompute, compare in constant time. (The age check is the receiver's.) */
    public boolean verify(String timestampHeader, byte[] body, String signatureHeader) {
        long epochSeconds;
        try {
            epochSeconds = Long.parseLong(timestampHeader);
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] expected = sign(epochSeconds, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signatureHeader.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] mac(long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }
}
