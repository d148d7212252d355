using System.Net.Sockets;
using IpoeRouter.Control;
using IpoeRouter.Engine;
using IpoeRouter.Engine.Runtime;
using IpoeRouter.Engine.Kernel;
using IpoeRouter.Engine.Planning;
using IpoeRouter.Linux.Netlink;
using IpoeRouter.Linux.Rtnl;
using IpoeRouter.Model;
using IpoeRouter.Protocols.Wire;
using IpoeRouter.Services.Dhcp4Server;
using IpoeRouter.Services.DnsForwarder;
using IpoeRouter.Services.Dhcp6PdClient;
using Wan4Client = IpoeRouter.Services.Dhcp4Client.Dhcp4Client;
using Wan4Lease = IpoeRouter.Services.Dhcp4Client.Dhcp4Lease;

namespace IpoeRouter.Agent.Hosting;

/// <summary>Opening the sockets (all before anything is applied) and starting the services.</summary>
internal sealed partial class RouterHost
{
    private sealed record Sockets(
        Dictionary<string, UdpDhcp6ClientTransport> Pd,
        Dictionary<string, Services.Dhcp4Client.Dhcp4ClientSockets> Wan4,
        NdUserOptionListener? Rdnss);

    /// <summary>Every socket first: a port another program holds stops the agent before anything is applied.</summary>
    private Sockets OpenSockets(KernelSnapshot k, List<IDisposable> disposables)
    {
        var transports = new Dictionary<string, UdpDhcp6ClientTransport>(StringComparer.Ordinal);
        var wan4Transports = new Dictionary<string, Services.Dhcp4Client.Dhcp4ClientSockets>(StringComparer.Ordinal);
        NdUserOptionListener? rdnss = null;
        try
        {
            OpenLans(k, disposables);
            OpenDns(disposables);
            OpenDhcp4Servers(k, disposables);
            foreach (PrefixDelegation pd in _effective.PrefixDelegations)
            {
                transports[pd.Name] = OpenPdTransport(pd, k, disposables);
            }

            if (_dns is not null && _effective.DnsForwarder?.UseLearnedUpstreams != false
                && _effective.Interfaces.Any(i => i.Role == InterfaceRole.Wan && i.AcceptRa != false))
            {
                rdnss = _options.Namespace.Run(() => NdUserOptionListener.Open(TimeSpan.FromMinutes(10)));
                disposables.Add(rdnss);
            }

            foreach (Interface wan in Wan4Interfaces())
            {
                LinkInfo link = k.Link(wan.Name) ?? throw new IpoeException(EngineErrorIds.InterfaceNotFound, ErrorKind.ObjectNotFound,
                    $"The interface {wan.Name} (dhcp4: true) does not exist.", wan.Name);
                var transport = _options.Namespace.Run(() => Services.Dhcp4Client.Dhcp4ClientSockets.Open(link.Name));
                disposables.Add(transport);
                wan4Transports[wan.Name] = transport;
            }
        }
        catch (Services.Hosting.PortInUseException e)
        {
            throw new IpoeException(EngineErrorIds.PortInUse, ErrorKind.ResourceUnavailable, e.Message, null, e);
        }

        return new Sockets(transports, wan4Transports, rdnss);
    }

    private void StartServices(KernelSnapshot k, Sockets sockets, List<IDisposable> disposables, List<Task> lanTasks, List<Task> pdTasks,
        CancellationToken lanStop, CancellationToken pdStop)
    {
        foreach (LanService lan in _lans)
        {
            lanTasks.Add(_supervisor.Run($"ra:{lan.Interface}", () => lan.Ra.RunAsync(lanStop), lanStop));
            if (lan.Info is { } info)
            {
                lanTasks.Add(_supervisor.Run($"dhcp6-server:{lan.Interface}", () => info.RunAsync(_options.Time, lanStop), lanStop));
            }
        }

        foreach (Dhcp4ServerHost dhcp4 in _dhcp4)
        {
            lanTasks.Add(_supervisor.Run($"dhcp4-server:{dhcp4.Interface}", () => dhcp4.RunAsync(_options.Time, lanStop), lanStop));
        }

        if (_dns is { } dns)
        {
            lanTasks.Add(_supervisor.Run("dns", () => dns.RunAsync(lanStop), lanStop));
        }

        if (_leaseNames is not null && _dhcp4.Count > 0)
        {
            NetlinkSocket neighbors = _options.Namespace.OpenSocket();
            disposables.Add(neighbors);
            NeighborEventListener changes = NeighborEventListener.Open(_options.Namespace, TimeSpan.FromMinutes(10));
            disposables.Add(changes);
            lanTasks.Add(_supervisor.Run("lan-names", () => RefreshIPv6NamesAsync(new NeighborOps(neighbors), lanStop), lanStop));
            lanTasks.Add(_supervisor.Run("lan-neighbors", () => Task.Factory.StartNew(() => ListenForNeighbors(changes, lanStop), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default), lanStop));
        }

        StartTunnelMonitor(lanTasks, lanStop);
        StartAftrResolution(pdTasks, pdStop);

        if (sockets.Rdnss is { } rdnss)
        {
            lanTasks.Add(_supervisor.Run("rdnss", () => Task.Factory.StartNew(() => ListenForRdnss(rdnss, lanStop), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default), lanStop));
        }

        foreach (PrefixDelegation pd in _effective.PrefixDelegations)
        {
            UdpDhcp6ClientTransport transport = sockets.Pd[pd.Name];
            pdTasks.Add(_supervisor.Run($"pd:{pd.Name}", () => NewPdHost(pd, transport).RunAsync(CurrentLease(pd.Name), pdStop), pdStop));
        }

        foreach (var (name, transport) in sockets.Wan4)
        {
            byte[] mac = k.Link(name)!.HardwareAddressBytes();
            pdTasks.Add(_supervisor.Run($"dhcp4-client:{name}", () => NewWan4Host(name, mac, transport).RunAsync(CurrentWan4Lease(name), pdStop), pdStop));
        }
    }
}
