namespace IpoeRouter.Engine;

/// <summary>
/// Stable error ids raised by the engine and the front ends, beside the document's own
/// (<see cref="Model.DiagnosticIds"/>). Part of the contract: never renamed or reused.
/// </summary>
public static class EngineErrorIds
{
    /// <summary>The document file does not exist.</summary>
    public const string DocumentNotFound = nameof(DocumentNotFound);

    /// <summary>A command that makes a whole new document (Import-IpoeDocument, Import-IpoeRouter) found one already there, and no -Force.</summary>
    public const string DocumentExists = nameof(DocumentExists);

    /// <summary>The document file cannot be read or written with the caller's rights.</summary>
    public const string DocumentAccessDenied = nameof(DocumentAccessDenied);

    /// <summary>The document path names a directory, or reading it failed for another reason than rights.</summary>
    public const string DocumentUnreadable = nameof(DocumentUnreadable);

    /// <summary>The document changed on disk between reading and writing it; nothing was written.</summary>
    public const string DocumentChanged = nameof(DocumentChanged);

    /// <summary>Writing the document failed (disk full, read-only file system); the old file is intact.</summary>
    public const string DocumentWriteFailed = nameof(DocumentWriteFailed);

    /// <summary>A document built by a cmdlet would not read back the same from its YAML; nothing was written.</summary>
    public const string DocumentNotRepresentable = nameof(DocumentNotRepresentable);

    /// <summary>The file to import or export cannot be read or written.</summary>
    public const string FileUnavailable = nameof(FileUnavailable);

    /// <summary>The file to export to exists already; it is overwritten only with -Force.</summary>
    public const string DestinationExists = nameof(DestinationExists);


    /// <summary>No interface of that name in the document.</summary>
    public const string InterfaceNotFound = nameof(InterfaceNotFound);

    /// <summary>No tunnel of that name in the document.</summary>
    public const string TunnelNotFound = nameof(TunnelNotFound);

    /// <summary>No prefix delegation of that name in the document.</summary>
    public const string PrefixDelegationNotFound = nameof(PrefixDelegationNotFound);

    /// <summary>No DHCP scope of that name in the document.</summary>
    public const string DhcpScopeNotFound = nameof(DhcpScopeNotFound);

    /// <summary>No reservation for that address in the scope.</summary>
    public const string DhcpReservationNotFound = nameof(DhcpReservationNotFound);

    /// <summary>The address, or the client (MAC or client id), has a reservation in the scope already (Add- refuses to overwrite).</summary>
    public const string DhcpReservationExists = nameof(DhcpReservationExists);

    /// <summary>No firewall rule of that name in the document.</summary>
    public const string FirewallRuleNotFound = nameof(FirewallRuleNotFound);

    /// <summary>No sysctl setting of that name in the document.</summary>
    public const string SysctlSettingNotFound = nameof(SysctlSettingNotFound);

    /// <summary>No route to that destination in the document.</summary>
    public const string RouteNotFound = nameof(RouteNotFound);

    /// <summary>The caller is not root; the kernel's network configuration needs CAP_NET_ADMIN.</summary>
    public const string NotRoot = nameof(NotRoot);

    /// <summary>The named network namespace does not exist.</summary>
    public const string NamespaceNotFound = nameof(NamespaceNotFound);

    /// <summary>rtnetlink could not be opened.</summary>
    public const string KernelUnavailable = nameof(KernelUnavailable);

    /// <summary>An item of the plan failed; what was applied before it was rolled back.</summary>
    public const string ReconcileFailed = nameof(ReconcileFailed);

    /// <summary>An apply waits for confirmation; another one would be undone by its rollback.</summary>
    public const string ConfirmationPending = nameof(ConfirmationPending);

    /// <summary>Over SSH, a firewall change without -ConfirmWithin or -Force is refused: it could cut the session.</summary>
    public const string RemoteSessionAtRisk = nameof(RemoteSessionAtRisk);

    /// <summary>No apply waits for confirmation.</summary>
    public const string NothingToConfirm = nameof(NothingToConfirm);

    /// <summary>The apply named is not waiting for confirmation (confirmed, or rolled back when its time ran out).</summary>
    public const string ConfirmationNotFound = nameof(ConfirmationNotFound);

    /// <summary>The undo journal of an apply with -ConfirmWithin could not be written (or its watcher not started) before the first change; nothing was applied.</summary>
    public const string ConfirmationJournalFailed = nameof(ConfirmationJournalFailed);

    /// <summary>A confirmation id given by the caller does not have the form the engine makes (it would name a file outside the pending directory).</summary>
    public const string ConfirmationIdInvalid = nameof(ConfirmationIdInvalid);

    /// <summary>A line of an imported firewall file cannot be expressed in the document.</summary>
    public const string FirewallLineNotExpressible = nameof(FirewallLineNotExpressible);

    /// <summary>A firewall rule of that name exists already (Add- refuses to overwrite).</summary>
    public const string FirewallRuleExists = nameof(FirewallRuleExists);

    /// <summary>A new resource lacks a property it cannot exist without.</summary>
    public const string ParameterRequired = nameof(ParameterRequired);

    /// <summary>A parameter value is not valid.</summary>
    public const string InvalidParameter = nameof(InvalidParameter);

    /// <summary>The agent's control socket cannot be reached or answered badly.</summary>
    public const string AgentUnavailable = nameof(AgentUnavailable);

    /// <summary>A port a service needs is held by another program (named, with its pid).</summary>
    public const string PortInUse = nameof(PortInUse);

    /// <summary>Another agent holds the state directory.</summary>
    public const string AgentAlreadyRunning = nameof(AgentAlreadyRunning);

    /// <summary>The agent has not finished starting (no first pass yet).</summary>
    public const string AgentStarting = nameof(AgentStarting);

    /// <summary>An agent serves this router: a direct apply (a second engine) is refused.</summary>
    public const string AgentRunning = IpoeRouter.Control.ControlErrorIds.AgentRunning;

    /// <summary>systemd is not the init system here (or systemctl is missing): the agent's service cannot be reloaded, enabled or started.</summary>
    public const string SystemdUnavailable = nameof(SystemdUnavailable);

    /// <summary>A systemctl command failed; its output is in the message.</summary>
    public const string SystemctlFailed = nameof(SystemctlFailed);

    /// <summary>A different agent binary or unit is installed; it is replaced only with -Force.</summary>
    public const string AgentInstallationDiffers = nameof(AgentInstallationDiffers);

    /// <summary>Neither the agent's unit nor its binary is installed.</summary>
    public const string AgentNotInstalled = nameof(AgentNotInstalled);

    /// <summary>The module lacks the agent binary or the unit template it installs from.</summary>
    public const string AgentPackageIncomplete = nameof(AgentPackageIncomplete);
}
