using System.Net;
using IpoeRouter.Protocols.Arp;
using IpoeRouter.Protocols.Dhcp4;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>
/// The check of a new address before it is used (RFC 2131 §4.4.1, RFC 5227 §2.1): after a random wait
/// of up to PROBE_WAIT, PROBE_NUM ARP probes PROBE_MIN–PROBE_MAX apart, then ANNOUNCE_WAIT; any ARP
/// packet meanwhile whose sender address is the candidate, or another host's probe for it, is a
/// conflict: DECLINE, and DISCOVER again after <see cref="Dhcp4Timers.DeclineDelay"/>.
/// </summary>
public sealed partial class Dhcp4Client
{
    /// <summary>
    /// An ARP packet heard on the WAN (not one this host sent). While a new address is probed it may
    /// reveal that another host uses the address; otherwise it is ignored.
    /// </summary>
    public IReadOnlyList<Dhcp4ClientAction> ArpReceived(DateTimeOffset now, ArpPacket packet)
    {
        var actions = new List<Dhcp4ClientAction>();
        if (State != Dhcp4ClientState.Probing || _candidate is not { } candidate)
        {
            return actions;
        }

        bool uses = packet.SenderAddress.Equals(candidate.Address);
        bool probesForIt = packet.IsProbe && packet.TargetAddress.Equals(candidate.Address) && packet.SenderHardwareAddress != config.HardwareAddress;
        if (uses || probesForIt)
        {
            Decline(now, candidate, actions);
        }

        return actions;
    }

    private void BeginProbe(DateTimeOffset now, Dhcp4Lease candidate)
    {
        State = Dhcp4ClientState.Probing;
        _candidate = candidate;
        _offer = null;
        _backoff = null;
        _probesSent = 0;
        _timeout = now + (Dhcp4Timers.ProbeWait * random());
    }

    /// <summary>The probe's next step, due at <c>_timeout</c>: another probe, or (all sent and the last wait over) the address is ours.</summary>
    private void ProbeStep(DateTimeOffset now, List<Dhcp4ClientAction> actions)
    {
        Dhcp4Lease candidate = _candidate!;
        if (_probesSent < Dhcp4Timers.ProbeCount)
        {
            actions.Add(new Dhcp4ArpProbe(ArpPacket.Probe(config.HardwareAddress, candidate.Address)));
            _probesSent++;
            _timeout = now + (_probesSent < Dhcp4Timers.ProbeCount
                ? Dhcp4Timers.ProbeMin + ((Dhcp4Timers.ProbeMax - Dhcp4Timers.ProbeMin) * random())
                : Dhcp4Timers.AnnounceWait);
            return;
        }

        _candidate = null;
        Lease = candidate;
        _naks = 0;
        State = Dhcp4ClientState.Bound;
        _timeout = null;
        actions.Add(new Dhcp4LeaseChanged(candidate, null, Dhcp4LeaseChangeReason.Acquired));
    }

    /// <summary>
    /// DECLINE (RFC 2131 §4.4.1, table 5): broadcast, ciaddr 0, the address in option 50 and the
    /// server in option 54; then INIT after ten seconds, not asking for that address again.
    /// </summary>
    private void Decline(DateTimeOffset now, Dhcp4Lease candidate, List<Dhcp4ClientAction> actions)
    {
        Dhcp4Message decline = Build(Dhcp4MessageType.Decline, now, broadcast: false, IPAddress.Any,
            [new RequestedIpAddressOption(candidate.Address), new ServerIdentifierOption(candidate.ServerId)], requestList: false);
        actions.Add(new Dhcp4Send(decline, IPAddress.Broadcast));
        _hint = null;
        BeginInit(now, Dhcp4Timers.DeclineDelay, actions);
    }
}
