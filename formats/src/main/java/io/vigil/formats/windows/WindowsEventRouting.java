package io.vigil.formats.windows;

import java.util.List;

/**
 * Which table a Windows event goes to, the choice the Azure Monitor Agent makes by data collection rule
 * stream.
 */
public enum WindowsEventRouting {
    /**
     * As the agent's default streams do: the Security channel to SecurityEvent (Microsoft-SecurityEvent
     * stream), events collected from the ForwardedEvents channel (Windows Event Forwarding) to
     * WindowsEvent (Microsoft-WindowsEvent stream, which the WEF connector uses), every other channel to
     * Event (Microsoft-Event stream).
     */
    AGENT_DEFAULT,
    /** Everything to WindowsEvent, as a data collection rule sending all events to Microsoft-WindowsEvent does. */
    WINDOWS_EVENT_STREAM;

    /** The tables events can go to under this routing. */
    public List<String> outputTables() {
        return switch (this) {
            case AGENT_DEFAULT ->
                List.of(WindowsEventRows.SECURITY_EVENT, WindowsEventRows.EVENT, WindowsEventRows.WINDOWS_EVENT);
            case WINDOWS_EVENT_STREAM -> List.of(WindowsEventRows.WINDOWS_EVENT);
        };
    }
}
