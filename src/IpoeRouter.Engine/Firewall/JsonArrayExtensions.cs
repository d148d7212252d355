using System.Text.Json.Nodes;

namespace IpoeRouter.Engine.Firewall;

/// <summary>
/// <see cref="JsonArray.Add(JsonNode)"/> under a name overload resolution cannot confuse with the
/// generic <c>Add&lt;T&gt;</c>, which C# prefers for a <see cref="JsonObject"/> argument and which the
/// NativeAOT agent may not call (it is annotated as needing run-time code generation).
/// </summary>
internal static class JsonArrayExtensions
{
    public static void Append(this JsonArray array, JsonNode? node) => array.Add(node);
}
