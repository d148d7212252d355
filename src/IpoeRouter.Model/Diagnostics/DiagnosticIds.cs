namespace IpoeRouter.Model;

/// <summary>
/// The stable error and warning ids of the document. They are part of the contract: scripts and
/// tests match on them, so an id is never renamed or reused for another problem.
/// </summary>
public static class DiagnosticIds
{
    // --- YAML text and structure (reader) ---

    /// <summary>The text is not valid YAML.</summary>
    public const string DocumentSyntaxError = nameof(DocumentSyntaxError);

    /// <summary>The file holds no document.</summary>
    public const string DocumentEmpty = nameof(DocumentEmpty);

    /// <summary>The file holds more than one YAML document.</summary>
    public const string MultipleDocuments = nameof(MultipleDocuments);

    /// <summary><c>version</c> is missing.</summary>
    public const string VersionMissing = nameof(VersionMissing);

    /// <summary><c>version</c> is not one this build reads.</summary>
    public const string VersionUnsupported = nameof(VersionUnsupported);

    /// <summary>A key that the schema does not have at this place.</summary>
    public const string UnknownKey = nameof(UnknownKey);

    /// <summary>A key starting with <c>_</c>: reserved for the tool itself.</summary>
    public const string ReservedKey = nameof(ReservedKey);

    /// <summary>The same key twice in one mapping.</summary>
    public const string DuplicateKey = nameof(DuplicateKey);

    /// <summary>A required key is absent.</summary>
    public const string MissingKey = nameof(MissingKey);

    /// <summary>A mapping where a list was expected, a list where a value was expected, and so on.</summary>
    public const string WrongNodeType = nameof(WrongNodeType);

    /// <summary>Not <c>true</c> or <c>false</c>.</summary>
    public const string InvalidBoolean = nameof(InvalidBoolean);

    /// <summary>Not a whole number.</summary>
    public const string InvalidInteger = nameof(InvalidInteger);

    /// <summary>A number outside its allowed range.</summary>
    public const string ValueOutOfRange = nameof(ValueOutOfRange);

    /// <summary>Not an IP address.</summary>
    public const string InvalidAddress = nameof(InvalidAddress);

    /// <summary>Not a prefix in CIDR text, or host bits set.</summary>
    public const string InvalidPrefix = nameof(InvalidPrefix);

    /// <summary>Not <c>address/length</c>.</summary>
    public const string InvalidInterfaceAddress = nameof(InvalidInterfaceAddress);

    /// <summary>Not a duration with units.</summary>
    public const string InvalidDuration = nameof(InvalidDuration);

    /// <summary>Not one of the allowed words.</summary>
    public const string InvalidEnumValue = nameof(InvalidEnumValue);

    /// <summary>Not a valid interface, tunnel or resource name.</summary>
    public const string InvalidName = nameof(InvalidName);

    /// <summary>Not a MAC address.</summary>
    public const string InvalidMacAddress = nameof(InvalidMacAddress);

    /// <summary>Not a sysctl key under <c>/proc/sys</c>.</summary>
    public const string InvalidSysctlName = nameof(InvalidSysctlName);

    /// <summary>Not <c>first-last</c>, or first after last.</summary>
    public const string InvalidRange = nameof(InvalidRange);

    /// <summary>Not a port, port range or list of them.</summary>
    public const string InvalidPort = nameof(InvalidPort);

    /// <summary>Not a rate such as <c>10/second</c>.</summary>
    public const string InvalidRate = nameof(InvalidRate);

    /// <summary>Not a DHCP client identifier (hex bytes such as <c>01:00:0d:b9:12:34:56</c>).</summary>
    public const string InvalidClientId = nameof(InvalidClientId);

    /// <summary>An empty list where an empty list would change the meaning (a match on nothing reads as "no match", i.e. everything).</summary>
    public const string EmptyList = nameof(EmptyList);

    /// <summary>An address of the wrong kind for its place: unspecified, multicast, link-local or loopback where a usable unicast address is needed.</summary>
    public const string UnusableAddress = nameof(UnusableAddress);

    /// <summary>Not a domain name.</summary>
    public const string InvalidDomainName = nameof(InvalidDomainName);

    /// <summary>A mapping that must say exactly one of several things says none or several.</summary>
    public const string AmbiguousValue = nameof(AmbiguousValue);

    // --- Cross-resource rules (validator) ---

    /// <summary>Two resources of one kind with the same key.</summary>
    public const string DuplicateResource = nameof(DuplicateResource);

    /// <summary>Two resources claim the same thing (a sysctl key, a subnet, an interface's DHCP service, a name).</summary>
    public const string OwnershipConflict = nameof(OwnershipConflict);

    /// <summary>A reference to an interface the document does not declare.</summary>
    public const string UnknownInterface = nameof(UnknownInterface);

    /// <summary>A reference to a prefix delegation the document does not declare.</summary>
    public const string UnknownDelegation = nameof(UnknownDelegation);

    /// <summary>A reference to a tunnel the document does not declare.</summary>
    public const string UnknownTunnel = nameof(UnknownTunnel);

    /// <summary>A jump to a firewall chain nobody defines.</summary>
    public const string UnknownChain = nameof(UnknownChain);

    /// <summary>A binding whose source can never produce the fact it needs.</summary>
    public const string BindingNeverResolves = nameof(BindingNeverResolves);

    /// <summary>A subnet id that does not fit the delegated prefix length.</summary>
    public const string SubnetIdOutOfRange = nameof(SubnetIdOutOfRange);

    /// <summary>A DHCP range (or reservation) outside its interface's subnet.</summary>
    public const string DhcpRangeOutsideSubnet = nameof(DhcpRangeOutsideSubnet);

    /// <summary>A DHCP scope on an interface that has no static IPv4 address to serve from.</summary>
    public const string DhcpScopeWithoutAddress = nameof(DhcpScopeWithoutAddress);

    /// <summary>An IPv4 value where IPv6 is needed or the other way round.</summary>
    public const string AddressFamilyMismatch = nameof(AddressFamilyMismatch);

    /// <summary>A setting that cannot work as written (a route with neither gateway nor interface).</summary>
    public const string InvalidCombination = nameof(InvalidCombination);

    /// <summary>Warning: forwarding is on and <c>accept_ra</c> is 1, so the kernel would ignore RAs; corrected to 2.</summary>
    public const string AcceptRaIgnoredWithForwarding = nameof(AcceptRaIgnoredWithForwarding);

    /// <summary>Warning: a tunnel kind or remote source the engine does not build yet; the tunnel stays pending.</summary>
    public const string NotImplemented = nameof(NotImplemented);
}
