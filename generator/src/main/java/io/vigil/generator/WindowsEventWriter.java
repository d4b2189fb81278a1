package io.vigil.generator;

import io.vigil.generator.Estate.User;
import io.vigil.generator.Estate.Vm;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Windows Security and System channel events as {@code wevtutil qe <channel> /f:xml} prints them:
 * {@code <Event xmlns=...>} elements back to back (one per line here), single-quoted attributes,
 * no XML declaration. Field lists per event follow the "Audit ..." pages of the Windows security
 * auditing reference (4624 v2, 4625, 4634, 4672, 4688 v2, 4697, 4720, 4732), the Service Control
 * Manager manifest (7036, 7045) and the Eventlog service's 1102 (its insertion strings are {@code
 * <UserData><LogFileCleared>} children, not {@code <EventData>}, as "1102(S): The audit log was cleared"
 * shows).
 */
final class WindowsEventWriter {
    private static final String SECURITY_PROVIDER =
            "<Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/>";
    private static final String EVENTLOG_PROVIDER =
            "<Provider Name='Microsoft-Windows-Eventlog' Guid='{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}'/>";
    private static final int LOG_CLEARED = 1102;
    private static final String SCM_PROVIDER =
            "<Provider Name='Service Control Manager' Guid='{555908d1-a6d7-4695-8e1e-26931d2012f4}' EventSourceName='Service Control Manager'/>";
    private static final String AUDIT_SUCCESS = "0x8020000000000000";
    private static final String AUDIT_FAILURE = "0x8010000000000000";
    private static final String CLASSIC = "0x8080000000000000";
    private static final String LOG_CLEARED_KEYWORDS = "0x4020000000000000";

    /** One event before record numbering; {@code data} alternates name and value. */
    private record Event(
            Instant time, boolean system, int eventId, int version, int task, String keywords, List<String> data) {}

    private final GeneratorOptions options;
    private final Story story;
    private final Rand rand;
    private long logonIds = 0x3A1F00;

    private WindowsEventWriter(GeneratorOptions options, Story story) {
        this.options = options;
        this.story = story;
        this.rand = Rand.of(options.seed(), "windows");
    }

    static void write(Output out, GeneratorOptions options, Story story) throws IOException {
        WindowsEventWriter writer = new WindowsEventWriter(options, story);
        for (Vm vm : Estate.WINDOWS_VMS) {
            List<Event> events = new ArrayList<>();
            writer.background(vm, events);
            if (vm.equals(Estate.VM_WEB)) {
                writer.attack(vm, events);
            }
            events.sort(Comparator.comparing(Event::time));
            writer.render(out, vm, events, false);
            writer.render(out, vm, events, true);
        }
    }

    private void render(Output out, Vm vm, List<Event> events, boolean system) throws IOException {
        StringBuilder content = new StringBuilder();
        long recordId = system ? 14_210 : 2_830_114;
        long count = 0;
        for (Event event : events) {
            if (event.system() != system) {
                continue;
            }
            recordId++;
            count++;
            content.append(xml(vm, event, recordId)).append('\n');
        }
        String channel = system ? "System" : "Security";
        out.write("windows/" + vm.name() + "/" + channel + ".xml", content.toString());
        out.count(system ? "windows_system" : "windows_security", count);
    }

    private String xml(Vm vm, Event event, long recordId) {
        StringBuilder xml = new StringBuilder(1024);
        xml.append("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>");
        if (event.system()) {
            xml.append(SCM_PROVIDER)
                    .append("<EventID Qualifiers='16384'>")
                    .append(event.eventId())
                    .append("</EventID>");
        } else if (event.eventId() == LOG_CLEARED) {
            xml.append(EVENTLOG_PROVIDER)
                    .append("<EventID>")
                    .append(event.eventId())
                    .append("</EventID>");
        } else {
            xml.append(SECURITY_PROVIDER)
                    .append("<EventID>")
                    .append(event.eventId())
                    .append("</EventID>");
        }
        xml.append("<Version>").append(event.version()).append("</Version>");
        xml.append("<Level>")
                .append(event.system() || event.eventId() == LOG_CLEARED ? 4 : 0)
                .append("</Level>");
        xml.append("<Task>").append(event.task()).append("</Task><Opcode>0</Opcode>");
        xml.append("<Keywords>").append(event.keywords()).append("</Keywords>");
        xml.append("<TimeCreated SystemTime='")
                .append(Timestamps.windows(event.time()))
                .append("'/>");
        xml.append("<EventRecordID>").append(recordId).append("</EventRecordID>");
        if (event.system()) {
            xml.append("<Correlation/><Execution ProcessID='700' ThreadID='")
                    .append(4000 + recordId % 900)
                    .append("'/>");
            xml.append("<Channel>System</Channel>");
        } else {
            xml.append("<Correlation ActivityID='{6A3D1E52-4C0B-0001-8F1E-3D6A0B4CDB01}'/>");
            xml.append("<Execution ProcessID='756' ThreadID='")
                    .append(800 + recordId % 3000)
                    .append("'/>");
            xml.append("<Channel>Security</Channel>");
        }
        xml.append("<Computer>")
                .append(vm.name())
                .append('.')
                .append(Estate.DOMAIN)
                .append("</Computer>");
        if (event.system() && event.eventId() == 7045) {
            xml.append("<Security UserID='").append(Estate.DOMAIN_SID).append("-500'/>");
        } else {
            xml.append("<Security/>");
        }
        if (event.eventId() == LOG_CLEARED) {
            xml.append("</System><UserData><LogFileCleared"
                    + " xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'>");
            List<String> data = event.data();
            for (int i = 0; i < data.size(); i += 2) {
                xml.append('<')
                        .append(data.get(i))
                        .append('>')
                        .append(escape(data.get(i + 1)))
                        .append("</")
                        .append(data.get(i))
                        .append('>');
            }
            xml.append("</LogFileCleared></UserData></Event>");
            return xml.toString();
        }
        xml.append("</System><EventData>");
        List<String> data = event.data();
        for (int i = 0; i < data.size(); i += 2) {
            xml.append("<Data Name='")
                    .append(data.get(i))
                    .append("'>")
                    .append(escape(data.get(i + 1)))
                    .append("</Data>");
        }
        xml.append("</EventData></Event>");
        return xml.toString();
    }

    private void background(Vm vm, List<Event> events) {
        String machine = vm.name().toUpperCase(Locale.ROOT);
        for (int i = Volume.of(options, 420); i > 0; i--) {
            Instant time = rand.busyInstant(options.start(), options.end());
            User user = rand.pick(Estate.USERS);
            int logonType = rand.pick(List.of(3, 3, 3, 2, 5, 10));
            String account = user.sam();
            String domain = Estate.NETBIOS_DOMAIN;
            String sid = userSid(user);
            String ip = "10.0.3.4";
            if (logonType == 5) {
                account = "SYSTEM";
                domain = "NT AUTHORITY";
                sid = "S-1-5-18";
                ip = "-";
            } else if (logonType == 2 || logonType == 10) {
                ip = "10.0.0." + rand.between(4, 40);
            }
            String logonId = nextLogonId();
            events.add(logon(time, machine, account, domain, sid, logonId, logonType, ip));
            if (user.admin() || logonType == 5) {
                events.add(specialPrivileges(time, account, domain, sid, logonId));
            }
            events.add(new Event(
                    time.plusSeconds(rand.between(5, 3600)),
                    false,
                    4634,
                    0,
                    12545,
                    AUDIT_SUCCESS,
                    List.of(
                            "TargetUserSid",
                            sid,
                            "TargetUserName",
                            account,
                            "TargetDomainName",
                            domain,
                            "TargetLogonId",
                            logonId,
                            "LogonType",
                            Integer.toString(logonType))));
        }
        List<String[]> processes = List.of(
                new String[] {
                    "C:\\Windows\\System32\\svchost.exe",
                    "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
                    "C:\\Windows\\System32\\services.exe"
                },
                new String[] {
                    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                    "powershell.exe -NoProfile -File C:\\ops\\health.ps1",
                    "C:\\Windows\\System32\\svchost.exe"
                },
                new String[] {
                    "C:\\Windows\\System32\\cmd.exe",
                    "cmd.exe /c C:\\ops\\rotate-logs.cmd",
                    "C:\\Windows\\System32\\svchost.exe"
                },
                new String[] {
                    "C:\\Windows\\System32\\conhost.exe",
                    "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
                    "C:\\Windows\\System32\\cmd.exe"
                },
                new String[] {
                    "C:\\Program Files\\Microsoft Monitoring Agent\\Agent\\MonitoringHost.exe",
                    "\"C:\\Program Files\\Microsoft Monitoring Agent\\Agent\\MonitoringHost.exe\" -Embedding",
                    "C:\\Windows\\System32\\svchost.exe"
                },
                new String[] {
                    "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
                    "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
                    "C:\\Windows\\System32\\svchost.exe"
                });
        for (int i = Volume.of(options, 600); i > 0; i--) {
            String[] process = rand.pick(processes);
            Instant time = rand.instant(options.start(), options.end());
            events.add(processCreated(
                    time,
                    machine,
                    "S-1-5-18",
                    machine + "$",
                    Estate.NETBIOS_DOMAIN,
                    "0x3e7",
                    process[0],
                    process[1],
                    process[2]));
        }
        for (int i = Volume.of(options, 25); i > 0; i--) {
            User user = rand.pick(Estate.USERS);
            events.add(failedLogon(
                    rand.busyInstant(options.start(), options.end()),
                    machine,
                    user.sam(),
                    Estate.NETBIOS_DOMAIN,
                    3,
                    "10.0.0." + rand.between(4, 40)));
        }
        List<String> services = List.of(
                "Windows Update",
                "Background Intelligent Transfer Service",
                "Windows Modules Installer",
                "Microsoft Monitoring Agent");
        for (int i = Volume.of(options, 60); i > 0; i--) {
            String state = rand.chance(0.5) ? "running" : "stopped";
            String binary = state.equals("running")
                    ? "770075006100750073007600630000000000"
                    : "770075006100750073007600630000000100";
            events.add(new Event(
                    rand.instant(options.start(), options.end()),
                    true,
                    7036,
                    0,
                    0,
                    CLASSIC,
                    List.of("param1", rand.pick(services), "param2", state, "Binary", binary)));
        }
    }

    private void attack(Vm vm, List<Event> events) {
        String machine = vm.name().toUpperCase(Locale.ROOT);
        // once RDP is open to the internet, scanners start guessing local administrator names
        List<String> guesses = List.of("administrator", "admin", "user", "test", "azureuser", "scanner");
        double window = Story.RDP_LOGON - Story.NSG_RULE_OPENED;
        for (int i = 0; i < 40; i++) {
            Instant time = story.at(Story.NSG_RULE_OPENED + 60 + window * i / 40.0);
            events.add(failedLogon(time, machine, rand.pick(guesses), machine, 3, rand.internetAddress()));
        }
        // the attacker logs on over RDP with the local admin account
        String adminSid = Estate.DOMAIN_SID + "-500";
        Instant logonTime = story.at(Story.RDP_LOGON);
        String logonId = nextLogonId();
        events.add(logon(logonTime, machine, "azureadmin", machine, adminSid, logonId, 10, Estate.ATTACKER_IP));
        events.add(specialPrivileges(logonTime, "azureadmin", machine, adminSid, logonId));
        Instant installTime = story.at(Story.SERVICE_INSTALLED);
        String serviceName = "WinSvcUpdate";
        String imagePath = "C:\\ProgramData\\svcupd\\updsvc.exe";
        events.add(processCreated(
                installTime.minusSeconds(2),
                machine,
                adminSid,
                "azureadmin",
                machine,
                logonId,
                "C:\\Windows\\System32\\sc.exe",
                "sc.exe create WinSvcUpdate binPath= \"" + imagePath + "\" start= auto",
                "C:\\Windows\\System32\\cmd.exe"));
        events.add(new Event(
                installTime,
                false,
                4697,
                0,
                12289,
                AUDIT_SUCCESS,
                List.of(
                        "SubjectUserSid",
                        adminSid,
                        "SubjectUserName",
                        "azureadmin",
                        "SubjectDomainName",
                        machine,
                        "SubjectLogonId",
                        logonId,
                        "ServiceName",
                        serviceName,
                        "ServiceFileName",
                        imagePath,
                        "ServiceType",
                        "0x10",
                        "ServiceStartType",
                        "2",
                        "ServiceAccount",
                        "LocalSystem",
                        "ClientProcessStartKey",
                        "-",
                        "ClientProcessId",
                        "-",
                        "ParentProcessId",
                        "-")));
        events.add(new Event(
                installTime,
                true,
                7045,
                0,
                0,
                CLASSIC,
                List.of(
                        "ServiceName",
                        serviceName,
                        "ImagePath",
                        imagePath,
                        "ServiceType",
                        "user mode service",
                        "StartType",
                        "auto start",
                        "AccountName",
                        "LocalSystem")));
        // and leaves a local administrator behind
        Instant backdoor = story.at(Story.BACKDOOR_USER);
        String backdoorSid = Estate.DOMAIN_SID + "-1109";
        events.add(new Event(
                backdoor,
                false,
                4720,
                0,
                13824,
                AUDIT_SUCCESS,
                List.of(
                        "TargetUserName",
                        "support_svc",
                        "TargetDomainName",
                        machine,
                        "TargetSid",
                        backdoorSid,
                        "SubjectUserSid",
                        adminSid,
                        "SubjectUserName",
                        "azureadmin",
                        "SubjectDomainName",
                        machine,
                        "SubjectLogonId",
                        logonId,
                        "PrivilegeList",
                        "-",
                        "SamAccountName",
                        "support_svc",
                        "DisplayName",
                        "%%1793",
                        "UserPrincipalName",
                        "-",
                        "HomeDirectory",
                        "%%1793",
                        "HomePath",
                        "%%1793",
                        "ScriptPath",
                        "%%1793",
                        "ProfilePath",
                        "%%1793",
                        "UserWorkstations",
                        "%%1793",
                        "PasswordLastSet",
                        "%%1794",
                        "AccountExpires",
                        "%%1794",
                        "PrimaryGroupId",
                        "513",
                        "AllowedToDelegateTo",
                        "-",
                        "OldUacValue",
                        "0x0",
                        "NewUacValue",
                        "0x15",
                        "UserAccountControl",
                        "\n\t\t%%2080\n\t\t%%2082\n\t\t%%2084",
                        "UserParameters",
                        "%%1793",
                        "SidHistory",
                        "-",
                        "LogonHours",
                        "%%1797")));
        events.add(new Event(
                backdoor.plusSeconds(4),
                false,
                4732,
                0,
                13826,
                AUDIT_SUCCESS,
                List.of(
                        "MemberName",
                        "-",
                        "MemberSid",
                        backdoorSid,
                        "TargetUserName",
                        "Administrators",
                        "TargetDomainName",
                        "Builtin",
                        "TargetSid",
                        "S-1-5-32-544",
                        "SubjectUserSid",
                        adminSid,
                        "SubjectUserName",
                        "azureadmin",
                        "SubjectDomainName",
                        machine,
                        "SubjectLogonId",
                        logonId,
                        "PrivilegeList",
                        "-")));
        // and clears the Security log to cover its tracks; what the agent collected before stays in the workspace
        events.add(new Event(
                story.at(Story.AUDIT_LOG_CLEARED),
                false,
                LOG_CLEARED,
                0,
                104,
                LOG_CLEARED_KEYWORDS,
                List.of(
                        "SubjectUserSid",
                        adminSid,
                        "SubjectUserName",
                        "azureadmin",
                        "SubjectDomainName",
                        machine,
                        "SubjectLogonId",
                        logonId)));
    }

    private Event logon(
            Instant time,
            String machine,
            String account,
            String domain,
            String sid,
            String logonId,
            int logonType,
            String ip) {
        String process = "C:\\Windows\\System32\\svchost.exe";
        String logonProcess = "User32 ";
        String package_ = "Negotiate";
        String processId = "0x3b4";
        String elevated = "%%1842";
        if (logonType == 3) {
            process = "-";
            logonProcess = "NtLmSsp ";
            package_ = "NTLM";
            processId = "0x0";
            elevated = "%%1843";
        } else if (logonType == 5) {
            process = "C:\\Windows\\System32\\services.exe";
            logonProcess = "Advapi  ";
            processId = "0x2c4";
        }
        return new Event(
                time,
                false,
                4624,
                2,
                12544,
                AUDIT_SUCCESS,
                List.of(
                        "SubjectUserSid",
                        logonType == 3 ? "S-1-0-0" : "S-1-5-18",
                        "SubjectUserName",
                        logonType == 3 ? "-" : machine + "$",
                        "SubjectDomainName",
                        logonType == 3 ? "-" : Estate.NETBIOS_DOMAIN,
                        "SubjectLogonId",
                        logonType == 3 ? "0x0" : "0x3e7",
                        "TargetUserSid",
                        sid,
                        "TargetUserName",
                        account,
                        "TargetDomainName",
                        domain,
                        "TargetLogonId",
                        logonId,
                        "LogonType",
                        Integer.toString(logonType),
                        "LogonProcessName",
                        logonProcess,
                        "AuthenticationPackageName",
                        package_,
                        "WorkstationName",
                        logonType == 10 ? "DESKTOP-" + rand.hex(7) : machine,
                        "LogonGuid",
                        "{00000000-0000-0000-0000-000000000000}",
                        "TransmittedServices",
                        "-",
                        "LmPackageName",
                        logonType == 3 ? "NTLM V2" : "-",
                        "KeyLength",
                        logonType == 3 ? "128" : "0",
                        "ProcessId",
                        processId,
                        "ProcessName",
                        process,
                        "IpAddress",
                        ip,
                        "IpPort",
                        ip.equals("-") ? "-" : Integer.toString(rand.between(49152, 65535)),
                        "ImpersonationLevel",
                        "%%1833",
                        "RestrictedAdminMode",
                        logonType == 10 ? "%%1843" : "-",
                        "TargetOutboundUserName",
                        "-",
                        "TargetOutboundDomainName",
                        "-",
                        "VirtualAccount",
                        "%%1843",
                        "TargetLinkedLogonId",
                        "0x0",
                        "ElevatedToken",
                        elevated));
    }

    private Event failedLogon(Instant time, String machine, String account, String domain, int logonType, String ip) {
        return new Event(
                time,
                false,
                4625,
                0,
                12544,
                AUDIT_FAILURE,
                List.of(
                        "SubjectUserSid",
                        "S-1-0-0",
                        "SubjectUserName",
                        "-",
                        "SubjectDomainName",
                        "-",
                        "SubjectLogonId",
                        "0x0",
                        "TargetUserSid",
                        "S-1-0-0",
                        "TargetUserName",
                        account,
                        "TargetDomainName",
                        domain,
                        "Status",
                        "0xc000006d",
                        "FailureReason",
                        "%%2313",
                        "SubStatus",
                        "0xc000006a",
                        "LogonType",
                        Integer.toString(logonType),
                        "LogonProcessName",
                        "NtLmSsp ",
                        "AuthenticationPackageName",
                        "NTLM",
                        "WorkstationName",
                        "-",
                        "TransmittedServices",
                        "-",
                        "LmPackageName",
                        "-",
                        "KeyLength",
                        "0",
                        "ProcessId",
                        "0x0",
                        "ProcessName",
                        "-",
                        "IpAddress",
                        ip,
                        "IpPort",
                        "0"));
    }

    private static Event specialPrivileges(Instant time, String account, String domain, String sid, String logonId) {
        return new Event(
                time,
                false,
                4672,
                0,
                12548,
                AUDIT_SUCCESS,
                List.of(
                        "SubjectUserSid",
                        sid,
                        "SubjectUserName",
                        account,
                        "SubjectDomainName",
                        domain,
                        "SubjectLogonId",
                        logonId,
                        "PrivilegeList",
                        "SeSecurityPrivilege\n\t\t\tSeBackupPrivilege\n\t\t\tSeRestorePrivilege\n\t\t\tSeTakeOwnershipPrivilege\n\t\t\tSeDebugPrivilege\n\t\t\tSeSystemEnvironmentPrivilege\n\t\t\tSeLoadDriverPrivilege\n\t\t\tSeImpersonatePrivilege"));
    }

    private Event processCreated(
            Instant time,
            String machine,
            String sid,
            String account,
            String domain,
            String logonId,
            String image,
            String commandLine,
            String parent) {
        return new Event(
                time,
                false,
                4688,
                2,
                13312,
                AUDIT_SUCCESS,
                List.of(
                        "SubjectUserSid",
                        sid,
                        "SubjectUserName",
                        account,
                        "SubjectDomainName",
                        domain,
                        "SubjectLogonId",
                        logonId,
                        "NewProcessId",
                        "0x" + Integer.toHexString(rand.between(0x400, 0x3000)),
                        "NewProcessName",
                        image,
                        "TokenElevationType",
                        "%%1936",
                        "ProcessId",
                        "0x" + Integer.toHexString(rand.between(0x300, 0x2000)),
                        "CommandLine",
                        commandLine,
                        "TargetUserSid",
                        "S-1-0-0",
                        "TargetUserName",
                        "-",
                        "TargetDomainName",
                        "-",
                        "TargetLogonId",
                        "0x0",
                        "ParentProcessName",
                        parent,
                        "MandatoryLabel",
                        "S-1-16-16384"));
    }

    private String nextLogonId() {
        logonIds += rand.between(0x100, 0x4000);
        return "0x" + Long.toHexString(logonIds);
    }

    private static String userSid(User user) {
        return Estate.DOMAIN_SID + "-" + (1100 + Estate.USERS.indexOf(user));
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("'", "&apos;")
                .replace("\"", "&quot;")
                // keeps one event per line; wevtutil writes these characters raw, both are the same XML
                .replace("\n", "&#10;")
                .replace("\t", "&#9;");
    }
}
