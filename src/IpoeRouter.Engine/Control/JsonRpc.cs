using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpoeRouter.Engine.Control;

/// <summary>A JSON-RPC 2.0 request (one per line on the control socket).</summary>
public sealed record JsonRpcRequest(
    [property: JsonPropertyName("jsonrpc")] string JsonRpc,
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("method")] string Method);

/// <summary>A JSON-RPC 2.0 response: a result or an error.</summary>
public sealed record JsonRpcResponse(
    [property: JsonPropertyName("jsonrpc")] string JsonRpc,
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("result")] JsonElement? Result,
    [property: JsonPropertyName("error")] JsonRpcError? Error);

/// <summary>A JSON-RPC 2.0 error object.</summary>
public sealed record JsonRpcError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message);
