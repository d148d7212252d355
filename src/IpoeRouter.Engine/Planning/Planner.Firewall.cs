using IpoeRouter.Engine.Firewall;

namespace IpoeRouter.Engine.Planning;

public sealed partial class Planner
{
    private void PlanFirewall()
    {
        CompiledFirewall compiled = FirewallCompiler.Compile(_doc, _facts);
        string key = $"inet {FirewallCompiler.Table}";
        string source = _doc.FirewallRules.Count > 0 ? "firewallRules" : "firewall (default policy)";
        FirewallObservation now = _kernel.Firewall;
        if (compiled.IsBlocked)
        {
            if (now.Exists)
            {
                _firewall.Add(Pending(ResourceKind.Firewall, key, source, "the declared table waits, the current one stays: " + string.Join("; ", compiled.Blocking)));
                return;
            }

            // No table at all would leave a fresh router open: the default policy stands in.
            compiled = FirewallCompiler.Compile(_doc with { FirewallRules = [] }, _facts) with { Blocking = compiled.Blocking };
            source = "firewall (default policy until the declared rules can be compiled)";
        }

        string? why =
            !now.Exists ? "the table does not exist"
            : now.Recorded is null ? "the table was not made by this engine's last apply"
            : now.Recorded.ListingFingerprint != now.ListingFingerprint ? "drift: the table was changed outside the engine; putting the declared rules back"
            : now.Recorded.DesiredFingerprint != compiled.Fingerprint ? "the declared rules changed"
            : null;
        string omitted = compiled.Omitted.Count == 0 ? string.Empty : " (left out until their bindings have values: " + string.Join("; ", compiled.Omitted) + ")";
        if (compiled.IsBlocked)
        {
            why = "no table yet and the declared one waits (" + string.Join("; ", compiled.Blocking) + "): the default policy meanwhile";
        }

        if (why is null)
        {
            _firewall.Add(NoChange(ResourceKind.Firewall, key, source, "as declared" + omitted));
            return;
        }

        _firewall.Add(new ResourceDiff(ResourceKind.Firewall, key, !now.Exists ? DiffOutcome.Create : DiffOutcome.Update,
            [new PropertyChange("rules", now.Recorded?.DesiredFingerprint[..12], compiled.Fingerprint[..12])], why + omitted)
        {
            Source = source,
            Operations = [new ApplyFirewallOperation(compiled.Transaction, compiled.IsBlocked ? "default-" + compiled.Fingerprint : compiled.Fingerprint)],
            Inverse = [new RestoreFirewallOperation(now.ListingJson, now.Recorded)],
        });
    }
}
