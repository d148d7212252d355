namespace IpoeRouter.Linux.Interop;

/// <summary>
/// <c>nlmsg_flags</c> (linux/netlink.h). The same bits mean different things for GET and NEW
/// requests, so both names are given.
/// </summary>
[Flags]
public enum NetlinkFlags : ushort
{
    /// <summary>No flags.</summary>
    None = 0,

    /// <summary><c>NLM_F_REQUEST</c>.</summary>
    Request = 0x1,

    /// <summary><c>NLM_F_MULTI</c>: part of a multipart reply.</summary>
    Multi = 0x2,

    /// <summary><c>NLM_F_ACK</c>: answer with an acknowledgement.</summary>
    Ack = 0x4,

    /// <summary><c>NLM_F_DUMP_INTR</c>: the dump was interrupted by a change and is inconsistent.</summary>
    DumpInterrupted = 0x10,

    /// <summary><c>NLM_F_ROOT</c> (GET).</summary>
    Root = 0x100,

    /// <summary><c>NLM_F_MATCH</c> (GET).</summary>
    Match = 0x200,

    /// <summary><c>NLM_F_DUMP</c> = ROOT | MATCH (GET).</summary>
    Dump = Root | Match,

    /// <summary><c>NLM_F_REPLACE</c> (NEW): replace an existing object.</summary>
    Replace = 0x100,

    /// <summary><c>NLM_F_EXCL</c> (NEW): fail if it exists.</summary>
    Exclusive = 0x200,

    /// <summary><c>NLM_F_CREATE</c> (NEW): create if missing.</summary>
    Create = 0x400,

    /// <summary><c>NLM_F_ACK_TLVS</c> (in an ACK): extended-ack attributes follow.</summary>
    AckTlvs = 0x200,

    /// <summary><c>NLM_F_CAPPED</c> (in an ACK): the request was not echoed in full.</summary>
    Capped = 0x100,
}
