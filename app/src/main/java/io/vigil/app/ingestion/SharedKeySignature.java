package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SharedKey scheme of the HTTP Data Collector API, as "Send log data to Azure Monitor by using the
 * HTTP Data Collector API" (learn.microsoft.com/azure/azure-monitor/logs/data-collector-api, section
 * "Authorization") defines it: {@code Authorization: SharedKey <WorkspaceID>:<Signature>} where the
 * signature is Base64(HMAC-SHA256(UTF-8(StringToSign))) keyed with the Base64-decoded workspace key, and
 * {@code StringToSign = "POST\n" + Content-Length + "\n" + "application/json\n" + "x-ms-date:" + date +
 * "\n/api/logs"}.
 */
final class SharedKeySignature {
    private SharedKeySignature() {}

    static String stringToSign(long contentLength, String xMsDate) {
        return "POST\n" + contentLength + "\napplication/json\nx-ms-date:" + xMsDate + "\n/api/logs";
    }

    /** The Base64 signature of a request under the Base64 shared key. */
    static String sign(String sharedKeyBase64, long contentLength, String xMsDate) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(sharedKeyBase64), "HmacSHA256"));
            return Base64.getEncoder()
                    .encodeToString(
                            mac.doFinal(stringToSign(contentLength, xMsDate).getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** Whether {@code presented} is the signature of the request (constant-time comparison). */
    static boolean verify(String sharedKeyBase64, long contentLength, String xMsDate, String presented) {
        byte[] expected = sign(sharedKeyBase64, contentLength, xMsDate).getBytes(UTF_8);
        return MessageDigest.isEqual(expected, presented.getBytes(UTF_8));
    }
}
