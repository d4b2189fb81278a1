package io.vigil.formats.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AzureResourceIdTest {
    @Test
    void splitsNestedResource() {
        AzureResourceId id = AzureResourceId.parse(
                "/SUBSCRIPTIONS/1111/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.SQL/SERVERS/SRV1/DATABASES/DB1");
        assertThat(id.subscriptionId()).isEqualTo("1111");
        assertThat(id.resourceGroup()).isEqualTo("PROD-RG");
        assertThat(id.provider()).isEqualTo("MICROSOFT.SQL");
        assertThat(id.resourceType()).isEqualTo("SERVERS/DATABASES");
        assertThat(id.name()).isEqualTo("DB1");
        assertThat(id.normalized()).startsWith("/subscriptions/1111/resourcegroups/prod-rg/");
    }

    @Test
    void splitsSubscriptionLevelAndTenantIds() {
        AzureResourceId policy = AzureResourceId.parse(
                "/subscriptions/1111/providers/Microsoft.Authorization/policyDefinitions/deny-public-ip");
        assertThat(policy.resourceGroup()).isEmpty();
        assertThat(policy.name()).isEqualTo("deny-public-ip");
        AzureResourceId tenant = AzureResourceId.parse("/tenants/2222/providers/Microsoft.aadiam");
        assertThat(tenant.provider()).isEqualTo("Microsoft.aadiam");
        assertThat(tenant.name()).isEmpty();
        assertThat(AzureResourceId.parse("not an id").provider()).isEmpty();
    }

    @Test
    void repairsOnlyTheKnownKinds() {
        AzureJsonRepair.Result repaired = AzureJsonRepair.repair("{\"p\":{'a':'it''s'},\"b\":[ 218 B blob data ]}");
        assertThat(repaired.repairs())
                .containsExactly(AzureJsonRepair.BLOB_PLACEHOLDER, AzureJsonRepair.SINGLE_QUOTED_STRING);
        assertThat(AzureJsonRepair.repair("{\"a\":1}").changed()).isFalse();
        assertThat(AzureJsonRepair.repair("{\"a\":\"x\ny\"}").text()).isEqualTo("{\"a\":\"x\\ny\"}");
    }
}
