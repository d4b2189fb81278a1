package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ODataFilterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ODataFilter FILTER = new ODataFilter(Map.of(
            "properties/status", ODataFilter.Type.ENUMERATION,
            "properties/severity", ODataFilter.Type.ENUMERATION,
            "properties/title", ODataFilter.Type.TEXT,
            "properties/owner/assignedTo", ODataFilter.Type.TEXT,
            "properties/incidentNumber", ODataFilter.Type.NUMBER,
            "properties/createdTimeUtc", ODataFilter.Type.TIME));

    private static JsonNode incident(int number, String status, String severity, String title, String created)
            throws Exception {
        return JSON.readTree("""
                {"name":"n%d","properties":{"status":"%s","severity":"%s","title":"%s","incidentNumber":%d,
                "createdTimeUtc":"%s","owner":{}}}
                """.formatted(number, status, severity, title, number, created));
    }

    private static final List<JsonNode> INCIDENTS;

    static {
        try {
            INCIDENTS = List.of(
                    incident(1, "New", "High", "Audit log cleared", "2026-12-01T10:00:00Z"),
                    incident(2, "Active", "Medium", "Password spray", "2026-12-02T10:00:00Z"),
                    incident(3, "Closed", "High", "It's a spray", "2026-12-03T10:00:00.5Z"),
                    incident(4, "New", "Low", "Logon", "2026-12-04T10:00:00Z"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Integer> matching(String filter) {
        ODataFilter.Parsed parsed = FILTER.parseFilter(filter);
        assertThat(parsed).as(filter).isInstanceOf(ODataFilter.Filter.class);
        return INCIDENTS.stream()
                .filter(((ODataFilter.Filter) parsed)::matches)
                .map(node -> node.path("properties").path("incidentNumber").asInt())
                .toList();
    }

    private static String refused(String filter) {
        ODataFilter.Parsed parsed = FILTER.parseFilter(filter);
        assertThat(parsed).as(filter).isInstanceOf(ODataFilter.Invalid.class);
        return ((ODataFilter.Invalid) parsed).message();
    }

    @Test
    void comparisonsAndLogicFollowODataPrecedence() {
        assertThat(matching("properties/status eq 'New'")).containsExactly(1, 4);
        assertThat(matching("properties/status eq 'new'")).containsExactly(1, 4);
        assertThat(matching("properties/status ne 'New'")).containsExactly(2, 3);
        assertThat(matching("properties/severity eq 'High' and properties/status eq 'New'"))
                .containsExactly(1);
        // and binds tighter than or
        assertThat(matching("properties/severity eq 'Low' or properties/severity eq 'High' and properties/status"
                        + " eq 'Closed'"))
                .containsExactly(3, 4);
        assertThat(matching("(properties/severity eq 'Low' or properties/severity eq 'High') and properties/status"
                        + " eq 'Closed'"))
                .containsExactly(3);
        assertThat(matching("not (properties/status eq 'Closed')")).containsExactly(1, 2, 4);
        assertThat(matching("properties/incidentNumber ge 2 and properties/incidentNumber lt 4"))
                .containsExactly(2, 3);
        assertThat(matching("properties/createdTimeUtc gt 2026-12-03T10:00:00Z"))
                .containsExactly(3, 4);
        assertThat(matching("properties/createdTimeUtc le datetime'2026-12-02T10:00:00Z'"))
                .containsExactly(1, 2);
        assertThat(matching("properties/createdTimeUtc lt '2026-12-02T11:00:00+01:00'"))
                .containsExactly(1);
        assertThat(matching("properties/title eq 'It''s a spray'")).containsExactly(3);
        // text compares with case, as OData does
        assertThat(matching("properties/title eq 'logon'")).isEmpty();
        assertThat(matching("contains(properties/title, 'spray')")).containsExactly(2, 3);
        assertThat(matching("startswith(properties/title,'Audit')")).containsExactly(1);
        assertThat(matching("properties/owner/assignedTo eq null")).containsExactly(1, 2, 3, 4);
        assertThat(matching("properties/owner/assignedTo ne null")).isEmpty();
    }

    @Test
    void whatItCannotApplyIsRefusedWithTheReason() {
        assertThat(refused("properties/labels/any(l: l/labelName eq 'x')"))
                .contains("lambda operator properties/labels/any");
        assertThat(refused("properties/status eq New")).contains("expected a 'text' literal");
        assertThat(refused("properties/status == 'New'")).contains("'='");
        assertThat(refused("properties/title gt 'a'")).contains("not supported");
        assertThat(refused("properties/incidentNumber eq '3'")).contains("number literal");
        assertThat(refused("properties/createdTimeUtc gt 'yesterday'")).contains("date-time");
        assertThat(refused("properties/status eq 'New' and")).contains("at the end");
        assertThat(refused("properties/status eq 'New' properties/severity eq 'High'"))
                .contains("expected 'and', 'or'");
        assertThat(refused("tolower(properties/title) eq 'x'")).contains("tolower");
        assertThat(refused("properties/status EQ 'New'")).contains("lower case");
        assertThat(refused("(properties/status eq 'New'")).contains("expected ')'");
        assertThat(refused("properties/status eq 'New")).contains("unexpected");
    }

    @Test
    void orderByKeysAndDirections() {
        ODataFilter.ParsedOrder parsed = FILTER.parseOrder("properties/severity asc, properties/createdTimeUtc desc");
        assertThat(parsed).isInstanceOf(ODataFilter.Ordering.class);
        List<Integer> order = INCIDENTS.stream()
                .sorted(((ODataFilter.Ordering) parsed).comparator())
                .map(node -> node.path("properties").path("incidentNumber").asInt())
                .toList();
        assertThat(order).containsExactly(3, 1, 4, 2);
        assertThat(FILTER.parseOrder("properties/nothing desc")).isInstanceOf(ODataFilter.Invalid.class);
        assertThat(FILTER.parseOrder("properties/severity downwards")).isInstanceOf(ODataFilter.Invalid.class);
    }
}
