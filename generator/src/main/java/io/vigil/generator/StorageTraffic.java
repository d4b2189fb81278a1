package io.vigil.generator;

import io.vigil.generator.Estate.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Blob requests against the two storage accounts, generated once and rendered twice: as resource
 * logs ({@link ResourceLogWriter}) and as classic Storage Analytics lines
 * ({@link StorageAnalyticsWriter}), so both views of the exfiltration agree request by request.
 */
final class StorageTraffic {
    /** One blob service request; requester fields are empty for key, SAS and anonymous access. */
    record Request(
            Instant time,
            String account,
            String category,
            String operation,
            int httpStatus,
            String statusText,
            String authType,
            String ip,
            int port,
            String container,
            String blob,
            long responseBytes,
            long requestBytes,
            int endToEndMs,
            int serverMs,
            String requestId,
            String clientRequestId,
            String userAgent,
            String requesterAppId,
            String requesterObjectId,
            String requesterUpn,
            String etag,
            Instant lastModified) {
        String objectKey() {
            if (blob.isEmpty()) {
                return "/" + account + "/" + container;
            }
            return "/" + account + "/" + container + "/" + blob;
        }

        String url() {
            String base = "https://" + account + ".blob.core.windows.net/" + container;
            if (blob.isEmpty()) {
                return base + "?restype=container&comp=list";
            }
            return base + "/" + blob;
        }
    }

    private static final String SDK_AGENT =
            "azsdk-net-Storage.Blobs/12.19.1 (.NET 8.0.11; Microsoft Windows 10.0.20348)";
    private static final String AZCOPY_AGENT = "AzCopy/10.27.1 azsdk-go-azblob/v1.4.0 (go1.22.5; linux)";

    private StorageTraffic() {}

    /** The instant the finance account's blob logging moves from version 1.0 to 2.0. */
    static Instant analyticsVersionSwitch(GeneratorOptions options) {
        return options.start().plusSeconds(options.hours() * 3600L * 15 / 100);
    }

    static List<Request> generate(GeneratorOptions options, Story story) {
        Rand rand = Rand.of(options.seed(), "storage");
        List<Request> requests = new ArrayList<>();
        List<String> webBlobs = List.of(
                "img/logo.png", "img/hero.jpg", "css/site.css", "js/app.js", "docs/terms.pdf", "docs/privacy.pdf");
        for (int i = Volume.of(options, 14000); i > 0; i--) {
            requests.add(background(rand, options, Estate.STORAGE_WEB, "static", rand.pick(webBlobs)));
        }
        for (int i = Volume.of(options, 6000); i > 0; i--) {
            String blob = String.format(
                    Locale.ROOT, "invoices/2026/%02d/INV-%06d.pdf", rand.between(1, 13), rand.between(1, 5000));
            requests.add(background(rand, options, Estate.STORAGE_FINANCE, "finance", blob));
        }
        User admin = Estate.USERS.get(0);
        requests.add(new Request(
                analyticsVersionSwitch(options),
                Estate.STORAGE_FINANCE,
                "StorageWrite",
                "SetBlobServiceProperties",
                202,
                "Success",
                "AccountKey",
                admin.homeIp(),
                51312,
                "",
                "",
                0,
                612,
                41,
                38,
                rand.guid(),
                rand.guid(),
                "Azure-Portal",
                "",
                "",
                "",
                "",
                options.start()));
        // (e) the new service principal pulls hundreds of invoices within ten minutes
        int exfil = 420;
        for (int i = 0; i < exfil; i++) {
            double offset = Story.EXFIL_START + (Story.EXFIL_END - Story.EXFIL_START) * (i + rand.unit()) / exfil;
            Instant time = story.at(offset);
            String blob = String.format(Locale.ROOT, "invoices/2026/%02d/INV-%06d.pdf", 1 + i % 12, 1000 + i);
            long bytes = rand.between(80_000L, 2_500_000L);
            requests.add(new Request(
                    time,
                    Estate.STORAGE_FINANCE,
                    "StorageRead",
                    "GetBlob",
                    200,
                    "Success",
                    "OAuth",
                    Estate.ATTACKER_IP,
                    rand.between(40000, 65000),
                    "finance",
                    blob,
                    bytes,
                    0,
                    rand.between(20, 400),
                    rand.between(5, 40),
                    rand.guid(),
                    rand.guid(),
                    AZCOPY_AGENT,
                    Estate.ROGUE_SP.appId(),
                    Estate.ROGUE_SP.objectId(),
                    "",
                    "0x8DD" + rand.hex(13),
                    time.minusSeconds(rand.between(86400, 8_000_000))));
        }
        return requests;
    }

    private static Request background(
            Rand rand, GeneratorOptions options, String account, String container, String blob) {
        Instant time = rand.busyInstant(options.start(), options.end());
        double roll = rand.unit();
        String operation = "GetBlob";
        String category = "StorageRead";
        int status = 200;
        String statusText = "Success";
        long requestBytes = 0;
        long responseBytes = rand.between(2_000L, 900_000L);
        if (roll < 0.15) {
            operation = "PutBlob";
            category = "StorageWrite";
            status = 201;
            requestBytes = responseBytes;
            responseBytes = 0;
        } else if (roll < 0.27) {
            operation = "GetBlobProperties";
            responseBytes = 0;
        } else if (roll < 0.35) {
            operation = "ListBlobs";
            blob = "";
            responseBytes = rand.between(1_000L, 40_000L);
        } else if (roll < 0.38) {
            operation = "DeleteBlob";
            category = "StorageDelete";
            status = 202;
            responseBytes = 0;
        } else if (roll < 0.43) {
            status = 404;
            statusText = "BlobNotFound";
            responseBytes = 215;
        }
        String authType = "AccountKey";
        String appId = "";
        String objectId = "";
        String upn = "";
        String ip = "10.0.2." + rand.between(4, 12);
        String agent = SDK_AGENT;
        if (account.equals(Estate.STORAGE_WEB) && operation.equals("GetBlob")) {
            authType = "Anonymous";
            ip = rand.internetAddress();
            agent =
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        } else if (account.equals(Estate.STORAGE_FINANCE) && rand.chance(0.5)) {
            authType = "OAuth";
            Estate.ServicePrincipal principal = Estate.MANAGED_IDENTITIES.get(1);
            appId = principal.appId();
            objectId = principal.objectId();
        } else if (rand.chance(0.2)) {
            authType = "SAS";
        }
        int server = rand.between(3, 60);
        return new Request(
                time,
                account,
                category,
                operation,
                status,
                statusText,
                authType,
                ip,
                rand.between(1024, 65535),
                container,
                blob,
                responseBytes,
                requestBytes,
                server + rand.between(1, 80),
                server,
                rand.guid(),
                rand.guid(),
                agent,
                appId,
                objectId,
                upn,
                "0x8DD" + rand.hex(13),
                time.minusSeconds(rand.between(3600, 30_000_000)));
    }
}
