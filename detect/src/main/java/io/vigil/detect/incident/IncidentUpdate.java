package io.vigil.detect.incident;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** What a person changes on an incident; every absent value stays as it is. */
public record IncidentUpdate(
        Optional<IncidentStatus> status,
        Optional<String> owner,
        Optional<String> classification,
        Optional<String> classificationReason,
        Optional<String> classificationComment,
        Optional<String> comment) {
    public IncidentUpdate {
        requireNonNull(status, "status is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(classification, "classification is null");
        requireNonNull(classificationReason, "classificationReason is null");
        requireNonNull(classificationComment, "classificationComment is null");
        requireNonNull(comment, "comment is null");
    }

    /** Whether the change only adds a comment (audited as a comment, not an update). */
    public boolean isCommentOnly() {
        return comment.isPresent()
                && status.isEmpty()
                && owner.isEmpty()
                && classification.isEmpty()
                && classificationReason.isEmpty()
                && classificationComment.isEmpty();
    }
}
