package io.vigil.generator;

import io.vigil.generator.StorageTraffic.Request;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;

/**
 * Classic Storage Analytics logging for the finance account's blob service, per "Storage Analytics
 * log format": {@code $logs/blob/YYYY/MM/DD/hhmm/000000.log}, one {@code ;}-delimited entry per
 * line, 30 fields in version 1.0 and 38 in version 2.0 (which adds the OAuth requester). The
 * account switches from 1.0 to 2.0 early in the window (a SetBlobServiceProperties request), so
 * both versions appear. Free-text fields are quoted, with quotes, ampersands and newlines
 * HTML-encoded; empty fields stay empty.
 */
final class StorageAnalyticsWriter {
    private StorageAnalyticsWriter() {}

    static void write(Output out, GeneratorOptions options, List<Request> requests) throws IOException {
        Instant versionSwitch = StorageTraffic.analyticsVersionSwitch(options);
        List<Timed<String>> lines = new ArrayList<>();
        for (Request request : requests) {
            if (!request.account().equals(Estate.STORAGE_FINANCE)) {
                continue;
            }
            // the SetBlobServiceProperties call that changes the version is itself logged in the old version
            boolean version2 = request.time().isAfter(versionSwitch);
            lines.add(new Timed<>(request.time(), line(request, version2)));
        }
        SortedMap<Instant, List<String>> hours = Timed.byHour(lines);
        for (Map.Entry<Instant, List<String>> hour : hours.entrySet()) {
            StringBuilder content = new StringBuilder();
            for (String line : hour.getValue()) {
                content.append(line).append('\n');
            }
            out.write("$logs/blob/" + Timestamps.analyticsPartition(hour.getKey()) + "/000000.log", content.toString());
        }
        out.count("storage_analytics", lines.size());
    }

    static String line(Request request, boolean version2) {
        boolean oauth = request.authType().equals("OAuth");
        boolean anonymous = request.authType().equals("Anonymous");
        boolean sas = request.authType().equals("SAS");
        boolean success = request.httpStatus() < 400;
        String status = success ? "Success" : "ClientOtherError";
        String authentication = "authenticated";
        if (anonymous) {
            status = "Anonymous" + status;
            authentication = "anonymous";
        } else if (sas) {
            status = "SAS" + status;
            authentication = "sas";
        } else if (oauth) {
            authentication = "oauth";
        }
        String requester = request.account();
        if (anonymous || oauth) {
            requester = "";
        }
        StringJoiner fields = new StringJoiner(";");
        fields.add(version2 ? "2.0" : "1.0");
        fields.add(Timestamps.azure(request.time()));
        fields.add(request.operation());
        fields.add(status);
        fields.add(Integer.toString(request.httpStatus()));
        fields.add(Integer.toString(request.endToEndMs()));
        fields.add(Integer.toString(request.serverMs()));
        fields.add(authentication);
        fields.add(requester);
        fields.add(request.account());
        fields.add("blob");
        fields.add(quote(request.url()));
        fields.add(quote(request.objectKey()));
        fields.add(request.requestId());
        fields.add("0");
        fields.add(request.ip() + ":" + request.port());
        fields.add("2024-11-04");
        fields.add("560");
        fields.add(Long.toString(request.requestBytes()));
        fields.add("372");
        fields.add(Long.toString(request.responseBytes()));
        fields.add(Long.toString(request.requestBytes()));
        fields.add("");
        fields.add("");
        if (request.etag().isEmpty()) {
            fields.add("");
            fields.add("");
        } else {
            fields.add(quote(request.etag()));
            fields.add(Timestamps.rfc850(request.lastModified()));
        }
        fields.add("");
        fields.add(quote(request.userAgent()));
        fields.add("");
        fields.add(quote(request.clientRequestId()));
        if (version2) {
            if (oauth) {
                fields.add(request.requesterObjectId());
                fields.add(Estate.TENANT_ID);
                fields.add(request.requesterAppId());
                fields.add("https://storage.azure.com/");
                fields.add("https://sts.windows.net/" + Estate.TENANT_ID + "/");
                fields.add(request.requesterUpn());
                fields.add("");
                fields.add(quote("{\"action\":\"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\","
                        + "\"roleAssignmentId\":\"3c1e5f6a-7b8c-4d9e-8f01-23456789abcd\",\"roleDefinitionId\":\""
                        + ActivityLogWriter.OWNER_ROLE_DEFINITION + "\",\"principals\":[{\"id\":\""
                        + request.requesterObjectId()
                        + "\",\"type\":\"ServicePrincipal\"}],\"denyAssignmentId\":\"\"}"));
            } else {
                for (int i = 0; i < 8; i++) {
                    fields.add("");
                }
            }
        }
        return fields.toString();
    }

    /** Quotes a field, HTML-encoding the characters that would break the framing. */
    static String quote(String value) {
        // semicolons stay literal inside the quotes, as in the format page's own examples
        // ("WA-Storage/4.0.1 (.NET CLR 4.0.30319.34014; Win32NT 6.3.9600.0)")
        String encoded = value.replace("&", "&amp;").replace("\"", "&quot;").replace("\n", "&#10;");
        return "\"" + encoded + "\"";
    }
}
