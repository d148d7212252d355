using System.Globalization;
using System.Net;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace IpoeRouter.Model.Yaml;

public static partial class DocumentWriter
{
    private static YamlMappingNode WriteRule(FirewallRule r) => Map(
        ("name", Plain(r.Name)),
        ("chain", Plain(r.Chain)),
        ("family", r.Family is { } f ? Word(f) : null),
        ("iif", Plain(r.InputInterface)),
        ("oif", Plain(r.OutputInterface)),
        ("protocol", Plain(r.Protocol)),
        ("sport", Seq(r.SourcePorts, p => Plain(p.ToString()))),
        ("dport", Seq(r.DestinationPorts, p => Plain(p.ToString()))),
        ("icmpType", Seq(r.IcmpTypes, t => Plain(IcmpTypeNames.Format(t, v6: false)))),
        ("icmpv6Type", Seq(r.Icmpv6Types, t => Plain(IcmpTypeNames.Format(t, v6: true)))),
        ("source", Match(r.Source)),
        ("destination", Match(r.Destination)),
        ("ctState", Seq(r.ConnectionStates, s => Word(s))),
        ("tcpFlags", r.TcpFlags is { } t ? Flow(Map(("mask", Seq(t.Mask, f => Word(f))), ("set", Seq(t.Set, f => Word(f), emptyAsList: true)))) : null),
        ("limit", r.Limit is { } l ? Flow(Map(
            ("rate", Plain(l.RateText)),
            ("burst", Int(l.Burst)),
            ("over", l.Over ? Bool(true) : null),
            ("perSource", l.PerSource ? Bool(true) : null))) : null),
        ("log", r.Log is { } log ? Flow(Map(("prefix", Quoted(log.Prefix)))) : null),
        ("action", r.Action is { } a ? Word(a) : null),
        ("jump", Plain(r.Jump)),
        ("comment", Plain(r.Comment)));

    private static YamlNode? Match(AddressMatch? m) => m switch
    {
        null => null,
        PrefixMatch p => Plain(PrefixMath.Format(p.Prefix)),
        DelegatedPrefixMatch d => Flow(Map(("delegatedPrefix", Plain(d.Delegation)))),
        LanSubnetMatch l => Flow(Map(("lanSubnet", Plain(l.Interface)))),
        TunnelRemoteMatch t => Flow(Map(("tunnelRemote", Plain(t.Tunnel)))),
        _ => throw new ArgumentOutOfRangeException(nameof(m), m, "Unknown address match."),
    };

    private static void Add(YamlMappingNode map, string key, YamlNode? value)
    {
        if (value is not null)
        {
            map.Add(key, value);
        }
    }

    private static void Add(YamlMappingNode map, string key, string value) => map.Add(key, Plain(value)!);

    private static YamlMappingNode Map(params (string Key, YamlNode? Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            Add(map, key, value);
        }

        return map;
    }

    private static YamlNode? Seq<T>(IReadOnlyList<T> items, Func<T, YamlNode?> write, bool flowIfScalars = true, bool emptyAsList = false)
    {
        if (items.Count == 0 && !emptyAsList)
        {
            return null;
        }

        var seq = new YamlSequenceNode(items.Select(i => write(i)!));
        if (flowIfScalars && seq.Children.All(n => n is YamlScalarNode))
        {
            seq.Style = SequenceStyle.Flow;
        }

        return seq;
    }

    private static T Flow<T>(T node)
        where T : YamlNode
    {
        if (node is YamlMappingNode m)
        {
            m.Style = MappingStyle.Flow;
        }

        return node;
    }

    /// <summary>A plain scalar, quoted when the reader would otherwise take it for null (<c>"~"</c>, <c>"null"</c>, <c>""</c>).</summary>
    private static YamlScalarNode? Plain(string? value) => value switch
    {
        null => null,
        "" or "~" or "null" or "Null" or "NULL" => Quoted(value),
        _ => new YamlScalarNode(value),
    };

    private static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    private static YamlScalarNode? Address(IPAddress? value) => value is null ? null : new YamlScalarNode(PrefixMath.FormatAddress(value));

    private static YamlScalarNode? Bool(bool? value) => value is { } b ? new YamlScalarNode(b ? "true" : "false") : null;

    private static YamlScalarNode? Int(int? value) => value is { } n ? new YamlScalarNode(n.ToString(CultureInfo.InvariantCulture)) : null;

    private static YamlScalarNode Word<TEnum>(TEnum value)
        where TEnum : struct, Enum => new(YamlNames.Of(value));

    private static void Emit(IEmitter emitter, YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode s:
                bool plain = s.Style is ScalarStyle.Any or ScalarStyle.Plain;
                emitter.Emit(new Scalar(null, null, s.Value ?? string.Empty, s.Style, plain, !plain));
                break;
            case YamlSequenceNode q:
                emitter.Emit(new SequenceStart(null, null, true, q.Style));
                foreach (YamlNode child in q.Children)
                {
                    Emit(emitter, child);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case YamlMappingNode m:
                emitter.Emit(new MappingStart(null, null, true, m.Style));
                foreach (var (k, v) in m.Children)
                {
                    Emit(emitter, k);
                    Emit(emitter, v);
                }

                emitter.Emit(new MappingEnd());
                break;
        }
    }
}
