using System.Globalization;
using System.Net;

namespace IpoeRouter.Model.Import;

/// <summary>
/// Reads wide-dhcpv6-client's <c>dhcp6c.conf</c> into prefix delegations. <c>interface X { send
/// ia-pd N; }</c> runs the client on X (the WAN); <c>id-assoc pd N { prefix-interface Y { sla-id S;
/// sla-len L; }; }</c> gives LAN Y the /64 with subnet id S, and the delegated length is 64 - L, so
/// nobody has to guess <c>sla-len</c> again. A delegation of a /60 (what an NTT HGW hands out) is
/// named <c>hgw</c>, of a /56 (the NGN directly) <c>ngn</c>, otherwise <c>pdN</c>. Pure.
/// </summary>
public static class Dhcp6cConfImporter
{
    private sealed record Request(string Interface, int Line);

    private sealed class Association
    {
        public int Line { get; init; }

        public int? PrefixLength { get; set; }

        public string? LengthFrom { get; set; }

        public List<(Downstream Downstream, int Line)> Downstreams { get; } = [];

        public List<(int Line, ImportOutcome Outcome, string Detail)> Pending { get; } = [];
    }

    /// <summary>Imports <paramref name="source"/>.</summary>
    /// <exception cref="IpoeException"><see cref="ImportErrorIds.ImportSourceSyntaxError"/> for unbalanced braces or a missing ';' (names file:line:col).</exception>
    public static SourceImport Import(SourceText source)
    {
        var account = new LineAccount(source, '#');
        var requests = new Dictionary<string, Request>(StringComparer.Ordinal);
        var associations = new Dictionary<string, Association>(StringComparer.Ordinal);
        var rapidCommit = new HashSet<string>(StringComparer.Ordinal);
        foreach (Dhcp6cStatement s in Dhcp6cConfParser.Parse(source))
        {
            string head = string.Join(' ', s.Words.Take(2));
            if (s.Words[0] == "interface" && s.Words.Count == 2 && s.Block is not null)
            {
                InterfaceBlock(account, s, requests, rapidCommit);
            }
            else if (head == "id-assoc pd" && s.Words.Count == 3 && s.Block is not null)
            {
                associations[s.Words[2]] = PdBlock(s);
                account.Mark(s.EndLine, ImportOutcome.Absorbed, $"closes id-assoc pd {s.Words[2]}");
            }
            else
            {
                MarkAll(account, s, ImportOutcome.NotExpressible, $"'{head}' is not in the document's vocabulary (only the PD client is imported)");
            }
        }

        var delegations = new List<PrefixDelegation>();
        var interfaces = new List<Interface>();
        foreach (var (id, ia) in associations)
        {
            if (!requests.TryGetValue(id, out Request? request))
            {
                account.Mark(ia.Line, ImportOutcome.NotExpressible, $"no interface sends ia-pd {id}: the association is never used");
                foreach (var p in ia.Pending)
                {
                    account.Mark(p.Line, ImportOutcome.NotExpressible, p.Detail + " (unused association)");
                }

                continue;
            }

            string name = Name(ia.PrefixLength, id, delegations);
            var pd = new PrefixDelegation(name, request.Interface)
            {
                PrefixLength = ia.PrefixLength,
                RapidCommit = rapidCommit.Contains(request.Interface) ? true : null,
                Downstreams = ValueList<Downstream>.From(ia.Downstreams.Select(d => d.Downstream)),
            };
            delegations.Add(pd);
            interfaces.Add(new Interface(request.Interface) { Role = InterfaceRole.Wan });
            interfaces.AddRange(pd.Downstreams.Select(d => new Interface(d.Interface) { Role = InterfaceRole.Lan }));
            account.Mark(request.Line, ImportOutcome.Imported, $"delegation {name} on {request.Interface} (role wan)");
            account.Mark(ia.Line, ImportOutcome.Absorbed, $"the association of delegation {name}");
            foreach (var (d, line) in ia.Downstreams)
            {
                account.Mark(line, ImportOutcome.Imported, $"delegation {name} downstream {d.Interface} (role lan)");
            }

            foreach (var p in ia.Pending)
            {
                account.Mark(p.Line, p.Outcome, p.Detail.Replace("{pd}", name, StringComparison.Ordinal));
            }

            if (ia.PrefixLength is null)
            {
                account.Mark(ia.Line, ImportOutcome.Absorbed, $"no sla-len or prefix: delegation {name}'s length is only checked at run time");
            }
        }

        foreach (var (id, request) in requests.Where(r => !associations.ContainsKey(r.Key)))
        {
            account.Mark(request.Line, ImportOutcome.NotExpressible, $"ia-pd {id} has no id-assoc pd {id} block, so no LAN gets a subnet");
        }

        var fragment = RouterDocument.Empty with { PrefixDelegations = [.. delegations], Interfaces = [.. interfaces] };
        return new SourceImport(fragment, account.Complete());
    }

    private static void InterfaceBlock(LineAccount account, Dhcp6cStatement s, Dictionary<string, Request> requests, HashSet<string> rapidCommit)
    {
        string iface = s.Words[1];
        account.Mark(s.Line, ImportOutcome.Absorbed, $"the DHCPv6 client runs on {iface}");
        account.Mark(s.EndLine, ImportOutcome.Absorbed, $"closes interface {iface}");
        foreach (Dhcp6cStatement st in s.Block!)
        {
            string what = string.Join(' ', st.Words);
            switch (st.Words)
            {
                case ["send", "ia-pd", var id]:
                    requests[id] = new Request(iface, st.Line);
                    break;
                case ["send", "rapid-commit"]:
                    rapidCommit.Add(iface);
                    account.Mark(st.Line, ImportOutcome.Imported, "rapidCommit: true");
                    break;
                case ["send", "ia-na", ..]:
                    account.Mark(st.Line, ImportOutcome.NotExpressible, "an IA_NA address: the document has no DHCPv6 address client (the WAN uses SLAAC)");
                    break;
                case ["request", "domain-name-servers" or "domain-name"]:
                    account.Mark(st.Line, ImportOutcome.Absorbed, "the agent's PD client asks for DNS servers and domains (options 23/24) and the forwarder uses them (useLearnedUpstreams)");
                    break;
                case ["request", "ntp-servers" or "sntp-servers"]:
                    account.Mark(st.Line, ImportOutcome.NotExpressible, "learnt NTP servers are not used by the document");
                    break;
                case ["script", ..]:
                    account.Mark(st.Line, ImportOutcome.Absorbed, "replaced by ipoe-agent: the hook script re-applied addresses and the firewall; the engine applies both itself when the prefix changes");
                    break;
                default:
                    MarkAll(account, st, ImportOutcome.NotExpressible, $"'{what}' in an interface block is not in the document's vocabulary");
                    break;
            }
        }
    }

    private static Association PdBlock(Dhcp6cStatement s)
    {
        var ia = new Association { Line = s.Line };
        foreach (Dhcp6cStatement st in s.Block!)
        {
            switch (st.Words)
            {
                case ["prefix-interface", var lan] when st.Block is not null:
                    int? sla = null;
                    IPAddress? host = null;
                    ia.Pending.Add((st.EndLine, ImportOutcome.Absorbed, $"closes prefix-interface {lan}"));
                    foreach (Dhcp6cStatement p in st.Block)
                    {
                        switch (p.Words)
                        {
                            case ["sla-id", var n] when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int id):
                                sla = id;
                                ia.Pending.Add((p.Line, ImportOutcome.Imported, $"{lan} gets subnetId {id} of delegation {{pd}}"));
                                break;
                            case ["sla-len", var n] when int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int len) && len is >= 0 and <= 16:
                                ia.PrefixLength = 64 - len;
                                ia.LengthFrom = "sla-len";
                                ia.Pending.Add((p.Line, ImportOutcome.Imported, $"prefixLength {64 - len} of delegation {{pd}} (64 - sla-len {len}); the subnet width now follows from what the HGW delegates"));
                                break;
                            case ["ifid", var n] when ulong.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out ulong ifid):
                                host = PrefixMath.FromUInt128(ifid);
                                ia.Pending.Add((p.Line, ImportOutcome.Imported, $"{lan}'s host part {PrefixMath.FormatAddress(host)} in its subnet"));
                                break;
                            default:
                                ia.Pending.Add((p.Line, ImportOutcome.NotExpressible, $"'{string.Join(' ', p.Words)}' in prefix-interface is not in the document's vocabulary"));
                                break;
                        }
                    }

                    ia.Downstreams.Add((new Downstream(lan, sla ?? 0) { Host = host }, st.Line));
                    if (sla is null)
                    {
                        ia.Pending.Add((st.Line, ImportOutcome.Imported, $"no sla-id: {lan} gets subnetId 0 as dhcp6c does"));
                    }

                    break;
                case ["prefix", var prefix, ..] when PrefixMath.TryParsePrefix(prefix, out IPNetwork hint):
                    ia.PrefixLength ??= hint.PrefixLength;
                    ia.Pending.Add((st.Line, ImportOutcome.Imported, $"prefixLength {hint.PrefixLength} hint of delegation {{pd}} (the prefix itself is the HGW's to choose)"));
                    break;
                default:
                    ia.Pending.Add((st.Line, ImportOutcome.NotExpressible, $"'{string.Join(' ', st.Words)}' in id-assoc pd is not in the document's vocabulary"));
                    break;
            }
        }

        return ia;
    }

    private static string Name(int? length, string id, List<PrefixDelegation> taken)
    {
        string name = length switch { 60 => "hgw", 56 => "ngn", _ => "pd" + id };
        return taken.Any(d => d.Name == name) ? name + "-" + id : name;
    }

    private static void MarkAll(LineAccount account, Dhcp6cStatement s, ImportOutcome outcome, string detail)
    {
        account.Mark(s.Line, outcome, detail);
        account.Mark(s.EndLine, outcome, detail);
        foreach (Dhcp6cStatement inner in s.Block ?? [])
        {
            MarkAll(account, inner, outcome, detail);
        }
    }
}
