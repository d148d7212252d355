using System.Management.Automation;
using System.Net;
using IpoeRouter.Commands.Completion;
using IpoeRouter.Engine;
using IpoeRouter.Model;

namespace IpoeRouter.Commands;

/// <summary>
/// Gets the DHCP reservations the document declares, filtered by scope, interface, address or
/// client. The objects pipe into Set- and Remove-IpoeDhcpReservation.
/// </summary>
/// <example>
/// <code>Get-IpoeDhcpReservation -Scope enp2s0</code>
/// <para>Lists the reservations of the scope enp2s0.</para>
/// </example>
/// <example>
/// <code>Get-IpoeDhcpReservation -MacAddress 00-00-5E-00-53-20 | Remove-IpoeDhcpReservation -WhatIf</code>
/// <para>Finds the reservation of a client in any scope and shows its removal.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "IpoeDhcpReservation")]
[OutputType(typeof(DhcpReservationInfo))]
public sealed class GetIpoeDhcpReservationCommand : DocumentCmdlet
{
    /// <summary>Scope names; wildcards allowed.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceNameCompleter))]
    public string[]? Scope { get; set; }

    /// <summary>Only the scopes serving these interfaces; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(InterfaceNameCompleter))]
    public string[]? Interface { get; set; }

    /// <summary>Only the reservations of these addresses.</summary>
    [Parameter(Position = 1)]
    [Alias("Address")]
    public IPAddress[]? IPAddress { get; set; }

    /// <summary>Only the reservations of these MAC addresses (any notation).</summary>
    [Parameter]
    public string[]? MacAddress { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        RouterDocument document = LoadDocument().Document;
        var macs = new List<string>();
        foreach (string text in MacAddress ?? [])
        {
            if (!ValueText.TryParseMac(text, out string? mac))
            {
                WriteError(new IpoeException(EngineErrorIds.InvalidParameter, ErrorKind.InvalidArgument,
                    $"-MacAddress '{text}' is not valid: a MAC address such as 00:0d:b9:12:34:56.", text));
                return;
            }

            macs.Add(mac);
        }

        foreach (string name in (Scope ?? []).Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
        {
            if (!document.DhcpScopes.Any(s => s.Name == name))
            {
                WriteError(NotFound(EngineErrorIds.DhcpScopeNotFound, "DHCP scope", name));
            }
        }

        List<DhcpReservationInfo> found = document.DhcpScopes
            .Where(s => Matches(Scope, s.Name) && Matches(Interface, s.Interface))
            .SelectMany(s => s.Reservations.Select(r => DhcpReservationInfo.From(s, r)))
            .Where(r => IPAddress is null || IPAddress.Contains(r.IPAddress))
            .Where(r => MacAddress is null || (r.MacAddress is not null && macs.Contains(r.MacAddress)))
            .ToList();
        if (found.Count == 0 && (IPAddress is not null || MacAddress is not null))
        {
            string what = string.Join(", ", (IPAddress ?? []).Select(a => a.ToString()).Concat(macs));
            WriteError(NotFound(EngineErrorIds.DhcpReservationNotFound, "DHCP reservation for", what));
        }

        found.ForEach(WriteResource);
    }

    private static bool Matches(string[]? patterns, string value) =>
        patterns is null || patterns.Length == 0 || patterns.Any(p => new WildcardPattern(p, WildcardOptions.None).IsMatch(value));
}
