using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Net.NetworkInformation;

namespace IpoeRouter.Commands.Completion;

/// <summary>Completes interface names from the live system, plus those the document already names.</summary>
public sealed class InterfaceNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IEnumerable<string> live;
        try
        {
            live = NetworkInterface.GetAllNetworkInterfaces().Select(n => n.Name).ToList();
        }
        catch (NetworkInformationException)
        {
            live = [];
        }

        var document = ResourceNameCompleter.TryLoad(fakeBoundParameters);
        IEnumerable<string> declared = document is null
            ? []
            : document.Interfaces.Select(i => i.Name).Concat(document.Tunnels.Select(t => t.Name));
        return ResourceNameCompleter.Complete(live.Concat(declared), wordToComplete);
    }
}
