using System.Text.Json;

using IpoeRouter.Control;
using IpoeRouter.Model;

namespace IpoeRouter.Agent.Control;

/// <summary>
/// Answers the control socket's requests with the running host (which changes when a new document
/// restarts the services): each method's parameters decoded, its result encoded, the engine's refusals
/// passed on with their error ids.
/// </summary>
internal sealed class ControlHandlers(Func<IRouterControl?> host)
{
    /// <summary>The response to one request line.</summary>
    public async Task<JsonRpcResponse> AnswerAsync(string line, CancellationToken cancellationToken)
    {
        JsonRpcRequest? request = null;
        try
        {
            request = JsonSerializer.Deserialize(line, ControlJson.Default.JsonRpcRequest);
        }
        catch (JsonException)
        {
        }

        if (request is null || request.JsonRpc != "2.0" || string.IsNullOrEmpty(request.Method))
        {
            return new JsonRpcResponse("2.0", request?.Id, null, new JsonRpcError(JsonRpcError.InvalidRequest,
                "Invalid Request: expected {\"jsonrpc\":\"2.0\",\"id\":N,\"method\":\"...\"} on one line"));
        }

        if (host() is not { } router)
        {
            return Error(request, new IpoeException(Engine.EngineErrorIds.AgentStarting, ErrorKind.ResourceUnavailable,
                "The agent is starting its services; try again in a moment."));
        }

        try
        {
            JsonElement result = request.Method switch
            {
                ControlMethods.GetStatus => JsonSerializer.SerializeToElement(router.Status(), ControlJson.Default.RouterStatus),
                ControlMethods.GetPlan => JsonSerializer.SerializeToElement(router.Plan(), ControlJson.Default.PlanResult),
                ControlMethods.Reconcile => JsonSerializer.SerializeToElement(
                    await router.ReconcileAsync(Params(request, ControlJson.Default.ReconcileRequest) ?? new ReconcileRequest(null), cancellationToken).ConfigureAwait(false),
                    ControlJson.Default.ReconcileReport),
                ControlMethods.Confirm => JsonSerializer.SerializeToElement(
                    router.Confirm(Params(request, ControlJson.Default.ApplyIdsRequest)?.Ids), ControlJson.Default.ApplyIdsResult),
                ControlMethods.Undo => JsonSerializer.SerializeToElement(
                    await router.UndoAsync(Params(request, ControlJson.Default.ApplyIdsRequest)?.Ids, cancellationToken).ConfigureAwait(false), ControlJson.Default.ApplyIdsResult),
                ControlMethods.Reload => JsonSerializer.SerializeToElement(await router.ReloadAsync(cancellationToken).ConfigureAwait(false), ControlJson.Default.ReloadResult),
                _ => throw new MethodNotFound(request.Method),
            };
            return new JsonRpcResponse("2.0", request.Id, result, null);
        }
        catch (MethodNotFound e)
        {
            return new JsonRpcResponse("2.0", request.Id, null, new JsonRpcError(JsonRpcError.MethodNotFound,
                $"Method not found: {e.Message} (known: {string.Join(", ", ControlMethods.All)})"));
        }
        catch (JsonException e)
        {
            return new JsonRpcResponse("2.0", request.Id, null, new JsonRpcError(JsonRpcError.InvalidParams, $"Invalid params for {request.Method}: {e.Message}"));
        }
        catch (IpoeException e)
        {
            return Error(request, e);
        }
        catch (TaskCanceledException)
        {
            return Error(request, new IpoeException(Engine.EngineErrorIds.AgentStarting, ErrorKind.ResourceUnavailable,
                $"The agent's loop ended before answering {request.Method} (it is stopping, or starting its services again for a new document); try again."));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return new JsonRpcResponse("2.0", request.Id, null, new JsonRpcError(JsonRpcError.InternalError, $"Internal error in {request.Method}: {e.Message}"));
        }
    }

    private static JsonRpcResponse Error(JsonRpcRequest request, IpoeException e) =>
        new("2.0", request.Id, null, new JsonRpcError(JsonRpcError.EngineError, e.Message) { Data = e.ErrorId, Kind = e.Kind.ToString(), Target = e.Target?.ToString() });

    private static T? Params<T>(JsonRpcRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        request.Params is { ValueKind: JsonValueKind.Object } p ? p.Deserialize(type) : default;

    private sealed class MethodNotFound(string method) : Exception(method);
}
