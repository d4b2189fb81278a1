package io.vigil.formats.windows;

import java.util.Map;
import java.util.Optional;

/**
 * The title of each Security-channel event, as Windows' auditing reference ("Advanced security audit
 * policy settings", one page per event) and Azure's SecurityEvent.Activity ({@code "4624 - An account was
 * successfully logged on."}) write it.
 */
final class SecurityEventDescriptions {
    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(1100, "The event logging service has shut down."),
            Map.entry(1102, "The audit log was cleared."),
            Map.entry(4608, "Windows is starting up."),
            Map.entry(4616, "The system time was changed."),
            Map.entry(4624, "An account was successfully logged on."),
            Map.entry(4625, "An account failed to log on."),
            Map.entry(4627, "Group membership information."),
            Map.entry(4634, "An account was logged off."),
            Map.entry(4647, "User initiated logoff."),
            Map.entry(4648, "A logon was attempted using explicit credentials."),
            Map.entry(4656, "A handle to an object was requested."),
            Map.entry(4657, "A registry value was modified."),
            Map.entry(4658, "The handle to an object was closed."),
            Map.entry(4660, "An object was deleted."),
            Map.entry(4661, "A handle to an object was requested."),
            Map.entry(4662, "An operation was performed on an object."),
            Map.entry(4663, "An attempt was made to access an object."),
            Map.entry(4670, "Permissions on an object were changed."),
            Map.entry(4672, "Special privileges assigned to new logon."),
            Map.entry(4673, "A privileged service was called."),
            Map.entry(4674, "An operation was attempted on a privileged object."),
            Map.entry(4688, "A new process has been created."),
            Map.entry(4689, "A process has exited."),
            Map.entry(4697, "A service was installed in the system."),
            Map.entry(4698, "A scheduled task was created."),
            Map.entry(4699, "A scheduled task was deleted."),
            Map.entry(4700, "A scheduled task was enabled."),
            Map.entry(4701, "A scheduled task was disabled."),
            Map.entry(4702, "A scheduled task was updated."),
            Map.entry(4703, "A user right was adjusted."),
            Map.entry(4719, "System audit policy was changed."),
            Map.entry(4720, "A user account was created."),
            Map.entry(4722, "A user account was enabled."),
            Map.entry(4723, "An attempt was made to change an account's password."),
            Map.entry(4724, "An attempt was made to reset an account's password."),
            Map.entry(4725, "A user account was disabled."),
            Map.entry(4726, "A user account was deleted."),
            Map.entry(4727, "A security-enabled global group was created."),
            Map.entry(4728, "A member was added to a security-enabled global group."),
            Map.entry(4729, "A member was removed from a security-enabled global group."),
            Map.entry(4732, "A member was added to a security-enabled local group."),
            Map.entry(4733, "A member was removed from a security-enabled local group."),
            Map.entry(4738, "A user account was changed."),
            Map.entry(4740, "A user account was locked out."),
            Map.entry(4741, "A computer account was created."),
            Map.entry(4742, "A computer account was changed."),
            Map.entry(4756, "A member was added to a security-enabled universal group."),
            Map.entry(4757, "A member was removed from a security-enabled universal group."),
            Map.entry(4767, "A user account was unlocked."),
            Map.entry(4768, "A Kerberos authentication ticket (TGT) was requested."),
            Map.entry(4769, "A Kerberos service ticket was requested."),
            Map.entry(4771, "Kerberos pre-authentication failed."),
            Map.entry(4776, "The computer attempted to validate the credentials for an account."),
            Map.entry(4778, "A session was reconnected to a Window Station."),
            Map.entry(4779, "A session was disconnected from a Window Station."),
            Map.entry(4781, "The name of an account was changed."),
            Map.entry(4798, "A user's local group membership was enumerated."),
            Map.entry(4799, "A security-enabled local group membership was enumerated."),
            Map.entry(4800, "The workstation was locked."),
            Map.entry(4801, "The workstation was unlocked."),
            Map.entry(5136, "A directory service object was modified."),
            Map.entry(5140, "A network share object was accessed."),
            Map.entry(5145, "A network share object was checked to see whether client can be granted desired access."),
            Map.entry(5156, "The Windows Filtering Platform has permitted a connection."),
            Map.entry(5157, "The Windows Filtering Platform has blocked a connection."));

    private SecurityEventDescriptions() {}

    static Optional<String> title(int eventId) {
        return Optional.ofNullable(TITLES.get(eventId));
    }

    /** Azure's Activity: {@code "<id> - <title>"}, or the id alone for an event without a known title. */
    static String activity(int eventId) {
        return title(eventId).map(title -> eventId + " - " + title).orElse(String.valueOf(eventId));
    }
}
