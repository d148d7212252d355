namespace IpoeRouter.Services.DsLite;

/// <summary>How a <see cref="B4Pump"/> uses its TUN. The defaults are what bench/dslite-throughput.sh measured best.</summary>
public sealed record B4PumpOptions
{
    /// <summary>The defaults.</summary>
    public static B4PumpOptions Default { get; } = new();

    /// <summary>
    /// Take offloads from the TUN (<c>IFF_VNET_HDR</c>, <c>TUNSETOFFLOAD TUN_F_CSUM | TUN_F_TSO4</c>,
    /// as wireguard-go does): the kernel hands over TCP packets up to 64 KB and checksums to finish,
    /// and the pump segments them to the MTU itself, so one read brings tens of packets.
    /// </summary>
    public bool Offloads { get; init; } = true;

    /// <summary>
    /// The TUN's transmit queue length, its ring of packets waiting for the pump
    /// (<see cref="Linux.Tun.TunDevice.SetTransmitQueueLength"/>); the kernel's 500 overflows under
    /// forwarded TCP bursts when the pump's thread waits for a core, and each loss is a retransmit.
    /// </summary>
    public int TransmitQueueLength { get; init; } = 1000;
}
