using System.Text.Json;
using System.Text.Json.Serialization;

namespace IpoeRouter.Control;

/// <summary>A JSON-RPC 2.0 request (one per line on the control socket).</summary>
public sealed record JsonRpcRequest(
    [property: JsonPropertyName("jsonrpc")] string JsonRpc,
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("method")] string Method)
{
    /// <summary>The method's parameters (an object), if it takes any.</summary>
    [JsonPropertyName("params")]
    public JsonElement? Params { get; init; }
}

/// <summary>A JSON-RPC 2.0 response: a result or an error.</summary>
public sealed record JsonRpcResponse(
    [property: JsonPropertyName("jsonrpc")] string JsonRpc,
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("result")] JsonElement? Result,
    [property: JsonPropertyName("error")] JsonRpcError? Error);

/// <summary>A JSON-RPC 2.0 error object; <see cref="Data"/> carries the engine's stable error id when there is one.</summary>
public sealed record JsonRpcError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message)
{
    /// <summary>The stable error id (<c>ConfirmationNotFound</c>, <c>DocumentInvalid</c> …), for the cmdlet's ErrorRecord.</summary>
    [JsonPropertyName("data")]
    public string? Data { get; init; }

    /// <summary>The kind of the engine's error (an <c>ErrorKind</c> name), with <see cref="Data"/>.</summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    /// <summary>What the error is about (a path, an id), with <see cref="Data"/>.</summary>
    [JsonPropertyName("target")]
    public string? Target { get; init; }

    /// <summary>JSON-RPC's "invalid request".</summary>
    public const int InvalidRequest = -32600;

    /// <summary>JSON-RPC's "method not found".</summary>
    public const int MethodNotFound = -32601;

    /// <summary>JSON-RPC's "invalid params".</summary>
    public const int InvalidParams = -32602;

    /// <summary>JSON-RPC's "internal error".</summary>
    public const int InternalError = -32603;

    /// <summary>The caller is not root (the peer's credentials, SO_PEERCRED).</summary>
    public const int PermissionDenied = -32001;

    /// <summary>The engine refused or failed; <see cref="Data"/> names the error id.</summary>
    public const int EngineError = -32002;
}
