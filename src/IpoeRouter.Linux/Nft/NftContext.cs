using System.Runtime.InteropServices;

namespace IpoeRouter.Linux.Nft;

/// <summary>
/// libnftables (<c>libnftables.so.1</c>, Debian's libnftables1): nft commands or JSON run as one
/// transaction, output and errors captured in buffers. Acts on the calling thread's network
/// namespace; see <see cref="Netlink.NetworkNamespace.Run{T}"/>. Needs CAP_NET_ADMIN.
/// </summary>
public sealed partial class NftContext : IDisposable
{
    private const string Library = "libnftables.so.1";
    private const uint OutputJson = 1 << 4;
    private readonly ContextHandle _ctx;

    /// <summary>Creates a context with JSON output and buffered output and errors.</summary>
    public NftContext()
    {
        try
        {
            _ctx = new ContextHandle(nft_ctx_new(0));
        }
        catch (DllNotFoundException e)
        {
            throw new NftException("libnftables.so.1 is not installed (Debian: apt-get install libnftables1 nftables).", e);
        }

        if (_ctx.IsInvalid)
        {
            throw new NftException("nft_ctx_new failed.");
        }

        nft_ctx_output_set_flags(_ctx, OutputJson);
        _ = nft_ctx_buffer_output(_ctx);
        _ = nft_ctx_buffer_error(_ctx);
    }

    /// <summary>
    /// Runs <paramref name="commands"/> (nft syntax or a JSON document) as one transaction and
    /// returns its output. With <paramref name="check"/> the kernel validates the whole
    /// transaction and nothing is committed (nft's check mode). A refusal throws
    /// <see cref="NftException"/> with nft's message; nothing of the transaction remains.
    /// </summary>
    public string Run(string commands, bool check = false)
    {
        nft_ctx_set_dry_run(_ctx, check);
        int rc = nft_run_cmd_from_buffer(_ctx, commands);
        string output = Marshal.PtrToStringUTF8(nft_ctx_get_output_buffer(_ctx)) ?? string.Empty;
        string error = Marshal.PtrToStringUTF8(nft_ctx_get_error_buffer(_ctx)) ?? string.Empty;
        return rc == 0 ? output : throw new NftException(error.Trim().Length > 0 ? error.Trim() : $"nft failed ({rc})");
    }

    /// <inheritdoc/>
    public void Dispose() => _ctx.Dispose();

    [LibraryImport(Library)]
    private static partial IntPtr nft_ctx_new(uint flags);

    [LibraryImport(Library)]
    private static partial void nft_ctx_free(IntPtr ctx);

    [LibraryImport(Library)]
    private static partial void nft_ctx_output_set_flags(ContextHandle ctx, uint flags);

    [LibraryImport(Library)]
    private static partial int nft_ctx_buffer_output(ContextHandle ctx);

    [LibraryImport(Library)]
    private static partial int nft_ctx_buffer_error(ContextHandle ctx);

    [LibraryImport(Library)]
    private static partial IntPtr nft_ctx_get_output_buffer(ContextHandle ctx);

    [LibraryImport(Library)]
    private static partial IntPtr nft_ctx_get_error_buffer(ContextHandle ctx);

    [LibraryImport(Library)]
    private static partial void nft_ctx_set_dry_run(ContextHandle ctx, [MarshalAs(UnmanagedType.U1)] bool dry);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int nft_run_cmd_from_buffer(ContextHandle ctx, string buffer);

    private sealed class ContextHandle : SafeHandle
    {
        public ContextHandle(IntPtr ctx)
            : base(IntPtr.Zero, ownsHandle: true) => SetHandle(ctx);

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            nft_ctx_free(handle);
            return true;
        }
    }
}

/// <summary>nft refused a command; the message is nft's own (it names the offending part).</summary>
public sealed class NftException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NftException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
