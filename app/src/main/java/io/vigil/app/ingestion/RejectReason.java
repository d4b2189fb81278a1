package io.vigil.app.ingestion;

/**
 * Why an ingestion request was refused as a whole, before any of its records were stored: the bounded
 * {@code reason} label of {@code requests_rejected_total{input,source,reason}}, which the per-source health
 * view lists among a source's failures. Records that were read but could not become rows are counted
 * apart, as dead letters ({@code events_failed_total}), and are not counted here again.
 */
enum RejectReason {
    /** 401, or the Data Collector API's 403: no credential, an unknown one, a wrong signature or workspace. */
    UNAUTHORIZED("unauthorized"),
    /** 403: a valid credential whose role may not ingest. */
    FORBIDDEN("forbidden"),
    /** 403: a SharedKey request whose x-ms-date is more than 15 minutes from the server's clock. */
    STALE_DATE("stale_date"),
    /** 400, 405, 411: a header, parameter or method the endpoint does not take. */
    INVALID_REQUEST("invalid_request"),
    /** 404: no such data collection rule. */
    NOT_FOUND("not_found"),
    /** 413: a body larger than the endpoint's limit, inflated or not, or than the whole body budget. */
    OVERSIZE("oversize"),
    /** 429: the source's rate limit. */
    RATE_LIMITED("rate_limited"),
    /** 503: the store's queue stayed full, the in-flight body budget is spent, or ingest is stopping. */
    OVERLOADED("overloaded"),
    /** 400: a body that is not what the endpoint reads (JSON, gzip) or that ended before its length. */
    INVALID_BODY("invalid_body"),
    /** 408: a body that stopped for the idle timeout or arrived below the minimum rate. */
    TIMEOUT("timeout"),
    /** 500: the server failed. */
    INTERNAL_ERROR("internal_error");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }
}
