package io.vigil.integrity;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What verify found and what it covered.
 *
 * @param findings everything the chain does not vouch for, in the order found
 * @param entries chain entries checked
 * @param batches batch entries among them
 * @param rowsChecked stored rows recomputed
 * @param rowsExpired rows the chain has that recorded retention deleted (not findings)
 * @param signedThrough the newest entry a valid checkpoint signs, 0 when none
 */
public record VerifyReport(
        List<Finding> findings, long entries, long batches, long rowsChecked, long rowsExpired, long signedThrough) {
    public VerifyReport {
        findings = List.copyOf(findings);
    }

    public boolean clean() {
        return findings.isEmpty();
    }

    /** Findings counted by kind, in the kinds' order. */
    public Map<Finding.Kind, Long> countsByKind() {
        Map<Finding.Kind, Long> counts = new TreeMap<>();
        for (Finding finding : findings) {
            counts.merge(finding.kind(), 1L, Long::sum);
        }
        return counts;
    }
}
