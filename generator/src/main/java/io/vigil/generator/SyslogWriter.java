package io.vigil.generator;

import io.vigil.generator.Estate.User;
import io.vigil.generator.Estate.Vm;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Linux syslog from the two Linux VMs, each in both wire formats an rsyslog relay can forward:
 * RFC 3164 ({@code <PRI>Mmm dd hh:mm:ss host tag[pid]: msg}) and RFC 5424
 * ({@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG}). PRI = facility * 8 + severity (RFC 5424
 * section 6.2.1).
 */
final class SyslogWriter {
    private static final int KERN = 0;
    private static final int USER = 1;
    private static final int DAEMON = 3;
    private static final int AUTH = 4;
    private static final int AUTHPRIV = 10;
    private static final int CRON = 9;

    /** A message before it is rendered into one of the two formats. */
    private record Message(Instant time, int facility, int severity, String app, int pid, String msgId, String text) {}

    private final GeneratorOptions options;
    private final Rand rand;

    private SyslogWriter(GeneratorOptions options) {
        this.options = options;
        this.rand = Rand.of(options.seed(), "syslog");
    }

    static void write(Output out, GeneratorOptions options) throws IOException {
        SyslogWriter writer = new SyslogWriter(options);
        for (Vm vm : Estate.LINUX_VMS) {
            List<Timed<Message>> rfc3164 = new ArrayList<>();
            List<Timed<Message>> rfc5424 = new ArrayList<>();
            for (Message message : writer.messages()) {
                // each relay forwards part of the host's stream; both formats carry every program
                if (writer.rand.chance(0.5)) {
                    rfc3164.add(new Timed<>(message.time(), message));
                } else {
                    rfc5424.add(new Timed<>(message.time(), message));
                }
            }
            StringBuilder legacy = new StringBuilder();
            for (Message message : Timed.sortedValues(rfc3164)) {
                legacy.append(rfc3164(vm.name(), message)).append('\n');
            }
            StringBuilder modern = new StringBuilder();
            for (Message message : Timed.sortedValues(rfc5424)) {
                modern.append(rfc5424(vm.name(), message)).append('\n');
            }
            out.write("syslog/" + vm.name() + "-rfc3164.log", legacy.toString());
            out.write("syslog/" + vm.name() + "-rfc5424.log", modern.toString());
            out.count("syslog_rfc3164", rfc3164.size());
            out.count("syslog_rfc5424", rfc5424.size());
        }
        CefWriter.write(out, options);
    }

    static String rfc3164(String host, Message message) {
        return "<" + (message.facility() * 8 + message.severity()) + ">" + Timestamps.rfc3164(message.time()) + " "
                + host + " " + message.app() + pidSuffix(message) + ": " + message.text();
    }

    static String rfc5424(String host, Message message) {
        String procId = message.pid() > 0 ? Integer.toString(message.pid()) : "-";
        String structured = "-";
        if (message.app().equals("sudo") || message.app().equals("sshd")) {
            // rsyslog's RFC 5424 template carries the origin as structured data (RFC 5424 section 7.2)
            structured = "[origin ip=\"10.0.2.10\" software=\"rsyslogd\" swVersion=\"8.2112.0\"]";
        }
        return "<" + (message.facility() * 8 + message.severity()) + ">1 " + Timestamps.rfc5424(message.time()) + " "
                + host + " " + message.app() + " " + procId + " " + message.msgId() + " " + structured + " "
                + message.text();
    }

    private static String pidSuffix(Message message) {
        if (message.pid() > 0) {
            return "[" + message.pid() + "]";
        }
        return "";
    }

    private List<Message> messages() {
        List<Message> messages = new ArrayList<>();
        Instant start = options.start();
        Instant end = options.end();
        // cron fires every five minutes, with a session opened and closed around each job
        for (Instant tick = start.plusSeconds(1); tick.isBefore(end); tick = tick.plusSeconds(300)) {
            if (!rand.chance(Math.min(1.0, options.scale()))) {
                continue;
            }
            int pid = rand.between(20000, 60000);
            messages.add(new Message(
                    tick,
                    CRON,
                    6,
                    "CRON",
                    pid,
                    "-",
                    "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"));
            messages.add(
                    new Message(tick.plusMillis(3), CRON, 6, "CRON", pid, "-", "(root) CMD (/usr/lib/sa/sa1 1 1)"));
            messages.add(new Message(
                    tick.plusMillis(40),
                    CRON,
                    6,
                    "CRON",
                    pid,
                    "-",
                    "pam_unix(cron:session): session closed for user root"));
        }
        for (int i = Volume.of(options, 900); i > 0; i--) {
            Instant time = rand.busyInstant(start, end);
            User user = rand.pick(Estate.USERS.subList(0, 4));
            int pid = rand.between(2000, 60000);
            String ip = "10.0.0." + rand.between(4, 40);
            int port = rand.between(40000, 65000);
            messages.add(new Message(
                    time,
                    AUTH,
                    6,
                    "sshd",
                    pid,
                    "-",
                    "Accepted publickey for " + user.sam() + " from " + ip + " port " + port + " ssh2: ED25519 SHA256:"
                            + rand.hex(8) + "k2Lx" + rand.hex(6)));
            messages.add(new Message(
                    time.plusMillis(12),
                    AUTHPRIV,
                    6,
                    "sshd",
                    pid,
                    "-",
                    "pam_unix(sshd:session): session opened for user " + user.sam() + "(uid=100"
                            + Estate.USERS.indexOf(user) + ") by (uid=0)"));
            if (rand.chance(0.5)) {
                Instant sudo = time.plusSeconds(rand.between(5, 600));
                messages.add(new Message(
                        sudo,
                        AUTHPRIV,
                        5,
                        "sudo",
                        0,
                        "-",
                        user.sam() + " : TTY=pts/0 ; PWD=/home/" + user.sam()
                                + " ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx"));
            }
            messages.add(new Message(
                    time.plusSeconds(rand.between(60, 3600)),
                    AUTHPRIV,
                    6,
                    "sshd",
                    pid,
                    "-",
                    "pam_unix(sshd:session): session closed for user " + user.sam()));
        }
        // internet noise against sshd
        List<String> guesses = List.of("root", "admin", "ubuntu", "oracle", "postgres", "test", "git");
        for (int i = Volume.of(options, 2400); i > 0; i--) {
            Instant time = rand.instant(start, end);
            String ip = rand.internetAddress();
            String name = rand.pick(guesses);
            int pid = rand.between(2000, 60000);
            String text = name.equals("root")
                    ? "Failed password for root from " + ip + " port " + rand.between(30000, 65000) + " ssh2"
                    : "Failed password for invalid user " + name + " from " + ip + " port " + rand.between(30000, 65000)
                            + " ssh2";
            messages.add(new Message(time, AUTHPRIV, 6, "sshd", pid, "-", text));
            messages.add(new Message(
                    time.plusSeconds(2),
                    AUTHPRIV,
                    6,
                    "sshd",
                    pid,
                    "-",
                    "Connection closed by " + ip + " port " + rand.between(30000, 65000) + " [preauth]"));
        }
        List<String> units = List.of(
                "apt-daily.service",
                "logrotate.service",
                "man-db.service",
                "sysstat-collect.service",
                "fstrim.service");
        for (int i = Volume.of(options, 500); i > 0; i--) {
            Instant time = rand.instant(start, end);
            String unit = rand.pick(units);
            messages.add(new Message(time, DAEMON, 6, "systemd", 1, "-", "Starting " + unit + "..."));
            messages.add(new Message(
                    time.plusMillis(rand.between(50, 4000)),
                    DAEMON,
                    6,
                    "systemd",
                    1,
                    "-",
                    unit.replace(".service", "") + ": Deactivated successfully."));
        }
        for (int i = Volume.of(options, 120); i > 0; i--) {
            Instant time = rand.instant(start, end);
            messages.add(new Message(
                    time,
                    KERN,
                    4,
                    "kernel",
                    0,
                    "-",
                    String.format(
                            Locale.ROOT,
                            "[%d.%06d] [UFW BLOCK] IN=eth0 OUT= MAC=12:34:56:78:9a:bc SRC=%s DST=10.0.2.10 LEN=44 TOS=0x00 PREC=0x00 TTL=243 ID=54321 PROTO=TCP SPT=%d DPT=%d WINDOW=1024 RES=0x00 SYN URGP=0",
                            rand.between(1000, 900000),
                            rand.between(0, 999999),
                            rand.internetAddress(),
                            rand.between(1024, 65535),
                            rand.pick(List.of(23, 445, 3306, 5432, 6379, 8080)))));
        }
        for (int i = Volume.of(options, 200); i > 0; i--) {
            Instant time = rand.busyInstant(start, end);
            messages.add(new Message(
                    time,
                    USER,
                    6,
                    "orders-worker",
                    rand.between(1000, 9000),
                    "JOB",
                    "processed batch size=" + rand.between(1, 500) + " duration_ms=" + rand.between(10, 3000)));
        }
        return messages;
    }
}
