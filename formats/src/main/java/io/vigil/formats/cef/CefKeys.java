package io.vigil.formats.cef;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CEF extension keys and the CommonSecurityLog columns Azure stores them in, by short key name and by
 * full name (ArcSight "Implementing ArcSight CEF" key dictionary; Microsoft Sentinel "CEF and
 * CommonSecurityLog field mapping"). Keys not listed go to AdditionalExtensions.
 */
public final class CefKeys {
    private static final Map<String, List<String>> COLUMNS = build();
    private static final Map<String, String> KEYS_BY_COLUMN = invert(COLUMNS);

    private CefKeys() {}

    /** The columns a key fills (usually one; cnN and externalId fill an int and a wider column). */
    static Optional<List<String>> columns(String key) {
        return Optional.ofNullable(COLUMNS.get(key));
    }

    /**
     * The CEF key a CommonSecurityLog column is sent under (the shortest of its names: {@code suser}, not
     * {@code sourceUserName}), the inverse of what the parser reads; empty for columns CEF has no key for.
     */
    public static Optional<String> keyForColumn(String column) {
        return Optional.ofNullable(KEYS_BY_COLUMN.get(column));
    }

    private static Map<String, String> invert(Map<String, List<String>> columnsByKey) {
        Map<String, String> keys = new HashMap<>();
        for (Map.Entry<String, List<String>> entry : columnsByKey.entrySet()) {
            for (String column : entry.getValue()) {
                keys.merge(column, entry.getKey(), CefKeys::preferred);
            }
        }
        return Map.copyOf(keys);
    }

    private static String preferred(String one, String other) {
        if (one.length() != other.length()) {
            return one.length() < other.length() ? one : other;
        }
        return one.compareTo(other) <= 0 ? one : other;
    }

    private static Map<String, List<String>> build() {
        Map<String, List<String>> map = new HashMap<>();
        both(map, "act", "deviceAction", "DeviceAction");
        both(map, "app", "applicationProtocol", "ApplicationProtocol");
        both(map, "cat", "deviceEventCategory", "DeviceEventCategory");
        both(map, "cnt", "baseEventCount", "EventCount");
        one(map, "destinationDnsDomain", "DestinationDnsDomain");
        one(map, "destinationServiceName", "DestinationServiceName");
        one(map, "destinationTranslatedAddress", "DestinationTranslatedAddress");
        one(map, "destinationTranslatedPort", "DestinationTranslatedPort");
        one(map, "deviceDirection", "CommunicationDirection");
        one(map, "deviceDnsDomain", "DeviceDnsDomain");
        one(map, "deviceExternalId", "DeviceExternalID");
        one(map, "deviceFacility", "DeviceFacility");
        one(map, "deviceInboundInterface", "DeviceInboundInterface");
        one(map, "deviceNtDomain", "DeviceNtDomain");
        one(map, "deviceOutboundInterface", "DeviceOutboundInterface");
        one(map, "devicePayloadId", "DevicePayloadId");
        one(map, "deviceProcessName", "ProcessName");
        one(map, "deviceTranslatedAddress", "DeviceTranslatedAddress");
        both(map, "dhost", "destinationHostName", "DestinationHostName");
        both(map, "dmac", "destinationMacAddress", "DestinationMACAddress");
        both(map, "dntdom", "destinationNtDomain", "DestinationNTDomain");
        both(map, "dpid", "destinationProcessId", "DestinationProcessId");
        both(map, "dpriv", "destinationUserPrivileges", "DestinationUserPrivileges");
        both(map, "dproc", "destinationProcessName", "DestinationProcessName");
        both(map, "dpt", "destinationPort", "DestinationPort");
        both(map, "dst", "destinationAddress", "DestinationIP");
        both(map, "dtz", "deviceTimeZone", "DeviceTimeZone");
        both(map, "duid", "destinationUserId", "DestinationUserID");
        both(map, "duser", "destinationUserName", "DestinationUserName");
        both(map, "dvc", "deviceAddress", "DeviceAddress");
        both(map, "dvchost", "deviceHostName", "DeviceName");
        both(map, "dvcmac", "deviceMacAddress", "DeviceMacAddress");
        both(map, "dvcpid", "deviceProcessId", "ProcessID");
        both(map, "end", "endTime", "EndTime");
        map.put("externalId", List.of("ExtID", "ExternalID"));
        one(map, "fileCreateTime", "FileCreateTime");
        one(map, "fileHash", "FileHash");
        one(map, "fileId", "FileID");
        one(map, "fileModificationTime", "FileModificationTime");
        one(map, "filePath", "FilePath");
        one(map, "filePermission", "FilePermission");
        one(map, "fileType", "FileType");
        both(map, "fname", "fileName", "FileName");
        both(map, "fsize", "fileSize", "FileSize");
        both(map, "in", "bytesIn", "ReceivedBytes");
        both(map, "msg", "message", "Message");
        one(map, "oldFileCreateTime", "OldFileCreateTime");
        one(map, "oldFileHash", "OldFileHash");
        one(map, "oldFileId", "OldFileID");
        one(map, "oldFileModificationTime", "OldFileModificationTime");
        one(map, "oldFileName", "OldFileName");
        one(map, "oldFilePath", "OldFilePath");
        one(map, "oldFilePermission", "OldFilePermission");
        one(map, "oldFileSize", "OldFileSize");
        one(map, "oldFileType", "OldFileType");
        both(map, "out", "bytesOut", "SentBytes");
        both(map, "outcome", "eventOutcome", "EventOutcome");
        both(map, "proto", "transportProtocol", "Protocol");
        one(map, "reason", "Reason");
        both(map, "request", "requestUrl", "RequestURL");
        one(map, "requestClientApplication", "RequestClientApplication");
        one(map, "requestContext", "RequestContext");
        one(map, "requestCookies", "RequestCookies");
        one(map, "requestMethod", "RequestMethod");
        both(map, "rt", "deviceReceiptTime", "ReceiptTime");
        both(map, "shost", "sourceHostName", "SourceHostName");
        both(map, "smac", "sourceMacAddress", "SourceMACAddress");
        both(map, "sntdom", "sourceNtDomain", "SourceNTDomain");
        one(map, "sourceDnsDomain", "SourceDnsDomain");
        one(map, "sourceServiceName", "SourceServiceName");
        one(map, "sourceTranslatedAddress", "SourceTranslatedAddress");
        one(map, "sourceTranslatedPort", "SourceTranslatedPort");
        both(map, "spid", "sourceProcessId", "SourceProcessId");
        both(map, "spriv", "sourceUserPrivileges", "SourceUserPrivileges");
        both(map, "sproc", "sourceProcessName", "SourceProcessName");
        both(map, "spt", "sourcePort", "SourcePort");
        both(map, "src", "sourceAddress", "SourceIP");
        both(map, "start", "startTime", "StartTime");
        both(map, "suid", "sourceUserId", "SourceUserID");
        both(map, "suser", "sourceUserName", "SourceUserName");
        one(map, "type", "EventType");
        for (int i = 1; i <= 6; i++) {
            custom(map, "cs" + i, "deviceCustomString" + i, "DeviceCustomString" + i);
        }
        for (int i = 1; i <= 3; i++) {
            // the int column is the legacy one; FieldDeviceCustomNumberN (long) replaces it (table reference)
            map.put("cn" + i, List.of("DeviceCustomNumber" + i, "FieldDeviceCustomNumber" + i));
            map.put("deviceCustomNumber" + i, List.of("DeviceCustomNumber" + i, "FieldDeviceCustomNumber" + i));
            map.put("cn" + i + "Label", List.of("DeviceCustomNumber" + i + "Label"));
            map.put("deviceCustomNumber" + i + "Label", List.of("DeviceCustomNumber" + i + "Label"));
        }
        for (int i = 1; i <= 4; i++) {
            custom(map, "cfp" + i, "deviceCustomFloatingPoint" + i, "DeviceCustomFloatingPoint" + i);
            custom(map, "c6a" + i, "deviceCustomIPv6Address" + i, "DeviceCustomIPv6Address" + i);
        }
        for (int i = 1; i <= 2; i++) {
            custom(map, "deviceCustomDate" + i, "deviceCustomDate" + i, "DeviceCustomDate" + i);
            custom(map, "flexString" + i, "flexString" + i, "FlexString" + i);
            custom(map, "flexNumber" + i, "flexNumber" + i, "FlexNumber" + i);
        }
        custom(map, "flexDate1", "flexDate1", "FlexDate1");
        return Map.copyOf(map);
    }

    private static void one(Map<String, List<String>> map, String key, String column) {
        map.put(key, List.of(column));
    }

    private static void both(Map<String, List<String>> map, String shortKey, String fullKey, String column) {
        map.put(shortKey, List.of(column));
        map.put(fullKey, List.of(column));
    }

    private static void custom(Map<String, List<String>> map, String shortKey, String fullKey, String column) {
        both(map, shortKey, fullKey, column);
        both(map, shortKey + "Label", fullKey + "Label", column + "Label");
    }
}
