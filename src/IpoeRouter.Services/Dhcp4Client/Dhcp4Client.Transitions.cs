using System.Buffers.Binary;
using System.Net;
using IpoeRouter.Protocols.Dhcp4;

namespace IpoeRouter.Services.Dhcp4Client;

/// <summary>The client's entries into INIT, SELECTING, INIT-REBOOT, RENEWING and REBINDING (RFC 2131 §4.4).</summary>
public sealed partial class Dhcp4Client
{
    private void BeginInit(DateTimeOffset now, TimeSpan delay, List<Dhcp4ClientAction> actions)
    {
        _offer = null;
        _candidate = null;
        _backoff = null;
        if (delay <= TimeSpan.Zero)
        {
            BeginDiscover(now, actions);
            return;
        }

        State = Dhcp4ClientState.Init;
        _xid = 0;
        _timeout = now + delay;
    }

    private void BeginDiscover(DateTimeOffset now, List<Dhcp4ClientAction> actions)
    {
        State = Dhcp4ClientState.Selecting;
        _xid = newTransactionId();
        _exchangeStart = now;
        _backoff = new Dhcp4Backoff(Dhcp4Timers.Discover, random);
        Retransmit(now, actions);
    }

    private void BeginReboot(DateTimeOffset now, Dhcp4Lease saved, List<Dhcp4ClientAction> actions)
    {
        _saved = saved;
        State = Dhcp4ClientState.InitReboot;
        _xid = newTransactionId();
        _exchangeStart = now;
        _requestSentAt = now;
        _backoff = new Dhcp4Backoff(Dhcp4Timers.Reboot, random);
        State = Dhcp4ClientState.Rebooting;
        Retransmit(now, actions);
    }

    private void BeginRenew(DateTimeOffset now, List<Dhcp4ClientAction> actions)
    {
        State = Dhcp4ClientState.Renewing;
        _xid = newTransactionId();
        _exchangeStart = now;
        SendRenewal(now, actions);
    }

    private void BeginRebind(DateTimeOffset now, List<Dhcp4ClientAction> actions)
    {
        State = Dhcp4ClientState.Rebinding;
        _xid = newTransactionId();
        _exchangeStart = now;
        SendRenewal(now, actions);
    }
}
