package io.vigil.formats.common;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The diagnostic-settings {@code category} values that belong to a specific Azure format, used by
 * detection and by the resource-log dispatcher. Activity log categories are listed in "Azure Monitor
 * activity log event schema" (learn.microsoft.com/azure/azure-monitor/platform/activity-log-schema);
 * Entra ID categories in "Stream Microsoft Entra logs to an event hub" and the
 * {@code microsoft.aadiam/diagnosticSettings} log categories.
 */
public final class AzureCategories {
    /** Which format a record belongs to. */
    public enum Kind {
        ACTIVITY,
        ENTRA_SIGNIN,
        ENTRA_AUDIT,
        FLOW,
        RESOURCE_LOG
    }

    private static final Set<String> ACTIVITY = Set.of(
            "administrative",
            "security",
            "policy",
            "servicehealth",
            "alert",
            "recommendation",
            "autoscale",
            "resourcehealth");
    private static final Set<String> SIGNIN = Set.of(
            "signinlogs",
            "noninteractiveusersigninlogs",
            "serviceprincipalsigninlogs",
            "managedidentitysigninlogs",
            "microsoftserviceprincipalsigninlogs");
    private static final Set<String> FLOW = Set.of("networksecuritygroupflowevent", "flowlogflowevent");

    private static final Pattern CATEGORY = Pattern.compile("\"category\"\\s*:\\s*\"([A-Za-z]+)\"");

    private AzureCategories() {}

    public static Kind kindOf(String category) {
        if (category == null) {
            return Kind.RESOURCE_LOG;
        }
        String key = category.toLowerCase(Locale.ROOT);
        if (ACTIVITY.contains(key)) {
            return Kind.ACTIVITY;
        }
        if (SIGNIN.contains(key)) {
            return Kind.ENTRA_SIGNIN;
        }
        if (key.equals("auditlogs")) {
            return Kind.ENTRA_AUDIT;
        }
        if (FLOW.contains(key)) {
            return Kind.FLOW;
        }
        return Kind.RESOURCE_LOG;
    }

    /** The specific kinds whose categories appear in {@code head} (resource-log categories are not counted). */
    public static Set<Kind> kindsIn(String head) {
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        Matcher matcher = CATEGORY.matcher(head);
        while (matcher.find()) {
            Kind kind = kindOf(matcher.group(1));
            if (kind != Kind.RESOURCE_LOG) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    /**
     * The detection score of the format for {@code own} records: 90 when the head holds only its
     * categories, 20 when other formats' categories are mixed in (the dispatcher takes those), else 0.
     */
    public static int score(byte[] head, Kind own) {
        Set<Kind> kinds = kindsIn(new String(head, StandardCharsets.UTF_8));
        if (!kinds.contains(own)) {
            return 0;
        }
        if (kinds.size() == 1) {
            return 90;
        }
        return 20;
    }
}
