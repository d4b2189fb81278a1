package io.vigil.generator;

import java.util.List;
import java.util.Locale;

/**
 * The fixed, fictional Azure estate every writer draws from: one tenant, one subscription, a few
 * resource groups, VMs, storage accounts, users and applications. Fixed so the demo documentation
 * can name entities and so every log type agrees on them.
 */
final class Estate {
    static final String TENANT_ID = "4f9c2d1e-7b3a-4e58-9a61-2c8d5e0f1b7a";
    static final String SUBSCRIPTION_ID = "8d2b6f41-3c9e-4a7d-b5e2-91f0c4a6d37e";
    static final String DOMAIN = "contoso.com";
    static final String NETBIOS_DOMAIN = "CONTOSO";
    static final String DOMAIN_SID = "S-1-5-21-3623811015-3361044348-30300820";

    static final String RG_WEB = "rg-prod-web";
    static final String RG_DATA = "rg-prod-data";
    static final String RG_OPS = "rg-ops";

    /** Password spray source (TEST-NET-3, RFC 5737): fictional by construction. */
    static final String SPRAY_IP = "203.0.113.66";
    /** Post-compromise attacker address (TEST-NET-2, RFC 5737). */
    static final String ATTACKER_IP = "198.51.100.23";

    record Location(String city, String state, String country, double latitude, double longitude) {}

    record User(
            String upn,
            String displayName,
            String objectId,
            Location home,
            String homeIp,
            boolean admin,
            String os,
            String browser) {
        String sam() {
            return upn.substring(0, upn.indexOf('@'));
        }
    }

    record App(String displayName, String appId, String resource, String resourceId) {}

    record ServicePrincipal(String displayName, String appId, String objectId) {}

    record Vm(String name, String resourceGroup, String privateIp, String mac, String nsg, boolean windows) {
        String resourceId() {
            return resourceGroupId(resourceGroup) + "/providers/Microsoft.Compute/virtualMachines/" + name;
        }
    }

    static final Location SEATTLE = new Location("Seattle", "Washington", "US", 47.6062, -122.3321);
    static final Location NEW_YORK = new Location("New York", "New York", "US", 40.7128, -74.0060);
    static final Location LONDON = new Location("London", "England", "GB", 51.5072, -0.1276);
    static final Location DUBLIN = new Location("Dublin", "Dublin", "IE", 53.3498, -6.2603);
    static final Location BERLIN = new Location("Berlin", "Berlin", "DE", 52.5200, 13.4050);
    static final Location MOSCOW = new Location("Moscow", "Moscow", "RU", 55.7558, 37.6173);
    static final Location AMSTERDAM = new Location("Amsterdam", "Noord-Holland", "NL", 52.3676, 4.9041);

    static final List<User> USERS = List.of(
            user("alex.wilber", "Alex Wilber", "0b8e6a51-4f0d-4c3c-9a27-1d5b7e2f9c01", SEATTLE, "52.160.14.21", true),
            user("megan.bowen", "Megan Bowen", "1c9f7b62-5a1e-4d4d-8b38-2e6c8f3a0d12", SEATTLE, "52.160.14.22", true),
            user("adele.vance", "Adele Vance", "2da08c73-6b2f-4e5e-9c49-3f7d9a4b1e23", NEW_YORK, "68.173.22.41", true),
            user(
                    "diego.siciliani",
                    "Diego Siciliani",
                    "3eb19d84-7c30-4f6f-8d5a-4a8eab5c2f34",
                    NEW_YORK,
                    "68.173.22.42",
                    false),
            user("grady.archie", "Grady Archie", "4fc2ae95-8d41-4a70-9e6b-5b9fbc6d3a45", LONDON, "81.2.69.160", false),
            user(
                    "henrietta.mueller",
                    "Henrietta Mueller",
                    "50d3bfa6-9e52-4b81-8f7c-6ca0cd7e4b56",
                    BERLIN,
                    "85.214.132.117",
                    false),
            user(
                    "isaiah.langer",
                    "Isaiah Langer",
                    "61e4c0b7-af63-4c92-a08d-7db1de8f5c67",
                    SEATTLE,
                    "52.160.14.23",
                    false),
            user(
                    "johanna.lorenz",
                    "Johanna Lorenz",
                    "72f5d1c8-b074-4da3-b19e-8ec2ef906d78",
                    BERLIN,
                    "85.214.132.118",
                    false),
            user("joni.sherman", "Joni Sherman", "8306e2d9-c185-4eb4-82af-9fd3f0a17e89", DUBLIN, "89.101.160.5", false),
            user("lee.gu", "Lee Gu", "9417f3ea-d296-4fc5-93b0-a0e4a1b28f9a", LONDON, "81.2.69.161", false),
            user(
                    "lidia.holloway",
                    "Lidia Holloway",
                    "a52804fb-e3a7-40d6-a4c1-b1f5b2c390ab",
                    NEW_YORK,
                    "68.173.22.43",
                    false),
            user(
                    "lynne.robbins",
                    "Lynne Robbins",
                    "b639150c-f4b8-41e7-b5d2-c206c3d4a1bc",
                    DUBLIN,
                    "89.101.160.6",
                    false),
            user(
                    "miriam.graham",
                    "Miriam Graham",
                    "c74a261d-05c9-42f8-86e3-d317d4e5b2cd",
                    SEATTLE,
                    "52.160.14.24",
                    false),
            user("nestor.wilke", "Nestor Wilke", "d85b372e-16da-4309-97f4-e428e5f6c3de", LONDON, "81.2.69.162", false),
            user(
                    "pradeep.gupta",
                    "Pradeep Gupta",
                    "e96c483f-27eb-441a-a805-f539f607d4ef",
                    SEATTLE,
                    "52.160.14.25",
                    false),
            user(
                    "patti.fernandez",
                    "Patti Fernandez",
                    "fa7d5940-38fc-452b-b916-064a0718e5f0",
                    NEW_YORK,
                    "68.173.22.44",
                    false));

    /** The user whose password the spray guesses and who then turns the compromise into access. */
    static final User VICTIM = USERS.get(1);

    /** Well-known first-party application ids, as they appear in real sign-in logs. */
    static final List<App> APPS = List.of(
            new App(
                    "OfficeHome",
                    "4765445b-32c6-49b0-83e6-1d93765276ca",
                    "Office 365 Exchange Online",
                    "00000002-0000-0ff1-ce00-000000000000"),
            new App(
                    "Microsoft Teams",
                    "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
                    "Microsoft Teams Services",
                    "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"),
            new App(
                    "Azure Portal",
                    "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
                    "Windows Azure Service Management API",
                    "797f4846-ba00-4fd7-ba43-dac1f8f63013"),
            new App(
                    "Microsoft Azure CLI",
                    "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
                    "Windows Azure Service Management API",
                    "797f4846-ba00-4fd7-ba43-dac1f8f63013"),
            new App(
                    "Microsoft Outlook",
                    "5d661950-3475-41cd-a2c3-d671a3162bc1",
                    "Office 365 Exchange Online",
                    "00000002-0000-0ff1-ce00-000000000000"));

    static final List<ServicePrincipal> SERVICE_PRINCIPALS = List.of(
            new ServicePrincipal(
                    "orders-api", "3b1d6a0e-52c4-4f6a-9d8e-7a2b1c0d9e8f", "6e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"),
            new ServicePrincipal(
                    "github-actions-deploy",
                    "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "7f2a3b4c-5d6e-4f7a-9b0c-1d2e3f4a5b6c"));

    /** The service principal the attacker creates and makes Owner of the subscription. */
    static final ServicePrincipal ROGUE_SP = new ServicePrincipal(
            "svc-backup-sync", "5c0ffee5-7d4e-4b1a-a9c8-3e2f1d0c9b8a", "0bad5eed-0000-4000-8000-000000000001");

    static final List<ServicePrincipal> MANAGED_IDENTITIES = List.of(
            new ServicePrincipal(
                    "vm-app-01", "e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8", "f2b3c4d5-e6f7-4081-92a3-b4c5d6e7f809"),
            new ServicePrincipal(
                    "func-orders", "a3c4d5e6-f708-4192-a3b4-c5d6e7f8091a", "b4d5e6f7-0819-42a3-b4c5-d6e7f8091a2b"));

    static final Vm VM_WEB = new Vm("vm-web-01", RG_WEB, "10.0.1.4", "000D3A1B2C01", "nsg-web", true);
    static final Vm VM_APP = new Vm("vm-app-01", RG_WEB, "10.0.2.4", "000D3A1B2C02", "nsg-app", true);
    static final Vm VM_DC = new Vm("vm-dc-01", RG_OPS, "10.0.3.4", "000D3A1B2C03", "nsg-app", true);
    static final Vm VM_LINUX_1 = new Vm("vm-lnx-01", RG_WEB, "10.0.2.10", "000D3A1B2C04", "nsg-app", false);
    static final Vm VM_LINUX_2 = new Vm("vm-lnx-02", RG_DATA, "10.0.2.11", "000D3A1B2C05", "nsg-app", false);
    static final List<Vm> WINDOWS_VMS = List.of(VM_WEB, VM_APP, VM_DC);
    static final List<Vm> LINUX_VMS = List.of(VM_LINUX_1, VM_LINUX_2);
    static final List<Vm> VMS = List.of(VM_WEB, VM_APP, VM_DC, VM_LINUX_1, VM_LINUX_2);

    static final String STORAGE_WEB = "stcontosoweb01";
    static final String STORAGE_FINANCE = "stfinancedata01";
    static final String KEY_VAULT = "kv-contoso-prod";
    static final String SQL_SERVER = "sql-contoso-prod";
    static final String SQL_DATABASE = "orders";
    static final String FIREWALL_HOST = "fw-edge-01";
    static final String FIREWALL_PUBLIC_IP = "20.61.15.40";

    /** The rule the attacker adds to nsg-web. */
    static final String OPEN_RULE = "Allow-RDP-Any";

    private Estate() {}

    private static User user(String name, String display, String objectId, Location home, String ip, boolean admin) {
        String os = "Windows 10";
        String browser = "Edge 131.0.0";
        if (home.country().equals("GB") || home.country().equals("IE")) {
            os = "MacOs";
            browser = "Chrome 131.0.0";
        }
        return new User(name + "@" + DOMAIN, display, objectId, home, ip, admin, os, browser);
    }

    static String subscriptionId() {
        return "/subscriptions/" + SUBSCRIPTION_ID;
    }

    static String resourceGroupId(String resourceGroup) {
        return subscriptionId() + "/resourceGroups/" + resourceGroup;
    }

    /** Diagnostic settings write resource ids in upper case in both records and blob paths. */
    static String upper(String resourceId) {
        return resourceId.toUpperCase(Locale.ROOT);
    }

    static String storageAccountId(String account) {
        String group = RG_WEB;
        if (account.equals(STORAGE_FINANCE)) {
            group = RG_DATA;
        }
        return resourceGroupId(group) + "/providers/Microsoft.Storage/storageAccounts/" + account;
    }

    static String keyVaultId() {
        return resourceGroupId(RG_OPS) + "/providers/Microsoft.KeyVault/vaults/" + KEY_VAULT;
    }

    static String sqlDatabaseId() {
        return resourceGroupId(RG_DATA) + "/providers/Microsoft.Sql/servers/" + SQL_SERVER + "/databases/"
                + SQL_DATABASE;
    }

    static String nsgId(String nsg) {
        String group = RG_WEB;
        return resourceGroupId(group) + "/providers/Microsoft.Network/networkSecurityGroups/" + nsg;
    }

    static String aadResourceId() {
        return "/tenants/" + TENANT_ID + "/providers/Microsoft.aadiam";
    }
}
